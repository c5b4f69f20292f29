"""Evidently's import path ``metrics.data_quality.column_value_list_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.data_quality import (
    ColumnValueListMetric,
    ColumnValueListMetricResult,
)
from monitorflow.metrics.data_quality import (
    ValuesInList as ValueListStat,
)

__all__ = ["ColumnValueListMetric", "ColumnValueListMetricResult", "ValueListStat"]
