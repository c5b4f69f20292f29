"""Evidently's import path ``metrics.data_integrity.column_summary_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.data_integrity import (
    CategoricalCharacteristics,
    ColumnCharacteristics,
    ColumnSummaryMetric,
    ColumnSummaryResult,
    DatetimeCharacteristics,
    NumericCharacteristics,
    TextCharacteristics,
)

__all__ = [
    "CategoricalCharacteristics",
    "ColumnCharacteristics",
    "ColumnSummaryMetric",
    "ColumnSummaryResult",
    "DatetimeCharacteristics",
    "NumericCharacteristics",
    "TextCharacteristics",
]
