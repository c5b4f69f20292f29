"""Regression values along time: Evidently's ``RegressionPredictedVsActualPlot``, ``RegressionErrorPlot``
and ``RegressionAbsPercentageErrorPlot``, kept as bounded aggregates.

Evidently keeps either every point (``raw_data=True``) or the mean and std per period of the datetime
column (or per index bin); these keep the aggregated form always (:mod:`monitorflow.metrics.over_time`),
so a snapshot's size does not grow with rows. Evidently's ``as_dict()`` shows nothing of them (their
results are render data); here too, ``as_dict(include_render=True)`` shows the aggregates.

Values: ``Predicted`` and ``Actual``; ``Predicted - Actual``; ``Absolute Percentage Error``
= ``100 * |prediction - target| / target`` (Evidently's formula: a negative target gives a negative
value, a zero target an infinite one, which is left out and counted).

>>> import pandas as pd
>>> from monitorflow import Report
>>> frame = pd.DataFrame({"target": [1.0, 2.0, 4.0, 5.0], "prediction": [1.5, 2.0, 3.0, 5.5]})
>>> report = Report(metrics=[RegressionErrorPlot()])
>>> report.run(current_data=frame)
>>> report.as_dict()["metrics"][0]["result"]
{}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

import numpy as np
import pandas as pd

from monitorflow.context import RunContext, Side
from monitorflow.metrics.classification_data import sides
from monitorflow.metrics.over_time import TimeAxis, ValueSeries, axis_columns, series_over_time
from monitorflow.metrics.regression_base import _RegressionMetric
from monitorflow.metrics.regression_data import regression_data


class RegressionOverTimeResults(TimeAxis):
    """Per value name (``Predicted``, ``Actual``...): its series on current and, with reference data,
    on reference."""

    render_fields = frozenset(
        {"datetime_column_name", "x_axis", "prefix", "index_edges", "current", "reference"}
    )

    current: dict[str, ValueSeries]
    reference: dict[str, ValueSeries] | None = None


class _OverTimeMetric(_RegressionMetric[RegressionOverTimeResults]):
    result_type = RegressionOverTimeResults
    names: ClassVar[tuple[str, ...]]

    def values(self, y: np.ndarray, p: np.ndarray) -> dict[str, np.ndarray]:
        """The named values of rows from their target and prediction (NaN where a row was dropped)."""
        raise NotImplementedError

    def chunks(self, ctx: RunContext, side: Side) -> Iterator[tuple[pd.DataFrame, dict[str, np.ndarray]]]:
        data = regression_data(ctx, side)
        for chunk in data.chunks(ctx, axis_columns(ctx)):
            y, p = np.full(chunk.kept.size, np.nan), np.full(chunk.kept.size, np.nan)
            y[chunk.kept], p[chunk.kept] = chunk.y, chunk.p
            yield chunk.frame, self.values(y, p)

    def calculate(self, ctx: RunContext) -> RegressionOverTimeResults:
        present = sides(ctx)
        data = regression_data(ctx, "current")
        key = f"{self.type_name}:{data.target!r}:{data.prediction!r}"  # what the chunks depend on
        axis, series = series_over_time(ctx, present, list(self.names), lambda s: self.chunks(ctx, s), key)
        per_side = {s: {name: series[name][s] for name in self.names} for s in present}
        return RegressionOverTimeResults(
            **axis.model_dump(), current=per_side["current"], reference=per_side.get("reference")
        )


class RegressionPredictedVsActualPlot(_OverTimeMetric):
    """Mean and std of prediction and target per period (or index bin)."""

    names = ("Predicted", "Actual")

    def values(self, y: np.ndarray, p: np.ndarray) -> dict[str, np.ndarray]:
        return {"Predicted": p, "Actual": y}


class RegressionErrorPlot(_OverTimeMetric):
    """Mean and std of the error (prediction - target) per period (or index bin)."""

    names = ("Predicted - Actual",)

    def values(self, y: np.ndarray, p: np.ndarray) -> dict[str, np.ndarray]:
        return {"Predicted - Actual": p - y}


class RegressionAbsPercentageErrorPlot(_OverTimeMetric):
    """Mean and std of the absolute percentage error per period (or index bin)."""

    names = ("Absolute Percentage Error",)

    def values(self, y: np.ndarray, p: np.ndarray) -> dict[str, np.ndarray]:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return {"Absolute Percentage Error": 100 * np.abs(p - y) / y}


__all__ = ["RegressionAbsPercentageErrorPlot", "RegressionErrorPlot", "RegressionPredictedVsActualPlot"]
