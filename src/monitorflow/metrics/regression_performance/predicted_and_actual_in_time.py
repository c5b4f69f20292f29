"""Evidently's import path ``metrics.regression_performance.predicted_and_actual_in_time``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.regression_plots import RegressionPredictedVsActualPlot

__all__ = ["RegressionPredictedVsActualPlot"]
