"""Descriptors: per-row features of a column that the engine sees as derived columns.

``TextLength().on("review")`` is a :class:`~monitorflow._types.DerivedColumn` named by the descriptor's
display name ("Text Length for review"). Any metric or test takes it where it takes a column; the run
computes it once, on first use, for current and reference, and adds it to the frames and the data
definition. Equal descriptors on the same column are one column; two different descriptors with the
same display name are a configuration error (give one a ``display_name``).

A descriptor computes from a :class:`~monitorflow._types.ColumnReader` (one side of a run, or one
partition of the data), so the same code serves in-memory runs and per-partition profiles.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any, ClassVar

import pandas as pd
from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer

from monitorflow._types import ColumnName, ColumnReader, DerivedColumn
from monitorflow.config import Config
from monitorflow.errors import ConfigurationError
from monitorflow.ids import fingerprint

_PLAIN = (str, int, float, bool, list, tuple, dict, type(None), BaseModel)

#: Every descriptor class by its name (Evidently's), filled at import; used to reload snapshots.
DESCRIPTORS: dict[str, type[Descriptor]] = {}


class Descriptor(Config):
    """Base of every descriptor. Subclasses set ``column_type`` and ``default_name`` and implement ``values``.

    ``default_name`` is formatted with ``column`` and the descriptor's fields.
    """

    model_config = ConfigDict(
        frozen=True, extra="forbid", arbitrary_types_allowed=True, populate_by_name=True
    )

    display_name: str | None = None

    keyword_only: ClassVar[frozenset[str]] = frozenset({"display_name"})
    #: "num", "cat" or "text": how metrics treat the values.
    column_type: ClassVar[str] = "num"
    default_name: ClassVar[str] = "{column}"

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if not cls.__name__.startswith("_") and "[" not in cls.__name__:
            DESCRIPTORS[cls.__name__] = cls

    # ------------------------------------------------------------------------------ naming

    def on(self, column: ColumnName) -> DerivedColumn:
        """The column of this descriptor's values for ``column`` (use it wherever a column goes)."""
        derivation = DescriptorColumn(self, column)
        return DerivedColumn(derivation.main_output, derivation)

    def for_column(self, column: ColumnName) -> DerivedColumn:
        """Same as :meth:`on` (Evidently's name)."""
        return self.on(column)

    def title(self, column: ColumnName | None) -> str:
        """The display name of the values for ``column``."""
        if self.display_name:
            return self.display_name
        fields = {name: getattr(self, name) for name in type(self).model_fields}
        return self.default_name.format(column=column, **fields)

    # --------------------------------------------------------------------------- computing

    def sources(self, column: ColumnName | None) -> tuple[ColumnName | None, ...]:
        """The columns the values are computed from."""
        return (column,)

    def outputs(self, column: ColumnName | None) -> dict[str, str]:
        """Name -> type of each column computed (one for most descriptors)."""
        return {self.title(column): self.column_type}

    def main_output(self, column: ColumnName | None) -> str:
        """The output that ``.on(column)`` names."""
        return next(iter(self.outputs(column)))

    def compute(self, data: ColumnReader, column: ColumnName | None) -> Mapping[str, pd.Series]:
        """Every output for one side (or partition) of the data."""
        return {self.main_output(column): self.values(data, column)}

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        """The values of a single-output descriptor, one per row of ``data``."""
        raise NotImplementedError

    @cached_property
    def identity(self) -> str:
        """Equal for descriptors that compute the same thing: parameters, plus the identity of objects
        (functions, models, clients) that parameters store only by name."""
        objects = {
            name: f"{type(value).__qualname__}@{id(value)}"
            for name in type(self).model_fields
            if not isinstance(value := getattr(self, name), _PLAIN)
        }
        return fingerprint(self.type_name, {**self.params(), **objects})

    def spec(self) -> dict[str, Any]:
        """The descriptor as JSON: its type name and non-default parameters."""
        return {"type": self.type_name, **self.params()}


@dataclass(frozen=True, eq=False)
class DescriptorColumn:
    """A descriptor applied to a column: the derivation behind a :class:`DerivedColumn`."""

    descriptor: Descriptor
    column: ColumnName | None

    @cached_property
    def key(self) -> str:
        return f"{self.descriptor.identity}:{self.column!r}"

    @property
    def sources(self) -> tuple[ColumnName | None, ...]:
        return self.descriptor.sources(self.column)

    @property
    def main_output(self) -> str:
        return self.descriptor.main_output(self.column)

    def outputs(self) -> dict[str, str]:
        return self.descriptor.outputs(self.column)

    def compute(self, data: ColumnReader) -> Mapping[str, pd.Series]:
        return self.descriptor.compute(data, self.column)

    def describe(self) -> dict[str, Any]:
        return {"descriptor": self.descriptor.spec(), "column": self.column}


class FrameReader:
    """A :class:`~monitorflow._types.ColumnReader` over one frame: a partition, or data outside a run.

    >>> FrameReader(pd.DataFrame({"t": ["ab", "cd"]})).column("t").tolist()
    ['ab', 'cd']
    """

    def __init__(self, frame: pd.DataFrame, shared: dict[Any, Any] | None = None):
        self.frame = frame
        self.shared = {} if shared is None else shared
        self._memo: dict[Any, Any] = {}

    def column(self, name: Any) -> pd.Series:
        return self.frame[name]

    def memo(self, key: Any, compute: Any) -> Any:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


def descriptor_from_spec(value: Any) -> Any:
    """A descriptor from its JSON spec (``{"type": "TextLength", ...}``); descriptors pass unchanged."""
    if isinstance(value, Mapping) and "type" in value:
        params = dict(value)
        name = params.pop("type")
        cls = DESCRIPTORS.get(name)
        if cls is None:
            raise ConfigurationError(f"unknown descriptor type {name!r}; known: {sorted(DESCRIPTORS)}")
        return cls(**params)
    return value


#: A descriptor as a field of a metric or preset: stored as its spec, read back from it.
DescriptorField = Annotated[
    Descriptor, BeforeValidator(descriptor_from_spec), PlainSerializer(lambda d: d.spec(), return_type=dict)
]


class PairDescriptor(Descriptor):
    """A descriptor of a column compared row by row with ``with_column``."""

    with_column: str

    def sources(self, column: ColumnName | None) -> tuple[ColumnName | None, ...]:
        return (column, self.with_column)


def as_bool_object(values: Any, missing: Any) -> pd.Series:
    """Booleans, with None where ``missing`` (then an object column, as pandas keeps bools with NaN)."""
    if missing is None or not missing.any():
        return pd.Series(values, dtype=bool)
    series = pd.Series(values, dtype=bool).astype(object)
    series[missing] = None
    return series


def check_mode(mode: str, allowed: tuple[str, ...], owner: str) -> str:
    if mode not in allowed:
        raise ConfigurationError(
            f"{owner}: mode must be one of {list(allowed)}, got {mode!r}", argument="mode"
        )
    return mode
