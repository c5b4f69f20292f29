"""``ed``: energy distance between the two samples (not normalised); drift only when strictly above the
threshold.

``sqrt(2 ∫ (F_ref - F_cur)² dx)`` over the two empirical CDFs (scipy's ``energy_distance``),
streamed from the sorted values (:mod:`.ecdf`).
"""

from __future__ import annotations

from .ecdf import energy_distance
from .registry import StatTest, register_stattest
from .utils import on_sorted

energy_dist_test = register_stattest(
    StatTest(
        "ed",
        "Energy-distance",
        "distance",
        frozenset({"num"}),
        0.1,
        on_sorted(energy_distance),
        sorted_func=energy_distance,
    )
)
