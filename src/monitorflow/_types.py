"""Small shared types: JSON-safe floats and column names."""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer

#: A column name as pandas allows it in practice: a string or an integer.
ColumnName = str | int


def _none_to_nan(value: Any) -> Any:
    return math.nan if value is None else value


def _non_finite_to_none(value: float) -> float | None:
    return value if value is not None and math.isfinite(value) else None


#: A float that is NaN in Python and ``null`` in JSON (JSON has no NaN or infinity).
Float = Annotated[
    float,
    BeforeValidator(_none_to_nan),
    PlainSerializer(_non_finite_to_none, return_type=float | None, when_used="json"),
]


def column_key(column: ColumnName) -> str:
    """The key a column gets in JSON objects (JSON keys are strings)."""
    return column if isinstance(column, str) else str(column)
