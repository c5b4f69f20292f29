"""Evidently's import path ``metrics.data_quality.text_descriptors_distribution``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.text import TextDescriptorsDistribution, TextDescriptorsDistributionResult

__all__ = ["TextDescriptorsDistribution", "TextDescriptorsDistributionResult"]
