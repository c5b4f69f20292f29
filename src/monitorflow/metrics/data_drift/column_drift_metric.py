"""Evidently's import path ``metrics.data_drift.column_drift_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.data_drift import ColumnDriftMetric

__all__ = ["ColumnDriftMetric"]
