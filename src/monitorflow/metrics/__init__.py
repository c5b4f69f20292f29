"""Public metric classes (names as in Evidently's legacy API)."""

from monitorflow.metrics.base import METRICS, Metric, MetricPreset, MetricResult
from monitorflow.metrics.data_drift import ColumnDriftMetric, DataDriftTable, DatasetDriftMetric
from monitorflow.metrics.data_integrity import (
    ColumnMissingValuesMetric,
    ColumnSummaryMetric,
    DatasetMissingValuesMetric,
    DatasetSummaryMetric,
)
from monitorflow.metrics.data_quality import (
    ColumnCategoryMetric,
    ColumnQuantileMetric,
    ColumnValueListMetric,
    ColumnValueRangeMetric,
)

__all__ = [
    "METRICS",
    "ColumnCategoryMetric",
    "ColumnDriftMetric",
    "ColumnMissingValuesMetric",
    "ColumnQuantileMetric",
    "ColumnSummaryMetric",
    "ColumnValueListMetric",
    "ColumnValueRangeMetric",
    "DataDriftTable",
    "DatasetDriftMetric",
    "DatasetMissingValuesMetric",
    "DatasetSummaryMetric",
    "Metric",
    "MetricPreset",
    "MetricResult",
]
