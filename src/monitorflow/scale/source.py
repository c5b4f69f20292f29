"""Lazy sources: datasets read partition by partition, never whole.

The engine needs two things from a source (the interface other executors build on, see
``docs/scale.md``):

- :meth:`LazySource.partitions` -> independently readable :class:`Partition` objects (picklable,
  so that a Dask worker can read one); ``partition.read(columns)`` returns an Arrow table with just
  those columns, and ``partition.name`` names it in errors (file and row group).
- :meth:`LazySource.schema` -> the Arrow schema every partition must have.

Optional capabilities a source may add (the engine checks with ``hasattr``): ``profile(kinds)``
returning merged :class:`~monitorflow.scale.profile.ColumnProfile` objects computed elsewhere (SQL
push-down), and ``sorted_values(column)`` yielding a column's finite values in ascending order in
chunks (``ORDER BY``), used instead of the engine's own external sort. A partition may also read
itself in row slices (``read_batches(columns, rows)``, Arrow tables of at most ``rows`` rows), which
:func:`read_frames` uses so that row-level passes hold a slice, not a whole row group.

:class:`ParquetSource` reads a Parquet dataset (a file, a folder, a glob, hive partitions; local or
``s3://``) with ``pyarrow.dataset`` by row groups, projecting the columns asked for and pushing an
optional time filter down. :class:`FrameSource` slices a pandas DataFrame into partitions (tests,
and a frame mixed with a lazy source in one run).

>>> import pandas as pd
>>> source = FrameSource(pd.DataFrame({"x": range(5)}), rows_per_partition=2)
>>> [p.name for p in source.partitions()]
['frame rows 0-1', 'frame rows 2-3', 'frame rows 4-4']
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Protocol, runtime_checkable

import pandas as pd
import pyarrow as pa

from monitorflow.scale.arrow_convert import (
    check_schema,
    declared_dtypes,
    pandas_dtype,
    slices,
    to_frame,
)
from monitorflow.scale.frame_source import FramePartition, FrameSource
from monitorflow.scale.parquet_source import ParquetPartition, ParquetSource

__all__ = [
    "FramePartition",
    "FrameSource",
    "LazySource",
    "ParquetPartition",
    "ParquetSource",
    "Partition",
    "check_schema",
    "declared_dtypes",
    "is_lazy",
    "iter_frames",
    "pandas_dtype",
    "read_frame",
    "read_frames",
    "slices",
    "to_frame",
]


@runtime_checkable
class Partition(Protocol):
    """One independently readable piece of a lazy source."""

    @property
    def name(self) -> str: ...

    @property
    def rows(self) -> int:
        """Rows before any filter (an upper bound that orders partitions; exact without a filter)."""
        ...

    @property
    def row_offset(self) -> int:
        """Position of the partition's first row in the source (before any filter)."""
        ...

    def read(self, columns: Sequence[str]) -> pa.Table: ...


@runtime_checkable
class LazySource(Protocol):
    """A dataset the engine reads partition by partition (see the module docstring)."""

    name: str

    def schema(self) -> pa.Schema: ...

    def partitions(self) -> list[Partition]: ...


def is_lazy(value: Any) -> bool:
    return isinstance(value, LazySource) and not isinstance(value, pd.DataFrame)


def read_frame(
    partition: Partition, columns: Sequence[str], dtypes: dict[str, Any] | None = None
) -> pd.DataFrame:
    """A partition's columns as pandas in the source's whole-column dtypes."""
    reader = getattr(partition, "read_frame", None)
    if reader is not None:
        return reader(columns)
    return to_frame(partition.read(columns), dtypes)


def read_frames(
    partition: Partition, columns: Sequence[str], rows: int | None, dtypes: dict[str, Any] | None = None
) -> Iterator[pd.DataFrame]:
    """A partition's columns as pandas in slices of at most ``rows`` rows, in order (``None``: whole)."""
    if rows is None:
        yield read_frame(partition, columns, dtypes)
        return
    own = getattr(partition, "read_frames", None)
    if own is not None:
        yield from own(columns, rows)
        return
    batches = getattr(partition, "read_batches", None)
    for table in batches(columns, rows) if batches is not None else slices(partition.read(columns), rows):
        yield to_frame(table, dtypes)


def iter_frames(
    source: LazySource, columns: Sequence[str], dtypes: dict[str, Any] | None = None
) -> Iterator[tuple[Partition, pd.DataFrame]]:
    """Every partition of ``source`` with the given columns, in order."""
    for partition in source.partitions():
        yield partition, read_frame(partition, columns, dtypes)
