"""Evidently's import path ``metrics.regression_performance.top_error``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.regression import RegressionTopErrorMetric, RegressionTopErrorMetricResults, TopData

__all__ = ["RegressionTopErrorMetric", "RegressionTopErrorMetricResults", "TopData"]
