"""Evidently's import path ``metrics.recsys.recall_top_k``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.recsys import RecallTopKMetric

__all__ = ["RecallTopKMetric"]
