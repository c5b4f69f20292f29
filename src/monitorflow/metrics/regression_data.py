"""Target and prediction of one dataset of a regression run, summarised in passes over chunks of rows.

The rows come in chunks (:meth:`RunContext.frames <monitorflow.context.RunContext.frames>`: the
whole frame in memory, each partition out of core). One pass keeps, for the target, the prediction,
the error ``prediction - target``, the absolute error and the absolute percentage error, their
counts, moments (Chan's merge) and bounds; the error and the target are sorted when an order
statistic is first needed (:meth:`RunContext.sorted_derived`). Every regression formula reads these
summaries or streams the sorted values, so a DataFrame and a lazy source give the same numbers and
nothing is held per row out of core. Rows whose target or prediction is missing or infinite are
dropped and counted.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from monitorflow._types import ColumnName
from monitorflow.column_stats import NumericalStats, to_float_array
from monitorflow.context import RunContext, Side
from monitorflow.errors import ColumnTypeError, ConfigurationError, InputDataError
from monitorflow.metrics.classification_data import dataset_name, role_column
from monitorflow.moments import Moments
from monitorflow.sorted_values import RUN_BLOCK, Sorted, read_block, value_blocks

#: Targets smaller than this in absolute value count as 0 in percentage errors (float64 epsilon, the
#: floor scikit-learn puts under the denominator).
ZERO_TARGET = float(np.finfo(np.float64).eps)
#: The values summarised per dataset; the first two are also sorted.
SORTED = ("error", "target")
DERIVED = (*SORTED, "prediction", "abs_error", "abs_perc_error")


def _role(ctx: RunContext, role: str, user: str) -> ColumnName:
    definition = ctx.definition
    if role == "prediction" and definition.prediction_probas:
        raise ConfigurationError(
            f"{user} needs one prediction column, but "
            f"ColumnMapping(prediction={definition.prediction_probas!r}) "
            "lists several (class probabilities); pass prediction='your prediction column'",
            argument="prediction",
        )
    return role_column(ctx, role, user)


def numbers(series: pd.Series, column: ColumnName, dataset: str) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        return to_float_array(series)
    converted = pd.to_numeric(series, errors="coerce")
    bad = converted.isna() & series.notna()
    if bad.any():
        raise ColumnTypeError(
            column,
            dataset,
            "numerical",
            series[bad].iloc[0],
            fix=(
                f"regression metrics need numbers: convert it with pd.to_numeric(df[{column!r}], "
                "errors='coerce'), "
                "or use the classification metrics for class labels"
            ),
        )
    return to_float_array(converted)


def derived_values(y: np.ndarray, p: np.ndarray) -> dict[str, np.ndarray]:
    """The summarised values of kept rows: target, prediction, error, |error| and |error| / |target|
    (rows with a 0 target left out of the last)."""
    error = p - y
    abs_error = np.abs(error)
    nonzero = np.abs(y) >= ZERO_TARGET
    return {
        "target": y,
        "prediction": p,
        "error": error,
        "abs_error": abs_error,
        "abs_perc_error": abs_error[nonzero] / np.abs(y[nonzero]),
    }


def error_groups(error: np.ndarray, low: float, high: float) -> np.ndarray:
    """0: underestimation (error <= low), 2: overestimation (error >= high), 1: the majority."""
    groups = np.ones(error.size, dtype=np.int64)
    groups[error >= high] = 2
    groups[error <= low] = 0
    return groups


@dataclass
class Chunk:
    """One chunk of rows: its frame (all rows), the kept rows' mask, target and prediction."""

    frame: pd.DataFrame
    kept: np.ndarray
    y: np.ndarray
    p: np.ndarray


