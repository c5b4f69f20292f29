"""Evidently's import path ``metrics.recsys.mar_k``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.recsys import MARKMetric

__all__ = ["MARKMetric"]
