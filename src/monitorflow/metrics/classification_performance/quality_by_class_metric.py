"""Evidently's import path ``metrics.classification_performance.quality_by_class_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.classification import (
    ClassificationQuality,
    ClassificationQualityByClass,
    ClassificationQualityByClassResult,
)

__all__ = ["ClassificationQuality", "ClassificationQualityByClass", "ClassificationQualityByClassResult"]
