"""Evidently's import path ``calculations.data_drift``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.data_drift import (
    ColumnDriftResult as ColumnDataDriftMetrics,
)
from monitorflow.metrics.data_drift import (
    DatasetDriftResult as DatasetDriftMetrics,
)
from monitorflow.metrics.data_drift import (
    DriftStatsField,
)

__all__ = ["ColumnDataDriftMetrics", "DatasetDriftMetrics", "DriftStatsField"]
