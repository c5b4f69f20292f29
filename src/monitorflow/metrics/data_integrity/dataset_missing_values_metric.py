"""Evidently's import path ``metrics.data_integrity.dataset_missing_values_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.data_integrity import (
    DatasetMissingValues,
    DatasetMissingValuesMetric,
    DatasetMissingValuesMetricResult,
)

__all__ = ["DatasetMissingValues", "DatasetMissingValuesMetric", "DatasetMissingValuesMetricResult"]
