"""Evidently's import path ``test_preset.classification_binary``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.test_preset.classification import BinaryClassificationTestPreset

__all__ = ["BinaryClassificationTestPreset"]
