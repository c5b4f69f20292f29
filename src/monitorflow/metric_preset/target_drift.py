"""Evidently's import path ``metric_preset.target_drift``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metric_preset.data_drift import TargetDriftPreset

__all__ = ["TargetDriftPreset"]