@dataclass(eq=False)
class RegressionData:
    """Summaries of one dataset's target and prediction (see the module docstring)."""

    side: Side
    target: ColumnName
    prediction: ColumnName
    number_of_rows: int
    number_of_dropped_rows: int
    #: Rows with the prediction below / above the target.
    underestimated: int
    overestimated: int
    values: dict[str, NumericalStats]

    @property
    def n(self) -> int:
        return self.values["error"].finite_count

    @property
    def error(self) -> NumericalStats:
        return self.values["error"]

    @property
    def y(self) -> NumericalStats:
        return self.values["target"]

    @property
    def p(self) -> NumericalStats:
        return self.values["prediction"]

    @property
    def abs_error(self) -> NumericalStats:
        return self.values["abs_error"]

    @property
    def abs_perc_error(self) -> NumericalStats:
        return self.values["abs_perc_error"]

    @property
    def zero_targets(self) -> int:
        return self.n - self.abs_perc_error.finite_count

    def chunks(self, ctx: RunContext, columns: Sequence[ColumnName] = ()) -> Iterator[Chunk]:
        """The rows again, chunk by chunk, with ``columns`` besides the target and prediction."""
        dataset = dataset_name(self.side)
        for frame in ctx.frames(self.side, [self.target, self.prediction, *columns]):
            y = numbers(frame[self.target], self.target, dataset)
            p = numbers(frame[self.prediction], self.prediction, dataset)
            kept = np.isfinite(y) & np.isfinite(p)
            yield Chunk(frame, kept, y[kept], p[kept])

    def thresholds(self, top_error: float) -> tuple[float, float]:
        """The error quantiles at ``top_error`` and ``1 - top_error`` that bound the error groups."""
        return self.error.quantile(top_error), self.error.quantile(1 - top_error)

    def group_moments(self, top_error: float) -> list[Moments]:
        """Moments of the error in each group (under, majority, over): ranges of the sorted errors."""
        ordered = self.error.sorted_finite
        low, high = self.thresholds(top_error)
        under_end = int(ordered.searchsorted(low, side="right"))
        over_start = max(int(ordered.searchsorted(high, side="left")), under_end)
        bounds = (0, under_end, over_start, self.n)
        return [range_moments(ordered, bounds[i], bounds[i + 1]) for i in range(3)]


def range_moments(ordered: Sorted, start: int, stop: int) -> Moments:
    """Moments of the values of ranks ``start`` .. ``stop - 1``, read block by block."""
    total = Moments()
    for begin in range(start, stop, RUN_BLOCK):
        total = total.merge(Moments.of(read_block(ordered, begin, min(RUN_BLOCK, stop - begin))))
    return total


def kept_pairs(
    frame: pd.DataFrame, target: ColumnName, prediction: ColumnName, dataset: str
) -> tuple[np.ndarray, np.ndarray]:
    """Target and prediction of the rows where both are finite (the rows the metrics keep)."""
    y, p = numbers(frame[target], target, dataset), numbers(frame[prediction], prediction, dataset)
    kept = np.isfinite(y) & np.isfinite(p)
    return y[kept], p[kept]


@dataclass(frozen=True)
class RegressionSums:
    """Counts, moments and bounds of the derived values of some rows; ``a.merge(b)`` merges them
    (Chan's merge of the moments), so partitions can be summarised anywhere and merged in order."""

    rows: int
    under: int  # rows with the prediction below the target
    over: int
    moments: dict[str, Moments]
    low: dict[str, float]
    high: dict[str, float]

    @classmethod
    def of(
        cls, frame: pd.DataFrame, target: ColumnName, prediction: ColumnName, dataset: str
    ) -> RegressionSums:
        y, p = kept_pairs(frame, target, prediction, dataset)
        values = derived_values(y, p)
        return cls(
            rows=len(frame.index),
            under=int(np.count_nonzero(values["error"] < 0)),
            over=int(np.count_nonzero(values["error"] > 0)),
            moments={name: Moments.of(array) for name, array in values.items()},
            low={name: float(array.min()) if array.size else math.inf for name, array in values.items()},
            high={name: float(array.max()) if array.size else -math.inf for name, array in values.items()},
        )

    def merge(self, other: RegressionSums) -> RegressionSums:
        return RegressionSums(
            self.rows + other.rows,
            self.under + other.under,
            self.over + other.over,
            {name: m.merge(other.moments[name]) for name, m in self.moments.items()},
            {name: min(v, other.low[name]) for name, v in self.low.items()},
            {name: max(v, other.high[name]) for name, v in self.high.items()},
        )


def errors_and_targets(
    frame: pd.DataFrame, target: ColumnName, prediction: ColumnName, dataset: str
) -> dict[str, np.ndarray]:
    """The error and the target of the rows kept (the samples sorted for quantiles; picklable)."""
    y, p = kept_pairs(frame, target, prediction, dataset)
    return {"error": p - y, "target": y}


