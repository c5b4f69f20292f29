"""Generators: metrics or tests made per column at run time (``generate_column_metrics`` /
``generate_column_tests``), or by a ``BaseGenerator`` subclass of your own.

``columns``: a list of names, or ``"all"`` (every column but the id; the default), ``"num"``,
``"cat"``, ``"text"`` (features of that type) or ``"features"`` (every feature: no target,
prediction, datetime or id column). ``parameters`` go to every generated object.

>>> from monitorflow.metrics import ColumnQuantileMetric
>>> generator = make_generator_by_columns(ColumnQuantileMetric, ["a", "b"], {"quantile": 0.25})
>>> [m.column_name for m in generator.generate(None)]
['a', 'b']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from monitorflow.column_mapping import ColumnType
from monitorflow.errors import ConfigurationError

if TYPE_CHECKING:
    from monitorflow.column_mapping import DataDefinition

T = TypeVar("T")
SELECTIONS = ("all", "num", "cat", "text", "features")


class BaseGenerator(Generic[T]):
    """Subclass and implement ``generate(data_definition) -> list`` of metrics or tests."""

    def generate(self, data_definition: DataDefinition) -> list[T]:
        raise NotImplementedError

    @property
    def type_name(self) -> str:
        return type(self).__name__


class ColumnsGenerator(BaseGenerator[T]):
    """``base_class(column_name=c, **parameters)`` for every selected column ``c``."""

    def __init__(
        self,
        base_class: Callable[..., T],  # a class taking column_name and the parameters as keywords
        columns: str | list[Any] | None,
        parameters: dict[str, Any] | None,
    ):
        if isinstance(columns, str) and columns not in SELECTIONS:
            raise ConfigurationError(
                f"columns={columns!r}: give a list of column names or one of {list(SELECTIONS)}",
                argument="columns",
            )
        if parameters is not None and "column_name" in parameters:
            raise ConfigurationError(
                "parameters must not hold column_name: it is set per column", argument="parameters"
            )
        self.base_class = base_class
        self.columns = columns
        self.parameters = dict(parameters or {})

    @property
    def type_name(self) -> str:
        return f"{self.base_class.__name__}Generator"

    def column_names(self, definition: DataDefinition | None) -> list[Any]:
        if isinstance(self.columns, list | tuple):
            return list(self.columns)
        if definition is None:
            raise ConfigurationError(
                "a column selection needs the data definition of a run", argument="columns"
            )

        kinds = {"num": ColumnType.NUMERICAL, "cat": ColumnType.CATEGORICAL, "text": ColumnType.TEXT}
        if self.columns in (None, "all"):
            return [c.name for c in definition.get_columns() if c.name != definition.id]
        if self.columns == "features":
            return [c.name for c in definition.get_columns(features_only=True)]
        return [c.name for c in definition.get_columns(kinds[self.columns], features_only=True)]

    def generate(self, data_definition: DataDefinition | None) -> list[T]:
        return [self.base_class(column_name=c, **self.parameters) for c in self.column_names(data_definition)]


def make_generator_by_columns(
    base_class: type[T],
    columns: str | list[Any] | None = None,
    parameters: dict[str, Any] | None = None,
    skip_id_column: bool = False,
) -> ColumnsGenerator[T]:
    """A generator of ``base_class`` objects, one per selected column (``skip_id_column`` is accepted:
    the id column is never selected by name kinds)."""
    return ColumnsGenerator(base_class, columns, parameters)
