"""Shared vectorised helpers for the stattests: cleaning, numeric views, category counts over the union."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


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


def category_counts(reference: pd.Series, current: pd.Series) -> tuple[pd.Index, np.ndarray, np.ndarray]:
    """Distinct values of reference ∪ current with their counts on each side (one factorize pass)."""
    pooled = pd.concat([reference, current], ignore_index=True)
    codes, uniques = pd.factorize(pooled)
    if len(codes) and codes.min() < 0:
        raise ValueError("the samples contain missing values; drop them first (monitorflow.stattests.clean)")
    n_ref = len(reference)
    ref_counts = np.bincount(codes[:n_ref], minlength=len(uniques))
    cur_counts = np.bincount(codes[n_ref:], minlength=len(uniques))
    return pd.Index(uniques), ref_counts, cur_counts


def smallest_key_position(keys: pd.Index) -> int:
    """Position of the smallest key; mixed types that do not compare are ordered by (type name, str)."""
    try:
        return min(range(len(keys)), key=keys.__getitem__)
    except TypeError:
        return min(range(len(keys)), key=lambda i: (type(keys[i]).__name__, str(keys[i])))


def counts_pvalue(reference: pd.Series, current: pd.Series, lambda_: str) -> float:
    """Goodness-of-fit p-value of current counts against reference counts scaled to the current size.

    A category seen only in current has expected count 0, hence an infinite statistic and p = 0; a
    single category on both sides has nothing to compare and gives p = 1.
    """
    _, ref_counts, cur_counts = category_counts(reference, current)
    if len(ref_counts) < 2:
        return 1.0
    if np.any((ref_counts == 0) & (cur_counts > 0)):
        return 0.0
    expected = ref_counts * (len(current) / len(reference))
    return float(stats.power_divergence(cur_counts, expected, lambda_=lambda_).pvalue)
