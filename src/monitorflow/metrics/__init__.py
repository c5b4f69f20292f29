"""Public metric classes (names as in Evidently's legacy API)."""

from monitorflow.metrics.base import METRICS, Metric, MetricPreset, MetricResult
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
    "ColumnMissingValuesMetric",
    "ColumnQuantileMetric",
    "ColumnSummaryMetric",
    "ColumnValueListMetric",
    "ColumnValueRangeMetric",
    "DatasetMissingValuesMetric",
    "DatasetSummaryMetric",
    "Metric",
    "MetricPreset",
    "MetricResult",
]
