"""``wasserstein``: 1-D Wasserstein distance divided by the reference's population std (floored at 0.001).

The default for large numerical columns: a scale-free distance that does not shrink to "always drift"
as n grows, unlike p-values.

The distance is the area between the two empirical CDFs (scipy's ``wasserstein_distance``), streamed
from the sorted values (:mod:`.ecdf`), so it needs neither side in memory; the reference's
standard deviation comes from its moments.
"""

from __future__ import annotations

from .ecdf import wasserstein_distance
from .registry import StatTest, register_stattest
from .utils import on_sorted


def _wasserstein_normed(reference, current):
    return wasserstein_distance(reference, current) / max(reference.population_std, 0.001)


wasserstein_stat_test = register_stattest(
    StatTest(
        "wasserstein",
        "Wasserstein distance (normed)",
        "distance",
        frozenset({"num"}),
        0.1,
        on_sorted(_wasserstein_normed),
        inclusive=True,
        sorted_func=_wasserstein_normed,
    )
)
