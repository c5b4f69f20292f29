"""Evidently's import path ``metrics.regression_performance.abs_perc_error_in_time``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.regression_plots import RegressionAbsPercentageErrorPlot

__all__ = ["RegressionAbsPercentageErrorPlot"]
