"""Evidently's import path ``metrics.classification_performance.classification_quality_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.classification import ClassificationQualityMetric, ClassificationQualityMetricResult

__all__ = ["ClassificationQualityMetric", "ClassificationQualityMetricResult"]
