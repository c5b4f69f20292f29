"""``DiversityMetric``: intra-list diversity of each user's top-k items.

Evidently's import path ``metrics.recsys.diversity``.

Per user: the sum of the cosine distances between every pair of its top-k items, divided by the number
of those items (Evidently's definition, not the number of pairs); the value is the mean over users.
Items are described by ``item_features``, numerical columns of the recommendation frames (see
:mod:`monitorflow.metrics.recsys.train_data`).

>>> import pandas as pd
>>> from monitorflow import ColumnMapping, Report
>>> data = pd.DataFrame({"user_id": [1, 1], "item_id": ["a", "b"], "prediction": [0.9, 0.5],
...                      "f1": [1.0, 0.0], "f2": [0.0, 1.0]})
>>> report = Report(metrics=[DiversityMetric(k=2, item_features=["f1", "f2"])])
>>> report.run(current_data=data, column_mapping=ColumnMapping(task="recsys"))
>>> report.as_dict()["metrics"][0]["result"]["current_value"]
0.5
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import PositiveInt

from monitorflow._types import ColumnName
from monitorflow.context import RunContext, Side
from monitorflow.metrics.base import Metric
from monitorflow.metrics.recsys import rankings
from monitorflow.metrics.recsys.train_data import (
    UserValuesResult,
    item_column,
    item_vectors,
    top_k_mask,
    user_values_result,
    vector_sums,
    zero_item_counts,
)


class DiversityMetricResult(UserValuesResult):
    """Mean intra-list diversity (``*_value``) and its distribution over users (``*_distr``)."""


class DiversityMetric(Metric[DiversityMetricResult]):
    """Intra-list diversity: how different from each other the items recommended to one user are."""

    result_type = DiversityMetricResult
    group = "recsys"

    k: PositiveInt
    item_features: list[ColumnName]

    def per_user(self, ctx: RunContext, side: Side) -> pd.Series:
        item = item_column(ctx, "DiversityMetric compares the items recommended to each user")
        vectors = item_vectors(ctx, self.item_features, "DiversityMetric")
        r = rankings(ctx, side)
        top = top_k_mask(ctx, side, self.k)
        users, items = r.user[top], ctx.data(side)[item].to_numpy()[top]
        sums = vector_sums(vectors, users, items, r.n_users)
        sizes = np.bincount(users, minlength=r.n_users).astype("float64")
        nonzero = np.bincount(users, weights=~vectors.zero[vectors.positions(items)], minlength=r.n_users)
        similar = (np.einsum("ij,ij->i", sums, sums) - nonzero) / 2  # sum of cosines over pairs
        zero_pairs = zero_item_counts(vectors, users, items)
        same_zero = np.bincount(
            zero_pairs.index.get_level_values("user").to_numpy(dtype=np.int64),
            weights=(zero_pairs * (zero_pairs - 1) / 2).to_numpy(dtype="float64"),
            minlength=r.n_users,
        )  # one zero-vector item twice: distance 0, not 1
        distance = np.maximum(sizes * (sizes - 1) / 2 - similar - same_zero, 0)  # rounding below 0
        listed = sizes > 0
        return pd.Series(distance[listed] / sizes[listed])

    def calculate(self, ctx: RunContext) -> DiversityMetricResult:
        reference = self.per_user(ctx, "reference") if ctx.has_reference else None
        return user_values_result(DiversityMetricResult, self.k, self.per_user(ctx, "current"), reference)


__all__ = ["DiversityMetric", "DiversityMetricResult"]
