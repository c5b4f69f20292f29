"""Evidently's import path ``metrics.regression_performance.regression_dummy_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.regression import RegressionDummyMetric, RegressionDummyMetricResults

__all__ = ["RegressionDummyMetric", "RegressionDummyMetricResults"]
