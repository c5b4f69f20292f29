"""Evidently's import path ``metrics.data_quality.text_descriptors_correlation_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.text import TextDescriptorsCorrelationMetric, TextDescriptorsCorrelationMetricResult

__all__ = ["TextDescriptorsCorrelationMetric", "TextDescriptorsCorrelationMetricResult"]