def regression_data(ctx: RunContext, side: Side, user: str = "regression metrics") -> RegressionData:
    """Summaries of one dataset's target and prediction, once per run (one pass over its rows)."""

    def compute() -> RegressionData:
        target = _role(ctx, "target", user)
        prediction = _role(ctx, "prediction", user)
        ctx.require_column(target, "column_mapping.target")
        ctx.require_column(prediction, "column_mapping.prediction")
        summarize = partial(
            RegressionSums.of, target=target, prediction=prediction, dataset=dataset_name(side)
        )
        name = f"regression:{target!r}:{prediction!r}"
        sums = ctx.summary(side, name, [target, prediction], summarize, RegressionSums.merge, dtypes=True)
        moments, low, high, rows = dict(sums.moments), sums.low, sums.high, sums.rows
        n = moments["error"].count
        if n == 0:
            raise InputDataError(
                f"{dataset_name(side)} has no row with both a target ({target!r}) and a prediction "
                f"({prediction!r}); all {rows} rows have a missing or infinite value in one of them"
            )
        sizes = {name: n for name in SORTED}

        derive = partial(errors_and_targets, target=target, prediction=prediction, dataset=dataset_name(side))

        def loader(name: str) -> Any:
            return lambda: ctx.sorted_derived(side, "regression", [target, prediction], derive, sizes)[name]

        for name in DERIVED:  # equal values: their mean and spread exactly, whatever the rounding
            if moments[name].count and low[name] == high[name]:
                moments[name] = Moments(moments[name].count, low[name], 0.0)
        stats = {
            name: NumericalStats.from_summary(
                rows=moments[name].count,
                missing=0,
                positive_infinite=0,
                negative_infinite=0,
                finite_count=moments[name].count,
                mean=moments[name].mean,
                m2=moments[name].m2,
                minimum=low[name],
                maximum=high[name],
                load_sorted=loader(name) if name in SORTED else _unsorted(name),
            )
            for name in DERIVED
        }
        return RegressionData(side, target, prediction, rows, rows - n, sums.under, sums.over, stats)

    return ctx.memo(("mq-regression", side), compute)


def _unsorted(name: str) -> Any:
    def refuse() -> Sorted:
        raise AssertionError(f"the regression's {name} values are summarised, not sorted")

    return refuse


# ------------------------------------------------------------------- streams of sorted values


def best_mape_constant(y: np.ndarray) -> float:
    """The constant with the lowest MAPE on ``y`` (0 targets ignored): the median of ``y`` weighted
    by ``1/|y|``.

    >>> best_mape_constant(np.array([100.0, 1.0, 2.0]))
    1.0
    """
    return sorted_mape_constant(np.sort(y[np.isfinite(y)]))


def sorted_mape_constant(ascending: Sorted) -> float:
    """:func:`best_mape_constant` of sorted values, streamed block by block."""

    def cumulative() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        running = 0.0
        for block in value_blocks(ascending):
            values = block[np.abs(block) >= ZERO_TARGET]
            if values.size:
                weights = running + np.cumsum(1.0 / np.abs(values))
                running = float(weights[-1])
                yield values, weights

    total = None
    for _, weights in cumulative():
        total = float(weights[-1])
    if total is None:
        return math.nan
    for values, weights in cumulative():
        i = int(np.searchsorted(weights, 0.5 * total, side="left"))
        if i < values.size:
            return float(values[i])
    return math.nan  # not reached: the last weight is the total


@dataclass(eq=False)
class Baselines:
    rmse: float
    mean_abs_error: float
    mean_abs_perc_error: float
    abs_error_max: float


def constant_baselines(y: NumericalStats, mean: float, median: float, mape_constant: float) -> Baselines:
    """Scores of constant predictions on the target ``y``: the mean (RMSE), the median (MAE, max error)
    and the MAPE constant (MAPE over the non-zero targets), streamed over its sorted values."""
    abs_sum = perc_sum = 0.0
    nonzero = 0
    for block in value_blocks(y.sorted_finite):
        abs_sum += float(np.abs(block - median).sum())
        kept = block[np.abs(block) >= ZERO_TARGET]
        nonzero += kept.size
        perc_sum += float((np.abs(kept - mape_constant) / np.abs(kept)).sum())
    n = y.finite_count
    return Baselines(
        rmse=math.sqrt(y.population_std**2 + (y.mean - mean) ** 2),
        mean_abs_error=abs_sum / n,
        mean_abs_perc_error=100.0 * perc_sum / nonzero if nonzero else math.nan,
        abs_error_max=max(abs(y.min - median), abs(y.max - median)),
    )


__all__ = [
    "RegressionData",
    "best_mape_constant",
    "constant_baselines",
    "regression_data",
    "sorted_mape_constant",
]
