"""Evidently's import path ``metrics.classification_performance.classification_dummy_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.classification import ClassificationDummyMetric, ClassificationDummyMetricResults

__all__ = ["ClassificationDummyMetric", "ClassificationDummyMetricResults"]
