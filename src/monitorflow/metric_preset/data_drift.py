"""DataDriftPreset and TargetDriftPreset."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from monitorflow._types import ColumnName
from monitorflow.column_mapping import DataDefinition
from monitorflow.metrics.base import Metric, MetricPreset
from monitorflow.metrics.correlations import ColumnCorrelationsMetric
from monitorflow.metrics.data_drift import ColumnDriftMetric, DataDriftTable, DatasetDriftMetric, DriftOptions
from monitorflow.metrics.data_drift.embeddings_drift import (
    DriftMethodSpec,
    EmbeddingsDriftMetric,
    embedding_sets,
)
from monitorflow.metrics.plots import ColumnValuePlot, TargetByFeaturesTable


def options_of(preset: DriftOptions) -> dict[str, Any]:
    """The drift options a preset passes on to the metrics and tests it generates."""
    return {k: v for k, v in preset.drift_options().items() if v is not None}


class DataDriftPreset(DriftOptions, MetricPreset):
    """DatasetDriftMetric and DataDriftTable over the same columns and options, then an
    EmbeddingsDriftMetric per embedding set (``embeddings``; None: every set of the mapping)."""

    columns: list[ColumnName] | None = None
    embeddings: list[str] | None = None
    embeddings_drift_method: dict[str, DriftMethodSpec] | None = None
    drift_share: float = Field(0.5, gt=0, le=1)

    def generate_metrics(self, definition: DataDefinition) -> list[Metric[Any]]:
        shared = {"columns": self.columns, "drift_share": self.drift_share, **options_of(self)}
        sets = embedding_sets(definition, self.embeddings, self.embeddings_drift_method)
        return [
            DatasetDriftMetric(**shared),
            DataDriftTable(**shared),
            *(EmbeddingsDriftMetric(embeddings_name=name, drift_method=method) for name, method in sets),
        ]


class TargetDriftPreset(DriftOptions, MetricPreset):
    """Evidently's legacy TargetDriftPreset: for the target, ColumnDriftMetric, ColumnValuePlot (regression)
    and ColumnCorrelationsMetric; for the prediction, ColumnDriftMetric and ColumnCorrelationsMetric
    (plus ColumnDriftMetric of each probability column); then TargetByFeaturesTable(columns)."""

    columns: list[ColumnName] | None = None

    def generate_metrics(self, definition: DataDefinition) -> list[Metric[Any]]:
        metrics: list[Metric[Any]] = []
        if definition.target is not None:
            metrics.append(ColumnDriftMetric(column_name=definition.target, **options_of(self)))
            if definition.task == "regression":
                metrics.append(ColumnValuePlot(column_name=definition.target))
            metrics.append(ColumnCorrelationsMetric(column_name=definition.target))
        probas = definition.prediction_probas or []
        if definition.prediction is not None or probas:
            for column in (definition.prediction, *probas):
                if column is not None:
                    metrics.append(ColumnDriftMetric(column_name=column, **options_of(self)))
            if definition.prediction is not None:
                metrics.append(ColumnCorrelationsMetric(column_name=definition.prediction))
        if metrics:
            metrics.append(TargetByFeaturesTable(columns=self.columns))
        return metrics
