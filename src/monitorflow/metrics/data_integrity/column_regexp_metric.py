"""Evidently's import path ``metrics.data_integrity.column_regexp_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.data_integrity import (
    ColumnRegExpMetric,
    DataIntegrityValueByRegexpMetricResult,
    DataIntegrityValueByRegexpStat,
)

__all__ = ["ColumnRegExpMetric", "DataIntegrityValueByRegexpMetricResult", "DataIntegrityValueByRegexpStat"]
