"""Windows read lazily (``kind: parquet``, SQL ``pushdown``): row counts and segments without rows.

A window's data is a DataFrame or a lazy source (``monitorflow.scale``). For a lazy source a
segment is the same source with the segment's value as one more filter, pushed down to the row
groups or into the SQL ``WHERE``; segment values are found by reading only the segment columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import pyarrow as pa

from monitorflow.errors import ColumnNotFoundError, ConfigurationError

#: Separator of the values of several segment columns in one segment name.
SEGMENT_SEPARATOR = "/"


def is_lazy(data: Any) -> bool:
    return data is not None and not isinstance(data, pd.DataFrame) and hasattr(data, "partitions")


def count_rows(data: Any) -> int:
    """Rows of a frame or of a lazy source (its filters applied; no column is read)."""
    if not is_lazy(data):
        return len(data.index)
    own = getattr(data, "rows", None)
    if callable(own):
        return int(own())
    return sum(partition.read([]).num_rows for partition in data.partitions())


def _check_columns(source: Any, columns: Sequence[str]) -> pa.Schema:
    schema = source.schema()
    for column in columns:
        if column not in schema.names:
            raise ColumnNotFoundError(column, "segments.columns", "the data", schema.names)
    return schema


def segment_values(source: Any, columns: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Every segment of a lazy source: its name (values joined by ``/``) and each column's value."""
    _check_columns(source, columns)
    found: dict[str, dict[str, Any]] = {}
    for partition in source.partitions():
        frame = partition.read(list(columns)).to_pandas().drop_duplicates()
        for row in frame.itertuples(index=False):
            if any(pd.isna(v) for v in row):
                continue  # a row without a segment value belongs to no segment, as with frames
            name = SEGMENT_SEPARATOR.join(str(v) for v in row)
            found.setdefault(name, dict(zip(columns, (_plain(v) for v in row), strict=True)))
    return dict(sorted(found.items()))


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def typed_values(source: Any, columns: Sequence[str], name: str) -> dict[str, Any]:
    """The filter of a listed segment name: its text parsed as each column's type."""
    schema = _check_columns(source, columns)
    parts = name.split(SEGMENT_SEPARATOR, len(columns) - 1)
    if len(parts) != len(columns):
        raise ConfigurationError(
            f"segment {name!r} names {len(parts)} value(s) for {len(columns)} segment columns "
            f"{list(columns)}; join the values with {SEGMENT_SEPARATOR!r}",
            argument="segments.values",
        )
    values: dict[str, Any] = {}
    for column, text in zip(columns, parts, strict=True):
        kind = schema.field(column).type
        try:
            if pa.types.is_integer(kind):
                values[column] = int(text)
            elif pa.types.is_floating(kind):
                values[column] = float(text)
            elif pa.types.is_boolean(kind):
                values[column] = {"True": True, "False": False}[text]
            else:
                values[column] = text
        except (ValueError, KeyError):
            raise ConfigurationError(
                f"segment value {text!r} of column {column!r} is not a {kind} value; list values as they are "
                "stored",
                argument="segments.values",
            ) from None
    return values


def split_lazy(source: Any, columns: Sequence[str], listed: Sequence[str] | None) -> list[tuple[str, Any]]:
    """(segment, the source filtered to it) for the listed segments, else for every one present."""
    if listed:
        return [(name, source.where(**typed_values(source, columns, name))) for name in listed]
    return [(name, source.where(**values)) for name, values in segment_values(source, columns).items()]


def reference_of_segment(reference: Any, columns: Sequence[str], segment: str) -> Any:
    """A lazy reference filtered to the segment when it has the segment columns, else itself."""
    if not all(c in reference.schema().names for c in columns):
        return reference
    return reference.where(**typed_values(reference, columns, segment))
