"""Evidently's import path ``metrics.data_quality.conflict_prediction_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.conflicts import (
    ConflictPredictionData,
    ConflictPredictionMetric,
    ConflictPredictionMetricResults,
)

__all__ = ["ConflictPredictionData", "ConflictPredictionMetric", "ConflictPredictionMetricResults"]
