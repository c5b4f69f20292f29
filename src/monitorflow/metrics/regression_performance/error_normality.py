"""Evidently's import path ``metrics.regression_performance.error_normality``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.regression import RegressionErrorNormality, RegressionErrorNormalityResults

__all__ = ["RegressionErrorNormality", "RegressionErrorNormalityResults"]
