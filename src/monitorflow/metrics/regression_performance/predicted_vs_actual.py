"""Evidently's import path ``metrics.regression_performance.predicted_vs_actual``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.regression import (
    RegressionPredictedVsActualScatter,
    RegressionPredictedVsActualScatterResults,
)

__all__ = ["RegressionPredictedVsActualScatter", "RegressionPredictedVsActualScatterResults"]
