"""Evidently's import path ``metrics.regression_performance.error_distribution``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.regression import RegressionErrorDistribution, RegressionErrorDistributionResults

__all__ = ["RegressionErrorDistribution", "RegressionErrorDistributionResults"]
