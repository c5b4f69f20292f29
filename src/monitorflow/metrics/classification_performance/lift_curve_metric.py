"""Evidently's import path ``metrics.classification_performance.lift_curve_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.classification_plots import ClassificationLiftCurve, ClassificationLiftCurveResults

__all__ = ["ClassificationLiftCurve", "ClassificationLiftCurveResults"]
