"""An estimated number with its standard errors and its band."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Estimated:
    """``value`` ± ``band_z`` standard errors, clipped to [``floor``, ``ceiling``].

    ``sampling_error``: the spread of the realized value around its expectation (the labels are
    random); ``reference_error``: the uncertainty of what was fitted on a finite reference (the
    calibrator, or the error model). They are independent, so they add in quadrature.
    """

    value: float
    sampling_error: float
    reference_error: float
    band_z: float
    floor: float = 0.0
    ceiling: float = 1.0

    @property
    def standard_error(self) -> float:
        return math.hypot(self.sampling_error, self.reference_error)

    @property
    def lower(self) -> float:
        return min(max(self.value - self.band_z * self.standard_error, self.floor), self.ceiling)

    @property
    def upper(self) -> float:
        return min(max(self.value + self.band_z * self.standard_error, self.floor), self.ceiling)

    def covers(self, realized: float) -> bool:
        """Whether ``realized`` lies in the band."""
        return self.lower <= realized <= self.upper


__all__ = ["Estimated"]
