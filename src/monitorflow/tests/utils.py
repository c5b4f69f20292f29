"""Evidently's import path ``tests.utils`` for ``approx`` (its plot helpers are Evidently's HTML rendering).

A thin re-export for ported Evidently code: ``approx`` lives in :mod:`monitorflow.conditions`.
"""

from monitorflow.conditions import approx

__all__ = ["approx"]
