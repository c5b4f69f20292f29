"""Evidently's import path ``metrics.recsys.mrr``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.recsys import MRRKMetric
from monitorflow.metrics.recsys import TopKMetricResult as MRRKMetricResult

__all__ = ["MRRKMetric", "MRRKMetricResult"]
