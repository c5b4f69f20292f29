"""One side (current or reference) of an out-of-core run: its profiles, counts and sorted columns.

Pass A reads every partition once, in column groups, and keeps per column a merged
:class:`~monitorflow.scale.profile.ColumnProfile`, plus per row the counts of empty rows and of the
default missing values. Sorted columns are made on first use (:mod:`monitorflow.scale.spill`), for
all numerical columns of the side that need one at once, so that columns read together share
passes; columns with few distinct values need no pass: their value counts are their sorted values.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from monitorflow import frame_checks
from monitorflow.column_mapping import coerce_datetime, coerce_numerical
from monitorflow.column_stats import to_float_array
from monitorflow.errors import DuplicateColumnsError, EmptyDataError, SourceError
from monitorflow.scale.profile import ColumnProfile, Kind, merge_profiles, profile_series
from monitorflow.scale.source import LazySource, Partition, pandas_dtype, read_frame
from monitorflow.scale.spill import ColumnSorter, SortedFile
from monitorflow.sorted_values import RunLength, SortedValues

#: Columns read from a partition at once (bounds the memory of one partition being profiled).
COLUMN_GROUP = 12


@dataclass
class PassA:
    """What one partition contributes: profiles, rows, empty rows and default missing counts."""

    profiles: dict[Any, ColumnProfile]
    rows: int
    empty_rows: int
    missing: frame_checks.MissingCounts

    def merge(self, other: PassA) -> PassA:
        profiles = {c: p.merge(other.profiles[c]) for c, p in self.profiles.items()}
        return PassA(
            profiles,
            self.rows + other.rows,
            self.empty_rows + other.empty_rows,
            self.missing.add(other.missing),
        )


class LazySide:
    """A lazy source read as one side of a run (``dataset``: "current_data" or "reference_data")."""

    def __init__(self, source: LazySource, dataset: str, spill_dir: Path, budget: int, workers: int):
        self.source = source
        self.dataset = dataset
        self.name = getattr(source, "name", repr(source))
        try:
            self.schema: pa.Schema = source.schema()
        except SourceError:
            raise
        except (OSError, pa.ArrowException) as exc:
            raise SourceError(f"cannot read the schema of {self.name}: {exc}", self.name) from exc
        names = list(self.schema.names)
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
        self._sorted: dict[Any, SortedValues] = {}
        self._lock = threading.Lock()
        self._dtypes: dict[Any, Any] | None = None

    # ----------------------------------------------------------------------------- reading

    def partitions(self) -> list[Partition]:
        if self._partitions is None:
            self._partitions = self.source.partitions()
        return self._partitions

    def arrow_type(self, column: Any) -> pa.DataType:
        return self.schema.field(column).type

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

    def convert(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Declared types applied per partition, exactly as ``build_definition`` applies them to a frame."""
        for column, kind in self.coercions.items():
            if column in frame.columns:
                coerce = coerce_numerical if kind == "num" else coerce_datetime
                frame = coerce(frame, column, self.dataset)
        return frame

    def finite_values(self, frame: pd.DataFrame, column: Any) -> np.ndarray:
        values = to_float_array(frame[column])
        return values[np.isfinite(values)]

    # ------------------------------------------------------------------------------ pass A

    def profile(self, kinds: dict[Any, Kind], coercions: dict[Any, str]) -> None:
        """Pass A: profiles of every column (``kinds``), row counts, empty rows, default missing values."""
        self.kinds = {c: kinds[c] for c in self.columns}
        self.coercions = {c: k for c, k in coercions.items() if c in self.columns}
        groups = [self.columns[i : i + COLUMN_GROUP] for i in range(0, len(self.columns), COLUMN_GROUP)]
        parts = self.partitions()

        def one(partition: Partition) -> PassA:
            return self._profile_partition(partition, groups)

        if self.workers > 1 and len(parts) > 1:
            with ThreadPoolExecutor(self.workers) as pool:
                results = list(pool.map(one, parts))
        else:
            results = [one(p) for p in parts]
        if not results:
            results = [self._empty_pass()]
        total = results[0]
        for result in results[1:]:
            total = total.merge(result)
        self.profiles = total.profiles
        self.rows = total.rows
        self.empty_rows = total.empty_rows
        self.default_missing = total.missing
        if self.rows == 0:
            raise EmptyDataError(self.dataset, f"rows in {self.name}")

    def _empty_pass(self) -> PassA:
        profiles = {c: ColumnProfile.empty(k) for c, k in self.kinds.items()}
        return PassA(profiles, 0, 0, frame_checks.MissingCounts())

    def _profile_partition(self, partition: Partition, groups: list[list[Any]]) -> PassA:
        profiles: dict[Any, ColumnProfile] = {}
        missing = frame_checks.MissingCounts()
        all_missing: np.ndarray | None = None
        any_missing: np.ndarray | None = None
        rows = 0
        for group in groups:
            frame = self.convert(read_frame(partition, group))
            rows = len(frame.index)
            if all_missing is None:
                all_missing = np.ones(rows, dtype=bool)
                any_missing = np.zeros(rows, dtype=bool)
            for column in group:
                profiles[column] = profile_series(frame[column], self.kinds[column], partition.row_offset)
            all_missing &= frame.isna().all(axis=1).to_numpy()
            counts = frame_checks.missing_counts(frame, frame_checks.DEFAULT_MISSING_VALUES, any_missing)
            missing = missing.add(counts)
        missing.rows = rows
        missing.rows_with_any = int(any_missing.sum()) if any_missing is not None else 0
        empty = int(all_missing.sum()) if all_missing is not None and self.columns else 0
        return PassA(profiles, rows, empty, missing)

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
                self._dtypes = {
                    c: pandas_dtype(self.arrow_type(c), self.profiles[c].missing > 0) for c in self.columns
                }
            for column, kind in self.coercions.items():
                dtype = self._dtypes[column]
                numeric = pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
                if kind == "num" and not numeric:
                    self._dtypes[column] = np.dtype("float64")
        return self._dtypes

    # ------------------------------------------------------------------------------ sorted

    def sorted_values(self, column: Any) -> SortedValues:
        """The column's finite values in ascending order; the first call sorts every numerical column
        of the side that has no exact value counts (they are read together under the budget)."""
        with self._lock:
            if column not in self._sorted:
                self._sort_pending(column)
            return self._sorted[column]

    def _sort_pending(self, column: Any) -> None:
        pending = [
            c
            for c, p in self.profiles.items()
            if p.kind == "num" and c not in self._sorted and (p.values is None or c == column)
        ]
        need = {}
        for name in pending:
            profile = self.profiles[name]
            if profile.values is not None:
                self._sorted[name] = RunLength(profile.values.keys, profile.values.counts)
            elif profile.moments.count:
                need[name] = profile.moments.count
            else:
                self._sorted[name] = np.zeros(0, dtype=np.float64)
        if column not in self._sorted and column not in need:
            self._sorted[column] = self._sorted_from_counts(column)
        if need:
            self._sorted.update(self.sorter.sort(self._read_finite, need, self.name))

    def _sorted_from_counts(self, column: Any) -> SortedValues:
        """Sorted values of a categorical profile whose values are numbers (a numerical statistic
        asked of a column typed otherwise)."""
        counts = self.profiles[column].values
        assert counts is not None
        keys = pd.to_numeric(pd.Series(counts.keys), errors="raise").to_numpy(dtype=np.float64)
        finite = np.isfinite(keys)
        order = np.argsort(keys[finite], kind="stable")
        keys, values = keys[finite][order], counts.counts[finite][order]
        distinct, start = np.unique(keys, return_index=True)
        return RunLength(distinct, np.add.reduceat(values, start) if values.size else values)

    def _read_finite(self, columns: list[Any]) -> Iterator[dict[Any, np.ndarray]]:
        for _, frame in self.frames(columns):
            yield {c: self.finite_values(frame, c) for c in columns}

    def adopt_sorted(self, column: Any, values: SortedValues) -> None:
        """Use sorted values made elsewhere (a cache, a source that sorts)."""
        self._sorted[column] = values

    def close(self) -> None:
        for values in self._sorted.values():
            if isinstance(values, SortedFile):
                values.close()
