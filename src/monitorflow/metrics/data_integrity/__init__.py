"""Dataset and column summaries (Evidently's data-integrity metrics); missing values and regular
expressions are in :mod:`monitorflow.metrics.missing_values` and :mod:`monitorflow.metrics.reg_exp`.

Results keep Evidently's legacy field names at full precision. Percentages (``*_percentage``) are on
a 0-100 scale like Evidently's; shares (``share_*``) are on 0-1.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from pydantic import Field

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
from monitorflow.metrics.base import Metric, MetricResult
from monitorflow.metrics.missing_values import (  # also importable from here, as before
    ColumnMissing,
    ColumnMissingValuesMetric,
    ColumnMissingValuesMetricResult,
    DatasetMissingValues,
    DatasetMissingValuesMetric,
    DatasetMissingValuesMetricResult,
    column_missing,
    dataset_missing,
)
from monitorflow.metrics.reg_exp import (  # also importable from here, as before
    ColumnRegExpMetric,
    DataIntegrityValueByRegexpMetricResult,
    DataIntegrityValueByRegexpStat,
    compile_reg_exp,
    values_by_reg_exp,
)

__all__ = [
    "CategoricalCharacteristics",
    "Characteristics",
    "ColumnCharacteristics",
    "ColumnMissing",
    "ColumnMissingValuesMetric",
    "ColumnMissingValuesMetricResult",
    "ColumnPlotData",
    "ColumnRegExpMetric",
    "ColumnSummaryMetric",
    "ColumnSummaryResult",
    "DataIntegrityValueByRegexpMetricResult",
    "DataIntegrityValueByRegexpStat",
    "DatasetMissingValues",
    "DatasetMissingValuesMetric",
    "DatasetMissingValuesMetricResult",
    "DatasetSummary",
    "DatasetSummaryMetric",
    "DatasetSummaryMetricResult",
    "DatetimeCharacteristics",
    "Histogram",
    "NumericCharacteristics",
    "TextCharacteristics",
    "ValueCounts",
    "categorical_characteristics",
    "column_missing",
    "compile_reg_exp",
    "dataset_missing",
    "dataset_summary",
    "datetime_characteristics",
    "numeric_characteristics",
    "text_characteristics",
    "values_by_reg_exp",
]

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

    @property
    def columns_type(self) -> dict[str, Any]:
        """Each column's dtype (``np.dtype("float64")``...), from ``columns_type_data``."""
        return {column: pd.api.types.pandas_dtype(name) for column, name in self.columns_type_data.items()}


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
    #: Percent of words out of NLTK's English word list (a missing text counts 0, as in Evidently), rounded
    #: to 3 places as Evidently's; None without the ``text`` extra, which holds the word list.
    oov_min: Float | None = None
    oov_mean: Float | None = None
    oov_max: Float | None = None


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
        **_oov_summary(text, weights, stats.missing),
    )


def _oov_summary(text: pd.Series, weights: np.ndarray, missing: int) -> dict[str, float]:
    """``oov_min`` / ``oov_mean`` / ``oov_max`` over the rows: the distinct texts weighted by their counts,
    and the missing texts (0: no words); nothing without the word list."""
    from monitorflow.descriptors import OOV  # lazy: the text extra, only for text columns
    from monitorflow.descriptors.base import FrameReader  # lazy: with OOV
    from monitorflow.errors import MissingDependencyError  # lazy: with OOV

    try:
        oov = OOV().values(FrameReader(pd.DataFrame({"text": text})), "text").to_numpy(dtype="float64")
    except MissingDependencyError:
        return {}
    if missing:
        oov, weights = np.append(oov, 0.0), np.append(weights, float(missing))
    mean = float(np.dot(oov, weights) / weights.sum())
    return {"oov_min": round(oov.min(), 3), "oov_mean": round(mean, 3), "oov_max": round(oov.max(), 3)}


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
