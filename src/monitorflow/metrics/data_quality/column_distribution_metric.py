"""Evidently's import path ``metrics.data_quality.column_distribution_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.column_distribution import ColumnDistributionMetric, ColumnDistributionMetricResult

__all__ = ["ColumnDistributionMetric", "ColumnDistributionMetricResult"]
