"""The drift of each column, computed once per run and shared by the drift metrics and tests
(``ctx.memo``): the chosen test's score and verdict, and compact distributions for charts."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from monitorflow._types import ColumnName, Float
from monitorflow.column_mapping import ColumnType, DataDefinition, python_scalar
from monitorflow.column_stats import NumericalStats, density_histogram, histogram_edges
from monitorflow.context import SIDES, RunContext, Side
from monitorflow.errors import ConfigurationError, MetricError
from monitorflow.metrics.base import MetricResult
from monitorflow.metrics.data_drift.options import DRIFT_TYPES, DriftOptions
from monitorflow.metrics.data_integrity import Histogram, ValueCounts, _value_counts
from monitorflow.sorted_values import materialize
from monitorflow.stattests import clean, get_stattest
from monitorflow.stattests.default import FEW_VALUES_MAX, choose_default
from monitorflow.stattests.utils import CategoryCounts


class DriftDistribution(MetricResult):
    """Compact distributions for charts: a shared-edge histogram, or top value counts per side."""

    histogram: Histogram | None = None
    current_counts: ValueCounts | None = None
    reference_counts: ValueCounts | None = None


class SmallDistribution(MetricResult):
    """Evidently's small distribution: numerical, ``x`` the 11 edges and ``y`` the density of 10 bins
    (``np.histogram(finite values, 10, density=True)``, each side on its own edges); categorical, ``x``
    the values (sorted by their text, unobserved categories of a ``category`` dtype included) and ``y``
    the counts."""

    x: list[Any]
    y: list[Any]


class DriftStatsField(MetricResult):
    small_distribution: SmallDistribution | None = None


class ColumnDriftResult(MetricResult):
    """Evidently's ``ColumnDataDriftMetrics`` fields, plus ``message`` for a column not computable."""

    render_fields = frozenset({"distribution"})

    column_name: ColumnName
    column_type: str
    stattest_name: str
    stattest: str
    stattest_threshold: Float
    drift_score: Float
    drift_detected: bool
    number_of_values_current: int
    number_of_values_reference: int
    distribution: DriftDistribution | None = None
    current: DriftStatsField | None = None
    reference: DriftStatsField | None = None
    message: str | None = None


def _drift_type(ctx: RunContext, column: ColumnName, where: str, column_type: str | None = None) -> str:
    if column_type is not None:  # a drift table's own typing (monitorflow.dataset_columns)
        if column not in ctx.current.columns:
            ctx.require_column(column, where)
        if not ctx.has_reference:
            ctx.data("reference")
        return column_type
    kind = ctx.require_column(column, where)
    if kind not in DRIFT_TYPES:
        raise ConfigurationError(
            f"column {column!r} is {kind.value}; drift is computed for numerical, categorical and text "
            "columns (declare it in numerical_features or categorical_features)",
            argument="column_name",
        )
    if not ctx.has_reference:
        ctx.data("reference")  # raises ReferenceRequired with the fix
    return DRIFT_TYPES[kind]


def _clean_sample(ctx: RunContext, column: ColumnName, side: Side, column_type: str) -> pd.Series:
    stats = ctx.stats(column, side)
    if isinstance(stats, NumericalStats):
        return pd.Series(materialize(stats.sorted_finite), copy=False)
    if column_type == "num":  # a numerical column typed by the user but stored otherwise
        return pd.Series(materialize(ctx.numerical(column, side).sorted_finite), copy=False)
    series = ctx.data(side)[column]
    return clean(series)  # missing and +/-inf dropped, as Evidently does for every column type


def _distinct_count(ctx: RunContext, column: ColumnName, column_type: str) -> int | None:
    """Distinct finite values of both sides of a numerical column (from the sorted values), else None."""
    if column_type != "num":
        return None
    ref, cur = ctx.numerical(column, "reference"), ctx.numerical(column, "current")
    if ref.has_more_distinct_than(FEW_VALUES_MAX) or cur.has_more_distinct_than(FEW_VALUES_MAX):
        return FEW_VALUES_MAX + 1  # the default choice only asks whether there are more than FEW_VALUES_MAX
    return int(np.union1d(ref.distinct_values, cur.distinct_values).size)


def _value_counts_of(ctx: RunContext, column: ColumnName, side: Side, column_type: str) -> pd.Series:
    """Counts of the non-missing, finite values of one side (what a stattest would count)."""
    if column_type == "num":
        return ctx.numerical(column, side).counts_by_value()
    counts = ctx.stats(column, side).value_counts()
    if counts.index.dtype == object and counts.size:  # an object column may hold float infinities
        infinite = [isinstance(v, float) and math.isinf(v) for v in counts.index]
        counts = counts[~np.array(infinite)] if any(infinite) else counts
    return counts


