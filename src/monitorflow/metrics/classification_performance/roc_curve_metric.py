"""Evidently's import path ``metrics.classification_performance.roc_curve_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.classification import ClassificationRocCurve, ClassificationRocCurveResults

__all__ = ["ClassificationRocCurve", "ClassificationRocCurveResults"]
