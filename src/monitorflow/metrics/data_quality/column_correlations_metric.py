"""Evidently's import path ``metrics.data_quality.column_correlations_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.correlations import ColumnCorrelationsMetric, ColumnCorrelationsMetricResult

__all__ = ["ColumnCorrelationsMetric", "ColumnCorrelationsMetricResult"]
