"""Evidently's import path ``metrics.data_quality.stability_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.data_quality import DataQualityStabilityMetric, DataQualityStabilityMetricResult

__all__ = ["DataQualityStabilityMetric", "DataQualityStabilityMetricResult"]
