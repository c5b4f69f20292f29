"""``PopularityBias``: how popular in training the top-k items are (``metrics.recsys.popularity_bias``).

- ARP (``*_apr``): an item's popularity is the number of distinct training users who interacted with
  it (divided by the largest such number with ``normalize_arp=True``); per user the mean over its
  top-k items seen in training, then the mean over users.
- coverage: the share of training items that are among anyone's top-k items.
- gini: the Gini index of how often each item is in a top-k list (0: all equally often; NaN with
  fewer than two items).

Needs ``additional_data={"current_train_data": ...}``. Evidently's reference coverage counts every
reference item, not only the top-k ones present in training; here both sides use the definition above.

>>> import pandas as pd
>>> from monitorflow import ColumnMapping, Report
>>> data = pd.DataFrame({"user_id": [1, 1, 2, 2], "item_id": ["a", "b", "a", "c"],
...                      "prediction": [2, 1, 2, 1]})
>>> train = pd.DataFrame({"user_id": [1, 2, 3, 3], "item_id": ["a", "a", "b", "d"]})
>>> report = Report(metrics=[PopularityBias(k=1)])
>>> report.run(current_data=data, column_mapping=ColumnMapping(task="recsys"),
...            additional_data={"current_train_data": train})
>>> result = report.as_dict()["metrics"][0]["result"]
>>> result["current_apr"], result["current_coverage"]
(2.0, 0.3333333333333333)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from pydantic import PositiveInt

from monitorflow._types import Float
from monitorflow.context import RunContext, Side
from monitorflow.metrics.base import Metric, MetricResult
from monitorflow.metrics.column_distribution import Distribution
from monitorflow.metrics.recsys.train_data import (
    distributions,
    item_column,
    top_k_mask,
    train_frame,
    user_column,
    users_per_item,
)


class PopularityBiasResult(MetricResult):
    render_fields = frozenset({"current_distr", "reference_distr"})

    k: int
    normalize_arp: bool
    current_apr: Float
    current_coverage: Float
    current_gini: Float
    current_distr: Distribution
    reference_apr: Float | None = None
    reference_coverage: Float | None = None
    reference_gini: Float | None = None
    reference_distr: Distribution | None = None


def gini_index(counts: np.ndarray) -> float:
    """Gini index of non-negative counts (NaN for fewer than two)."""
    n = counts.size
    if n < 2:
        return math.nan
    ordered = np.sort(counts.astype("float64"))
    return float(np.sum((2 * np.arange(1, n + 1) - n - 1) * ordered) / ((n - 1) * ordered.sum()))


class PopularityBias(Metric[PopularityBiasResult]):
    """Average recommendation popularity, catalogue coverage and Gini index of the top-k items."""

    result_type = PopularityBiasResult
    group = "recsys"

    k: PositiveInt
    normalize_arp: bool = False

    def _side(self, ctx: RunContext, side: Side) -> tuple[float, float, float, pd.Series]:
        user = user_column(ctx, "PopularityBias averages over users")
        item = item_column(ctx, "PopularityBias looks up each recommended item in the training data")
        popularity = users_per_item(train_frame(ctx, side, "PopularityBias", [user, item]), user, item)
        frame = ctx.data(side)[top_k_mask(ctx, side, self.k)]
        scale = popularity.max() if self.normalize_arp else 1
        per_row = frame[item].map(popularity / scale)
        known = per_row.notna()
        arp = per_row[known].groupby(frame[user][known], sort=False).mean().mean()
        recommended = frame[item].value_counts()
        coverage = np.isin(popularity.index, recommended.index).sum() / len(popularity)
        return float(arp), float(coverage), gini_index(recommended.to_numpy()), per_row[known]

    def calculate(self, ctx: RunContext) -> PopularityBiasResult:
        apr, coverage, gini, rows = self._side(ctx, "current")
        out: dict[str, Any] = {"current_apr": apr, "current_coverage": coverage, "current_gini": gini}
        reference_rows = None
        if ctx.has_reference:
            apr, coverage, gini, reference_rows = self._side(ctx, "reference")
            out |= {"reference_apr": apr, "reference_coverage": coverage, "reference_gini": gini}
        current_distr, reference_distr = distributions("num", rows, reference_rows)
        return PopularityBiasResult(
            k=self.k,
            normalize_arp=self.normalize_arp,
            current_distr=current_distr,
            reference_distr=reference_distr,
            **out,
        )


__all__ = ["PopularityBias", "PopularityBiasResult", "gini_index"]
