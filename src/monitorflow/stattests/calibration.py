"""A/A calibration: how often the default stattest flags drift between two samples of one distribution.

Used by the tests at small sizes and run by hand at large ones (up to 1,000,000 rows) to report
false-alarm rates of the automatic method choice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from .default import default_stattest


def _draw(rng: np.random.Generator, column_type: str, n: int, shares: Sequence[float]) -> pd.Series:
    if column_type == "num":
        return pd.Series(rng.standard_normal(n))
    labels = np.array([f"c{i}" for i in range(len(shares))])
    return pd.Series(rng.choice(labels, size=n, p=np.asarray(shares) / np.sum(shares)))


def false_alarm_rates(
    sizes: Iterable[int] = (100, 1000, 10_000, 100_000),
    repetitions: int = 200,
    column_types: Iterable[str] = ("num", "cat"),
    seed: int = 0,
    category_shares: Sequence[float] = (0.4, 0.3, 0.2, 0.1),
) -> pd.DataFrame:
    """Share of A/A repetitions in which the default test reports drift, per size and column type.

    "num" draws N(0, 1); "cat" draws categories with ``category_shares`` (default 4 categories,
    0.4/0.3/0.2/0.1). Reference and current both have ``n`` rows. Returns one row per
    (n, column_type) with the test(s) used, the number of alarms and their rate.

    >>> false_alarm_rates(sizes=[50], repetitions=5, column_types=["num"])[["n", "stattest", "repetitions"]]
        n stattest  repetitions
    0  50       ks            5
    """
    rng = np.random.default_rng(seed)
    rows = []
    for n in sizes:
        for column_type in column_types:
            alarms, used = 0, set()
            for _ in range(repetitions):
                reference = _draw(rng, column_type, n, category_shares)
                current = _draw(rng, column_type, n, category_shares)
                test = default_stattest(reference, current, column_type)
                used.add(test.name)
                alarms += test(reference, current, column_type).drifted
            rows.append(
                {
                    "n": n,
                    "column_type": column_type,
                    "stattest": ",".join(sorted(used)),
                    "repetitions": repetitions,
                    "false_alarms": alarms,
                    "false_alarm_rate": alarms / repetitions,
                }
            )
    return pd.DataFrame(rows)
