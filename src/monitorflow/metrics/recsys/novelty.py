"""``NoveltyMetric``: mean inverse user frequency of the top-k items (Evidently's ``metrics.recsys.novelty``).

An item's novelty is ``-log2(share of training users who interacted with it)``; per user, the mean over
its top-k items that appear in the training data; the value is the mean over users. Needs
``additional_data={"current_train_data": ...}`` (see :mod:`monitorflow.metrics.recsys.train_data`).

>>> import pandas as pd
>>> from monitorflow import ColumnMapping, Report
>>> data = pd.DataFrame({"user_id": [1, 1], "item_id": ["a", "b"], "prediction": [0.9, 0.5]})
>>> train = pd.DataFrame({"user_id": [1, 2, 3, 4], "item_id": ["a", "a", "b", "c"]})
>>> report = Report(metrics=[NoveltyMetric(k=2)])
>>> report.run(current_data=data, column_mapping=ColumnMapping(task="recsys"),
...            additional_data={"current_train_data": train})
>>> report.as_dict()["metrics"][0]["result"]["current_value"]  # mean of -log2(2/4), -log2(1/4)
1.5
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import PositiveInt

from monitorflow.context import RunContext, Side
from monitorflow.metrics.base import Metric
from monitorflow.metrics.recsys.train_data import (
    UserValuesResult,
    item_column,
    top_k_mask,
    train_frame,
    user_column,
    user_values_result,
    users_per_item,
)


class NoveltyMetricResult(UserValuesResult):
    """Mean novelty (``*_value``) and its distribution over users (``*_distr``)."""


class NoveltyMetric(Metric[NoveltyMetricResult]):
    """Mean inverse user frequency: how rarely the recommended items were seen in training."""

    result_type = NoveltyMetricResult
    group = "recsys"

    k: PositiveInt

    def per_user(self, ctx: RunContext, side: Side) -> pd.Series:
        user = user_column(ctx, "NoveltyMetric averages over users")
        item = item_column(ctx, "NoveltyMetric looks up each recommended item in the training data")
        train = train_frame(ctx, side, "NoveltyMetric", [user, item])
        share = users_per_item(train, user, item) / train[user].nunique()
        frame = ctx.data(side)[top_k_mask(ctx, side, self.k)]
        with np.errstate(divide="ignore"):
            novelty = -np.log2(frame[item].map(share).to_numpy(dtype="float64"))
        known = np.isfinite(novelty)
        return pd.Series(novelty[known]).groupby(frame[user].to_numpy()[known], sort=False).mean()

    def calculate(self, ctx: RunContext) -> NoveltyMetricResult:
        reference = self.per_user(ctx, "reference") if ctx.has_reference else None
        return user_values_result(NoveltyMetricResult, self.k, self.per_user(ctx, "current"), reference)


__all__ = ["NoveltyMetric", "NoveltyMetricResult"]
