"""What the data-integrity metric tests share: a mixed frame (NaN, +-inf, empty strings, duplicated
columns) and pandas's count of almost duplicated column pairs."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd


def make_frame(seed: int, n: int = 400) -> pd.DataFrame:
    """Mixed dtypes with NaN, +-inf, empty strings, duplicated and almost duplicated columns."""
    rng = np.random.default_rng(seed)
    num = rng.normal(10, 3, n)
    num[rng.random(n) < 0.1] = np.nan
    num[0], num[1], num[2] = np.inf, -np.inf, np.inf
    big_int = rng.integers(0, 1000, n)
    near_copy = big_int.copy()
    near_copy[: max(1, n // 50)] += 1  # 2% of rows differ: almost duplicated (>= 95% equal)
    cat = rng.choice(["red", "green", "blue", ""], n, p=[0.5, 0.3, 0.15, 0.05]).astype(object)
    cat[rng.random(n) < 0.05] = None
    times = pd.Series(pd.date_range("2024-01-01", periods=n, freq="h"))
    times[rng.random(n) < 0.05] = pd.NaT
    return pd.DataFrame(
        {
            "num": num,
            "num_copy": num.copy(),
            "big_int": big_int,
            "near_copy": near_copy,
            "small_int": rng.integers(0, 4, n),
            "cat": cat,
            "flag": rng.random(n) < 0.3,
            "const": np.full(n, 7.0),
            "almost_const": np.where(np.arange(n) < max(1, n // 100), 1, 0) + 3,
            "when": times,
            "empty": np.full(n, np.nan),
        }
    )


def pandas_almost_duplicated_pairs(frame: pd.DataFrame, threshold: float) -> int:
    """Pairs of same-dtype columns whose ``Series.eq`` share is at least ``threshold``."""
    pairs = 0
    for a, b in combinations(frame.columns, 2):
        if frame[a].dtype.name != frame[b].dtype.name:
            continue
        if frame[a].eq(frame[b]).sum() / len(frame) >= threshold:
            pairs += 1
    return pairs
