"""DataDriftPreset and TargetDriftPreset."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from monitorflow._types import ColumnName
from monitorflow.column_mapping import DataDefinition
from monitorflow.metrics.base import Metric, MetricPreset
from monitorflow.metrics.data_drift import ColumnDriftMetric, DataDriftTable, DatasetDriftMetric, DriftOptions


def options_of(preset: DriftOptions) -> dict[str, Any]:
    """The drift options a preset passes on to the metrics and tests it generates."""
    return {k: v for k, v in preset.drift_options().items() if v is not None}


class DataDriftPreset(DriftOptions, MetricPreset):
    """DatasetDriftMetric and DataDriftTable over the same columns and options."""

    columns: list[ColumnName] | None = None
    drift_share: float = Field(0.5, gt=0, le=1)

    def generate_metrics(self, definition: DataDefinition) -> list[Metric[Any]]:
        shared = {"columns": self.columns, "drift_share": self.drift_share, **options_of(self)}
        return [DatasetDriftMetric(**shared), DataDriftTable(**shared)]


class TargetDriftPreset(DriftOptions, MetricPreset):
    """Drift of the target, the prediction and each probability column, and their correlations with features."""

    def generate_metrics(self, definition: DataDefinition) -> list[Metric[Any]]:
        from monitorflow.metrics.correlations import ColumnCorrelationsMetric

        metrics: list[Metric[Any]] = []
        for column in (definition.target, definition.prediction, *(definition.prediction_probas or [])):
            if column is None:
                continue
            metrics.append(ColumnDriftMetric(column_name=column, **options_of(self)))
            if column in (definition.target, definition.prediction):
                metrics.append(ColumnCorrelationsMetric(column_name=column))
        return metrics
