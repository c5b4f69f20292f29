"""``RecCasesTable``: the recommendations of a few users, beside their last training interactions
(Evidently's ``metrics.recsys.rec_examples``).

Users: ``user_ids`` when given; else the first five (in sorted order) present in the current data, the
training data and the reference data (when given); else the first five users of the current data.
Per user, ``current`` (and ``reference``) lists the rows best first, as ``{column: text}`` with the
prediction, the item and the ``display_features`` (at most ``item_num`` rows); ``current_train`` the
last ``train_item_num`` items of the training data (by the datetime column when mapped). Evidently's
``as_dict()`` shows each user's rows as the text of a DataFrame; here as a list of rows.

>>> import pandas as pd
>>> from monitorflow import ColumnMapping, Report
>>> data = pd.DataFrame({"user_id": [1, 1], "item_id": ["a", "b"], "prediction": [0.5, 0.9]})
>>> report = Report(metrics=[RecCasesTable()])
>>> report.run(current_data=data, column_mapping=ColumnMapping(task="recsys"))
>>> report.as_dict()["metrics"][0]["result"]["current"]["1"][0]
{'prediction': '0.9', 'item_id': 'b'}
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import PositiveInt

from monitorflow._types import ColumnName
from monitorflow.context import RunContext, Side
from monitorflow.metrics.base import Metric, MetricResult
from monitorflow.metrics.recsys import _role
from monitorflow.metrics.recsys.train_data import TRAIN_KEYS, item_column, user_column

#: Users shown when ``user_ids`` is not given.
DEFAULT_USERS = 5


class RecCasesTableResults(MetricResult):
    user_ids: list[str]
    current: dict[str, list[dict[str, str]]]
    current_train: dict[str, list[str]] = {}
    reference: dict[str, list[dict[str, str]]] = {}
    reference_train: dict[str, list[str]] = {}


class RecCasesTable(Metric[RecCasesTableResults]):
    """Example recommendations of a few users, for reading next to the metrics."""

    result_type = RecCasesTableResults
    group = "recsys"

    user_ids: list[int | str] | None = None
    display_features: list[ColumnName] | None = None
    train_item_num: PositiveInt = 10
    item_num: PositiveInt | None = None

    def _users(self, ctx: RunContext, user: ColumnName) -> list[Any]:
        if self.user_ids is not None:
            return list(self.user_ids)
        current = ctx.data("current")[user]
        train = ctx.additional_data.get(TRAIN_KEYS["current"])
        if train is not None and user in train.columns:
            common = np.intersect1d(current, train[user])
            if ctx.has_reference:
                common = np.intersect1d(common, ctx.data("reference")[user])
            if common.size:
                return common[:DEFAULT_USERS].tolist()
        return list(current.unique()[:DEFAULT_USERS])

    def _rows(self, ctx: RunContext, side: Side, user: ColumnName, users: list[Any]) -> dict[str, Any]:
        prediction = _role(ctx, "prediction", "RecCasesTable orders each user's items by it")
        columns = [
            prediction,
            item_column(ctx, "RecCasesTable lists the items"),
            *(self.display_features or []),
        ]
        ascending = ctx.definition.recommendations_type == "rank"
        frame = ctx.data(side).sort_values(prediction, ascending=ascending, kind="stable")
        out = {}
        for value in users:
            rows = frame.loc[frame[user] == value, columns].astype(str)
            out[str(value)] = rows.iloc[: self.item_num].to_dict("records")
        return out

    def _history(
        self, ctx: RunContext, side: Side, user: ColumnName, users: list[Any]
    ) -> dict[str, list[str]]:
        train = ctx.additional_data.get(TRAIN_KEYS[side])
        if train is None:
            return {}
        item = item_column(ctx, "RecCasesTable lists the training items")
        moment = ctx.definition.datetime
        if moment is not None and moment in train.columns:
            train = train.sort_values(moment, kind="stable")
        return {
            str(v): train.loc[train[user] == v, item].astype(str).iloc[-self.train_item_num :].tolist()
            for v in users
        }

    def calculate(self, ctx: RunContext) -> RecCasesTableResults:
        user = user_column(ctx, "RecCasesTable shows recommendations per user")
        users = self._users(ctx, user)
        out: dict[str, Any] = {"current": self._rows(ctx, "current", user, users)}
        out["current_train"] = self._history(ctx, "current", user, users)
        if ctx.has_reference:
            out["reference"] = self._rows(ctx, "reference", user, users)
            out["reference_train"] = self._history(ctx, "reference", user, users)
        return RecCasesTableResults(user_ids=[str(v) for v in users], **out)


__all__ = ["RecCasesTable", "RecCasesTableResults"]
