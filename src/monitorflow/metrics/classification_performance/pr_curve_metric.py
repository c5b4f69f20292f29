"""Evidently's import path ``metrics.classification_performance.pr_curve_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.classification import ClassificationPRCurve, ClassificationPRCurveResults

__all__ = ["ClassificationPRCurve", "ClassificationPRCurveResults"]
