"""Evidently's import path ``metrics.data_integrity.dataset_summary_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.data_integrity import (
    DatasetSummary,
    DatasetSummaryMetric,
    DatasetSummaryMetricResult,
)

__all__ = ["DatasetSummary", "DatasetSummaryMetric", "DatasetSummaryMetricResult"]
