"""Evidently's import path ``metric_preset.metric_preset``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.base import MetricPreset

__all__ = ["MetricPreset"]
