"""``psi``: Population Stability Index, ``sum((r - c) * ln(r / c))`` over the shared bins with empty bins filled."""

from __future__ import annotations

import numpy as np

from .binning import get_binned_data
from .registry import StatTest, register_stattest


def _psi(reference, current, column_type):
    ref, cur = get_binned_data(reference, current, column_type)
    return np.sum((ref - cur) * np.log(ref / cur))


psi_stat_test = register_stattest(
    StatTest("psi", "PSI", "distance", frozenset({"cat", "num"}), 0.1, _psi, inclusive=True)
)
