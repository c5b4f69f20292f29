"""Shared vectorised helpers for the stattests: cleaning, numeric views, category counts over the union."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from monitorflow.column_stats import NumericalStats


def clean(series: pd.Series) -> pd.Series:
    """Drop NaN/None and +/-inf, as the drift pipeline does per side before calling a stattest.

    >>> clean(pd.Series([1.0, float("nan"), float("inf"), 2.0])).tolist()
    [1.0, 2.0]
    """
    series = series if isinstance(series, pd.Series) else pd.Series(series)
    if pd.api.types.is_float_dtype(series.dtype):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        return series[np.isfinite(values)]
    return series.replace([np.inf, -np.inf], np.nan).dropna()


def as_float(series: pd.Series) -> np.ndarray:
    """The values of a numerical series as a float64 array."""
    return series.to_numpy(dtype=np.float64)


def same_constant(reference: np.ndarray, current: np.ndarray) -> bool:
    """True when both samples hold one and the same value (no evidence of drift at all)."""
    first = reference[0]
    return bool((reference == first).all() and (current == first).all())


@dataclass(frozen=True)
class CategoryCounts:
    """The distinct values of reference ∪ current and how often each occurs on each side."""

    keys: pd.Index
    reference: np.ndarray
    current: np.ndarray

    @property
    def n_reference(self) -> int:
        return int(self.reference.sum())

    @property
    def n_current(self) -> int:
        return int(self.current.sum())

    def sorted(self) -> CategoryCounts:
        """The same counts ordered by value (mixed types by type name, then text), so that results
        that depend on the order (seeded permutations) do not depend on how values were counted."""
        try:
            order = np.argsort(self.keys.to_numpy(), kind="stable")
        except TypeError:
            order = np.array(
                sorted(range(len(self.keys)), key=lambda i: (type(self.keys[i]).__name__, str(self.keys[i]))),
                dtype=np.intp,
            )
        return CategoryCounts(self.keys[order], self.reference[order], self.current[order])

    @classmethod
    def from_value_counts(cls, reference: pd.Series, current: pd.Series) -> CategoryCounts:
        """Align two ``value_counts`` results (value -> count) over the union of their values."""
        position = reference.index.get_indexer(current.index)  # -1: a value only current has
        new = position < 0
        n_new = int(new.sum())
        keys = reference.index.append(current.index[new]) if n_new else reference.index
        ref_counts = reference.to_numpy(dtype=np.int64)
        if n_new:
            ref_counts = np.concatenate([ref_counts, np.zeros(n_new, dtype=np.int64)])
            position[new] = np.arange(len(reference), len(keys))
        cur_counts = np.zeros(len(keys), dtype=np.int64)
        cur_counts[position] = current.to_numpy(dtype=np.int64)
        return cls(keys, ref_counts, cur_counts)


def category_counts(reference: pd.Series, current: pd.Series) -> CategoryCounts:
    """Distinct values of reference ∪ current with their counts on each side (one factorize pass)."""
    pooled = pd.concat([reference, current], ignore_index=True)
    codes, uniques = pd.factorize(pooled)
    if len(codes) and codes.min() < 0:
        raise ValueError("the samples contain missing values; drop them first (monitorflow.stattests.clean)")
    n_ref = len(reference)
    ref_counts = np.bincount(codes[:n_ref], minlength=len(uniques))
    cur_counts = np.bincount(codes[n_ref:], minlength=len(uniques))
    return CategoryCounts(pd.Index(uniques), ref_counts, cur_counts)


def counted(score: Callable[[CategoryCounts, str], float]) -> Callable[[pd.Series, pd.Series, str], float]:
    """The series form of a score computed from counts: count first, then score."""

    def from_series(reference: pd.Series, current: pd.Series, column_type: str) -> float:
        return score(category_counts(reference, current), column_type)

    from_series.__name__ = from_series.__qualname__ = getattr(score, "__name__", "score")
    return from_series


def on_sorted(
    score: Callable[[Any, Any], float], other: Callable[[pd.Series, pd.Series, str], float] | None = None
) -> Callable[[pd.Series, pd.Series, str], float]:
    """The series form of a score computed from two sides' numerical statistics (``sorted_func``):
    numerical series are summarised first; other column types go to ``other``."""

    def from_series(reference: pd.Series, current: pd.Series, column_type: str) -> float:
        if column_type != "num" and other is not None:
            return other(reference, current, column_type)

        return score(NumericalStats(as_float(reference)), NumericalStats(as_float(current)))

    from_series.__name__ = from_series.__qualname__ = getattr(score, "__name__", "score")
    return from_series


def same_constant_stats(reference: Any, current: Any) -> bool:
    """:func:`same_constant` from two sides' numerical statistics (minimum and maximum)."""
    return bool(reference.min == reference.max == current.min == current.max)


def smallest_key_position(keys: pd.Index) -> int:
    """Position of the smallest key; mixed types that do not compare are ordered by (type name, str)."""
    try:
        return min(range(len(keys)), key=keys.__getitem__)
    except TypeError:
        return min(range(len(keys)), key=lambda i: (type(keys[i]).__name__, str(keys[i])))


def counts_pvalue(counts: CategoryCounts, lambda_: str) -> float:
    """Goodness-of-fit p-value of current counts against reference counts scaled to the current size.

    A category seen only in current has expected count 0, hence an infinite statistic and p = 0; a
    single category on both sides has nothing to compare and gives p = 1.
    """
    from scipy import stats  # lazy: scipy is slow to import

    ref_counts, cur_counts = counts.reference, counts.current
    if len(ref_counts) < 2:
        return 1.0
    if np.any((ref_counts == 0) & (cur_counts > 0)):
        return 0.0
    expected = ref_counts * (counts.n_current / counts.n_reference)
    return float(stats.power_divergence(cur_counts, expected, lambda_=lambda_).pvalue)
