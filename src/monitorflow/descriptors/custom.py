"""Custom descriptors: your own function of one column, or of a pair of columns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from pydantic import Field

from monitorflow._types import ColumnName, ColumnReader, DerivedColumn
from monitorflow.descriptors.base import Descriptor, DescriptorColumn
from monitorflow.errors import ConfigurationError, MetricError

_TYPES = {"num": "num", "cat": "cat", "numerical": "num", "categorical": "cat"}


def _column_type(value: Any) -> str:
    kind = _TYPES.get(str(getattr(value, "value", value)).lower())
    if kind is None:
        raise ConfigurationError(
            f"feature_type must be 'num' or 'cat', got {value!r}", argument="feature_type"
        )
    return kind


def _aligned(result: Any, rows: pd.Index, display_name: str, by_index: bool) -> pd.Series:
    """The function's result, one value per row: a Series is matched on the index if ``by_index``."""
    if isinstance(result, pd.Series) and by_index:
        return result.reindex(rows).reset_index(drop=True)
    values = result.to_numpy() if isinstance(result, pd.Series) else np.asarray(result, dtype=object)
    if values.ndim != 1 or len(values) != len(rows):
        raise MetricError(
            f"the function of {display_name!r} returned {values.size} values for {len(rows)} rows; "
            "return a Series (or array) with one value per row"
        )
    return pd.Series(values)


class _Custom(Descriptor):
    func: Callable[..., Any] | None = Field(None, exclude=True)
    display_name: str
    feature_type: Any = "num"

    def model_post_init(self, context: Any) -> None:
        _column_type(self.feature_type)

    def outputs(self, column: ColumnName | None) -> dict[str, str]:
        return {self.title(column): _column_type(self.feature_type)}

    def _function(self) -> Callable[..., Any]:
        if self.func is None:
            raise ConfigurationError(
                f"{self.type_name} {self.display_name!r} has no function (functions are not stored in "
                "snapshots); pass func=...",
                argument="func",
            )
        return self.func


class CustomColumnEval(_Custom):
    """``func(column) -> Series`` of your own, one value per row; ``feature_type`` is "num" or "cat"."""

    name: str = ""

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        source = data.column(column)
        return _aligned(self._function()(source), source.index, self.display_name, by_index=True)


class CustomPairColumnEval(_Custom):
    """``func(first, second) -> Series`` of your own over two columns; use ``.as_column()``."""

    first_column: str
    second_column: str

    def as_column(self) -> DerivedColumn:
        """The column of this descriptor's values."""
        derivation = DescriptorColumn(self, None)
        return DerivedColumn(derivation.main_output, derivation)

    def sources(self, column: ColumnName | None) -> tuple[ColumnName | None, ...]:
        return (self.first_column, self.second_column)

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        first = data.column(self.first_column)
        result = self._function()(first, data.column(self.second_column))
        return _aligned(result, first.index, self.display_name, by_index=False)
