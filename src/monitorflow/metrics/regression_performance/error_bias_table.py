"""Evidently's import path ``metrics.regression_performance.error_bias_table``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.regression_bias import RegressionErrorBiasTable, RegressionErrorBiasTableResults

__all__ = ["RegressionErrorBiasTable", "RegressionErrorBiasTableResults"]
