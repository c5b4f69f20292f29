"""Public metric classes (names as in Evidently's legacy API)."""

from monitorflow.metrics.base import METRICS, Metric, MetricPreset, MetricResult
from monitorflow.metrics.conflicts import ConflictPredictionMetric, ConflictTargetMetric
from monitorflow.metrics.correlations import ColumnCorrelationsMetric, DatasetCorrelationsMetric
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
    "ColumnCorrelationsMetric",
    "ColumnDriftMetric",
    "ColumnMissingValuesMetric",
    "ColumnQuantileMetric",
    "ColumnSummaryMetric",
    "ColumnValueListMetric",
    "ColumnValueRangeMetric",
    "ConflictPredictionMetric",
    "ConflictTargetMetric",
    "DataDriftTable",
    "DatasetCorrelationsMetric",
    "DatasetDriftMetric",
    "DatasetMissingValuesMetric",
    "DatasetSummaryMetric",
    "Metric",
    "MetricPreset",
    "MetricResult",
]
