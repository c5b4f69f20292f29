"""``wasserstein``: 1-D Wasserstein distance divided by the reference's population std (floored at 0.001).

The default for large numerical columns: a scale-free distance that does not shrink to "always drift"
as n grows, unlike p-values.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from .registry import StatTest, register_stattest
from .utils import as_float


def _wasserstein_normed(reference, current, column_type):
    ref = as_float(reference)
    return stats.wasserstein_distance(ref, as_float(current)) / max(np.std(ref), 0.001)


wasserstein_stat_test = register_stattest(
    StatTest(
        "wasserstein",
        "Wasserstein distance (normed)",
        "distance",
        frozenset({"num"}),
        0.1,
        _wasserstein_normed,
        inclusive=True,
    )
)
