"""A Parquet dataset read lazily by row groups (:class:`ParquetSource`): a file, folder, glob or list
of files, local or ``s3://``, with the columns asked for projected and time and equality filters
pushed down to row-group statistics."""

from __future__ import annotations

import copy
import fnmatch
import hashlib
import posixpath
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from monitorflow.errors import SourceError
from monitorflow.scale.arrow_convert import check_schema, is_text, slices
from monitorflow.timeutil import to_utc

if TYPE_CHECKING:
    from monitorflow.scale.source import Partition

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

        texts = [c for c in columns if is_text(self.schema.field(c).type)]
        try:
            with self.fragment.filesystem.open_input_file(self.path) as handle:
                reader = pq.ParquetFile(
                    handle,
                    metadata=self.fragment.metadata,
                    read_dictionary=texts,
                    pre_buffer=False,
                    buffer_size=READ_BUFFER,
                )
                batches = reader.iter_batches(
                    batch_size=rows, row_groups=[self.row_group], columns=columns, use_threads=THREADED_READS
                )
                for batch in batches:
                    yield pa.Table.from_batches([batch])
        except (OSError, pa.ArrowException) as exc:
            raise SourceError(f"cannot read {self.name}: {exc}", self.path) from exc


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
            texts = [f.name for f in dataset.schema if is_text(f.type)]
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
                value = pa.scalar(as_column_time(bound, kind), type=kind)
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


def as_column_time(moment: datetime, kind: pa.DataType) -> Any:
    """A bound in the column's own convention: aware for a zoned column, naive UTC otherwise."""
    if pa.types.is_timestamp(kind) and kind.tz is None:
        return moment.replace(tzinfo=None)
    if pa.types.is_date(kind):
        return moment.date()
    return moment
