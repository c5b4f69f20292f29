"""``SerendipityMetric``: relevant recommendations unlike the user's history (``metrics.recsys.serendipity``).

Per user with relevant top-k items and training interactions: ``1 - (sum over (training item, relevant
top-k item) pairs of their cosine similarity) / (number of training interactions)``; the value is the
mean over those users. Relevant: target above 0, or at least ``min_rel_score`` when given. Needs
``additional_data={"current_train_data": ...}`` with the ``item_features`` columns.

>>> import pandas as pd
>>> from monitorflow import ColumnMapping, Report
>>> data = pd.DataFrame({"user_id": [1, 1], "item_id": ["a", "b"], "prediction": [0.9, 0.5],
...                      "target": [1, 0], "f1": [1.0, 0.0], "f2": [0.0, 1.0]})
>>> train = pd.DataFrame({"user_id": [1, 1], "item_id": ["b", "c"], "f1": [0.0, 1.0], "f2": [1.0, 1.0]})
>>> report = Report(metrics=[SerendipityMetric(k=1, item_features=["f1", "f2"])])
>>> report.run(current_data=data, column_mapping=ColumnMapping(task="recsys"),
...            additional_data={"current_train_data": train})
>>> round(report.as_dict()["metrics"][0]["result"]["current_value"], 4)  # 1 - (0 + 1/sqrt(2)) / 2
0.6464
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import PositiveInt

from monitorflow._types import ColumnName
from monitorflow.context import RunContext, Side
from monitorflow.metrics.base import Metric
from monitorflow.metrics.recsys import _numbers, _role
from monitorflow.metrics.recsys.train_data import (
    UserValuesResult,
    item_column,
    item_vectors,
    top_k_mask,
    train_frame,
    user_column,
    user_values_result,
    vector_sums,
    zero_item_counts,
)


class SerendipityMetricResult(UserValuesResult):
    """Mean serendipity (``*_value``) and its distribution over users (``*_distr``)."""


class SerendipityMetric(Metric[SerendipityMetricResult]):
    """Unusualness (distance from the training history) times relevance of the top-k items."""

    result_type = SerendipityMetricResult
    group = "recsys"

    k: PositiveInt
    item_features: list[ColumnName]
    min_rel_score: float | None = None

    def per_user(self, ctx: RunContext, side: Side) -> pd.Series:
        user = user_column(ctx, "SerendipityMetric averages over users")
        item = item_column(ctx, "SerendipityMetric compares recommended items with the training items")
        target = _role(ctx, "target", "the relevance of each recommended item")
        train = train_frame(ctx, side, "SerendipityMetric", [user, item, *self.item_features])
        vectors = item_vectors(ctx, self.item_features, "SerendipityMetric")
        frame = ctx.data(side)
        relevance = np.nan_to_num(_numbers(frame[target], target, side, "relevance (target) values"))
        relevant = relevance >= self.min_rel_score if self.min_rel_score is not None else relevance > 0
        chosen = frame[relevant & top_k_mask(ctx, side, self.k)]
        codes, users = pd.factorize(pd.concat([chosen[user], train[user]], ignore_index=True))
        rec_users, train_users = codes[: len(chosen)], codes[len(chosen) :]
        rec_items, train_items = chosen[item].to_numpy(), train[item].to_numpy()
        n = len(users)
        similar = np.einsum(
            "ij,ij->i",
            vector_sums(vectors, rec_users, rec_items, n),
            vector_sums(vectors, train_users, train_items, n),
        )
        same_zero = pd.concat(
            [
                zero_item_counts(vectors, rec_users, rec_items),
                zero_item_counts(vectors, train_users, train_items),
            ],
            axis=1,
            join="inner",
        ).prod(axis=1)  # a zero-vector item in both lists: distance 0, similarity 1
        similar += np.bincount(
            same_zero.index.get_level_values("user").to_numpy(dtype=np.int64),
            weights=same_zero.to_numpy(dtype="float64"),
            minlength=n,
        )
        history = np.bincount(train_users, minlength=n)
        both = (np.bincount(rec_users, minlength=n) > 0) & (history > 0)
        order = np.argsort(np.asarray(users)[both], kind="stable")  # Evidently: users in sorted order
        return pd.Series((1 - similar[both] / np.where(both, history, 1)[both])[order])

    def calculate(self, ctx: RunContext) -> SerendipityMetricResult:
        reference = self.per_user(ctx, "reference") if ctx.has_reference else None
        return user_values_result(SerendipityMetricResult, self.k, self.per_user(ctx, "current"), reference)


__all__ = ["SerendipityMetric", "SerendipityMetricResult"]