def _counted(ctx: RunContext, column: ColumnName, column_type: str) -> Any:
    return CategoryCounts.from_value_counts(
        _value_counts_of(ctx, column, "reference", column_type),
        _value_counts_of(ctx, column, "current", column_type),
    )


def _uses_counts(stattest: Any, ctx: RunContext, column: ColumnName, column_type: str) -> bool:
    """Whether the stattest can score this column from value counts the context already has: always
    for categorical columns, and for numerical ones with few reference values (or a categorical test
    the default choice gives few-valued numerical columns: ``z`` and ``chisquare``)."""
    if column_type == "num":
        if stattest.counts_func is not None and "num" not in stattest.column_types:
            return True
        limit = stattest.counts_max_num_values
        if not limit or not stattest.accepts_counts("num", 0):
            return False
        return not ctx.numerical(column, "reference").has_more_distinct_than(limit)
    return column_type == "cat" and stattest.accepts_counts("cat", 0)


def _distribution(ctx: RunContext, column: ColumnName, column_type: str) -> DriftDistribution | None:
    if column_type == "num":
        ref, cur = ctx.numerical(column, "reference"), ctx.numerical(column, "current")
        edges = histogram_edges(ref.sorted_finite, cur.sorted_finite)
        return DriftDistribution(
            histogram=Histogram(
                edges=edges.tolist(),
                current=cur.histogram(edges).tolist(),
                reference=ref.histogram(edges).tolist(),
            )
        )
    if column_type == "cat":
        return DriftDistribution(
            current_counts=_value_counts(ctx.stats(column, "current")),
            reference_counts=_value_counts(ctx.stats(column, "reference")),
        )
    return None


NBINSX = 10


def _small_distributions(ctx: RunContext, column: ColumnName, column_type: str) -> dict[str, DriftStatsField]:
    """Evidently's ``current`` / ``reference`` small distributions of a column."""
    if column_type == "num":
        out = {}
        for side in ("current", "reference"):
            density, edges = density_histogram(ctx.numerical(column, side), NBINSX)
            out[side] = DriftStatsField(
                small_distribution=SmallDistribution(x=edges.tolist(), y=density.tolist())
            )
        return out
    if column_type == "text":  # Evidently lists both sides, with no distribution
        return {side: DriftStatsField() for side in SIDES}
    if column_type != "cat":
        return {}
    # from the column's statistics, so a lazy source (counted by its profile) draws the same; a
    # ``category`` column's declared but unobserved categories are drawn at 0, as Evidently does
    counts = {side: ctx.stats(column, side).value_counts() for side in SIDES}
    dtypes = [ctx.dtypes(side).get(column) for side in SIDES]
    declared = {k for dtype in dtypes if isinstance(dtype, pd.CategoricalDtype) for k in dtype.categories}
    keys = sorted(set(counts["current"].index) | set(counts["reference"].index) | declared, key=str)
    return {
        side: DriftStatsField(
            small_distribution=SmallDistribution(
                x=[python_scalar(k) for k in keys], y=[int(counts[side].get(k, 0)) for k in keys]
            )
        )
        for side in counts
    }


def _sample_sizes(ctx: RunContext, column: ColumnName, column_type: str) -> tuple[int, int]:
    """Non-missing, finite values of reference and current: the sizes of the samples a stattest gets."""

    def size(side: Side) -> int:
        if column_type == "num":
            return ctx.numerical(column, side).finite_count
        if column_type == "cat":
            return int(_value_counts_of(ctx, column, side, column_type).sum())
        return len(_clean_sample(ctx, column, side, column_type))

    return size("reference"), size("current")


def _default_stattest(ctx: RunContext, column: ColumnName, column_type: str, n_reference: int) -> Any:
    def n_values() -> int:
        if column_type == "num":
            return _distinct_count(ctx, column, column_type) or 0
        if column_type == "cat":
            return len(_counted(ctx, column, column_type).keys)
        both = [_clean_sample(ctx, column, side, column_type) for side in ("reference", "current")]
        return int(pd.concat(both, ignore_index=True).nunique())

    return choose_default(column_type, n_reference, n_values)


def _not_computable(
    base: dict[str, Any], stattest: Any, threshold: float | None, reason: str
) -> ColumnDriftResult:
    """A column's result without a score, saying why."""
    return ColumnDriftResult(
        **base,
        stattest_name=stattest.display_name if stattest else "",
        stattest=stattest.name if stattest else "",
        stattest_threshold=threshold
        if threshold is not None
        else stattest.default_threshold
        if stattest
        else math.nan,
        drift_score=math.nan,
        drift_detected=False,
        message=f"not computable: {reason}",
    )


