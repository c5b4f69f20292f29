"""Evidently's import path ``metrics.recsys.map_k``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.recsys import MAPKMetric

__all__ = ["MAPKMetric"]
