"""Evidently's import path ``metrics.data_quality.conflict_target_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.conflicts import ConflictTargetMetric, ConflictTargetMetricResults

__all__ = ["ConflictTargetMetric", "ConflictTargetMetricResults"]
