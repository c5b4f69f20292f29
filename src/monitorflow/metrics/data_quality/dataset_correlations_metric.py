"""Evidently's import path ``metrics.data_quality.dataset_correlations_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.correlations import (
    CorrelationStats,
    DatasetCorrelation,
    DatasetCorrelationsMetric,
    DatasetCorrelationsMetricResult,
)

__all__ = [
    "CorrelationStats",
    "DatasetCorrelation",
    "DatasetCorrelationsMetric",
    "DatasetCorrelationsMetricResult",
]
