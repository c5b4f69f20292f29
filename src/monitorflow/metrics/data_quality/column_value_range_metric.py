"""Evidently's import path ``metrics.data_quality.column_value_range_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.data_quality import (
    ColumnValueRangeMetric,
    ColumnValueRangeMetricResult,
)
from monitorflow.metrics.data_quality import (
    ValuesInRange as ValuesInRangeStat,
)

__all__ = ["ColumnValueRangeMetric", "ColumnValueRangeMetricResult", "ValuesInRangeStat"]
