"""Test conditions: ``eq, not_eq, gt, gte, lt, lte, is_in, not_in`` with numbers or ``approx``."""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, ConfigDict

from monitorflow.errors import ConfigurationError

DEFAULT_RELATIVE = 1e-6
DEFAULT_ABSOLUTE = 1e-12


class ApproxValue(BaseModel):
    """A value with a tolerance: ``max(|value| * relative, absolute)``."""

    model_config = ConfigDict(frozen=True)

    value: float
    relative: float = DEFAULT_RELATIVE
    absolute: float = DEFAULT_ABSOLUTE

    @property
    def tolerance(self) -> float:
        return max(abs(self.value) * self.relative, self.absolute)

    def __str__(self) -> str:
        return f"{_fmt(self.value)} ± {_fmt(self.tolerance)}"


def approx(value: float, relative: float | None = None, absolute: float | None = None) -> ApproxValue:
    """A value compared with a tolerance.

    >>> str(approx(500, relative=0.1))
    '500 ± 50'
    """
    if relative is not None and relative <= 0:
        raise ConfigurationError(f"approx relative must be > 0, got {relative}", argument="relative")
    if absolute is not None and absolute < 0:
        raise ConfigurationError(f"approx absolute must be >= 0, got {absolute}", argument="absolute")
    return ApproxValue(
        value=float(value),
        relative=DEFAULT_RELATIVE if relative is None else relative,
        absolute=DEFAULT_ABSOLUTE if absolute is None else absolute,
    )


Bound = float | int | ApproxValue

_SYMBOLS = {
    "eq": "=",
    "not_eq": "!=",
    "gt": ">",
    "gte": ">=",
    "lt": "<",
    "lte": "<=",
    "is_in": "in",
    "not_in": "not in",
}


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return f"{value:.6g}"
    return str(value)


def _check(operator: str, value: float, bound: Bound) -> bool:
    if isinstance(bound, ApproxValue):
        low, high = bound.value - bound.tolerance, bound.value + bound.tolerance
        return {
            "eq": low <= value <= high,
            "not_eq": not (low <= value <= high),
            "gt": value > high,
            "gte": value >= low,
            "lt": value < low,
            "lte": value <= high,
        }[operator]
    return {
        "eq": value == bound,
        "not_eq": value != bound,
        "gt": value > bound,
        "gte": value >= bound,
        "lt": value < bound,
        "lte": value <= bound,
    }[operator]


class TestValueCondition(BaseModel):
    """All given conditions must hold (AND)."""

    __test__ = False
    model_config = ConfigDict(frozen=True)

    eq: Bound | None = None
    not_eq: Bound | None = None
    gt: Bound | None = None
    gte: Bound | None = None
    lt: Bound | None = None
    lte: Bound | None = None
    is_in: list[Any] | None = None
    not_in: list[Any] | None = None

    def is_set(self) -> bool:
        return any(v is not None for v in self.model_dump(exclude_none=True).values())

    def has_condition(self) -> bool:
        """Evidently's name for :meth:`is_set`."""
        return self.is_set()

    def check_value(self, value: Any) -> bool:
        """Evidently's name for :meth:`check`."""
        return self.check(value)

    def as_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)

    def items(self) -> list[tuple[str, Any]]:
        return [(name, getattr(self, name)) for name in _SYMBOLS if getattr(self, name) is not None]

    def check(self, value: Any) -> bool:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return False
        for operator, bound in self.items():
            if operator == "is_in":
                ok = value in bound
            elif operator == "not_in":
                ok = value not in bound
            else:
                ok = _check(operator, float(value), bound)
            if not ok:
                return False
        return True

    def __str__(self) -> str:
        return " and ".join(f"{op}={_fmt(b)}" for op, b in self.items())

    def in_words(self, value: Any) -> str:
        """e.g. ``0.031 <= 0.02 ± 0.002``."""
        shown = _fmt(float(value)) if isinstance(value, int | float) else _fmt(value)
        parts = [
            f"{shown} {_SYMBOLS[op]} {_fmt(b) if not isinstance(b, list) else b}" for op, b in self.items()
        ]
        return " and ".join(parts)
