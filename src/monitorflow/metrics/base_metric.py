"""Evidently's ``metrics.base_metric``: base classes of metrics and ``generate_column_metrics``.

>>> from monitorflow.metrics import ColumnSummaryMetric
>>> generate_column_metrics(ColumnSummaryMetric, columns=["age"]).generate(None)[0].column_name
'age'
"""

from __future__ import annotations

from typing import Any

from monitorflow.context import RunContext as InputData
from monitorflow.metrics.base import Metric, MetricPreset, MetricResult
from monitorflow.utils.generators import BaseGenerator, ColumnsGenerator


def generate_column_metrics(
    metric_class: type[Metric[Any]],
    columns: str | list[Any] | None = None,
    parameters: dict[str, Any] | None = None,
    skip_id_column: bool = False,
) -> ColumnsGenerator[Metric[Any]]:
    """One ``metric_class(column_name=c, **parameters)`` per selected column (see
    :mod:`monitorflow.utils.generators` for ``columns``)."""
    return ColumnsGenerator(metric_class, columns, parameters)


__all__ = ["BaseGenerator", "InputData", "Metric", "MetricPreset", "MetricResult", "generate_column_metrics"]
