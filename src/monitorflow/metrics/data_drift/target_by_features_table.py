"""Evidently's import path ``metrics.data_drift.target_by_features_table``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.plots import TargetByFeaturesTable, TargetByFeaturesTableResults

__all__ = ["TargetByFeaturesTable", "TargetByFeaturesTableResults"]
