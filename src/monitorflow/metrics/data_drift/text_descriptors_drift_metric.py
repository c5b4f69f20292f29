"""Evidently's import path ``metrics.data_drift.text_descriptors_drift_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.text import (
    TextDescriptorsDriftMetric,
)
from monitorflow.metrics.text import (
    TextDescriptorsDriftMetricResult as TextDescriptorsDriftMetricResults,
)

__all__ = ["TextDescriptorsDriftMetric", "TextDescriptorsDriftMetricResults"]
