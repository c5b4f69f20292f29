"""Evidently's import path ``metrics.data_quality.column_quantile_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.data_quality import (
    ColumnQuantileMetric,
    ColumnQuantileMetricResult,
)
from monitorflow.metrics.data_quality import (
    QuantileValue as QuantileStats,
)

__all__ = ["ColumnQuantileMetric", "ColumnQuantileMetricResult", "QuantileStats"]
