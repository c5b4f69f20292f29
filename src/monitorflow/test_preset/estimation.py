"""Test presets of estimated model quality, with conditions derived from the labelled reference."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from monitorflow._types import ColumnName
from monitorflow.checks.base import Test, TestPreset
from monitorflow.checks.estimation import (
    TestEstimatedAccuracy,
    TestEstimatedF1,
    TestEstimatedMAE,
    TestEstimatedPrecision,
    TestEstimatedRecall,
    TestEstimatedRMSE,
    TestEstimatedRocAuc,
)
from monitorflow.column_mapping import DataDefinition
from monitorflow.estimation.classification import Calibration
from monitorflow.estimation.regression import MAX_ROWS
from monitorflow.metrics.base import Metric
from monitorflow.metrics.estimation import BAND_Z, estimation_metrics


class _EstimationTestPreset(TestPreset):
    def estimation_metrics(self) -> list[Metric[Any]]:
        return estimation_metrics(self.generate_tests(DataDefinition()))


class EstimatedClassificationTestPreset(_EstimationTestPreset):
    """Estimated accuracy, precision, recall, F1 and ROC AUC against the reference's realized ones."""

    probas_threshold: float | None = Field(None, ge=0, le=1)
    calibration: Calibration = "auto"
    band_z: float = Field(BAND_Z, gt=0)

    def generate_tests(self, definition: DataDefinition) -> list[Test]:
        tests = (
            TestEstimatedAccuracy,
            TestEstimatedPrecision,
            TestEstimatedRecall,
            TestEstimatedF1,
            TestEstimatedRocAuc,
        )
        return [test(**self.model_dump()) for test in tests]


class EstimatedRegressionTestPreset(_EstimationTestPreset):
    """Estimated MAE and RMSE against the reference's realized ones."""

    columns: list[ColumnName] | None = None
    band_z: float = Field(BAND_Z, gt=0)
    max_rows: int = Field(MAX_ROWS, gt=0)

    def generate_tests(self, definition: DataDefinition) -> list[Test]:
        return [TestEstimatedMAE(**self.model_dump()), TestEstimatedRMSE(**self.model_dump())]


__all__ = ["EstimatedClassificationTestPreset", "EstimatedRegressionTestPreset"]
