"""Evidently's import path ``metrics.regression_performance.regression_performance_metrics``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.regression_summary import (
    RegressionMetrics,
    RegressionPerformanceMetrics,
    RegressionPerformanceMetricsResults,
)

__all__ = ["RegressionMetrics", "RegressionPerformanceMetrics", "RegressionPerformanceMetricsResults"]
