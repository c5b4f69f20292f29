"""``ItemBiasMetric``: a feature of the top-k items vs the training items (``metrics.recsys.item_bias``).

The distribution of ``column_name`` over the rows ranked within k, beside its distribution over the
distinct training items (the last row of each item). Both are render fields: ``as_dict()`` shows
``k`` and ``column_name``, as Evidently's. Needs ``additional_data={"current_train_data": ...}`` with
the column. Evidently deduplicates the reference training data by user; here by item on both sides.

>>> import pandas as pd
>>> from monitorflow import ColumnMapping, Report
>>> data = pd.DataFrame({"user_id": [1, 1], "item_id": ["a", "b"], "prediction": [0.9, 0.5],
...                      "genre": ["x", "y"]})
>>> train = pd.DataFrame({"user_id": [1, 2], "item_id": ["a", "a"], "genre": ["x", "x"]})
>>> report = Report(metrics=[ItemBiasMetric(k=1, column_name="genre")])
>>> report.run(current_data=data, column_mapping=ColumnMapping(task="recsys"),
...            additional_data={"current_train_data": train})
>>> report.result(ItemBiasMetric(k=1, column_name="genre")).current_train_distr.y
[1]
"""

from __future__ import annotations

import pandas as pd
from pydantic import PositiveInt

from monitorflow._types import ColumnName
from monitorflow.context import RunContext, Side
from monitorflow.metrics.base import MetricResult
from monitorflow.metrics.recsys.train_data import BiasMetric, BiasResult, item_column, top_k_mask


class _TopK(MetricResult):
    k: int


class ItemBiasMetricResult(BiasResult, _TopK):
    """``k`` first, as Evidently's."""


class ItemBiasMetric(BiasMetric[ItemBiasMetricResult]):
    """How a feature of the recommended items compares with the items users interacted with."""

    result_type = ItemBiasMetricResult

    k: PositiveInt
    column_name: ColumnName

    def key_column(self, ctx: RunContext) -> ColumnName:
        return item_column(ctx, "ItemBiasMetric counts each training item once")

    def recommended(self, ctx: RunContext, side: Side) -> pd.Series:
        return ctx.data(side)[self.column_name][top_k_mask(ctx, side, self.k)]

    def extra(self) -> dict[str, int]:
        return {"k": self.k}


__all__ = ["ItemBiasMetric", "ItemBiasMetricResult"]
