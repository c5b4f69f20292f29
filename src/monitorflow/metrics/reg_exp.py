"""ColumnRegExpMetric: how many values of a text column a regular expression matches (at their start)."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
from pydantic import Field

from monitorflow._types import ColumnName
from monitorflow.context import RunContext, Side
from monitorflow.errors import ConfigurationError
from monitorflow.metrics.base import Metric, MetricResult


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
