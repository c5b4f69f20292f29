"""Evidently's import path ``metrics.data_drift.data_drift_table``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.data_drift import DataDriftTable
from monitorflow.metrics.data_drift import DataDriftTableResult as DataDriftTableResults

__all__ = ["DataDriftTable", "DataDriftTableResults"]
