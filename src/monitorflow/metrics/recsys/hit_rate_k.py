"""Evidently's import path ``metrics.recsys.hit_rate_k``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.recsys import HitRateKMetric
from monitorflow.metrics.recsys import TopKMetricResult as HitRateKMetricResult

__all__ = ["HitRateKMetric", "HitRateKMetricResult"]
