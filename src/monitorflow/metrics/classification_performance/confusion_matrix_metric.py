"""Evidently's import path ``metrics.classification_performance.confusion_matrix_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.classification import (
    ClassificationConfusionMatrix,
    ClassificationConfusionMatrixResult,
)

__all__ = ["ClassificationConfusionMatrix", "ClassificationConfusionMatrixResult"]
