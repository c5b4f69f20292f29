"""Evidently's import path ``test_preset.data_stability``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.test_preset.data_quality import DataStabilityTestPreset

__all__ = ["DataStabilityTestPreset"]
