"""Evidently's import path ``metrics.classification_performance.quality_by_feature_table``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.classification_by_feature import (
    ClassificationQualityByFeatureTable,
    ClassificationQualityByFeatureTableResults,
)

__all__ = ["ClassificationQualityByFeatureTable", "ClassificationQualityByFeatureTableResults"]
