"""Presets of estimated model quality (no labels in the current data; a labelled reference)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from monitorflow._types import ColumnName
from monitorflow.column_mapping import DataDefinition
from monitorflow.estimation.classification import Calibration
from monitorflow.estimation.regression import MAX_ROWS
from monitorflow.metrics.base import Metric, MetricPreset
from monitorflow.metrics.estimation import BAND_Z, EstimatedClassificationQuality, EstimatedRegressionQuality


class EstimatedClassificationPreset(MetricPreset):
    """Accuracy, precision, recall, F1, ROC AUC and the confusion matrix, estimated from calibrated
    probabilities (CBPE), with bands."""

    probas_threshold: float | None = Field(None, ge=0, le=1)
    calibration: Calibration = "auto"
    band_z: float = Field(BAND_Z, gt=0)

    def generate_metrics(self, definition: DataDefinition) -> list[Metric[Any]]:
        return [EstimatedClassificationQuality(**self.model_dump())]

    def estimation_metrics(self) -> list[Metric[Any]]:
        return self.generate_metrics(DataDefinition())


class EstimatedRegressionPreset(MetricPreset):
    """MAE and RMSE estimated by models of the absolute and squared error (DLE), with bands."""

    columns: list[ColumnName] | None = None
    band_z: float = Field(BAND_Z, gt=0)
    max_rows: int = Field(MAX_ROWS, gt=0)

    def generate_metrics(self, definition: DataDefinition) -> list[Metric[Any]]:
        return [EstimatedRegressionQuality(**self.model_dump())]

    def estimation_metrics(self) -> list[Metric[Any]]:
        return self.generate_metrics(DataDefinition())


__all__ = ["EstimatedClassificationPreset", "EstimatedRegressionPreset"]
