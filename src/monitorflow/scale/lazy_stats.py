"""Column statistics of a lazy side from its profiles: numerical statistics whose sorted values load
on first use, value counts in the whole column's dtype, and numbers counted in a column typed
otherwise."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from monitorflow.column_stats import CategoricalStats, NumericalStats
from monitorflow.errors import ColumnTypeError, NotComputableLazily
from monitorflow.scale.side import LazySide
from monitorflow.sorted_values import RunLength


def numerical_stats(lazy: LazySide, column: Any) -> NumericalStats:
    profile = lazy.profiles[column]
    return NumericalStats.from_summary(
        rows=profile.rows,
        missing=profile.missing,
        positive_infinite=profile.positive_infinite,
        negative_infinite=profile.negative_infinite,
        finite_count=profile.moments.count,
        mean=profile.moments.mean,
        m2=profile.moments.m2,
        minimum=profile.minimum,
        maximum=profile.maximum,
        load_sorted=lambda: lazy.sorted_values(column),
    )


def keys_in_dtype(keys: np.ndarray, dtype: Any) -> pd.Index:
    """Value-count keys as the whole column's dtype would hold them (ints of an integer column)."""
    if isinstance(dtype, np.dtype) and dtype.kind in "iu" and keys.dtype.kind == "f":
        return pd.Index(keys.astype(dtype))
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        return pd.Index(np.asarray(keys, dtype=np.float64))
    return pd.Index(keys, dtype=object) if keys.dtype == object else pd.Index(keys)


def value_counts(lazy: LazySide, column: Any) -> pd.Series:
    """The column's ``value_counts()``: most frequent first, ties by first appearance."""
    profile = lazy.profiles[column]
    if profile.values is None:
        raise NotComputableLazily(
            f"counting the values of column {column!r}",
            "it has more distinct values than are counted exactly; declare it numerical "
            "(numerical_features) or leave it out",
            lazy.name,
        )
    series = profile.values.series()
    series.index = keys_in_dtype(series.index.to_numpy(), lazy.dtypes()[column])
    return series


def numerical_from_counts(lazy: LazySide, column: Any, stats: CategoricalStats) -> NumericalStats:
    """Numerical statistics of a column typed otherwise whose values are numbers (exact counts)."""
    counts = stats.counts
    if counts.index.dtype.kind in "mM" or counts.index.dtype == bool:
        keys = None
    else:
        keys = pd.to_numeric(pd.Series(counts.index, dtype=object), errors="coerce").to_numpy(
            dtype=np.float64
        )
    if keys is None or (np.isnan(keys).any() and len(counts)):
        bad = counts.index[0] if keys is None else counts.index[np.isnan(keys)][0]
        raise ColumnTypeError(
            column,
            lazy.dataset,
            "numerical",
            bad,
            fix=(
                "this statistic needs numbers: use it on a numerical column, or convert this one "
                "with pd.to_numeric"
            ),
        )
    numbers = counts.to_numpy(dtype=np.int64)
    finite = np.isfinite(keys)
    order = np.argsort(keys[finite], kind="stable")
    values, weights = keys[finite][order], numbers[finite][order]
    distinct, start = np.unique(values, return_index=True) if values.size else (values, np.zeros(0, np.int64))
    summed = np.add.reduceat(weights, start) if values.size else weights
    n = int(summed.sum())
    mean = float(np.dot(distinct, summed) / n) if n else math.nan
    m2 = float(np.dot(summed, (distinct - mean) ** 2)) if n else 0.0
    sorted_values = RunLength(distinct, summed, lazy.budget)
    return NumericalStats.from_summary(
        rows=stats.number_of_rows,
        missing=stats.missing,
        positive_infinite=int(numbers[keys == np.inf].sum()),
        negative_infinite=int(numbers[keys == -np.inf].sum()),
        finite_count=n,
        mean=mean,
        m2=m2,
        minimum=float(distinct[0]) if n else math.nan,
        maximum=float(distinct[-1]) if n else math.nan,
        load_sorted=lambda: sorted_values,
    )
