"""The sorted finite values of a numerical column, in memory or not: the state order statistics read.

Quantiles, range counts, histograms, distinct counts and every ECDF statistic (KS, Wasserstein,
Cramér-von Mises, Anderson-Darling, Mann-Whitney, energy distance) need a column's values in
order. In memory that is a sorted float64 array. Out of core it is anything with the same few
operations (:class:`SortedValues`): a sorted file read in blocks, or run-length counts of a column
with few distinct values. Statistics go through :func:`runs_of` and the operations below, so one
implementation serves both.

>>> values = RunLength(np.array([1.0, 2.0, 5.0]), np.array([2, 1, 3]))
>>> values.size, float(values[0]), float(values[-1]), float(values[3]), int(values.searchsorted(2.0, "right"))
(6, 1.0, 5.0, 5.0, 3)
>>> [(v.tolist(), c.tolist()) for v, c in runs_of(np.array([1.0, 1.0, 3.0]))]
[([1.0, 3.0], [2, 1])]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal, Protocol, TypeAlias, runtime_checkable

import numpy as np

from monitorflow.errors import MetricError

#: Values per chunk when streaming runs out of core.
RUN_BLOCK = 1 << 20

#: Which end of a run of equal values ``searchsorted`` counts to (numpy's ``side``).
Side: TypeAlias = Literal["left", "right"]


@runtime_checkable
class SortedValues(Protocol):
    """Ascending finite float64 values that need not be in memory (a sorted ``np.ndarray`` stands in
    for one wherever :data:`Sorted` is accepted: the functions below handle both)."""

    @property
    def size(self) -> int: ...

    def __getitem__(self, rank: Any) -> Any: ...

    def take(self, ranks: np.ndarray) -> np.ndarray: ...

    def searchsorted(self, values: Any, side: Side = "left") -> Any: ...

    def read(self, start: int, count: int) -> np.ndarray: ...

    def runs(self) -> Iterator[tuple[np.ndarray, np.ndarray]]: ...


#: Sorted finite values: an in-memory array or out-of-core :class:`SortedValues`.
Sorted: TypeAlias = SortedValues | np.ndarray


def runs_of(values: Sorted) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Distinct values and their counts, ascending, in chunks (no value is split between chunks)."""
    if isinstance(values, np.ndarray):
        if values.size:
            yield array_runs(values)
        return
    yield from values.runs()


def array_runs(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values and counts of a sorted array."""
    if data.size == 0:
        return data, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], data[1:] != data[:-1])))
    counts = np.diff(np.append(starts, data.size))
    return data[starts], counts


def merge_run_chunks(
    chunks: Iterator[tuple[np.ndarray, np.ndarray]],
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Join runs of one value that end one chunk and start the next (chunks of a sorted stream)."""
    pending: tuple[np.ndarray, np.ndarray] | None = None
    for values, counts in chunks:
        if values.size == 0:
            continue
        if pending is not None:
            if pending[0][-1] == values[0]:
                counts = counts.copy()
                counts[0] += pending[1][-1]
                pending = (pending[0][:-1], pending[1][:-1])
            if pending[0].size:
                yield pending
        pending = (values, counts)
    if pending is not None and pending[0].size:
        yield pending


def value_blocks(values: Sorted, block: int = RUN_BLOCK) -> Iterator[np.ndarray]:
    """The values themselves, ascending, in blocks of at most ``block`` (runs expanded)."""
    if isinstance(values, np.ndarray):
        for start in range(0, values.size, block):
            yield values[start : start + block]
        return
    blocks = getattr(values, "blocks", None)
    if blocks is not None:
        yield from blocks(block)
        return
    for run_values, counts in runs_of(values):
        yield np.repeat(run_values, counts)


def read_block(values: Sorted, start: int, count: int) -> np.ndarray:
    """Values of ranks ``start`` .. ``start + count - 1`` as an array."""
    if isinstance(values, np.ndarray):
        return values[start : start + count]
    return values.read(start, count)


def materialize(values: Sorted) -> np.ndarray:
    """All values as one in-memory array."""
    if isinstance(values, np.ndarray):
        return values
    return np.asarray(values)


#: Values up to this many bytes may always be held in memory (small samples, whatever the budget).
ALWAYS_LOADABLE = 1 << 20


def check_loadable(size: int, max_load_bytes: int | None) -> None:
    """Refuse to expand ``size`` values into memory above ``max_load_bytes`` (None: no limit)."""
    needed = size * 8
    if max_load_bytes is not None and needed > max(max_load_bytes, ALWAYS_LOADABLE):
        raise MetricError(
            f"this computation needs all {size:,} values of a column in memory ({needed:,} bytes), above the "
            f"memory budget of {max_load_bytes:,} bytes; use a statistic with an out-of-core form (see "
            "docs/scale.md) or raise the budget with monitorflow.scale.configure(memory_budget=...)"
        )


class RunLength:
    """Sorted values kept as distinct values and counts (a column with few distinct values);
    expanding them into one array is refused above ``max_load_bytes``."""

    def __init__(self, keys: np.ndarray, counts: np.ndarray, max_load_bytes: int | None = None):
        self.max_load_bytes = max_load_bytes
        self.keys = np.asarray(keys, dtype=np.float64)
        self.counts = np.asarray(counts, dtype=np.int64)
        self.cumulative = np.cumsum(self.counts)
        self.size = int(self.cumulative[-1]) if self.cumulative.size else 0
        self.dtype = np.dtype("float64")

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, rank: Any) -> Any:
        if not isinstance(rank, int | np.integer):
            raise TypeError("RunLength values are read by integer rank; use take() for several")
        rank = int(rank) + self.size if rank < 0 else int(rank)
        if not 0 <= rank < self.size:
            raise IndexError(f"rank {rank} out of range for {self.size} values")
        return self.keys[int(np.searchsorted(self.cumulative, rank, side="right"))]

    def take(self, ranks: np.ndarray) -> np.ndarray:
        return self.keys[np.searchsorted(self.cumulative, np.asarray(ranks), side="right")]

    def searchsorted(self, values: Any, side: Side = "left") -> Any:
        at = np.searchsorted(self.keys, values, side=side)
        before = np.concatenate(([0], self.cumulative))
        return before[at]

    def read(self, start: int, count: int) -> np.ndarray:
        stop = min(start + count, self.size)
        first, last = np.searchsorted(self.cumulative, [start, max(stop - 1, start)], side="right")
        expanded = np.repeat(self.keys[first : last + 1], self.counts[first : last + 1])
        offset = start - (int(self.cumulative[first - 1]) if first else 0)
        return expanded[offset : offset + (stop - start)]

    def runs(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for start in range(0, self.keys.size, RUN_BLOCK):
            yield self.keys[start : start + RUN_BLOCK], self.counts[start : start + RUN_BLOCK]

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        check_loadable(self.size, self.max_load_bytes)
        expanded = np.repeat(self.keys, self.counts)
        return expanded if dtype is None else expanded.astype(dtype)
