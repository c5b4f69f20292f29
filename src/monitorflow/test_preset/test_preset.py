"""Evidently's import path ``test_preset.test_preset``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.checks.base import TestPreset

__all__ = ["TestPreset"]
