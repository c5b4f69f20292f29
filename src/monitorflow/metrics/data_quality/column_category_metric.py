"""Evidently's import path ``metrics.data_quality.column_category_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.data_quality import (
    CategoryStat,
    ColumnCategoryMetric,
    ColumnCategoryMetricResult,
    CountOfValues,
)

__all__ = ["CategoryStat", "ColumnCategoryMetric", "ColumnCategoryMetricResult", "CountOfValues"]
