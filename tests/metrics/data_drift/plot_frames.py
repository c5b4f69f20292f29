"""What the plot-metric tests share: a frame with numerical, categorical, datetime, target and prediction
columns, a report run, and histogram edges computed with numpy."""

from __future__ import annotations

import numpy as np
import pandas as pd

from monitorflow import Report


def _frame(rng: np.random.Generator, n: int, shift: float = 0.0, start: str = "2024-01-01") -> pd.DataFrame:
    num = rng.normal(shift, 1.0, n)
    return pd.DataFrame(
        {
            "num": num,
            "other": rng.normal(0.0, 3.0, n) + num,
            "cat": rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2]),
            "ts": pd.Timestamp(start) + pd.to_timedelta(np.sort(rng.uniform(0, 150 * 24, n)), unit="h"),
            "target": 2.0 * num + rng.normal(0.0, 0.5, n),
            "prediction": 2.0 * num + rng.normal(0.0, 0.7, n),
        }
    )


def _run(metrics, reference, current, mapping=None) -> Report:
    report = Report(metrics=metrics)
    report.run(reference_data=reference, current_data=current, column_mapping=mapping)
    return report


def _edges(*arrays: np.ndarray, bins: int) -> np.ndarray:
    values = np.concatenate([a[np.isfinite(a)] for a in arrays])
    return np.linspace(values.min(), values.max(), bins + 1)
