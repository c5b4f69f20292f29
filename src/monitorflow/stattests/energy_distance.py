"""``ed``: energy distance between the two samples (not normalised); drift only when strictly above the threshold."""

from __future__ import annotations

from .registry import StatTest, register_stattest
from .utils import as_float


def _energy_distance(reference, current, column_type):
    from scipy import stats  # lazy: scipy is slow to import

    return stats.energy_distance(as_float(reference), as_float(current))


energy_dist_test = register_stattest(
    StatTest("ed", "Energy-distance", "distance", frozenset({"num"}), 0.1, _energy_distance)
)
