"""Evidently's import path ``metrics.data_drift.dataset_drift_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.data_drift import DatasetDriftMetric
from monitorflow.metrics.data_drift import DatasetDriftResult as DatasetDriftMetricResults

__all__ = ["DatasetDriftMetric", "DatasetDriftMetricResults"]
