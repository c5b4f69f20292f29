"""Plot-only metrics of Evidently's legacy data-drift family, kept as bounded aggregates.

``TargetByFeaturesTable``, ``ColumnValuePlot`` and ``ColumnInteractionPlot`` exist in Evidently to draw
charts, and Evidently stores raw rows (or a KDE grid) in their results. Snapshots here are kept for
months, so these results hold binned counts, per-bin means and quantiles instead: their size grows
with the number of columns and bins, never with the number of rows.

Buckets shared by every metric of this module:

- a numerical axis has ``edges``: equal-width bins over the finite values of current and reference
  together (the same edges for both, so the sides compare bin by bin; a value equal to the last edge
  falls in the last bin, as in ``np.histogram``);
- a categorical axis has ``categories``: the ``TOP_CATEGORIES`` most frequent values over both
  datasets, then one bucket for every other value, then one for missing values;
- a datetime axis has periods (year, quarter, month, week, day, hour or minute, whichever gives the
  number of periods closest to 150 over both datasets, as Evidently chooses); ``prefix`` names it.

>>> import pandas as pd
>>> from monitorflow import Report
>>> frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": [2.0, 4.0, 6.0, 8.0]})
>>> report = Report(metrics=[ColumnInteractionPlot(x_column="x", y_column="y")])
>>> report.run(reference_data=frame, current_data=frame)
>>> sum(map(sum, report.as_dict()["metrics"][0]["result"]["current"]["counts"]))
4
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

import numpy as np
import pandas as pd

from monitorflow._types import ColumnName, Float, column_key
from monitorflow.column_mapping import ColumnType, python_scalar
from monitorflow.column_stats import HISTOGRAM_BINS, TOP_CATEGORIES, histogram_edges, to_float_array
from monitorflow.context import SIDES, ReferenceRequired, RunContext, Side
from monitorflow.errors import ColumnNotFoundError, ColumnTypeError, ConfigurationError
from monitorflow.metrics.base import Metric, MetricResult
from monitorflow.metrics.classification_data import (
    dataset_name,
    factorize,
    finite_or_nan,
    sides,
)
from monitorflow.metrics.classification_side import predictions, rows_of
from monitorflow.metrics.over_time import ValueSeries, series_over_time

R = TypeVar("R", bound=MetricResult)

#: Bins of a numerical feature in TargetByFeaturesTable.
FEATURE_BINS = HISTOGRAM_BINS
#: Bins of a numerical target / prediction in TargetByFeaturesTable (shared by both and both datasets).
VALUE_BINS = 10
#: Bins per numerical axis of ColumnInteractionPlot (Evidently draws a 30 x 30 density grid).
INTERACTION_BINS = 30
#: Index bins of ColumnValuePlot without a datetime column, and the period count aimed at
#: (Evidently's ``OPTIMAL_POINTS``).
INDEX_BINS = 150
#: Above this magnitude equal-width edges are interpolated, not stepped (``np.linspace`` overflows).
NEAR_FLOAT_LIMIT = 1e300
#: Period units tried for a datetime axis: (prefix, pandas frequency, days per period).
PERIODS = (
    ("year", "Y", 365.0),
    ("quarter", "Q", 90.0),
    ("month", "M", 30.0),
    ("week", "W", 7.0),
    ("day", "D", 1.0),
    ("hour", "h", 1 / 24),
    ("minute", "min", 1 / 1440),
)


class _PlotMetric(Metric[R], Generic[R]):
    group = "data drift"


# ----------------------------------------------------------------------------------- shared axes


def _require_reference(ctx: RunContext, who: str) -> None:
    if not ctx.has_reference:
        raise ReferenceRequired(
            f"{who} compares reference and current data, but no reference_data was given; "
            "pass reference_data to run()"
        )


def _example(series: pd.Series) -> Any:
    values = series.dropna()
    return python_scalar(values.iloc[0]) if len(values) else None


def _floats(ctx: RunContext, side: Side, column: ColumnName) -> np.ndarray:
    return to_float_array(ctx.data(side)[column])


def _finite_bounds(values: np.ndarray) -> np.ndarray:
    """``[min, max]`` of the finite values (empty when there is none)."""
    finite = values[np.isfinite(values)]
    return np.array([finite.min(), finite.max()]) if finite.size else finite


def shared_edges(arrays: list[np.ndarray], bins: int) -> np.ndarray:
    """Equal-width edges over the finite values of all arrays (``[0, 1]`` split in ``bins`` when none)."""
    bounds = [b for b in map(_finite_bounds, arrays) if b.size]
    if not bounds:
        return np.linspace(0.0, 1.0, bins + 1)
    low, high = min(b[0] for b in bounds), max(b[1] for b in bounds)
    if max(abs(low), abs(high)) > NEAR_FLOAT_LIMIT and low != high:  # np.linspace would overflow to inf
        steps = np.linspace(0.0, 1.0, bins + 1)
        return low * (1 - steps) + high * steps
    return histogram_edges(*bounds, bins=bins)


def bin_codes(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """The bin of each value (``np.histogram``'s rule), -1 for a missing or infinite value or one
    outside the edges."""
    bins = edges.size - 1
    codes = np.searchsorted(edges, values, side="right") - 1
    codes[values == edges[-1]] = bins - 1
    outside = ~np.isfinite(values) | (codes < 0) | (codes >= bins)
    codes[outside] = -1
    return codes.astype(np.int64)


def top_values(series_list: list[pd.Series], limit: int = TOP_CATEGORIES) -> list[Any]:
    """The ``limit`` most frequent non-missing values over all series (ties: first seen first)."""
    totals: dict[Any, int] = {}
    for series in series_list:
        for value, count in series.value_counts(dropna=True, sort=False).items():
            key = python_scalar(value)
            totals[key] = totals.get(key, 0) + int(count)
    ranked = sorted(totals.items(), key=lambda item: -item[1])
    return [value for value, _ in ranked[:limit]]


def category_codes(series: pd.Series, categories: list[Any]) -> np.ndarray:
    """Index in ``categories``; ``len(categories)`` for another value, ``len + 1`` for a missing one."""
    index = pd.Index(categories, dtype=object).get_indexer(series.map(python_scalar).astype(object))
    index = np.asarray(index, dtype=np.int64)
    index[index < 0] = len(categories)
    index[series.isna().to_numpy()] = len(categories) + 1
    return index


def _column_categories(ctx: RunContext, column: ColumnName) -> list[Any]:
    return ctx.memo(
        ("plot-categories", column), lambda: top_values([ctx.data(s)[column] for s in sides(ctx)])
    )


def _column_category_codes(ctx: RunContext, side: Side, column: ColumnName) -> np.ndarray:
    def compute() -> np.ndarray:
        categories = _column_categories(ctx, column)
        fact = factorize(ctx, side, column)
        index = {value: i for i, value in enumerate(categories)}
        lut = np.array(
            [index.get(v, len(categories)) for v in fact.uniques] + [len(categories) + 1], dtype=np.int64
        )
        return lut[fact.codes]

    return ctx.memo(("plot-category-codes", side, column), compute)


def choose_period(*stamps: pd.Series) -> tuple[str, str]:
    """(prefix, pandas frequency) of the period unit whose count over the stamps' range is closest to
    ``INDEX_BINS`` (Evidently's rule: whole days, or the seconds of a range shorter than a day)."""
    present = [s.dropna() for s in stamps if s is not None]
    present = [s for s in present if len(s)]
    if not present:
        return PERIODS[4][0], PERIODS[4][1]
    low = min(s.min() for s in present)
    high = max(s.max() for s in present)
    try:
        delta = pd.Timestamp(high) - pd.Timestamp(low)
    except (OverflowError, pd.errors.OutOfBoundsDatetime, pd.errors.OutOfBoundsTimedelta):  # centuries apart
        return PERIODS[0][0], PERIODS[0][1]
    days = float(delta.days) or delta.seconds / 86400
    distances = [abs(INDEX_BINS - days / per_period) for _, _, per_period in PERIODS]
    prefix, freq, _ = PERIODS[int(np.argmin(distances))]
    return prefix, freq


def _naive(stamps: pd.Series) -> pd.Series:
    """Datetimes without time zone (time-zone aware ones converted to UTC first)."""
    if getattr(stamps.dt, "tz", None) is not None:
        return stamps.dt.tz_convert("UTC").dt.tz_localize(None)
    return stamps


def period_codes(stamps: pd.Series, freq: str) -> tuple[np.ndarray, list[str]]:
    """Each row's period index (-1 for a missing datetime) and the ISO start of each period, sorted."""
    periods = _naive(stamps).dt.to_period(freq)
    codes, uniques = pd.factorize(periods, sort=True, use_na_sentinel=True)
    starts = [p.start_time.isoformat() for p in uniques]
    return np.asarray(codes, dtype=np.int64), starts


def _mean_std(finite: np.ndarray) -> tuple[float, float]:
    """Mean and std (ddof=1) of finite values, scaled so that values near the float limit do not overflow."""
    if not finite.size:
        return math.nan, math.nan
    scale = float(np.max(np.abs(finite))) or 1.0
    scaled = finite / scale
    mean = float(scaled.mean()) * scale
    std = float(scaled.std(ddof=1)) * scale if finite.size > 1 else math.nan
    return finite_or_nan(mean), finite_or_nan(std)


@dataclass(eq=False)
class _Grouped:
    count: list[int]
    mean: list[float]
    std: list[float]


def grouped_stats(codes: np.ndarray, values: np.ndarray, n: int) -> _Grouped:
    """Rows, mean and std (ddof=1) of ``values`` per code ``0..n-1`` (codes < 0 and non-finite values
    left out)."""
    keep = (codes >= 0) & np.isfinite(values)
    frame = pd.DataFrame({"code": codes[keep], "value": values[keep]})
    with np.errstate(over="ignore", invalid="ignore"):  # values near 1e308: inf, then NaN below
        stats = frame.groupby("code")["value"].agg(["count", "mean", "std"]).reindex(range(n))
    return _Grouped(
        count=[int(c) if c == c else 0 for c in stats["count"].tolist()],
        mean=[finite_or_nan(v) for v in stats["mean"].tolist()],
        std=[finite_or_nan(v) for v in stats["std"].tolist()],
    )


def counts_2d(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int) -> list[list[int]]:
    """``counts[i][j]``: pairs with ``rows == i`` and ``cols == j`` (negative codes left out)."""
    keep = (rows >= 0) & (cols >= 0)
    flat = np.bincount(rows[keep] * n_cols + cols[keep], minlength=n_rows * n_cols)
    return flat.reshape(n_rows, n_cols).tolist()


# --------------------------------------------------------------------------- TargetByFeaturesTable


class RoleByFeature(MetricResult):
    """The target (or prediction) per feature bucket: ``counts[bucket][j]`` rows whose value falls in
    bin ``j`` of ``value_edges`` (regression) or is label ``j`` of ``labels``, the last column counting
    the other labels (classification); ``mean`` of the value per bucket (regression). Rows where the
    value is missing are left out."""

    counts: list[list[int]]
    mean: list[Float] | None = None


class FeatureBins(MetricResult):
    """One feature on one dataset. Buckets: the ``edges`` bins of a numerical feature, or the
    ``categories`` then other categories; the last bucket holds rows where the feature is missing."""

    feature_type: Literal["num", "cat"]
    edges: list[float] | None = None
    categories: list[Any] | None = None
    count: list[int]
    target: RoleByFeature | None = None
    prediction: RoleByFeature | None = None


class TargetByFeaturesTableResults(MetricResult):
    """Target and prediction by feature. Text features appear as two numerical descriptors each:
    ``'<column>: Text Length'`` and ``'<column>: Non Letter Character %'``."""

    target_name: ColumnName | None = None
    prediction_name: ColumnName | list[ColumnName] | None = None
    columns: list[str]
    task: Literal["classification", "regression"]
    #: Classification: the labels counted (the ``TOP_CATEGORIES`` most frequent, sorted when sortable).
    labels: list[Any] | None = None
    #: Regression: bins of the target and prediction values, shared by both datasets.
    value_edges: list[float] | None = None
    current: dict[str, FeatureBins]
    reference: dict[str, FeatureBins] | None = None


TEXT_DESCRIPTORS = ("Text Length", "Non Letter Character %")


def _text_descriptor(series: pd.Series, name: str) -> np.ndarray:
    """Evidently's text descriptors (a missing text counts as 0)."""
    texts = series.tolist()
    out: list[int] | list[float]
    if name == "Text Length":
        out = [len(t) if isinstance(t, str) else 0 for t in texts]
    else:
        out = [
            100.0 * sum(1 for ch in t if not ch.isalpha() and ch != " ") / len(t)
            if isinstance(t, str) and t
            else 0.0
            for t in texts
        ]
    return np.asarray(out, dtype=np.float64)


@dataclass(eq=False)
class _Feature:
    key: str
    kind: Literal["num", "cat"]
    values: dict[Side, np.ndarray]  # floats (num) or bucket codes (cat)
    edges: np.ndarray | None = None
    categories: list[Any] | None = None

    @property
    def buckets(self) -> int:
        if self.edges is not None:
            return self.edges.size  # bins + missing
        return len(self.categories or []) + 2

    def codes(self, side: Side) -> np.ndarray:
        if self.edges is None:
            return self.values[side]
        codes = bin_codes(self.values[side], self.edges)
        codes[codes < 0] = self.edges.size - 1
        return codes


class TargetByFeaturesTable(_PlotMetric[TargetByFeaturesTableResults]):
    """How the target and the prediction relate to each feature, on reference and current.

    Kept per feature and dataset: rows per feature bucket, and for the target and the prediction a
    bucket x value count table (value bins for regression, labels for classification) plus the mean
    value per bucket (regression). Evidently's scatter plots (regression) and per-label histograms
    (classification) are drawn from these counts.
    """

    result_type = TargetByFeaturesTableResults
    columns: list[ColumnName] | None = None

    def _features(self, ctx: RunContext) -> list[ColumnName]:
        definition = ctx.definition
        allowed = [
            *definition.numerical_features,
            *definition.categorical_features,
            *definition.text_features,
        ]
        if self.columns is None:
            return allowed
        chosen: list[ColumnName] = []
        for column in self.columns:
            kind = ctx.require_column(column, f"{self.type_name}.columns")
            if column not in allowed:
                role = (
                    "a target, prediction, id or datetime column"
                    if kind != ColumnType.DATETIME
                    else "a datetime column"
                )
                raise ConfigurationError(
                    f"{self.type_name}.columns lists {column!r}, {role}; list numerical, categorical or text "
                    f"features only: {allowed!r}",
                    argument="columns",
                )
            if column not in chosen:
                chosen.append(column)
        return chosen

    def calculate(self, ctx: RunContext) -> TargetByFeaturesTableResults:
        definition = ctx.definition
        target, prediction, probas = definition.target, definition.prediction, definition.prediction_probas
        if target is None and prediction is None and not probas:
            raise ColumnNotFoundError(
                "target",
                "column_mapping.target (TargetByFeaturesTable needs a target or a prediction column; "
                "set ColumnMapping(target='your target', prediction='your prediction'))",
                "current_data",
                definition.column_names,
            )
        _require_reference(ctx, self.type_name)
        task = definition.task
        if task is None:
            role = target if target is not None else prediction
            categorical = bool(probas) or (
                role is not None and definition.type_of(role) == ColumnType.CATEGORICAL
            )
            task = "classification" if categorical else "regression"
        roles = self._roles(ctx, task)
        labels: list[Any] | None = None
        value_edges: np.ndarray | None = None
        role_codes: dict[tuple[str, Side], np.ndarray] = {}
        role_values: dict[tuple[str, Side], np.ndarray] = {}
        if task == "regression":
            value_edges = shared_edges(list(roles.values()), VALUE_BINS)
            for key, values in roles.items():
                role_values[key] = values
                role_codes[key] = bin_codes(values, value_edges)
            n_values = VALUE_BINS
        else:
            labels = top_values(list(roles.values()))
            with contextlib.suppress(TypeError):  # mixed kinds: keep the most frequent first
                labels = sorted(labels)
            for key, series in roles.items():
                codes = category_codes(series, labels)
                codes[codes == len(labels) + 1] = -1  # a missing label is left out
                role_codes[key] = codes
            n_values = len(labels) + 1

        results: dict[Side, dict[str, FeatureBins]] = {"current": {}, "reference": {}}
        features = [f for column in self._features(ctx) for f in self._prepare(ctx, column)]
        for feature in features:
            for side in ("current", "reference"):
                codes = feature.codes(side)
                n = feature.buckets
                parts: dict[str, RoleByFeature] = {}
                for role in ("target", "prediction"):
                    if (role, side) not in role_codes:
                        continue
                    mean = None
                    if task == "regression":
                        mean = grouped_stats(codes, role_values[(role, side)], n).mean
                    parts[role] = RoleByFeature(
                        counts=counts_2d(codes, role_codes[(role, side)], n, n_values), mean=mean
                    )
                results[side][feature.key] = FeatureBins(
                    feature_type=feature.kind,
                    edges=feature.edges.tolist() if feature.edges is not None else None,
                    categories=feature.categories,
                    count=np.bincount(codes, minlength=n).tolist(),
                    **parts,
                )
        return TargetByFeaturesTableResults(
            target_name=target,
            prediction_name=prediction if prediction is not None else probas,
            columns=[f.key for f in features],
            task=task,
            labels=labels,
            value_edges=value_edges.tolist() if value_edges is not None else None,
            current=results["current"],
            reference=results["reference"],
        )

    def _roles(self, ctx: RunContext, task: str) -> dict[tuple[str, Side], Any]:
        """Per (role, side): float values (regression) or label series (classification)."""
        definition = ctx.definition
        out: dict[tuple[str, Side], Any] = {}
        for side in ("current", "reference"):
            frame = ctx.data(side)
            for role, column in (("target", definition.target), ("prediction", definition.prediction)):
                if column is None:
                    continue
                kind = definition.type_of(column)
                if task == "regression":
                    if kind != ColumnType.NUMERICAL:
                        raise ColumnTypeError(
                            column,
                            dataset_name(side),
                            "numerical",
                            _example(frame[column]),
                            fix=f"with task='regression' the {role} must hold numbers; convert it with "
                            f"pd.to_numeric, or set ColumnMapping(task='classification')",
                        )
                    out[(role, side)] = to_float_array(frame[column])
                elif role == "prediction" and kind == ColumnType.NUMERICAL:
                    out[(role, side)] = self._predicted_labels(ctx, side)
                else:
                    out[(role, side)] = frame[column]
            if definition.prediction is None and definition.prediction_probas:
                out[("prediction", side)] = self._predicted_labels(ctx, side)
        return out

    @staticmethod
    def _predicted_labels(ctx: RunContext, side: Side) -> pd.Series:
        """Labels predicted from probabilities: as the classification metrics decide them (threshold
        0.5 for binary, else the most probable class); without a target, the most probable column."""
        frame = ctx.data(side)
        definition = ctx.definition
        if definition.target is not None:
            data = rows_of(ctx, side)
            codes = predictions(ctx, side)
            labels = np.empty(len(frame.index), dtype=object)
            labels[:] = None
            values = np.array(list(data.space.labels) + [None], dtype=object)
            if data.kept is None:
                labels[:] = values[codes]
            else:
                labels[data.kept] = values[codes]
            return pd.Series(labels, dtype=object)
        columns = list(definition.prediction_probas or [])
        probas = frame[columns].to_numpy(dtype=np.float64, na_value=np.nan)
        missing = np.isnan(probas).any(axis=1)
        names = np.array(columns + [None], dtype=object)
        best = np.where(missing, len(columns), np.argmax(np.nan_to_num(probas, nan=-np.inf), axis=1))
        return pd.Series(names[best], dtype=object)

    def _prepare(self, ctx: RunContext, column: ColumnName) -> list[_Feature]:
        kind = ctx.definition.type_of(column)
        key = column_key(column)
        if kind == ColumnType.NUMERICAL:
            values = {s: _floats(ctx, s, column) for s in SIDES}
            return [_Feature(key, "num", values, edges=shared_edges(list(values.values()), FEATURE_BINS))]
        if kind == ColumnType.CATEGORICAL:
            values = {s: _column_category_codes(ctx, s, column) for s in SIDES}
            return [_Feature(key, "cat", values, categories=_column_categories(ctx, column))]
        features = []
        for name in TEXT_DESCRIPTORS:
            values = {s: _text_descriptor(ctx.data(s)[column], name) for s in SIDES}
            edges = shared_edges(list(values.values()), FEATURE_BINS)
            features.append(_Feature(f"{key}: {name}", "num", values, edges=edges))
        return features


# ---------------------------------------------------------------------------------- ColumnValuePlot


class ColumnValuePlotResults(MetricResult):
    column_name: ColumnName
    datetime_column_name: ColumnName | None = None
    x_axis: Literal["datetime", "index"]
    #: Period of the datetime axis (year, quarter, month, week, day, hour, minute).
    prefix: str | None = None
    #: Equal-width bins of the row index (or row position, for a non-numerical index), both datasets.
    index_edges: list[float] | None = None
    current: ValueSeries
    reference: ValueSeries
    #: Mean and std of the reference values (Evidently's band around the reference mean).
    reference_mean: Float
    reference_std: Float


class ColumnValuePlot(_PlotMetric[ColumnValuePlotResults]):
    """A numerical column's values along the datetime column (or the row index), on reference and current.

    Kept: per period (datetime column or datetime index; the unit is chosen as in Evidently) or per
    one of ``INDEX_BINS`` index bins: the rows, mean and std of the column, plus the reference mean
    and std. Missing and infinite values are left out and counted.
    """

    result_type = ColumnValuePlotResults
    column_name: ColumnName

    def calculate(self, ctx: RunContext) -> ColumnValuePlotResults:
        column = self.column_name
        kind = ctx.require_column(column, f"{self.type_name}.column_name")
        if kind != ColumnType.NUMERICAL:
            raise ColumnTypeError(
                column,
                "current_data",
                "numerical",
                _example(ctx.data("current")[column]),
                fix=f"{self.type_name} plots numerical values; pick a numerical column, or list this one in "
                "numerical_features if it holds numbers",
            )
        _require_reference(ctx, self.type_name)
        values = {s: _floats(ctx, s, column) for s in SIDES}
        axis, series = series_over_time(
            ctx, list(SIDES), ["value"], lambda s: [(ctx.data(s), {"value": values[s]})]
        )
        mean, std = _mean_std(values["reference"][np.isfinite(values["reference"])])
        return ColumnValuePlotResults(
            column_name=column,
            **axis.model_dump(),
            current=series["value"]["current"],
            reference=series["value"]["reference"],
            reference_mean=mean,
            reference_std=std,
        )


# ----------------------------------------------------------------------------- ColumnInteractionPlot


class BoxData(MetricResult):
    """Per bucket of the categorical column: rows and quartiles of the numerical one (``means`` holds
    the medians, as Evidently's field; linear interpolation)."""

    count: list[int]
    mins: list[Float]
    lowers: list[Float]
    means: list[Float]
    uppers: list[Float]
    maxs: list[Float]


class InteractionData(MetricResult):
    """One dataset. ``counts``: pairs per (x bucket, y bucket) for two numerical or two categorical
    columns, per (period, category bucket) for a datetime and a categorical one. ``boxes``: for a
    categorical and a numerical column. ``periods`` with ``mean``/``std``/``count`` per period: for a
    datetime and a numerical column."""

    counts: list[list[int]] | None = None
    boxes: BoxData | None = None
    periods: list[str] | None = None
    count: list[int] | None = None
    mean: list[Float] | None = None
    std: list[Float] | None = None
    #: Rows left out: a missing or infinite number, or a missing datetime.
    dropped_rows: int = 0


InteractionKind = Literal["num_num", "cat_cat", "cat_num", "datetime_num", "datetime_cat"]
_KINDS: dict[frozenset[ColumnType], str] = {
    frozenset({ColumnType.NUMERICAL}): "num_num",
    frozenset({ColumnType.CATEGORICAL}): "cat_cat",
    frozenset({ColumnType.CATEGORICAL, ColumnType.NUMERICAL}): "cat_num",
    frozenset({ColumnType.DATETIME, ColumnType.NUMERICAL}): "datetime_num",
    frozenset({ColumnType.DATETIME, ColumnType.CATEGORICAL}): "datetime_cat",
}


class ColumnInteractionPlotResults(MetricResult):
    x_column: ColumnName
    y_column: ColumnName
    x_type: str
    y_type: str
    kind: InteractionKind
    #: Bins of a numerical x / y axis (shared by both datasets).
    x_edges: list[float] | None = None
    y_edges: list[float] | None = None
    #: Categories of a categorical x / y axis; buckets are these, then other values, then missing.
    x_categories: list[Any] | None = None
    y_categories: list[Any] | None = None
    #: Period of a datetime axis.
    prefix: str | None = None
    current: InteractionData
    reference: InteractionData | None = None


def _boxes(codes: np.ndarray, values: np.ndarray, n: int) -> BoxData:
    keep = np.isfinite(values) & (codes >= 0)
    frame = pd.DataFrame({"code": codes[keep], "value": values[keep]})
    grouped = frame.groupby("code")["value"]
    with np.errstate(over="ignore", invalid="ignore"):  # interpolating between +-1e308 overflows
        quantiles = grouped.quantile([0.0, 0.25, 0.5, 0.75, 1.0]).unstack().reindex(range(n))
    count = grouped.size().reindex(range(n), fill_value=0)
    columns = [[finite_or_nan(v) for v in quantiles[q].tolist()] for q in quantiles.columns]
    if quantiles.shape[1] != 5:  # no row at all
        columns = [[math.nan] * n for _ in range(5)]
    return BoxData(
        count=[int(c) for c in count.tolist()],
        mins=columns[0],
        lowers=columns[1],
        means=columns[2],
        uppers=columns[3],
        maxs=columns[4],
    )


class ColumnInteractionPlot(_PlotMetric[ColumnInteractionPlotResults]):
    """The joint distribution of two columns, on current (and reference when given).

    Kept, by the column types: two numerical columns, 2-D counts over ``INTERACTION_BINS`` x
    ``INTERACTION_BINS`` shared bins (Evidently keeps a density grid); two categorical, counts per
    pair of categories; categorical and numerical, quartiles of the number per category; datetime and
    numerical, mean and std per period; datetime and categorical, counts per period and category.
    """

    result_type = ColumnInteractionPlotResults
    x_column: ColumnName
    y_column: ColumnName

    def calculate(self, ctx: RunContext) -> ColumnInteractionPlotResults:
        x, y = self.x_column, self.y_column
        kx = ctx.require_column(x, f"{self.type_name}.x_column")
        ky = ctx.require_column(y, f"{self.type_name}.y_column")
        kind = _KINDS.get(frozenset({kx, ky}))
        if kind is None:
            bad, bad_kind = (x, kx) if kx == ColumnType.TEXT else (y, ky)
            raise ColumnTypeError(
                bad,
                "current_data",
                "numerical, categorical or datetime",
                _example(ctx.data("current")[bad]),
                fix=f"{self.type_name} plots two numerical, two categorical, a categorical and a numerical, or "
                f"a datetime and a numerical or categorical column; got {kx.value} {x!r} and {ky.value} {y!r} "
                f"({bad_kind.value} {bad!r} cannot be paired this way)",
            )
        fields: dict[str, Any] = {}
        data: dict[Side, InteractionData] = {}
        side_list = sides(ctx)
        if kind == "num_num":
            xs = {s: _floats(ctx, s, x) for s in side_list}
            ys = {s: _floats(ctx, s, y) for s in side_list}
            x_edges = shared_edges(list(xs.values()), INTERACTION_BINS)
            y_edges = shared_edges(list(ys.values()), INTERACTION_BINS)
            fields.update(x_edges=x_edges.tolist(), y_edges=y_edges.tolist())
            for side in side_list:
                cx, cy = bin_codes(xs[side], x_edges), bin_codes(ys[side], y_edges)
                dropped = int(np.count_nonzero((cx < 0) | (cy < 0)))
                counts = counts_2d(cx, cy, INTERACTION_BINS, INTERACTION_BINS)
                data[side] = InteractionData(counts=counts, dropped_rows=dropped)
        elif kind == "cat_cat":
            fields.update(x_categories=_column_categories(ctx, x), y_categories=_column_categories(ctx, y))
            nx, ny = len(fields["x_categories"]) + 2, len(fields["y_categories"]) + 2
            for side in side_list:
                cx, cy = _column_category_codes(ctx, side, x), _column_category_codes(ctx, side, y)
                data[side] = InteractionData(counts=counts_2d(cx, cy, nx, ny))
        elif kind == "cat_num":
            cat, num = (x, y) if kx == ColumnType.CATEGORICAL else (y, x)
            categories = _column_categories(ctx, cat)
            fields["x_categories" if cat == x else "y_categories"] = categories
            for side in side_list:
                values = _floats(ctx, side, num)
                finite = np.isfinite(values)
                boxes = _boxes(_column_category_codes(ctx, side, cat), values, len(categories) + 2)
                data[side] = InteractionData(
                    boxes=boxes, dropped_rows=int(finite.size - np.count_nonzero(finite))
                )
        else:
            date, other = (x, y) if kx == ColumnType.DATETIME else (y, x)
            stamps = {s: ctx.data(s)[date] for s in side_list}
            prefix, freq = choose_period(*stamps.values())
            fields["prefix"] = prefix
            if kind == "datetime_cat":
                categories = _column_categories(ctx, other)
                fields["x_categories" if other == x else "y_categories"] = categories
            for side in side_list:
                codes, starts = period_codes(stamps[side], freq)
                missing_stamps = int(np.count_nonzero(codes < 0))
                if kind == "datetime_num":
                    values = _floats(ctx, side, other)
                    stats = grouped_stats(codes, values, len(starts))
                    dropped = int(np.count_nonzero((codes < 0) | ~np.isfinite(values)))
                    data[side] = InteractionData(
                        periods=starts,
                        count=stats.count,
                        mean=stats.mean,
                        std=stats.std,
                        dropped_rows=dropped,
                    )
                else:
                    cat_codes = _column_category_codes(ctx, side, other)
                    counts = counts_2d(codes, cat_codes, len(starts), len(categories) + 2)
                    data[side] = InteractionData(periods=starts, counts=counts, dropped_rows=missing_stamps)
        return ColumnInteractionPlotResults(
            x_column=x,
            y_column=y,
            x_type=kx.value,
            y_type=ky.value,
            kind=kind,
            current=data["current"],
            reference=data.get("reference"),
            **fields,
        )


__all__ = ["ColumnInteractionPlot", "ColumnValuePlot", "TargetByFeaturesTable"]


# Evidently's results of these three are render data only: as_dict() shows them as {} (ours: with
# include_render=True).
for _result in (TargetByFeaturesTableResults, ColumnValuePlotResults, ColumnInteractionPlotResults):
    _result.render_fields = frozenset(_result.model_fields)
