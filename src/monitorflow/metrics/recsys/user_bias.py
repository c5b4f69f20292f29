"""``UserBiasMetric``: a feature of the users served vs the training users (``metrics.recsys.user_bias``).

The distribution of ``column_name`` over the distinct users of the recommendations (the last row of
each) beside its distribution over the distinct training users. Both are render fields: ``as_dict()``
shows ``column_name``, as Evidently's. Needs ``additional_data={"current_train_data": ...}``.

>>> import pandas as pd
>>> from monitorflow import ColumnMapping, Report
>>> data = pd.DataFrame({"user_id": [1, 1, 2], "item_id": ["a", "b", "a"], "prediction": [0.9, 0.5, 0.4],
...                      "age": [20.0, 20.0, 30.0]})
>>> train = pd.DataFrame({"user_id": [1, 3], "item_id": ["a", "a"], "age": [20.0, 50.0]})
>>> report = Report(metrics=[UserBiasMetric(column_name="age")])
>>> report.run(current_data=data, column_mapping=ColumnMapping(task="recsys"),
...            additional_data={"current_train_data": train})
>>> sum(report.result(UserBiasMetric(column_name="age")).current_distr.y)
2
"""

from __future__ import annotations

import pandas as pd

from monitorflow._types import ColumnName
from monitorflow.context import RunContext, Side
from monitorflow.metrics.recsys.train_data import BiasMetric, BiasResult, user_column


class UserBiasMetricResult(BiasResult):
    pass


class UserBiasMetric(BiasMetric[UserBiasMetricResult]):
    """How a feature of the users who got recommendations compares with the training users."""

    result_type = UserBiasMetricResult

    column_name: ColumnName

    def key_column(self, ctx: RunContext) -> ColumnName:
        return user_column(ctx, "UserBiasMetric counts each user once")

    def recommended(self, ctx: RunContext, side: Side) -> pd.Series:
        frame = ctx.data(side)
        return frame.drop_duplicates(subset=[self.key_column(ctx)], keep="last")[self.column_name]


__all__ = ["UserBiasMetric", "UserBiasMetricResult"]
