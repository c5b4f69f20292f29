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

import copy
import fnmatch
import hashlib
import posixpath
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from monitorflow.errors import SchemaMismatchError, SourceError
from monitorflow.timeutil import to_utc


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


# ------------------------------------------------------------------------------- type checks


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


# ------------------------------------------------------------------------------------ Parquet


#: Decode a row group's columns on pyarrow's threads (False: the calling thread only; partitions are
#: already read in parallel by the engine's workers).
THREADED_READS = False

#: Bytes of a column chunk held at once when a row group is read in slices (pages are streamed).
READ_BUFFER = 1 << 20


@dataclass(frozen=True)
class ParquetPartition:
    """One row group of one Parquet file (picklable: the fragment carries path and filesystem)."""

    fragment: Any = field(repr=False)
    row_group: int
    rows: int
    row_offset: int
    schema: pa.Schema = field(repr=False)
    filter: Any = field(default=None, repr=False)

    @property
    def path(self) -> str:
        return str(self.fragment.path)

    @property
    def name(self) -> str:
        return f"{self.path} row group {self.row_group}"

    def read(self, columns: Sequence[str]) -> pa.Table:
        try:
            return self.fragment.to_table(
                columns=list(columns), filter=self.filter, schema=self.schema, use_threads=THREADED_READS
            )
        except (OSError, pa.ArrowException) as exc:
            raise SourceError(f"cannot read {self.name}: {exc}", self.path) from exc

    def read_batches(self, columns: Sequence[str], rows: int) -> Iterator[pa.Table]:
        """The row group's ``columns`` in slices of at most ``rows`` rows, decoded page by page (a
        filtered or hive-partitioned read is decoded whole, then sliced)."""
        columns = list(columns)
        if (
            self.filter is not None
            or _physical(columns, self.schema, self.fragment.partition_expression) != columns
        ):
            yield from slices(self.read(columns), rows)
            return

        texts = [c for c in columns if _is_text(self.schema.field(c).type)]
        try:
            with self.fragment.filesystem.open_input_file(self.path) as handle:
                reader = pq.ParquetFile(
                    handle, metadata=self.fragment.metadata, read_dictionary=texts, pre_buffer=False,
                    buffer_size=READ_BUFFER,
                )  # fmt: skip
                batches = reader.iter_batches(
                    batch_size=rows, row_groups=[self.row_group], columns=columns, use_threads=THREADED_READS
                )
                for batch in batches:
                    yield pa.Table.from_batches([batch])
        except (OSError, pa.ArrowException) as exc:
            raise SourceError(f"cannot read {self.name}: {exc}", self.path) from exc


