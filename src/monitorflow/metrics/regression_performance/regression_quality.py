"""Evidently's import path ``metrics.regression_performance.regression_quality``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.regression import (
    MoreRegressionMetrics,
    RegressionQualityMetric,
    RegressionQualityMetricResults,
)

__all__ = ["MoreRegressionMetrics", "RegressionQualityMetric", "RegressionQualityMetricResults"]
