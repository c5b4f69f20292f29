"""Evidently's import path ``test_preset.classification_binary_topk``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.test_preset.classification import BinaryClassificationTopKTestPreset

__all__ = ["BinaryClassificationTopKTestPreset"]
