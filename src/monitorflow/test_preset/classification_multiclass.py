"""Evidently's import path ``test_preset.classification_multiclass``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.test_preset.classification import MulticlassClassificationTestPreset

__all__ = ["MulticlassClassificationTestPreset"]
