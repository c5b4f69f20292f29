"""Arrow types and tables as the engine compares and converts them: the logical type checked between
partitions, the pandas dtype a whole column gets, Arrow tables to pandas frames, and row slices."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from monitorflow.errors import SchemaMismatchError


def _logical(kind: pa.DataType) -> pa.DataType:
    """The type compared between partitions: dictionaries by value type, large strings as strings."""
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    if pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
        return pa.string()
    if pa.types.is_large_binary(kind) or pa.types.is_binary_view(kind):
        return pa.binary()
    return kind


def check_schema(
    expected: pa.Schema, actual: pa.Schema, where: str, columns: Sequence[str] | None = None
) -> None:
    """Refuse a partition whose columns are missing or of another type than the source's."""
    names = expected.names if columns is None else columns
    for column in names:
        want = _logical(expected.field(column).type)
        index = actual.get_field_index(column)
        if index < 0:
            raise SchemaMismatchError(where, column, str(want), None)
        got = _logical(actual.field(index).type)
        if got != want and not pa.types.is_null(got) and not pa.types.is_null(want):
            raise SchemaMismatchError(where, column, str(want), str(got))


def pandas_dtype(kind: pa.DataType, has_nulls: bool) -> Any:
    """The pandas dtype ``pd.read_parquet`` gives a whole column of this Arrow type."""
    kind = _logical(kind)
    if has_nulls and pa.types.is_integer(kind):
        return np.dtype("float64")
    if has_nulls and pa.types.is_boolean(kind):
        return np.dtype("object")
    return pa.schema([pa.field("c", kind)]).empty_table().to_pandas().dtypes["c"]


def declared_dtypes(schema: pa.Schema) -> dict[str, Any]:
    """The nullable pandas dtypes (``Int64``, ``Float64``, ``boolean``, ``string``) that the schema's
    pandas metadata restores, as ``pd.read_parquet`` does for a file written from pandas. Categories
    are not restored: the engine reads dictionary columns as plain values."""
    if not schema.metadata or b"pandas" not in schema.metadata:
        return {}
    restored = schema.empty_table().to_pandas().dtypes
    return {
        column: dtype
        for column, dtype in restored.items()
        if getattr(dtype, "na_value", None) is pd.NA and not isinstance(dtype, pd.ArrowDtype)
    }


def to_frame(table: pa.Table, dtypes: dict[str, Any] | None = None) -> pd.DataFrame:
    """An Arrow table as pandas, each column in the dtype of the whole source (``dtypes``); texts read
    as dictionaries become plain texts again (not pandas categoricals)."""
    for i, item in enumerate(table.schema):
        if pa.types.is_dictionary(item.type):
            table = table.set_column(i, item.name, table.column(i).cast(item.type.value_type))
    frame = table.to_pandas()
    for column, dtype in (dtypes or {}).items():
        if column in frame.columns and frame[column].dtype != dtype:
            frame[column] = frame[column].astype(dtype)
    return frame


def is_text(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def slices(table: pa.Table, rows: int) -> Iterator[pa.Table]:
    """``table`` in consecutive slices of at most ``rows`` rows (zero-copy)."""
    for start in range(0, table.num_rows, rows):
        yield table.slice(start, rows)
