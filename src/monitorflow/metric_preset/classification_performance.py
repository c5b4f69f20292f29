"""Evidently's import path ``metric_preset.classification_performance``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metric_preset.classification import ClassificationPreset

__all__ = ["ClassificationPreset"]
