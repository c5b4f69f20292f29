"""Sorting numerical columns out of core: one sort per column under a memory budget, spilled to disk.

A column whose finite values fit the budget is read into one array, sorted in place and written to
a file; columns that fit together are read in one pass over the source. A column larger than the
budget is cut into sorted runs of budget size, which are then merged block by block into one
sorted file (runs are cut and merged by value, so ties are never split). Either way the result is a
:class:`SortedFile`: the sorted values on disk, read in blocks or by rank, never wholly in memory.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from monitorflow._memory import release_memory  # noqa: F401 (re-exported for the engine's passes)
from monitorflow.errors import SourceError
from monitorflow.sorted_values import RUN_BLOCK, Side, array_runs, check_loadable, merge_run_chunks

_ITEM = 8  # bytes per float64
#: Ranks between two entries of a sorted file's search index (one block read per search).
INDEX_STEP = 1 << 16
_EMPTY = np.zeros(0, dtype=np.float64)


class SortedFile:
    """Ascending float64 values in a raw file (:class:`~monitorflow.sorted_values.SortedValues`).

    Nothing is memory-mapped (a mapped file counts in the process's memory as it is read): ranks
    are single reads, binary searches go through a sparse index (every :data:`INDEX_STEP`-th value)
    and then one block, and streams read blocks into small buffers.
    """

    def __init__(self, path: Path, size: int, max_load_bytes: int, remake: Callable[[], Path] | None = None):
        self.path = Path(path)
        self.size = int(size)
        self.dtype = np.dtype("float64")
        self.max_load_bytes = max_load_bytes
        #: makes the file again when it was evicted (returns its new path); None: it never is
        self.remake = remake
        self.last_used = 0.0
        self._index: np.ndarray | None = None

    def _open(self) -> Any:
        """The file for reading, made again if it was evicted."""
        self.last_used = time.monotonic()
        try:
            return open(self.path, "rb")  # noqa: SIM115 (callers close it)
        except FileNotFoundError:
            if self.remake is None:
                raise
            self.path = self.remake()
            return open(self.path, "rb")  # noqa: SIM115

    def __len__(self) -> int:
        return self.size

    def __repr__(self) -> str:
        return f"SortedFile({str(self.path)!r}, size={self.size})"

    def read(self, start: int, count: int) -> np.ndarray:
        """Values of ranks ``start`` .. ``start + count - 1``."""
        return self._read(start, max(0, min(count, self.size - start)))

    def _read(self, start: int, count: int) -> np.ndarray:
        with self._open() as handle:
            handle.seek(start * _ITEM)
            return np.fromfile(handle, dtype=np.float64, count=count)

    def __getitem__(self, rank: Any) -> Any:
        if not isinstance(rank, int | np.integer):
            raise TypeError("a sorted file is read by integer rank; use take() for several")
        rank = int(rank) + self.size if rank < 0 else int(rank)
        if not 0 <= rank < self.size:
            raise IndexError(f"rank {rank} out of range for {self.size} values")
        return float(self._read(rank, 1)[0])

    def take(self, ranks: np.ndarray) -> np.ndarray:
        return np.array([self[int(r)] for r in np.asarray(ranks).ravel()], dtype=np.float64)

    @property
    def index(self) -> np.ndarray:
        """The value at every INDEX_STEP-th rank."""
        if self._index is None:
            self._index = self.take(np.arange(0, self.size, INDEX_STEP))
        return self._index

    def _search(self, value: float, side: Side) -> int:
        block = int(np.searchsorted(self.index, value, side=side)) - 1
        if block < 0:
            return 0
        start = block * INDEX_STEP
        values = self._read(start, min(INDEX_STEP, self.size - start))
        return start + int(np.searchsorted(values, value, side=side))

    def searchsorted(self, values: Any, side: Side = "left") -> Any:
        keys = np.asarray(values, dtype=np.float64)
        found = np.array([self._search(float(v), side) for v in keys.ravel()], dtype=np.int64)
        return found.reshape(keys.shape) if keys.ndim else found[0]

    def blocks(self, block: int = RUN_BLOCK) -> Iterator[np.ndarray]:
        with self._open() as handle:
            for _ in range(0, self.size, block):
                yield np.fromfile(handle, dtype=np.float64, count=block)

    def runs(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        return merge_run_chunks(array_runs(b) for b in self.blocks())

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        check_loadable(self.size, self.max_load_bytes)
        with self._open() as handle:
            values = np.fromfile(handle, dtype=np.float64, count=self.size)
        return values if dtype is None else values.astype(dtype)

    def close(self) -> None:
        self._index = None


class SpillBudget:
    """Bytes of spilled files one run keeps on disk: past ``limit``, the least recently used sorted
    files are deleted (and sorted again if they are needed again). Other files a pass writes for a
    while (row fingerprints) are counted as ``reserved``. None: no limit."""

    def __init__(self, limit: int | None):
        self.limit = limit
        self.files: list[SortedFile] = []
        self.reserved = 0
        self._lock = threading.Lock()

    def add(self, files: Any) -> None:
        """Count newly written ``files`` (kept: they are about to be read) and evict older ones."""
        with self._lock:
            new = list(files)
            for file in new:
                file.last_used = time.monotonic()
                if file not in self.files:
                    self.files.append(file)
            self._evict(new)

    @contextmanager
    def reserve(self, size: int) -> Iterator[None]:
        """Room for ``size`` bytes of other files while the block runs (sorted files evicted for it)."""
        with self._lock:
            self.reserved += size
            self._evict([])
        try:
            yield
        finally:
            with self._lock:
                self.reserved -= size

    def _evict(self, keep: list[SortedFile]) -> None:
        if self.limit is None:
            return
        present = [f for f in self.files if f.path.exists()]
        used = self.reserved + sum(f.size * _ITEM for f in present)
        for file in sorted(present, key=lambda f: f.last_used):
            if used <= self.limit:
                break
            if file.remake is not None and file not in keep:
                file.path.unlink(missing_ok=True)
                used -= file.size * _ITEM


#: Reads the given columns' finite float64 values, partition by partition.
ColumnReader = Callable[[list[Any]], Iterator[dict[Any, np.ndarray]]]


class ColumnSorter:
    """Sorts columns into files under ``directory``, holding at most ``budget_bytes`` of values."""

    def __init__(self, directory: Path, budget_bytes: int):
        self.directory = Path(directory)
        self.budget_bytes = max(int(budget_bytes), 64 * _ITEM)

    def _path(self, column: Any) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        safe = "".join(ch if ch.isalnum() else "_" for ch in str(column))[:40]
        return self.directory / f"{safe}-{uuid.uuid4().hex[:8]}.f64"

    def groups(self, sizes: dict[Any, int]) -> list[list[Any]]:
        """Columns read together: as many as fit the budget (an oversized one alone)."""
        groups: list[list[Any]] = []
        current: list[Any] = []
        used = 0
        for column, size in sizes.items():
            need = size * _ITEM
            if current and used + need > self.budget_bytes:
                groups.append(current)
                current, used = [], 0
            current.append(column)
            used += need
        if current:
            groups.append(current)
        return groups

    def sort(self, read: ColumnReader, sizes: dict[Any, int], name: str) -> dict[Any, SortedFile]:
        """Sorted files of every column in ``sizes`` (its finite value count), read with ``read``."""
        result: dict[Any, SortedFile] = {}
        for group in self.groups(sizes):
            if len(group) == 1 and sizes[group[0]] * _ITEM > self.budget_bytes:
                column = group[0]
                result[column] = self._sort_large(read, column, sizes[column], name)
            else:
                result.update(self._sort_in_memory(read, group, sizes, name))
        return result

    def _sort_in_memory(
        self, read: ColumnReader, group: list[Any], sizes: dict[Any, int], name: str
    ) -> dict[Any, SortedFile]:
        arrays = {c: np.empty(sizes[c], dtype=np.float64) for c in group}
        filled = dict.fromkeys(group, 0)
        for part in read(group):
            for column, values in part.items():
                start = filled[column]
                _check_room(start + values.size, sizes[column], column, name)
                arrays[column][start : start + values.size] = values
                filled[column] = start + values.size
        out = {}
        for column in group:
            _check_room(filled[column], sizes[column], column, name, exact=True)
            values = arrays.pop(column)
            values.sort()
            path = self._path(column)
            values.tofile(path)
            out[column] = SortedFile(path, values.size, self.budget_bytes)
            del values
        return out

    def write_sorted(self, chunks: Iterator[np.ndarray], column: Any, size: int, name: str) -> SortedFile:
        """A column a source returns already sorted (``ORDER BY``), checked and written to a file."""
        path = self._path(column)
        total, last = 0, -np.inf
        with open(path, "wb") as sink:
            for chunk in chunks:
                values = np.asarray(chunk, dtype=np.float64)
                if values.size and (values[0] < last or np.any(values[1:] < values[:-1])):
                    raise SourceError(
                        f"{name} returned column {column!r} out of order; it must be ascending", name
                    )
                total += values.size
                _check_room(total, size, column, name)
                values.tofile(sink)
                last = values[-1] if values.size else last
        _check_room(total, size, column, name, exact=True)
        return SortedFile(path, size, self.budget_bytes)

    def _sort_large(self, read: ColumnReader, column: Any, size: int, name: str) -> SortedFile:
        run_values = self.budget_bytes // _ITEM
        runs: list[tuple[Path, int]] = []
        total = self._write_runs(read, column, size, name, run_values, runs)
        _check_room(total, size, column, name, exact=True)
        path = self._path(column)
        merge_runs(runs, path, run_values)
        for run, _ in runs:
            run.unlink(missing_ok=True)
        return SortedFile(path, size, self.budget_bytes)

    def _write_runs(
        self,
        read: ColumnReader,
        column: Any,
        size: int,
        name: str,
        run_values: int,
        runs: list[tuple[Path, int]],
    ) -> int:
        """Sorted runs of ``run_values`` values each, appended to ``runs``; returns the values read."""
        buffer = np.empty(run_values, dtype=np.float64)
        used = total = 0
        for part in read([column]):
            values = part.get(column, _EMPTY)
            total += values.size
            _check_room(total, size, column, name)
            at = 0
            while at < values.size:
                take = min(values.size - at, run_values - used)
                buffer[used : used + take] = values[at : at + take]
                used += take
                at += take
                if used == run_values:
                    runs.append(self._spill_run(buffer, used, column))
                    used = 0
        if used:
            runs.append(self._spill_run(buffer, used, column))
        return total

    def _spill_run(self, buffer: np.ndarray, used: int, column: Any) -> tuple[Path, int]:
        chunk = buffer[:used]
        chunk.sort()
        path = self._path(f"{column}-run")
        chunk.tofile(path)
        return path, used


def _check_room(count: int, expected: int, column: Any, name: str, exact: bool = False) -> None:
    if count > expected or (exact and count != expected):
        raise SourceError(
            f"{name} changed while it was read: column {column!r} had {expected:,} finite values when "
            f"profiled and {count:,} now; run again on data that is not being written",
            name,
        )


class _RunReader:
    """Blocks of one sorted run file."""

    def __init__(self, path: Path, size: int, block: int):
        self.handle = open(path, "rb")  # noqa: SIM115 (closed when exhausted)
        self.left = size
        self.block = block
        self.buffer = np.zeros(0)
        self.refill()

    def refill(self) -> None:
        if self.left and self.buffer.size == 0:
            self.buffer = np.fromfile(self.handle, dtype=np.float64, count=min(self.block, self.left))
            self.left -= self.buffer.size
        if not self.left:
            self.handle.close()

    @property
    def active(self) -> bool:
        return self.buffer.size > 0


def merge_runs(runs: list[tuple[Path, int]], out: Path, budget_values: int) -> None:
    """Merge sorted run files into one sorted file, holding about ``budget_values`` values at a time.

    Each step emits every buffered value not above the smallest last buffered value among runs with
    more on disk: those values are complete, whatever the runs still hold.
    """
    block = max(1, budget_values // (2 * max(len(runs), 1)))
    readers = [_RunReader(path, size, block) for path, size in runs]
    with open(out, "wb") as sink:
        while any(r.active for r in readers):
            pending = [r.buffer[-1] for r in readers if r.active and r.left]
            cutoff = min(pending) if pending else np.inf
            pieces = []
            for reader in readers:
                if not reader.active:
                    continue
                k = int(np.searchsorted(reader.buffer, cutoff, side="right"))
                pieces.append(reader.buffer[:k])
                reader.buffer = reader.buffer[k:]
                reader.refill()
            merged = np.concatenate(pieces)
            merged.sort()
            merged.tofile(sink)
