"""Evidently's import path ``metrics.classification_performance.objects``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.classification import ClassMetric

__all__ = ["ClassMetric"]
