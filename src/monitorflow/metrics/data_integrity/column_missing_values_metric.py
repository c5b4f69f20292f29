"""Evidently's import path ``metrics.data_integrity.column_missing_values_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.data_integrity import (
    ColumnMissing as ColumnMissingValues,
)
from monitorflow.metrics.data_integrity import (
    ColumnMissingValuesMetric,
    ColumnMissingValuesMetricResult,
)

__all__ = ["ColumnMissingValues", "ColumnMissingValuesMetric", "ColumnMissingValuesMetricResult"]
