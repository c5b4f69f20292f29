"""Dataset and column summaries and missing values (Evidently's data-integrity metrics).

Results keep Evidently's legacy field names at full precision. Percentages (``*_percentage``) are on
a 0-100 scale like Evidently's; shares (``share_*``) are on 0-1.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd
from pydantic import Field

from monitorflow import frame_checks
from monitorflow._types import ColumnName, Float, column_key
from monitorflow.column_mapping import ColumnType, python_scalar
from monitorflow.column_stats import (
    CategoricalStats,
    NumericalStats,
    histogram_edges,
    most_common_with_missing,
    share,
    top_counts,
)
from monitorflow.context import RunContext, Side
from monitorflow.errors import ConfigurationError
from monitorflow.frame_checks import missing_set
from monitorflow.metrics.base import Metric, MetricResult

# ------------------------------------------------------------------------------ dataset summary


class DatasetSummary(MetricResult):
    #: Left out of as_dict() unless include_render, as in Evidently.
    render_fields = frozenset({"columns_type_data"})

    target: ColumnName | None = None
    prediction: ColumnName | list[ColumnName] | None = None
    date_column: ColumnName | None = None
    id_column: ColumnName | None = None
    number_of_columns: int
    number_of_rows: int
    number_of_missing_values: int
    number_of_categorical_columns: int
    number_of_numeric_columns: int
    number_of_text_columns: int
    number_of_datetime_columns: int
    number_of_constant_columns: int
    number_of_almost_constant_columns: int
    number_of_duplicated_columns: int
    number_of_almost_duplicated_columns: int
    number_of_empty_rows: int
    number_of_empty_columns: int
    number_of_duplicated_rows: int
    columns_type_data: dict[str, str] = {}
    nans_by_columns: dict[str, int] = {}
    number_uniques_by_columns: dict[str, int] = {}
    columns_only_in_this_dataset: list[ColumnName] = []


class DatasetSummaryMetricResult(MetricResult):
    almost_duplicated_threshold: float
    almost_constant_threshold: float
    current: DatasetSummary
    reference: DatasetSummary | None = None


def dataset_summary(
    ctx: RunContext, side: Side, almost_duplicated_threshold: float, almost_constant_threshold: float
) -> DatasetSummary:
    definition = ctx.definition
    columns = ctx.column_names(side)
    n_rows = ctx.number_of_rows(side)
    stats = {column: ctx.stats(column, side) for column in columns}
    missing = {column: s.missing for column, s in stats.items()}
    uniques = {column: s.unique for column, s in stats.items()}
    typing = definition.dataset_columns  # Evidently counts columns by its drift-table typing
    only_here_key = "only_in_current" if side == "current" else "only_in_reference"
    almost_duplicated = ctx.almost_duplicated_pairs(side, almost_duplicated_threshold)  # first: one hashing
    return DatasetSummary(
        target=definition.target,
        prediction=definition.prediction_probas or definition.prediction,
        date_column=definition.datetime,
        id_column=definition.id,
        number_of_columns=len(columns),
        number_of_rows=n_rows,
        number_of_missing_values=sum(missing.values()),
        number_of_categorical_columns=len(typing.categorical) if typing else 0,
        number_of_numeric_columns=len(typing.numerical) if typing else 0,
        number_of_text_columns=len(typing.text) if typing else 0,
        number_of_datetime_columns=len(typing.datetime) if typing else 0,
        number_of_constant_columns=sum(1 for u in uniques.values() if u <= 1),
        number_of_almost_constant_columns=sum(
            1 for s in stats.values() if n_rows and s.most_common[1] / n_rows >= almost_constant_threshold
        ),
        number_of_duplicated_columns=ctx.duplicated_columns(side),
        number_of_almost_duplicated_columns=almost_duplicated,
        number_of_empty_rows=ctx.empty_rows(side),
        number_of_empty_columns=sum(1 for m in missing.values() if m == n_rows),
        number_of_duplicated_rows=ctx.duplicated_rows(side),
        columns_type_data={column_key(c): t for c, t in ctx.dtype_names(side).items()},
        nans_by_columns={column_key(c): m for c, m in missing.items()},
        number_uniques_by_columns={column_key(c): u for c, u in uniques.items()},
        columns_only_in_this_dataset=list(definition.skipped_columns.get(only_here_key, [])),
    )


class DatasetSummaryMetric(Metric[DatasetSummaryMetricResult]):
    """Rows, columns by type, missing values, constant, duplicated and empty rows and columns."""

    result_type = DatasetSummaryMetricResult

    almost_duplicated_threshold: float = Field(0.95, gt=0, le=1)
    almost_constant_threshold: float = Field(0.95, gt=0, le=1)

    def calculate(self, ctx: RunContext) -> DatasetSummaryMetricResult:
        def summary(side: Side) -> DatasetSummary:
            return dataset_summary(
                ctx, side, self.almost_duplicated_threshold, self.almost_constant_threshold
            )

        return DatasetSummaryMetricResult(
            almost_duplicated_threshold=self.almost_duplicated_threshold,
            almost_constant_threshold=self.almost_constant_threshold,
            current=summary("current"),
            reference=summary("reference") if ctx.has_reference else None,
        )


# ------------------------------------------------------------------------------- column summary


class ColumnCharacteristics(MetricResult):
    #: ``type`` tells the kinds apart in snapshots; as Evidently's type tag, ``as_dict()`` leaves it out.
    render_fields = frozenset({"type"})

    number_of_rows: int
    count: int
    missing: int
    missing_percentage: Float
    unique: int
    unique_percentage: Float
    most_common: Any = None
    most_common_percentage: Float = math.nan


class NumericCharacteristics(ColumnCharacteristics):
    type: str = "num"
    mean: Float
    std: Float
    min: Float
    p25: Float
    p50: Float
    p75: Float
    max: Float
    infinite_count: int
    infinite_percentage: Float


class CategoricalCharacteristics(ColumnCharacteristics):
    type: str = "cat"
    new_in_current_values_count: int | None = None
    unused_in_current_values_count: int | None = None


class DatetimeCharacteristics(ColumnCharacteristics):
    type: str = "datetime"
    first: str | None = None
    last: str | None = None


class TextCharacteristics(ColumnCharacteristics):
    type: str = "text"
    text_length_min: Float = math.nan
    text_length_mean: Float = math.nan
    text_length_max: Float = math.nan
    non_letter_char_min: Float = math.nan
    non_letter_char_mean: Float = math.nan
    non_letter_char_max: Float = math.nan


Characteristics = (
    NumericCharacteristics | CategoricalCharacteristics | DatetimeCharacteristics | TextCharacteristics
)


class Histogram(MetricResult):
    """Counts of current and reference over shared equal-width bins."""

    edges: list[float]
    current: list[int]
    reference: list[int] | None = None


class ValueCounts(MetricResult):
    """The most frequent values and their counts; the rest summed in ``other``."""

    values: list[Any]
    counts: list[int]
    other: int = 0


class ColumnPlotData(MetricResult):
    histogram: Histogram | None = None
    current_counts: ValueCounts | None = None
    reference_counts: ValueCounts | None = None


class ColumnSummaryResult(MetricResult):
    column_name: ColumnName
    column_type: str
    reference_characteristics: Characteristics | None = None
    current_characteristics: Characteristics
    plot_data: ColumnPlotData


def _percent(part: int, whole: int) -> float:
    return share(100 * part, whole)  # in this order, as Evidently computes it (the same float)


def _common(stats: NumericalStats | CategoricalStats) -> dict[str, Any]:
    value, count = most_common_with_missing(stats)
    n = stats.number_of_rows
    return {
        "number_of_rows": n,
        "count": stats.count,
        "missing": stats.missing,
        "missing_percentage": _percent(stats.missing, n),
        "unique": stats.unique,
        "unique_percentage": _percent(stats.unique, n),
        "most_common": python_scalar(value) if count and value is not None else None,
        "most_common_percentage": _percent(count, n) if count else math.nan,
    }


def numeric_characteristics(stats: NumericalStats) -> NumericCharacteristics:
    return NumericCharacteristics(
        **_common(stats),
        mean=stats.mean,
        std=stats.std,
        min=stats.min,
        p25=stats.quantile(0.25),
        p50=stats.quantile(0.5),
        p75=stats.quantile(0.75),
        max=stats.max,
        infinite_count=stats.infinite_count,
        infinite_percentage=_percent(stats.infinite_count, stats.number_of_rows),
    )


def categorical_characteristics(
    stats: CategoricalStats, reference: CategoricalStats | None
) -> CategoricalCharacteristics:
    new = unused = None
    if reference is not None:
        # sets, not Index.isin: isin on Arrow-backed strings runs a Python loop (seconds at 100k values)
        current_values, reference_values = (
            set(stats.counts.index.tolist()),
            set(reference.counts.index.tolist()),
        )
        # a missing value counts as one value, as in Evidently (NaN new in current is a new value)
        new = len(current_values - reference_values) + int(stats.missing > 0 and reference.missing == 0)
        unused = len(reference_values - current_values) + int(reference.missing > 0 and stats.missing == 0)
    return CategoricalCharacteristics(
        **_common(stats), new_in_current_values_count=new, unused_in_current_values_count=unused
    )


def datetime_characteristics(stats: CategoricalStats) -> DatetimeCharacteristics:
    values = stats.counts.index
    first = pd.Timestamp(values.min()).isoformat() if len(values) else None
    last = pd.Timestamp(values.max()).isoformat() if len(values) else None
    common = _common(stats)
    if isinstance(common["most_common"], pd.Timestamp):
        common["most_common"] = common["most_common"].isoformat()
    return DatetimeCharacteristics(**common, first=first, last=last)


def text_characteristics(stats: CategoricalStats) -> TextCharacteristics:
    """Lengths and shares of non-letters per text, from the distinct texts weighted by their counts."""
    counts = stats.counts
    if counts.empty:
        return TextCharacteristics(**_common(stats))
    text = pd.Series(counts.index.astype(str))
    weights = counts.to_numpy(dtype="float64")
    lengths = text.str.len().to_numpy(dtype="float64")
    letters = text.str.count(r"[^\W\d_]").to_numpy(dtype="float64")
    non_letter = np.divide(lengths - letters, lengths, out=np.zeros_like(lengths), where=lengths > 0) * 100
    return TextCharacteristics(
        **_common(stats),
        text_length_min=lengths.min(),
        text_length_mean=float(np.dot(lengths, weights) / weights.sum()),
        text_length_max=lengths.max(),
        non_letter_char_min=non_letter.min(),
        non_letter_char_mean=float(np.dot(non_letter, weights) / weights.sum()),
        non_letter_char_max=non_letter.max(),
    )


def _value_counts(stats: NumericalStats | CategoricalStats) -> ValueCounts:
    values, counts, other = top_counts(stats.value_counts())
    return ValueCounts(values=[python_scalar(v) for v in values], counts=counts, other=other)


class ColumnSummaryMetric(Metric[ColumnSummaryResult]):
    """Per-column statistics for current and reference, with a histogram or top value counts."""

    result_type = ColumnSummaryResult

    column_name: ColumnName

    def calculate(self, ctx: RunContext) -> ColumnSummaryResult:
        column = self.column_name
        kind = ctx.require_column(column, "ColumnSummaryMetric.column_name")
        sides: list[Side] = ["current", "reference"] if ctx.has_reference else ["current"]
        stats = {side: ctx.stats(column, side) for side in sides}

        def characteristics(side: Side) -> Characteristics:
            s = stats[side]
            if isinstance(s, NumericalStats):
                return numeric_characteristics(s)
            if kind == ColumnType.DATETIME:
                return datetime_characteristics(s)
            if kind == ColumnType.TEXT:
                return text_characteristics(s)
            other = stats.get("reference") if side == "current" else None
            return categorical_characteristics(s, other if isinstance(other, CategoricalStats) else None)

        plot = ColumnPlotData()
        if kind == ColumnType.NUMERICAL:
            numeric = [s for s in stats.values() if isinstance(s, NumericalStats)]
            edges = histogram_edges(*(s.sorted_finite for s in numeric))
            plot.histogram = Histogram(
                edges=edges.tolist(),
                current=numeric[0].histogram(edges).tolist(),
                reference=numeric[1].histogram(edges).tolist() if len(numeric) > 1 else None,
            )
        elif kind == ColumnType.CATEGORICAL:
            plot.current_counts = _value_counts(stats["current"])
            if "reference" in stats:
                plot.reference_counts = _value_counts(stats["reference"])
        return ColumnSummaryResult(
            column_name=column,
            column_type=kind.value,
            current_characteristics=characteristics("current"),
            reference_characteristics=characteristics("reference") if "reference" in stats else None,
            plot_data=plot,
        )


# ------------------------------------------------------------------------------- missing values


class ColumnMissing(MetricResult):
    different_missing_values: dict[str, int]
    number_of_different_missing_values: int
    number_of_missing_values: int
    share_of_missing_values: Float
    number_of_rows: int


def column_missing(ctx: RunContext, column: ColumnName, side: Side, values: tuple[Any, ...]) -> ColumnMissing:
    """Counts of each missing value in one column."""
    counts = ctx.missing_values(side, values)
    if column not in counts.by_column:  # a derived (descriptor) column, counted on its own
        key = ("missing-derived", side, column, tuple(frame_checks.missing_label(v) for v in values))
        counts = ctx.memo(key, lambda: frame_checks.missing_counts(ctx.data(side)[[column]], values))
    n_missing = counts.by_column[column]
    by_value = counts.by_value[column]
    return ColumnMissing(
        different_missing_values=by_value,
        number_of_different_missing_values=sum(1 for c in by_value.values() if c),
        number_of_missing_values=n_missing,
        share_of_missing_values=share(n_missing, counts.rows),
        number_of_rows=counts.rows,
    )


class DatasetMissingValues(MetricResult):
    different_missing_values: dict[str, int]
    number_of_different_missing_values: int
    different_missing_values_by_column: dict[str, dict[str, int]]
    number_of_different_missing_values_by_column: dict[str, int]
    number_of_missing_values: int
    share_of_missing_values: Float
    number_of_missing_values_by_column: dict[str, int]
    share_of_missing_values_by_column: dict[str, Float]
    number_of_rows: int
    number_of_rows_with_missing_values: int
    share_of_rows_with_missing_values: Float
    number_of_columns: int
    columns_with_missing_values: list[ColumnName]
    number_of_columns_with_missing_values: int
    share_of_columns_with_missing_values: Float


class DatasetMissingValuesMetricResult(MetricResult):
    current: DatasetMissingValues
    reference: DatasetMissingValues | None = None


def dataset_missing(ctx: RunContext, side: Side, values: tuple[Any, ...]) -> DatasetMissingValues:
    counts = ctx.missing_values(side, values)
    columns = ctx.column_names(side)
    per_column = {column: column_missing(ctx, column, side, values) for column in columns}
    totals: dict[str, int] = defaultdict(int)
    for result in per_column.values():
        for label, count in result.different_missing_values.items():
            totals[label] += count
    n_rows, n_columns = counts.rows, len(columns)
    n_missing = sum(r.number_of_missing_values for r in per_column.values())
    with_missing = sorted((c for c, r in per_column.items() if r.number_of_missing_values), key=str)
    return DatasetMissingValues(
        different_missing_values=dict(totals),
        number_of_different_missing_values=sum(1 for c in totals.values() if c),
        different_missing_values_by_column={
            column_key(c): r.different_missing_values for c, r in per_column.items()
        },
        number_of_different_missing_values_by_column={
            column_key(c): r.number_of_different_missing_values for c, r in per_column.items()
        },
        number_of_missing_values=n_missing,
        share_of_missing_values=share(n_missing, n_rows * n_columns),
        number_of_missing_values_by_column={
            column_key(c): r.number_of_missing_values for c, r in per_column.items()
        },
        share_of_missing_values_by_column={
            column_key(c): r.share_of_missing_values for c, r in per_column.items()
        },
        number_of_rows=n_rows,
        number_of_rows_with_missing_values=counts.rows_with_any,
        share_of_rows_with_missing_values=share(counts.rows_with_any, n_rows),
        number_of_columns=n_columns,
        columns_with_missing_values=with_missing,
        number_of_columns_with_missing_values=len(with_missing),
        share_of_columns_with_missing_values=share(len(with_missing), n_columns),
    )


class DatasetMissingValuesMetric(Metric[DatasetMissingValuesMetricResult]):
    """Missing values over the dataset: pandas-missing, "", +inf and -inf by default.

    ``missing_values`` replaces that set (``replace=True``) or adds to it (``replace=False``).
    """

    result_type = DatasetMissingValuesMetricResult

    missing_values: list[Any] | None = None
    replace: bool = True

    def calculate(self, ctx: RunContext) -> DatasetMissingValuesMetricResult:
        values = missing_set(self.missing_values, self.replace)
        return DatasetMissingValuesMetricResult(
            current=dataset_missing(ctx, "current", values),
            reference=dataset_missing(ctx, "reference", values) if ctx.has_reference else None,
        )


class ColumnMissingValuesMetricResult(MetricResult):
    column_name: ColumnName
    current: ColumnMissing
    reference: ColumnMissing | None = None


class ColumnMissingValuesMetric(Metric[ColumnMissingValuesMetricResult]):
    """Missing values of one column (same missing set and options as DatasetMissingValuesMetric)."""

    result_type = ColumnMissingValuesMetricResult

    column_name: ColumnName
    missing_values: list[Any] | None = None
    replace: bool = True

    def calculate(self, ctx: RunContext) -> ColumnMissingValuesMetricResult:
        ctx.require_column(self.column_name, "ColumnMissingValuesMetric.column_name")
        values = missing_set(self.missing_values, self.replace)
        return ColumnMissingValuesMetricResult(
            column_name=self.column_name,
            current=column_missing(ctx, self.column_name, "current", values),
            reference=column_missing(ctx, self.column_name, "reference", values)
            if ctx.has_reference
            else None,
        )


# ------------------------------------------------------------------------- regular expressions


def compile_reg_exp(reg_exp: Any, column: Any, owner: str) -> re.Pattern[str]:
    """The compiled pattern, or a ConfigurationError naming the column, the bad value and the fix."""
    where = f"{owner}(column_name={column!r})"
    if isinstance(reg_exp, re.Pattern):
        raise ConfigurationError(
            f"{where}: reg_exp must be the pattern's text, got the compiled pattern {reg_exp!r}; "
            f"pass reg_exp={reg_exp.pattern!r} (flags go inline, e.g. '(?i)' for IGNORECASE)",
            argument="reg_exp",
        )
    if not isinstance(reg_exp, str):
        raise ConfigurationError(
            f"{where}: reg_exp must be a string, got {type(reg_exp).__name__} {reg_exp!r}; "
            r"pass a regular expression as text, e.g. reg_exp=r'^\d{5}$'",
            argument="reg_exp",
        )
    if not reg_exp:
        raise ConfigurationError(
            f"{where}: reg_exp is empty, and an empty pattern matches every value; "
            r"pass the pattern the values must match, e.g. reg_exp=r'^\d{5}$'",
            argument="reg_exp",
        )
    try:
        return re.compile(reg_exp)
    except re.error as exc:
        raise ConfigurationError(
            f"{where}: reg_exp {reg_exp!r} is not a valid regular expression ({exc}); "
            "fix the pattern (escape literal text with re.escape(...))",
            argument="reg_exp",
        ) from None


class DataIntegrityValueByRegexpStat(MetricResult):
    """Matching and non-matching values of one side; missing values are neither."""

    number_of_matched: int
    number_of_not_matched: int
    #: every row, missing values included
    number_of_rows: int
    #: the ``top`` most frequent matching values (as text) and their counts, most frequent first
    table_of_matched: dict[str, int]
    table_of_not_matched: dict[str, int]


class DataIntegrityValueByRegexpMetricResult(MetricResult):
    column_name: ColumnName
    reg_exp: str
    top: int
    current: DataIntegrityValueByRegexpStat
    reference: DataIntegrityValueByRegexpStat | None = None


def _distinct_texts(series: pd.Series) -> tuple[list[str], np.ndarray]:
    """Distinct values of a column without its missing values, as ``str(value)``, with their counts.

    Texts are in order of first appearance. Values are grouped in their own dtype first and each
    distinct value is converted once (floats by their bits, so that ``-0.0`` and ``0.0`` stay two
    texts); an object column holding anything but strings is converted value by value first, so
    that ``1``, ``1.0`` and ``True`` stay three texts.
    """
    present = series[series.notna().to_numpy()]
    if pd.api.types.is_float_dtype(present.dtype):
        floats = present.to_numpy(dtype=getattr(present.dtype, "numpy_dtype", present.dtype))
        codes = pd.factorize(floats.view(f"i{floats.dtype.itemsize}"))[0]
        first = np.unique(codes, return_index=True)[1]  # codes number values in order of appearance
        values = floats[first].tolist()  # Python floats: str() as when iterating the column
    else:
        if present.dtype == object and pd.api.types.infer_dtype(present, skipna=False) != "string":
            present = pd.Series([str(v) for v in present], dtype=object)
        codes, uniques = pd.factorize(present, use_na_sentinel=True)
        values = uniques.tolist()
    counts = np.bincount(codes, minlength=len(values))
    texts = [v if isinstance(v, str) else str(v) for v in values]
    if len(set(texts)) == len(texts):
        return texts, counts
    by_text: dict[str, int] = {}  # distinct values with one text (a category 1 and "1"): add up
    for text, count in zip(texts, counts.tolist(), strict=True):
        by_text[text] = by_text.get(text, 0) + count
    return list(by_text), np.fromiter(by_text.values(), dtype=np.int64, count=len(by_text))


def _most_frequent(texts: list[str], counts: np.ndarray, positions: np.ndarray, top: int) -> dict[str, int]:
    """The ``top`` largest counts among ``positions``; ties keep the order of first appearance."""
    chosen = positions[np.argsort(-counts[positions], kind="stable")[:top]]
    return {texts[i]: int(counts[i]) for i in chosen}


def values_by_reg_exp(
    series: pd.Series, pattern: re.Pattern[str], top: int
) -> DataIntegrityValueByRegexpStat:
    """Counts of the non-missing values whose text ``str(value)`` matches ``pattern`` at its start."""
    texts, counts = _distinct_texts(series)
    match = pattern.match
    matched = np.array([match(t) is not None for t in texts], dtype=bool)
    positions = np.flatnonzero(matched), np.flatnonzero(~matched)
    tables = [_most_frequent(texts, counts, p, top) for p in positions]
    return DataIntegrityValueByRegexpStat(
        number_of_matched=int(counts[matched].sum()),
        number_of_not_matched=int(counts[~matched].sum()),
        number_of_rows=len(series),
        table_of_matched=tables[0],
        table_of_not_matched=tables[1],
    )


class ColumnRegExpMetric(Metric[DataIntegrityValueByRegexpMetricResult]):
    """Values of a column that match a regular expression and values that do not.

    A value matches when ``re.match(reg_exp, str(value))`` does, i.e. at the start of its text, as in
    Evidently: anchor with ``$`` (or ``\\Z``) to require the whole value. Missing values are counted in
    ``number_of_rows`` only. The ``top`` most frequent values of each kind are kept, as text.

    >>> import pandas as pd
    >>> from monitorflow import Report
    >>> metric = ColumnRegExpMetric("zip", reg_exp=r"\\d{5}$")
    >>> report = Report(metrics=[metric])
    >>> report.run(current_data=pd.DataFrame({"zip": ["10115", "1011", None, "ABCDE", "1011"]}))
    >>> result = report.result(metric).current
    >>> result.number_of_matched, result.number_of_not_matched, result.table_of_not_matched
    (1, 3, {'1011': 2, 'ABCDE': 1})
    """

    result_type = DataIntegrityValueByRegexpMetricResult

    column_name: ColumnName
    reg_exp: str
    top: int = Field(10, ge=1)

    def __init__(self, column_name: ColumnName, reg_exp: str, top: int = 10, **kwargs: Any) -> None:
        compile_reg_exp(reg_exp, column_name, type(self).__name__)
        super().__init__(column_name=column_name, reg_exp=reg_exp, top=top, **kwargs)  # type: ignore[call-arg]  # this class's fields

    def calculate(self, ctx: RunContext) -> DataIntegrityValueByRegexpMetricResult:
        column = self.column_name
        ctx.require_column(column, "ColumnRegExpMetric.column_name")
        pattern = compile_reg_exp(self.reg_exp, column, type(self).__name__)

        def side(name: Side) -> DataIntegrityValueByRegexpStat:
            return values_by_reg_exp(ctx.data(name)[column], pattern, self.top)

        return DataIntegrityValueByRegexpMetricResult(
            column_name=column,
            reg_exp=self.reg_exp,
            top=self.top,
            current=side("current"),
            reference=side("reference") if ctx.has_reference else None,
        )
