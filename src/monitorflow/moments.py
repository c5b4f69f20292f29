"""Count, mean and sum of squared deviations of values, merged across parts with Chan's formula.

Shared by the column profiles of lazy sources (:mod:`monitorflow.scale.profile`) and the metrics that
accumulate over chunks of rows (the regression metrics), so that both give the same numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: Values per step of the moments' sum of squares.
_BLOCK = 1 << 16


@dataclass(frozen=True)
class Moments:
    """Count, mean and sum of squared deviations (M2) of finite values."""

    count: int = 0
    mean: float = math.nan
    m2: float = 0.0

    @classmethod
    def of(cls, finite: np.ndarray) -> Moments:
        n = int(finite.size)
        if n == 0:
            return cls()
        m2 = 0.0
        with np.errstate(over="ignore", invalid="ignore"):
            mean = float(finite.mean())
            buffer = np.empty(min(n, _BLOCK))
            for start in range(0, n, _BLOCK):  # small temporaries: no fresh pages per column
                block = finite[start : start + _BLOCK]
                centred = np.subtract(block, mean, out=buffer[: block.size])
                # multiply and sum, not np.dot: threaded BLAS stalls for milliseconds on a busy machine
                m2 += float(np.multiply(centred, centred, out=centred).sum())
        return cls(n, mean, m2)

    def merge(self, other: Moments) -> Moments:
        """Chan et al.'s pairwise update; the operands are put in a canonical order first, so that
        ``a.merge(b)`` and ``b.merge(a)`` are the same bits."""
        if other.count == 0:
            return self
        if self.count == 0:
            return other
        a, b = (
            (self, other)
            if (self.count, self.mean, self.m2) <= (other.count, other.mean, other.m2)
            else (other, self)
        )
        n = a.count + b.count
        with np.errstate(over="ignore", invalid="ignore"):
            delta = b.mean - a.mean
            mean = a.mean + delta * (b.count / n)
            m2 = a.m2 + b.m2 + delta * delta * (a.count * (b.count / n))
        return Moments(n, float(mean), float(m2))

    @property
    def std(self) -> float:
        """Sample standard deviation (ddof=1, like pandas)."""
        return math.sqrt(self.m2 / (self.count - 1)) if self.count > 1 else math.nan
