"""Evidently's import path ``metrics.classification_performance.class_balance_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.classification import ClassificationClassBalance, ClassificationClassBalanceResult

__all__ = ["ClassificationClassBalance", "ClassificationClassBalanceResult"]
