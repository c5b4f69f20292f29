"""Evidently's import path ``metrics.recsys.f_beta_top_k``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.recsys import FBetaTopKMetric

__all__ = ["FBetaTopKMetric"]
