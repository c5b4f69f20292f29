"""``jensenshannon``: Jensen-Shannon distance (natural log, range [0, sqrt(ln 2)]) over the shared bins, no
smoothing.

The default for large categorical columns and low-cardinality numerical ones.
"""

from __future__ import annotations

from .binning import binned
from .registry import StatTest, register_stattest


def _jensenshannon(ref, cur):
    from scipy.spatial import distance  # lazy: scipy is slow to import

    return distance.jensenshannon(ref, cur, base=None)


jensenshannon_stat_test = register_stattest(
    StatTest(
        "jensenshannon",
        "Jensen-Shannon distance",
        "distance",
        frozenset({"cat", "num"}),
        0.1,
        inclusive=True,
        **binned(_jensenshannon, fill=False),
    )
)
