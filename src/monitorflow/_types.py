"""Small shared types: JSON-safe floats, column names (plain or derived), a widget's width."""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping
from enum import IntEnum
from typing import TYPE_CHECKING, Annotated, Any, Protocol

from pydantic import BaseModel, BeforeValidator, PlainSerializer, WrapValidator

if TYPE_CHECKING:
    import pandas as pd


class ColumnReader(Protocol):
    """What a derivation reads: the columns of one side of a run (or of one partition)."""

    def column(self, name: Any) -> pd.Series: ...

    def memo(self, key: Hashable, compute: Callable[[], Any]) -> Any: ...

    @property
    def shared(self) -> dict[Hashable, Any]:
        """A cache shared by every side of the run (e.g. model answers by input hash)."""


class Derivation(Protocol):
    """How derived columns are computed from other columns (e.g. a text descriptor on a column)."""

    @property
    def key(self) -> str:
        """Equal for equal computations (the same descriptor on the same columns)."""

    @property
    def sources(self) -> tuple[Any, ...]:
        """The columns it reads."""

    def outputs(self) -> dict[str, str]:
        """Name -> column type ("num", "cat" or "text") of every column it produces."""

    def compute(self, data: ColumnReader) -> Mapping[str, pd.Series]:
        """Every output column, aligned with the rows of ``data``."""

    def describe(self) -> dict[str, Any]:
        """A JSON-ready record of the computation (stored in the data definition)."""


class DerivedColumn(str):
    """A column computed at run time from other columns, e.g. ``TextLength().on("review")``.

    It is its name (a ``str``) wherever a column name goes; the run computes it once, on first use,
    and from then on it is a column like any other. ``derivation`` says how.
    """

    derivation: Derivation

    def __new__(cls, name: str, derivation: Derivation) -> DerivedColumn:
        column = super().__new__(cls, name)
        column.derivation = derivation
        return column

    def __reduce__(self) -> tuple[Any, ...]:
        return DerivedColumn, (str(self), self.derivation)

    def __copy__(self) -> DerivedColumn:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> DerivedColumn:
        return self

    def __repr__(self) -> str:  # shown in messages like any column name
        return repr(str(self))


def _keep_derived(value: Any, handler: Callable[[Any], Any]) -> Any:
    return value if isinstance(value, DerivedColumn) else handler(value)


#: A column name as pandas allows it in practice: a string or an integer. A :class:`DerivedColumn`
#: passes validation unchanged, so a metric given ``TextLength().on("review")`` keeps its derivation.
ColumnName = Annotated[str | int, WrapValidator(_keep_derived)]


def _none_to_nan(value: Any) -> Any:
    return math.nan if value is None else value


def _non_finite_to_none(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


#: A float that is NaN in Python and ``null`` in JSON (JSON has no NaN or infinity).
Float = Annotated[
    float,
    BeforeValidator(_none_to_nan),
    PlainSerializer(_non_finite_to_none, return_type=float | None, when_used="json"),
]


def column_key(column: ColumnName) -> str:
    """The key a column gets in JSON objects (JSON keys are strings)."""
    return str(column)


def derived_columns_in(value: Any) -> list[DerivedColumn]:
    """Every DerivedColumn held by ``value`` (a metric, test or preset, with nested lists and models).

    An object may also name the derived columns it will use with a ``derived_columns()`` method.
    """
    found: dict[str, DerivedColumn] = {}

    def walk(item: Any) -> None:
        if isinstance(item, DerivedColumn):
            found.setdefault(item.derivation.key + "\0" + item, item)
        elif isinstance(item, str | int | float | bool) or item is None:
            return
        elif isinstance(item, Mapping):
            for v in item.values():
                walk(v)
        elif isinstance(item, list | tuple | set | frozenset):
            for v in item:
                walk(v)
        elif isinstance(item, BaseModel):
            named = getattr(item, "derived_columns", None)
            if callable(named):
                for column in named():
                    walk(column)
            for name in type(item).model_fields:
                walk(getattr(item, name, None))

    walk(value)
    return list(found.values())


class WidgetSize(IntEnum):
    """Panel width: HALF is one column of the grid, FULL spans both (a dashboard panel, a custom metric)."""

    HALF = 1
    FULL = 2
