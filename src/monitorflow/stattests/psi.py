"""``psi``: Population Stability Index, ``sum((r - c) * ln(r / c))`` over the shared bins with empty bins
filled."""

from __future__ import annotations

import numpy as np

from .binning import binned
from .registry import StatTest, register_stattest


def _psi(ref, cur):
    return np.sum((ref - cur) * np.log(ref / cur))


psi_stat_test = register_stattest(
    StatTest(
        "psi", "PSI", "distance", frozenset({"cat", "num"}), 0.1, inclusive=True, **binned(_psi, fill=True)
    )
)
