"""``ColumnDistributionMetric``: the distribution of one column on current (and reference) data.

Numerical: counts over shared bin edges (numpy's "doane" rule on the finite values of both datasets,
as Evidently). Categorical: counts of the ``TOP_CATEGORIES`` most frequent values (missing values as
``None``), the rest summed in ``other`` (Evidently keeps every category; here the size is bounded).
``as_dict()`` shows the column name only, as Evidently's; the distributions are render fields.

>>> import pandas as pd
>>> from monitorflow import Report
>>> report = Report(metrics=[ColumnDistributionMetric(column_name="x")])
>>> report.run(current_data=pd.DataFrame({"x": [1.0, 2.0, 2.0, 3.0]}))
>>> result = report.as_dict(include_render=True)["metrics"][0]["result"]
>>> result["current"]["y"], len(result["current"]["x"]) == len(result["current"]["y"]) + 1
([1, 2, 1], True)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from monitorflow._types import ColumnName
from monitorflow.column_mapping import ColumnType
from monitorflow.column_stats import TOP_CATEGORIES, to_float_array, top_counts
from monitorflow.context import RunContext, Side
from monitorflow.metrics.base import Metric, MetricResult
from monitorflow.metrics.classification_data import sides


class Distribution(MetricResult):
    """``x``: bin edges (numerical; one more than ``y``) or values (categorical); ``y``: counts."""

    x: list[Any]
    y: list[int]
    other: int = 0


class ColumnDistributionMetricResult(MetricResult):
    render_fields = frozenset({"current", "reference"})

    column_name: ColumnName
    current: Distribution
    reference: Distribution | None = None


def _categorical(series: pd.Series) -> Distribution:
    counts = series.value_counts(dropna=False)
    counts = counts[counts > 0]
    values, numbers, other = top_counts(counts, TOP_CATEGORIES)
    return Distribution(x=[None if pd.isna(v) else v for v in values], y=numbers, other=other)


class ColumnDistributionMetric(Metric[ColumnDistributionMetricResult]):
    """Counts per bin (numerical) or per value (categorical) of one column."""

    result_type = ColumnDistributionMetricResult
    column_name: ColumnName

    def calculate(self, ctx: RunContext) -> ColumnDistributionMetricResult:
        kind = ctx.require_column(self.column_name, f"{self.type_name}.column_name")
        present: list[Side] = sides(ctx)
        if kind == ColumnType.NUMERICAL:
            values = {s: to_float_array(ctx.data(s)[self.column_name]) for s in present}
            finite = np.concatenate([v[np.isfinite(v)] for v in values.values()])
            edges = np.histogram_bin_edges(finite, bins="doane")
            out = {
                s: Distribution(x=edges.tolist(), y=np.histogram(v[np.isfinite(v)], edges)[0].tolist())
                for s, v in values.items()
            }
        else:
            out = {s: _categorical(ctx.data(s)[self.column_name]) for s in present}
        return ColumnDistributionMetricResult(
            column_name=self.column_name, current=out["current"], reference=out.get("reference")
        )
