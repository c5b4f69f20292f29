"""Evidently's import path ``metrics.recsys.ndcg_k``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.recsys import NDCGKMetric

__all__ = ["NDCGKMetric"]
