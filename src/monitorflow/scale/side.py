"""One side (current or reference) of an out-of-core run: its profiles, counts and sorted columns.

Pass A reads every partition once, in column groups, and keeps per column a merged
:class:`~monitorflow.scale.profile.ColumnProfile`, plus per row the counts of empty rows and of the
default missing values. Sorted columns are made on first use (:mod:`monitorflow.scale.spill`), for
all numerical columns of the side that need one at once, so that columns read together share
passes; columns with few distinct values need no pass: their value counts are their sorted values.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from monitorflow import frame_checks
from monitorflow.column_stats import to_float_array
from monitorflow.errors import DuplicateColumnsError, EmptyDataError, SourceError
from monitorflow.scale.cache import ProfileCache
from monitorflow.scale.executor import current_executor, is_distributed
from monitorflow.scale.passes import sort_on_workers
from monitorflow.scale.profile import (
    ColumnProfile,
    Kind,
    arrow_numbers,
    merge_profiles,
    profile_series,
)
from monitorflow.scale.readahead import read_ahead
from monitorflow.scale.side_profile import (
    COLUMN_GROUP,
    SideProfile,
    convert,
    profile_partition,
    summarize_partition,
)
from monitorflow.scale.source import (
    LazySource,
    Partition,
    declared_dtypes,
    pandas_dtype,
    read_frame,
    read_frames,
    to_frame,
)
from monitorflow.scale.spill import ColumnSorter, SortedFile, SpillBudget, release_memory
from monitorflow.sorted_values import RunLength, Sorted

__all__ = [
    "COLUMN_GROUP",
    "LazySide",
    "SideProfile",
    "convert",
    "profile_partition",
    "slice_rows",
    "summarize_partition",
]

#: Bytes a row-level pass holds per value of a slice (Arrow batch, pandas frame, hashes, masks).
SLICE_BYTES_PER_VALUE = 64

#: Share of the memory budget the slices of a row-level pass may hold at once (no sort runs then).
SLICE_SHARE = 4

#: Fewest rows per slice (a tiny budget still reads in useful pieces).
MIN_SLICE_ROWS = 16


def slice_rows(budget: int, columns: int, workers: int) -> int:
    """Rows per slice of a row-level pass: the slices in flight (two per reading thread, one being
    processed) hold at most ``budget / SLICE_SHARE``."""
    in_flight = 2 * max(1, workers) + 1
    return max(MIN_SLICE_ROWS, budget // (SLICE_SHARE * in_flight * SLICE_BYTES_PER_VALUE * max(1, columns)))


class LazySide:
    """A lazy source read as one side of a run (``dataset``: "current_data" or "reference_data")."""

    def __init__(
        self,
        source: LazySource,
        dataset: str,
        spill_dir: Path,
        budget: int,
        workers: int,
        sort_lock: threading.Lock | None = None,
        spill: SpillBudget | None = None,
    ):
        self.source = source
        self.dataset = dataset
        self.name = getattr(source, "name", repr(source))
        try:
            self.schema: pa.Schema = source.schema()
        except SourceError:
            raise
        except (OSError, pa.ArrowException) as exc:
            raise SourceError(f"cannot read the schema of {self.name}: {exc}", self.name) from exc
        own_names = getattr(source, "column_names", None)
        names = list(own_names()) if own_names is not None else list(self.schema.names)
        duplicated = sorted({c for c in names if names.count(c) > 1}, key=str)
        if duplicated:
            raise DuplicateColumnsError(dataset, duplicated)
        self.columns: list[Any] = names
        self.budget = budget
        self.workers = workers
        self.sorter = ColumnSorter(spill_dir / dataset, budget)
        self.kinds: dict[Any, Kind] = {}
        self.coercions: dict[Any, str] = {}
        self.profiles: dict[Any, ColumnProfile] = {}
        self.rows = 0
        self.empty_rows = 0
        self.default_missing = frame_checks.MissingCounts()
        self._partitions: list[Partition] | None = None
        self._sorted: dict[Any, Sorted] = {}
        self._lock = threading.Lock()
        #: shared by both sides of a run: one sort at a time holds the memory budget
        self.sort_lock = sort_lock or threading.Lock()
        self.spill = spill or SpillBudget(None)
        self._dtypes: dict[Any, Any] | None = None
        self.cache: ProfileCache | None = None
        #: Where pass A and the sort pass run, fixed when the run starts (metrics compute in threads,
        #: which do not see the caller's context)
        self.executor = current_executor(workers)
        #: seconds spent per phase ("profile", "sort"): wall and process CPU (for benchmarks)
        self.timings: dict[str, float] = {}

    # ----------------------------------------------------------------------------- reading

    def partitions(self) -> list[Partition]:
        if self._partitions is None:
            self._partitions = self.source.partitions()
        return self._partitions

    def arrow_type(self, column: Any) -> pa.DataType:
        return self.schema.field(self.columns.index(column)).type

    def frames(self, columns: Sequence[Any]) -> Iterator[tuple[Partition, pd.DataFrame]]:
        """Every partition's ``columns`` as pandas (read ahead by the worker threads), in order."""
        columns = list(columns)

        def read(partition: Partition) -> tuple[Partition, pd.DataFrame]:
            return partition, self.convert(read_frame(partition, columns))

        parts = self.partitions()
        if self.workers <= 1 or len(parts) <= 1:
            yield from map(read, parts)
            return
        with ThreadPoolExecutor(self.workers) as pool:
            pending = [pool.submit(read, p) for p in parts[: self.workers]]
            for i in range(len(parts)):
                part, frame = pending[i].result()
                pending[i] = None  # type: ignore[call-overload]
                if i + self.workers < len(parts):
                    pending.append(pool.submit(read, parts[i + self.workers]))
                yield part, frame

    def row_slices(self, columns: Sequence[Any]) -> Iterator[pd.DataFrame]:
        """Every partition's ``columns`` as pandas in row slices sized from the memory budget, in order
        (the row-level passes: they hold a few slices, never a whole row group)."""
        rows = slice_rows(self.budget, len(columns), self.workers)
        read = partial(read_frames, columns=list(columns), rows=rows)
        for frame in read_ahead(read, self.partitions(), self.workers):
            yield self.convert(frame)

    def convert(self, frame: pd.DataFrame) -> pd.DataFrame:
        return convert(frame, self.coercions, self.dataset)

    def finite_values(self, frame: pd.DataFrame, column: Any) -> np.ndarray:
        values = to_float_array(frame[column])
        return values[np.isfinite(values)]

    # ------------------------------------------------------------------------------ pass A

    @contextmanager
    def timed(self, phase: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            for key, start, now in (
                (f"{phase}_wall", wall, time.perf_counter()),
                (f"{phase}_cpu", cpu, time.process_time()),
            ):
                self.timings[key] = self.timings.get(key, 0.0) + now - start

    def profile(self, kinds: dict[Any, Kind], coercions: dict[Any, str]) -> None:
        """Pass A: profiles of every column (``kinds``), row counts, empty rows, default missing values.

        A source with a ``profile(kinds, coercions)`` method computes it itself (SQL push-down)."""
        with self.timed("profile"):
            self._profile(kinds, coercions)
        release_memory()

    def _profile(self, kinds: dict[Any, Kind], coercions: dict[Any, str]) -> None:
        self.kinds = {c: kinds[c] for c in self.columns}
        self.coercions = {c: k for c, k in coercions.items() if c in self.columns}
        own = getattr(self.source, "profile", None)
        cached = self.cache.load_profile() if self.cache is not None else None
        if cached is not None:
            total = cached
        elif own is not None:
            total = own(self.kinds, self.coercions)
        else:  # threads, or Dask tasks (monitorflow.scale.executor); one merge tree for both
            parts = self.partitions()
            one = partial(profile_partition, kinds=self.kinds, coercions=self.coercions, dataset=self.dataset)
            total = (
                self.executor.map_reduce(one, parts, SideProfile.merge)
                if parts
                else SideProfile.empty(self.kinds)
            )
        if self.cache is not None and cached is None:
            self.cache.save_profile(total)
        self.profiles = total.profiles
        self.rows = total.rows
        self.empty_rows = total.empty_rows
        self.default_missing = total.missing
        if self.rows == 0:
            raise EmptyDataError(self.dataset, f"rows in {self.name}")
        if self.cache is not None:
            by_name = {str(c): c for c in self.columns}
            for name, file in self.cache.sorted_files(self.budget).items():
                if name in by_name:
                    self._sorted[by_name[name]] = file

    def remembered(self, name: str, compute: Callable[[], int]) -> int:
        """A row-level count of this side, from the cache when it has it."""
        if self.cache is None:
            return compute()
        known = self.cache.counts()
        if name not in known:
            known[name] = int(compute())
            self.cache.record_count(name, known[name])
        return known[name]

    def kept(self, name: str, compute: Callable[[], Any]) -> Any:
        """A statistic of this side (picklable), from the cache when it has it under ``name``."""
        if self.cache is None:
            return compute()
        value = self.cache.load_object(name)
        if value is None:
            value = compute()
            self.cache.save_object(name, value)
        return value

    def map_reduce_frames(
        self,
        columns: list[Any],
        summarize: Callable[[pd.DataFrame], Any],
        combine: Callable[[Any, Any], Any],
        dtypes: bool = False,
    ) -> Any:
        """``summarize`` of every partition's ``columns`` (see :func:`summarize_partition`; in the whole
        columns' dtypes if ``dtypes``), merged by ``combine`` in partition order, on the run's executor
        (threads, or Dask tasks: then both functions must pickle)."""
        columns = list(dict.fromkeys(columns))
        whole = {c: self.dtypes()[c] for c in columns} if dtypes else None
        one = partial(
            summarize_partition,
            columns=columns,
            coercions=self.coercions,
            dataset=self.dataset,
            dtypes=whole,
            summarize=summarize,
        )
        return self.executor.map_reduce(one, self.partitions(), combine)

    def use_cache(self, cache: ProfileCache) -> None:
        """Keep this side's profile and sorted columns in ``cache`` (and use what it has)."""
        self.cache = cache
        self.sorter.directory = cache.folder

    def profile_columns(self, columns: list[Any], kind: Kind) -> None:
        """Profile ``columns`` again as ``kind`` (a type the definition resolved differently)."""
        parts = {c: [] for c in columns}  # type: dict[Any, list[ColumnProfile]]
        for partition, frame in self.frames(columns):
            for column in columns:
                parts[column].append(profile_series(frame[column], kind, partition.row_offset))
        for column in columns:
            self.kinds[column] = kind
            self.profiles[column] = (
                merge_profiles(parts[column]) if parts[column] else ColumnProfile.empty(kind)
            )

    # ----------------------------------------------------------------------------- dtypes

    def dtypes(self) -> dict[Any, Any]:
        """The pandas dtype of each whole column (as ``pd.read_parquet`` would give it)."""
        if self._dtypes is None:
            own = getattr(self.source, "pandas_dtypes", None)
            if own is not None:
                self._dtypes = dict(own())
            else:
                declared = declared_dtypes(self.schema)
                self._dtypes = {
                    c: declared.get(c) or pandas_dtype(self.arrow_type(c), self.profiles[c].missing > 0)
                    for c in self.columns
                }
            for column, kind in self.coercions.items():
                dtype = self._dtypes[column]
                numeric = pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
                if kind == "num" and not numeric:
                    self._dtypes[column] = np.dtype("float64")
        return self._dtypes

    # ------------------------------------------------------------------------------ sorted

    def sorted_values(self, column: Any) -> Sorted:
        """The column's finite values in ascending order. Columns with exact value counts need no
        pass; the others are sorted on first use, together with as many other pending columns as
        fit the memory budget (one pass over the source for the group)."""
        with self._lock:
            if column not in self._sorted:
                self._sort_group(column)
            return self._sorted[column]

    def _sort_group(self, column: Any) -> None:
        pending = [column] + [
            c for c, p in self.profiles.items() if p.kind == "num" and c not in self._sorted and c != column
        ]
        need = {}
        for name in pending:
            profile = self.profiles[name]
            if profile.values is not None:
                self._sorted[name] = RunLength(profile.values.keys, profile.values.counts, self.budget)
            elif profile.moments.count:
                need[name] = profile.moments.count
            else:
                self._sorted[name] = np.zeros(0, dtype=np.float64)
        if column not in need:
            return
        group = next(g for g in self.sorter.groups(need) if column in g)
        sizes = {name: need[name] for name in group}
        with self.sort_lock, self.timed("sort"):
            own = getattr(self.source, "sorted_values", None)
            if own is not None:
                made = {
                    name: self.sorter.write_sorted(own(name), name, size, self.name)
                    for name, size in sizes.items()
                }
            elif is_distributed(executor := self.executor):
                made = sort_on_workers(
                    executor, self.partitions(), sizes, self.coercions, self.dataset, self.sorter, self.name
                )
            else:
                made = self.sorter.sort(self._read_finite, sizes, self.name)
            release_memory()
        for name, file in made.items():
            file.remake = self._remake(name)
        self._sorted.update(made)
        if self.cache is not None:
            self.cache.record_sorted(made)
        else:
            self.spill.add(made.values())

    def _remake(self, column: Any) -> Callable[[], Path]:
        """Sort ``column`` again (its spilled file was evicted to stay within the disk budget)."""

        def remake() -> Path:
            size = self.profiles[column].moments.count
            with self.sort_lock, self.timed("sort"):
                file = self.sorter.sort(self._read_finite, {column: size}, self.name)[column]
            self.spill.add([file])
            return file.path

        return remake

    def _read_finite(self, columns: list[Any]) -> Iterator[dict[Any, np.ndarray]]:
        """Each partition's finite values of ``columns`` (Arrow numbers directly, others via pandas)."""
        for partition in self.partitions():
            if hasattr(partition, "read_frame"):
                frame = self.convert(read_frame(partition, columns))
                yield {c: self.finite_values(frame, c) for c in columns}
                continue
            table = partition.read(columns)
            out = {}
            for column in columns:
                numbers = (
                    arrow_numbers(table.column(column)) if self.coercions.get(column) != "datetime" else None
                )
                if numbers is None:
                    frame = self.convert(to_frame(table.select([column])))
                    out[column] = self.finite_values(frame, column)
                else:
                    values = numbers[0]
                    out[column] = values[np.isfinite(values)]
            del table
            yield out

    def adopt_sorted(self, column: Any, values: Sorted) -> None:
        """Use sorted values made elsewhere (a cache, a source that sorts)."""
        self._sorted[column] = values

    def close(self) -> None:
        for values in self._sorted.values():
            if isinstance(values, SortedFile):
                values.close()
