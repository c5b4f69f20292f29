"""Evidently's import path ``metrics.recsys.precision_top_k``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.recsys import PrecisionTopKMetric

__all__ = ["PrecisionTopKMetric"]
