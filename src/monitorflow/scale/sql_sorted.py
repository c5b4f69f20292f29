"""A SQL column's sorted finite values, answered by the database where it can.

:class:`SQLSortedValues` is what ``SQLTableSource.sorted_values(column)`` returns. Iterating it
gives the finite values in ascending order in chunks (``ORDER BY``, streamed), as the engine's
interface asks; it also answers the sorted-values operations order statistics use
(``size``, ``searchsorted``, ``take``, ``runs``, ``blocks``) without a local copy of the column:

- a column with at most ``MAX_TRACKED_VALUES`` distinct values is answered from its profile's
  exact value counts (nothing more is read);
- ``searchsorted`` of a few values (histogram edges, a small reference's values) is one scan of
  ``COUNT(CASE WHEN x < v ...)``;
- ``take`` (quantiles), ``runs`` and longer ``searchsorted`` stream ``GROUP BY x ORDER BY x``:
  distinct values and their counts, never the rows.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from monitorflow.scale.sql_profile import _projection
from monitorflow.sorted_values import RunLength, Side

if TYPE_CHECKING:
    from monitorflow.scale.sql import SQLTableSource

#: ``searchsorted`` with at most this many values is one counting scan; more stream the runs.
COUNTED_PROBES = 256


class SQLSortedValues:
    """Ascending finite values of one numerical column of a :class:`SQLTableSource`."""

    def __init__(self, source: SQLTableSource, column: str):
        self.source = source
        self.column = column
        self.profile = source.profile({column: "num"}).profiles[column]
        self.size = self.profile.finite_count
        self.dtype = np.dtype("float64")
        values = self.profile.values
        self._runs = None if values is None else (values.keys, values.counts)
        #: ``read``'s open ``ORDER BY`` stream: its next blocks, and the values from rank ``_at`` on
        self._lock = threading.Lock()
        self._stream: Iterator[np.ndarray] | None = None
        self._at, self._held = 0, np.zeros(0, dtype=np.float64)

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[np.ndarray]:
        return self.blocks(self.source.chunk_rows)

    def __repr__(self) -> str:
        return f"SQLSortedValues({self.source.name!r}, {self.column!r}, size={self.size})"

    # ------------------------------------------------------------------------------ streams

    def _finite(self) -> tuple[str, dict[str, Any]]:
        projection, params = _projection(self.source, {self.column: "num"})
        return f"{projection} AS mf_p WHERE f0 IS NOT NULL", params

    def runs(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Distinct values and their counts, ascending, in chunks."""
        if self._runs is not None:
            keys, counts = self._runs
            step = self.source.chunk_rows
            for start in range(0, keys.size, step):
                yield keys[start : start + step], counts[start : start + step]
            return
        relation, params = self._finite()
        sql = f"SELECT f0, COUNT(*) FROM {relation} GROUP BY f0 ORDER BY f0"
        for keys, counts in self.source.query.columns(sql, params, self.source.chunk_rows):
            yield keys.astype(np.float64), counts.astype(np.int64)

    def blocks(self, block: int) -> Iterator[np.ndarray]:
        """The values themselves, ascending, at most ``block`` at a time."""
        if self._runs is not None:
            keys, counts = self._runs
            expanded = np.repeat(keys, counts)
            for start in range(0, expanded.size, block):
                yield expanded[start : start + block]
            return
        relation, params = self._finite()
        for (values,) in self.source.query.columns(f"SELECT f0 FROM {relation} ORDER BY f0", params, block):
            yield values.astype(np.float64)

    def read(self, start: int, count: int) -> np.ndarray:
        """Values of ranks ``start`` .. ``start + count - 1``. Reads going forward (as the
        Wasserstein sums do) continue one ``ORDER BY`` stream; a read further back starts it again."""
        count = max(0, min(count, self.size - start))
        if self._runs is not None:
            return RunLength(*self._runs).read(start, count)
        with self._lock:
            if self._stream is None or start < self._at:
                self._stream = self.blocks(self.source.chunk_rows)
                self._at, self._held = 0, np.zeros(0, dtype=np.float64)
            parts = [self._held]
            held = self._held.size
            while self._at + held < start + count:
                block = next(self._stream)
                parts.append(block)
                held += block.size
            joined = np.concatenate(parts) if len(parts) > 1 else parts[0]
            self._held, self._at = joined[start - self._at :], start
            return self._held[:count].copy()

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        parts = list(self.blocks(self.source.chunk_rows))
        values = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float64)
        return values if dtype is None else values.astype(dtype)

    # ---------------------------------------------------------------------------- questions

    def searchsorted(self, values: Any, side: Side = "left") -> Any:
        """How many values are below each of ``values`` (``side="right"``: at or below)."""
        probes = np.asarray(values, dtype=np.float64)
        flat = probes.reshape(-1)
        if self._runs is None and flat.size <= COUNTED_PROBES:
            found = self._counted(flat, side)
        else:
            found = np.zeros(flat.size, dtype=np.int64)
            for keys, counts in self.runs():
                cumulative = np.concatenate(([0], np.cumsum(counts)))
                found += cumulative[np.searchsorted(keys, flat, side=side)]
        return found.reshape(probes.shape) if probes.ndim else int(found[0])

    def _counted(self, probes: np.ndarray, side: Side) -> np.ndarray:
        if probes.size == 0:
            return np.zeros(0, dtype=np.int64)
        relation, params = self._finite()
        op = "<" if side == "left" else "<="
        listed = []
        for i, probe in enumerate(probes):
            params[f"mf_s{i}"] = float(probe)
            listed.append(f"COUNT(CASE WHEN f0 {op} :mf_s{i} THEN 1 END)")
        row = self.source.query.rows(f"SELECT {', '.join(listed)} FROM {relation}", params)[0]
        return np.array([int(x) for x in row], dtype=np.int64)

    def take(self, ranks: Any) -> np.ndarray:
        """The values at 0-based ``ranks`` in ascending order (one pass over the runs)."""
        wanted = np.asarray(ranks, dtype=np.int64).reshape(-1)
        wanted = np.where(wanted < 0, wanted + self.size, wanted)
        if wanted.size and (wanted.min() < 0 or wanted.max() >= self.size):
            raise IndexError(f"rank out of range for {self.size} values of {self.column!r}")
        out = np.full(wanted.size, np.nan)
        before = 0
        for keys, counts in self.runs():
            cumulative = before + np.cumsum(counts)
            inside = (wanted >= before) & (wanted < cumulative[-1])
            out[inside] = keys[np.searchsorted(cumulative, wanted[inside], side="right")]
            before = int(cumulative[-1])
        return out

    def __getitem__(self, rank: Any) -> Any:
        if not isinstance(rank, int | np.integer):
            raise TypeError("sorted SQL values are read by integer rank; use take() for several")
        return float(self.take(np.array([rank]))[0])
