"""The frame the snapshot tests run reports on: NaN, many categories, datetimes, an integer name."""

from __future__ import annotations

import numpy as np
import pandas as pd


def data(seed: int = 0, n: int = 300) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(10, 2, n)
    x[:5] = np.nan
    return pd.DataFrame(
        {
            "x": x,
            "k": rng.integers(0, 1000, n),
            "small": rng.integers(0, 3, n),
            "city": rng.choice([f"city{i}" for i in range(40)], n),
            "when": pd.date_range("2024-01-01", periods=n, freq="min"),
            "empty": np.nan,
            9: rng.random(n) < 0.5,
        }
    )