def _is_text(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def slices(table: pa.Table, rows: int) -> Iterator[pa.Table]:
    """``table`` in consecutive slices of at most ``rows`` rows (zero-copy)."""
    for start in range(0, table.num_rows, rows):
        yield table.slice(start, rows)


def _partition_fields(expression: Any) -> set[str]:
    """Columns a hive partition expression sets (``day == 1 and region == "eu"``)."""
    if expression is None:
        return set()
    import pyarrow.dataset as ds  # lazy: heavy (pyarrow)

    try:
        return set(ds.get_partition_keys(expression))
    except (TypeError, pa.ArrowException):
        return set()


def _physical(columns: Sequence[str], schema: pa.Schema, expression: Any) -> list[str]:
    keys = _partition_fields(expression)
    return [c for c in columns if c not in keys and schema.get_field_index(c) >= 0]


class ParquetSource:
    """A Parquet dataset read lazily by row groups.

    ``path``: a file, a folder (hive partitions ``key=value/`` are columns), a glob
    (``data/2026-01-*.parquet``) or a list of files; local or ``s3://bucket/prefix`` (pyarrow's S3
    filesystem; pass ``filesystem`` for an endpoint or credentials). ``time_column`` with ``start``
    and/or ``end`` keeps rows with ``start <= time < end``, pushed down to row-group statistics.
    ``columns``: read only these (all by default).

    >>> import tempfile, pathlib, pandas as pd
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"x": [1.0, 2.0, 3.0]}).to_parquet(folder / "a.parquet")
    >>> ParquetSource(folder).schema().names
    ['x']
    """

    def __init__(
        self,
        path: str | Any | Sequence[str | Any],
        *,
        filesystem: Any = None,
        time_column: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        partitioning: str | None = "hive",
        filters: dict[str, Any] | None = None,
        columns: Sequence[str] | None = None,
    ) -> None:
        if (start is not None or end is not None) and time_column is None:
            raise SourceError(
                "start/end filter rows by time: also pass time_column", str(path), transient=False
            )
        self._paths = [str(p) for p in path] if isinstance(path, list | tuple) else [str(path)]
        self.name = (
            self._paths[0] if len(self._paths) == 1 else f"{self._paths[0]} (+{len(self._paths) - 1} more)"
        )
        self._filesystem = filesystem
        self.time_column = time_column
        self.start = None if start is None else to_utc(start)
        self.end = None if end is None else to_utc(end)
        self._partitioning = partitioning
        #: Keep rows whose column equals the value (a list: one of the values), pushed down like time.
        self.filters = dict(filters or {})
        self._columns = None if columns is None else list(columns)
        self._dataset: Any = None

    def __repr__(self) -> str:
        return f"ParquetSource({self.name!r})"

    # ------------------------------------------------------------------------------ dataset

    def _open(self) -> Any:
        if self._dataset is not None:
            return self._dataset
        import pyarrow.dataset as ds  # lazy: heavy (pyarrow)
        import pyarrow.fs as pafs  # lazy: heavy (pyarrow)

        try:
            filesystem = self._filesystem
            if filesystem is None:
                remote = "://" in self._paths[0]
                filesystem = pafs.FileSystem.from_uri(self._paths[0])[0] if remote else pafs.LocalFileSystem()
            paths = [_strip_scheme(p) for p in self._paths]
            files = _expand(filesystem, paths)
            source: Any = files if files is not None else paths[0]
            dataset = ds.dataset(
                source, filesystem=filesystem, format="parquet", partitioning=self._partitioning
            )
            # Texts are read as dictionaries (Parquet stores them so): no decoding, no hashing later.
            texts = [f.name for f in dataset.schema if _is_text(f.type)]
            if texts:
                read = ds.ParquetReadOptions(dictionary_columns=texts)
                dataset = ds.dataset(
                    source,
                    filesystem=filesystem,
                    format=ds.ParquetFileFormat(read_options=read),
                    partitioning=self._partitioning,
                )
            self._dataset = dataset
        except FileNotFoundError as exc:
            raise SourceError(f"no Parquet data at {self.name}: {exc}", self.name, transient=False) from exc
        except (OSError, pa.ArrowException) as exc:
            raise SourceError(f"cannot open Parquet dataset {self.name}: {exc}", self.name) from exc
        return self._dataset

    def schema(self) -> pa.Schema:
        """The dataset's schema (only ``columns`` when given)."""
        schema = self._open().schema
        if self._columns is None:
            return schema
        missing = [c for c in self._columns if schema.get_field_index(c) < 0]
        if missing:
            raise SourceError(
                f"{self.name} has no column {missing[0]!r}; its columns: {schema.names}",
                self.name,
                transient=False,
            )
        return pa.schema([schema.field(c) for c in self._columns])

    def where(self, **filters: Any) -> ParquetSource:
        """The same dataset with more equality filters (e.g. one segment's value)."""
        clone = copy.copy(self)
        clone.filters = {**self.filters, **filters}
        return clone

    def _filter(self) -> Any:
        if self.time_column is None and not self.filters:
            return None
        import pyarrow.dataset as ds  # lazy: heavy (pyarrow)

        condition = None
        terms = []
        if self.time_column is not None:
            kind = self.schema().field(self.time_column).type
            for bound, op in ((self.start, "ge"), (self.end, "lt")):
                if bound is None:
                    continue
                value = pa.scalar(_as_column_time(bound, kind), type=kind)
                field_ = ds.field(self.time_column)
                terms.append(field_ >= value if op == "ge" else field_ < value)
        for column, value in sorted(self.filters.items()):
            values = list(value) if isinstance(value, list | tuple) else [value]
            terms.append(ds.field(column).isin(values))
        for term in terms:
            condition = term if condition is None else condition & term
        return condition

    def fingerprint(self) -> str:
        """What identifies the data: each file's path, size and footer (schema, row groups and their
        statistics), and the time filter; a cache key for profiles of this source."""

        dataset = self._open()
        digest = hashlib.sha256(
            f"{self.time_column}|{self.start}|{self.end}|{sorted(self.filters.items())}|{dataset.schema}".encode()
        )
        for fragment in sorted(dataset.get_fragments(), key=lambda f: f.path):
            try:
                footer = fragment.metadata.to_dict()
            except (OSError, pa.ArrowException) as exc:
                raise SourceError(
                    f"cannot read the Parquet footer of {fragment.path}: {exc}", fragment.path
                ) from exc
            digest.update(fragment.path.encode())
            digest.update(repr(fragment.partition_expression).encode())
            digest.update(repr(footer).encode())
        return digest.hexdigest()

    def partitions(self) -> list[Partition]:
        dataset = self._open()
        schema = dataset.schema
        checked = list(self.schema().names)
        if self.time_column is not None and self.time_column not in checked:
            checked.append(self.time_column)
        time_filter = self._filter()
        parts: list[Partition] = []
        offset = 0
        for fragment in dataset.get_fragments():
            try:
                physical = fragment.physical_schema
                groups = fragment.split_by_row_group(time_filter) if time_filter is not None else None
                all_groups = fragment.row_groups
            except (OSError, pa.ArrowException) as exc:
                raise SourceError(
                    f"cannot read the Parquet footer of {fragment.path}: {exc}", fragment.path
                ) from exc
            check_schema(
                schema,
                physical,
                fragment.path,
                _physical(checked, schema, fragment.partition_expression),
            )
            pieces = {
                g.row_groups[0].id: g
                for g in (groups if groups is not None else fragment.split_by_row_group())
            }
            for group in all_groups:
                if group.id in pieces:
                    parts.append(
                        ParquetPartition(
                            pieces[group.id], group.id, group.num_rows, offset, schema, time_filter
                        )
                    )
                offset += group.num_rows
        return parts


def _strip_scheme(path: str) -> str:
    return path.split("://", 1)[1] if "://" in path else path


def _expand(filesystem: Any, paths: list[str]) -> list[str] | None:
    """Files matching glob patterns (None: one folder or file, read as a dataset)."""
    import pyarrow.fs as pafs  # lazy: heavy (pyarrow)

    if len(paths) == 1 and not any(ch in paths[0] for ch in "*?["):
        return None
    files: list[str] = []
    for path in paths:
        if not any(ch in path for ch in "*?["):
            files.append(path)
            continue
        base = path
        while any(ch in base for ch in "*?["):
            base = posixpath.dirname(base)
        infos = filesystem.get_file_info(pafs.FileSelector(base or ".", recursive=True))
        matched = sorted(
            i.path for i in infos if i.type == pafs.FileType.File and fnmatch.fnmatch(i.path, path)
        )
        if not matched:
            raise FileNotFoundError(f"no file matches {path!r}")
        files.extend(matched)
    return files


def _as_column_time(moment: datetime, kind: pa.DataType) -> Any:
    """A bound in the column's own convention: aware for a zoned column, naive UTC otherwise."""
    if pa.types.is_timestamp(kind) and kind.tz is None:
        return moment.replace(tzinfo=None)
    if pa.types.is_date(kind):
        return moment.date()
    return moment


# -------------------------------------------------------------------------------- DataFrame


@dataclass(frozen=True)
class FramePartition:
    """Rows ``[start, stop)`` of a pandas DataFrame."""

    frame: pd.DataFrame = field(repr=False)
    start: int
    stop: int

    @property
    def name(self) -> str:
        return f"frame rows {self.start}-{self.stop - 1}"

    @property
    def rows(self) -> int:
        return self.stop - self.start

    @property
    def row_offset(self) -> int:
        return self.start

    def read(self, columns: Sequence[str]) -> pa.Table:
        return pa.Table.from_pandas(self.read_frame(columns), preserve_index=False)

    def read_frame(self, columns: Sequence[str]) -> pd.DataFrame:
        """The rows as pandas, without a round trip through Arrow (dtypes kept as they are)."""
        return self.frame.iloc[self.start : self.stop][list(columns)]

    def read_frames(self, columns: Sequence[str], rows: int) -> Iterator[pd.DataFrame]:
        """The rows in slices of at most ``rows`` rows."""
        for start in range(self.start, self.stop, rows):
            yield self.frame.iloc[start : min(start + rows, self.stop)][list(columns)]


class FrameSource:
    """A pandas DataFrame served as partitions of ``rows_per_partition`` rows."""

    def __init__(self, frame: pd.DataFrame, rows_per_partition: int = 1_000_000, name: str = "frame") -> None:
        self.frame = frame
        self.rows_per_partition = max(1, int(rows_per_partition))
        self.name = name

    def schema(self) -> pa.Schema:
        """Each column's Arrow type (string for object columns Arrow cannot type, e.g. mixed values)."""
        fields = []
        for column in self.frame.columns:
            try:
                kind = (
                    pa.Schema.from_pandas(self.frame[[column]].iloc[:100], preserve_index=False).field(0).type
                )
            except (pa.ArrowException, TypeError, ValueError):
                kind = pa.string()
            fields.append(pa.field(str(column), kind))
        return pa.schema(fields)

    def fingerprint(self) -> str:
        """A digest of the frame's columns, dtypes and values."""

        digest = hashlib.sha256(repr([(str(c), str(t)) for c, t in self.frame.dtypes.items()]).encode())
        for column in self.frame.columns:
            try:
                values = pd.util.hash_pandas_object(self.frame[column], index=False).to_numpy()
            except TypeError:
                values = pd.util.hash_pandas_object(self.frame[column].astype(str), index=False).to_numpy()
            digest.update(values.tobytes())
        return digest.hexdigest()

    def column_names(self) -> list[Any]:
        """The frame's own column labels (Arrow names are text; these may be numbers)."""
        return list(self.frame.columns)

    def pandas_dtypes(self) -> dict[Any, Any]:
        return dict(self.frame.dtypes.items())

    def partitions(self) -> list[Partition]:
        n = len(self.frame.index)
        step = self.rows_per_partition
        return [FramePartition(self.frame, i, min(i + step, n)) for i in range(0, n, step)]


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
