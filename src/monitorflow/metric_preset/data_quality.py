"""DataQualityPreset: dataset summary, a summary per column, missing values."""

from __future__ import annotations

from typing import Any

from monitorflow._types import ColumnName
from monitorflow.column_mapping import DataDefinition
from monitorflow.metrics.base import Metric, MetricPreset
from monitorflow.metrics.data_integrity import (
    ColumnSummaryMetric,
    DatasetMissingValuesMetric,
    DatasetSummaryMetric,
)


class DataQualityPreset(MetricPreset):
    """DatasetSummaryMetric, ColumnSummaryMetric per column (id excluded), DatasetMissingValuesMetric."""

    columns: list[ColumnName] | None = None

    def generate_metrics(self, definition: DataDefinition) -> list[Metric[Any]]:
        columns = [c for c in definition.column_names if c != definition.id]
        if self.columns is not None:
            wanted = set(self.columns)
            columns = [c for c in columns if c in wanted]
        return [
            DatasetSummaryMetric(),
            *(ColumnSummaryMetric(column_name=c) for c in columns),
            DatasetMissingValuesMetric(),
        ]
