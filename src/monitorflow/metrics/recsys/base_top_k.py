"""Evidently's import path ``metrics.recsys.base_top_k``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.recsys import TopKMetricResult

__all__ = ["TopKMetricResult"]
