"""Evidently's import path ``metric_preset.regression_performance``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metric_preset.regression import RegressionPreset

__all__ = ["RegressionPreset"]
