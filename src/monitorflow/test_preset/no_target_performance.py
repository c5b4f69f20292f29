"""Evidently's import path ``test_preset.no_target_performance``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.test_preset.data_drift import NoTargetPerformanceTestPreset

__all__ = ["NoTargetPerformanceTestPreset"]
