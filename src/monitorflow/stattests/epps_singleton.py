"""``es``: Epps-Singleton p-value, comparing empirical characteristic functions of the two samples.

The test scales by the pooled interquartile range; when that is 0 a clear per-column error is raised.
"""

from __future__ import annotations

import numpy as np

from .registry import StatTest, register_stattest
from .utils import as_float


def _epps_singleton_pvalue(reference, current, column_type):
    from scipy import stats  # lazy: scipy is slow to import

    ref, cur = as_float(reference), as_float(current)
    if min(len(ref), len(cur)) < 5:
        raise ValueError("it needs at least 5 values in each sample")
    q25, q75 = np.percentile(np.concatenate([ref, cur]), [25, 75])
    if q25 == q75:
        raise ValueError(
            "the pooled sample has an interquartile range of 0 (its middle 50% is the single value "
            f"{q25!r}); use 'ks' or 'wasserstein' for this column"
        )
    return stats.epps_singleton_2samp(ref, cur).pvalue


epps_singleton_test = register_stattest(
    StatTest("es", "Epps-Singleton", "p_value", frozenset({"num"}), 0.05, _epps_singleton_pvalue)
)