def column_drift(
    ctx: RunContext, column: ColumnName, options: DriftOptions, where: str, column_type: str | None = None
) -> ColumnDriftResult:
    """Drift of one column under ``options``, computed once per run for equal resolved options.

    ``column_type`` ("num", "cat", "text") overrides the run's type of the column (drift tables type
    columns by :mod:`monitorflow.dataset_columns`, as Evidently's DataDriftTable does)."""
    column_type = _drift_type(ctx, column, where, column_type)
    spec, threshold = options.resolve(column, column_type)

    def compute() -> ColumnDriftResult:
        sizes = _sample_sizes(ctx, column, column_type)
        base = {
            "column_name": column,
            "column_type": column_type,
            "number_of_values_reference": sizes[0],
            "number_of_values_current": sizes[1],
        }
        stattest = None if spec is None else get_stattest(spec, column_type)
        empty = "reference" if sizes[0] == 0 else "current" if sizes[1] == 0 else None
        if empty is not None:
            reason = f"the {empty} data has no non-missing, finite values in column {column!r}"
            return _not_computable(base, stattest, threshold, reason)
        if stattest is None:
            stattest = _default_stattest(ctx, column, column_type, sizes[0])
        try:
            if _uses_counts(stattest, ctx, column, column_type):
                outcome = stattest.from_counts(
                    _counted(ctx, column, column_type), column_type, threshold, column=column
                )
            elif stattest.accepts_sorted(column_type):
                reference, current = (ctx.numerical(column, side) for side in ("reference", "current"))
                outcome = stattest.from_sorted(reference, current, threshold, column=column)
            else:
                reference = _clean_sample(ctx, column, "reference", column_type)
                current = _clean_sample(ctx, column, "current", column_type)
                outcome = stattest(reference, current, column_type, threshold, column=column)
        except MetricError as exc:
            return _not_computable(base, stattest, threshold, str(exc))
        return ColumnDriftResult(
            **base,
            stattest_name=stattest.display_name,
            stattest=stattest.name,
            stattest_threshold=outcome.threshold,
            drift_score=outcome.drift_score,
            drift_detected=outcome.drifted,
            distribution=_distribution(ctx, column, column_type),
            **_small_distributions(ctx, column, column_type),
        )

    spec_key = spec if spec is None or isinstance(spec, str) else id(spec)
    key = ("drift", column, column_type, spec_key, threshold)
    return ctx.memo(key, compute)


def drift_columns(
    definition: DataDefinition, columns: list[ColumnName] | None
) -> list[tuple[ColumnName, str | None]]:
    """Columns whose drift a table measures, with their type ("num", "cat", "text"; None: the run's).

    Without ``columns``: the target, a single prediction column, then the numerical, categorical and text
    features, typed as Evidently's DataDriftTable types them (:mod:`monitorflow.dataset_columns`: an
    integer feature is numerical whatever its distinct values). Datetime and id columns, and prediction
    probabilities given as a list, are not measured (as in Evidently).
    """
    typing = definition.dataset_columns
    if typing is None:  # a definition from before dataset_columns existed
        return [(c, None) for c in columns] if columns is not None else _run_typed_columns(definition)

    def type_of(column: ColumnName) -> str | None:
        if column == definition.target:
            return typing.target_type
        if column == definition.prediction:
            return typing.prediction_type
        if column in (definition.prediction_probas or []):
            return "num"
        kind = typing.type_of(column)
        return kind if kind != "datetime" else None

    if columns is not None:
        return [(c, type_of(c)) for c in columns]
    chosen: list[tuple[ColumnName, str | None]] = []
    for column in (definition.target, definition.prediction):
        if column is not None and type_of(column) is not None:
            chosen.append((column, type_of(column)))
    for kind, names in (("num", typing.numerical), ("cat", typing.categorical), ("text", typing.text)):
        chosen.extend((c, kind) for c in names)
    return chosen


def _run_typed_columns(definition: DataDefinition) -> list[tuple[ColumnName, str | None]]:
    chosen: list[ColumnName] = []
    for column in (definition.target, definition.prediction, *(definition.prediction_probas or [])):
        if column is not None and definition.type_of(column) in DRIFT_TYPES:
            chosen.append(column)
    for kind in (ColumnType.NUMERICAL, ColumnType.CATEGORICAL, ColumnType.TEXT):
        chosen.extend(definition.columns_of_type(kind))
    return [(c, None) for c in chosen]
