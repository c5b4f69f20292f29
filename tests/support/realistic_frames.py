"""Hypothesis strategies for frames of realistic size: hundreds to thousands of rows, many columns of
mixed types, with missing values and a few hostile cells.

Hypothesis draws the shape (rows, column kinds and names, each column's distribution, how much is
missing, which hostile values go where) and a seed; numpy draws the bulk of the values from that seed,
so an example stays cheap to generate and to shrink, and the drawn description says what the frame is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st

KINDS = ("float", "int", "bool", "category", "text", "object", "datetime")

#: Values that break naive code, placed into a few drawn cells of a column.
HOSTILE: dict[str, list[Any]] = {
    "float": [math.nan, math.inf, -math.inf, 0.0, -0.0, 1e300, -1e300, 5e-324],
    "int": [0, -(2**40), 2**40],
    "bool": [True, False],
    "category": ["", " ", "é", "nan", "None", "<b>x</b>"],
    "text": ["", "   ", "ünïcödé text", "a" * 2000],
    "object": [None, math.nan, math.inf, "", "1", 1, 2.5, True],
    "datetime": [pd.NaT, pd.Timestamp("1970-01-01"), pd.Timestamp("2262-04-11")],
}
MISSING = [0.0, 0.0, 0.01, 0.2, 0.95, 1.0]  # shares of missing values (NaN / None / NaT) in a column
WORDS = np.array(
    [
        "the",
        "churn",
        "model",
        "drifted",
        "after",
        "a",
        "release",
        "on",
        "monday",
        "night",
        "while",
        "users",
        "slept",
    ]
)
names = st.one_of(
    st.integers(0, 50),
    st.sampled_from(["a", "b", "target", "prediction", "x y", "é", "1", ""]),
    st.text(max_size=6),
)


@dataclass(frozen=True)
class ColumnSpec:
    """How one column is generated (what hypothesis drew for it)."""

    kind: str
    shape: str  # the distribution: see ``_values``
    missing: float
    hostile: tuple[tuple[float, Any], ...]  # (position as a share of the rows, value)


@st.composite
def column_specs(draw: st.DrawFn, kind: str | None = None) -> ColumnSpec:
    kind = kind or draw(st.sampled_from(KINDS))
    shape = draw(st.sampled_from(["wide", "narrow", "constant", "skewed"]))
    hostile = draw(st.lists(st.tuples(st.floats(0, 1), st.sampled_from(HOSTILE[kind])), max_size=4))
    return ColumnSpec(kind, shape, draw(st.sampled_from(MISSING)), tuple(hostile))


def _values(spec: ColumnSpec, n: int, rng: np.random.Generator) -> pd.Series:
    few = {"wide": 200, "narrow": 5, "constant": 1, "skewed": 40}[spec.shape]
    if spec.kind == "float":
        scale = rng.uniform(0.01, 1e4)
        values = {
            "wide": rng.normal(rng.uniform(-1e3, 1e3), scale, n),
            "narrow": rng.integers(0, 5, n) * 0.5,
            "constant": np.full(n, scale),
            "skewed": rng.lognormal(0, 2, n),
        }[spec.shape]
        series = pd.Series(values, dtype="float64")
    elif spec.kind == "int":
        series = pd.Series(
            rng.zipf(1.5, n) if spec.shape == "skewed" else rng.integers(0, few, n), dtype="int64"
        )
    elif spec.kind == "bool":
        series = pd.Series(rng.random(n) < (0.5 if spec.shape != "skewed" else 0.02))
    elif spec.kind == "category":
        labels = np.array([f"c{i}" for i in range(few)])
        weights = 1 / np.arange(1, few + 1) ** (2 if spec.shape == "skewed" else 0)
        series = pd.Series(rng.choice(labels, n, p=weights / weights.sum()), dtype=object)
    elif spec.kind == "text":
        lengths = rng.integers(1, 30 if spec.shape != "constant" else 2, n)
        series = pd.Series([" ".join(rng.choice(WORDS, k)) for k in lengths], dtype=object)
    elif spec.kind == "object":  # numbers, strings and bools mixed in one column
        pool = np.array([1, 2.5, "x", "y", True, 7, "z"], dtype=object)[: max(1, min(7, few))]
        series = pd.Series(rng.choice(pool, n), dtype=object)
    else:
        start = pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 365), unit="D")
        seconds = rng.integers(0, 86_400 * (few if spec.shape != "constant" else 1), n)
        series = pd.Series(start + pd.to_timedelta(seconds, unit="s"))
    return _spoil(series, spec, n, rng)


def _spoil(series: pd.Series, spec: ColumnSpec, n: int, rng: np.random.Generator) -> pd.Series:
    """Missing values at random rows, then the hostile cells (the column becomes object when they need it)."""
    gaps = rng.random(n) < spec.missing
    if gaps.any():
        series = series.astype("float64" if spec.kind in ("int", "bool") else series.dtype).where(~gaps)
    for position, value in spec.hostile:
        row = min(int(position * n), n - 1)
        try:
            series.iloc[row] = value
        except (TypeError, ValueError, OverflowError):
            series = series.astype(object)
            series.iloc[row] = value
    return series


@dataclass(frozen=True)
class FrameSpec:
    rows: int
    columns: dict[Any, ColumnSpec]
    seed: int

    def build(self, rows: int | None = None, seed_offset: int = 0) -> pd.DataFrame:
        n = self.rows if rows is None else rows
        rng = np.random.default_rng(self.seed + seed_offset)
        data = {name: _values(spec, n, rng).reset_index(drop=True) for name, spec in self.columns.items()}
        return pd.DataFrame(data, index=range(n)) if data else pd.DataFrame(index=range(n))


#: Row counts drawn from (plus 0-99 more), so examples spread over hundreds to thousands of rows.
ROW_SIZES = (100, 300, 700, 1500, 2900)


@st.composite
def row_counts(draw: st.DrawFn, max_rows: int = 3000) -> int:
    return min(max_rows, draw(st.sampled_from(ROW_SIZES)) + draw(st.integers(0, 99)))


@st.composite
def frame_specs(draw: st.DrawFn, max_rows: int = 3000, max_columns: int = 16) -> FrameSpec:
    """A frame of 100..``max_rows`` rows and 3..``max_columns`` columns of mixed kinds."""
    width = draw(st.sampled_from(range(3, max_columns + 1)))
    columns = draw(st.dictionaries(names, column_specs(), min_size=width, max_size=width))
    return FrameSpec(draw(row_counts(max_rows)), columns, draw(st.integers(0, 2**32 - 1)))


@st.composite
def runs(draw: st.DrawFn, max_rows: int = 3000) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """(current, reference or None): the reference has its own size and sometimes one column less or more."""
    spec = draw(frame_specs(max_rows=max_rows))
    current = spec.build()
    if not draw(st.booleans()):
        return current, None
    ref_columns = dict(spec.columns)
    if draw(st.booleans()):  # a different column set: drop one, add one
        ref_columns.pop(draw(st.sampled_from(sorted(ref_columns, key=str))))
        ref_columns[draw(names)] = draw(column_specs())
    ref_spec = FrameSpec(draw(row_counts(max_rows)), ref_columns, spec.seed)
    return current, ref_spec.build(seed_offset=1)
