"""``kl_div``: Kullback-Leibler divergence KL(reference || current) over the shared bins, empty bins
filled."""

from __future__ import annotations

from .binning import binned
from .registry import StatTest, register_stattest


def _kl_div(ref, cur):
    from scipy import stats  # lazy: scipy is slow to import

    return stats.entropy(ref, cur)


kl_div_stat_test = register_stattest(
    StatTest(
        "kl_div",
        "Kullback-Leibler divergence",
        "distance",
        frozenset({"cat", "num"}),
        0.1,
        inclusive=True,
        **binned(_kl_div, fill=True),
    )
)
