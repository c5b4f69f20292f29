"""Evidently's import path ``metrics.classification_performance.pr_table_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.classification import ClassificationPRTable, ClassificationPRTableResults

__all__ = ["ClassificationPRTable", "ClassificationPRTableResults"]
