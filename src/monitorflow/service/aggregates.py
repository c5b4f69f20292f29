"""Panel series reduced inside the index database: long series come back as at most ``limit``
time-bucket means, counters as one SQL aggregate, histograms as one column of values, and test
suites are left out by the query itself. The database scans the points; Python never holds more
than ``limit`` of them per series, so answers and memory stay bounded as snapshots grow.

The WHERE clause is the one ``Index.series`` builds (same helpers, same semantics); this module
exists because ``SnapshotStore.series`` returns every point. It needs ``store.index`` (all built-in
backends); otherwise :class:`StoreAggregates` computes the same from ``SnapshotStore.series`` rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from monitorflow.service.lookups import index_reader, test_suite_ids
from monitorflow.storage.base import SeriesQuery
from monitorflow.storage.index import _filters, flatten_params, micros

Read = Callable[[str, dict[str, Any]], list[tuple[Any, ...]]]
#: (split tag or None, field path, metric id)
Key = tuple[str | None, str, str]
_NO_SUITES = "p.snapshot_id NOT IN (SELECT k.id FROM mf_snapshots k WHERE k.project_id = :pid AND k.kind = 'test_suite')"


@dataclass
class Points:
    """One matched metric's points (or bucket means): times in µs, values, and the raw point count."""

    ts: np.ndarray
    values: np.ndarray
    n: int
    bucketed: bool = False


def where(
    query: SeriesQuery, include_suites: bool, paths: list[str] | None = None
) -> tuple[str, dict[str, Any]]:
    """``FROM ... WHERE ...`` of the points of ``query`` (as in ``Index.series``) and its parameters;
    ``paths`` replaces the query's one field path by several."""
    paths = paths or [query.field_path]
    params: dict[str, Any] = {
        "pid": str(query.project_id),
        **{f"fp{i}": path for i, path in enumerate(paths)},
    }
    clauses = ["s.project_id = :pid", f"s.field_path IN ({', '.join(f':fp{i}' for i in range(len(paths)))})"]
    if query.metric_type is not None:
        clauses.append("s.metric_type = :mt")
        params["mt"] = query.metric_type
    if query.metric_id is not None:
        clauses.append("s.metric_id = :mid")
        params["mid"] = query.metric_id
    for i, (key, value) in enumerate(flatten_params(query.metric_args).items()):
        params[f"ak{i}"], params[f"av{i}"] = key, value
        clauses.append(f"s.metric_id IN (SELECT a{i}.metric_id FROM mf_metric_params a{i} "
                       f"WHERE a{i}.project_id = :pid AND a{i}.key = :ak{i} AND a{i}.value = :av{i})")  # fmt: skip
    clauses += _filters(query, params, "p.snapshot_id", "p.ts")
    if not include_suites:
        clauses.append(_NO_SUITES)
    return "FROM mf_series s JOIN mf_points p ON p.series_id = s.id WHERE " + " AND ".join(clauses), params


class IndexAggregates:
    """Series, counters and histograms of one workspace computed by its index database; made per
    request (it caches the project's time span and whether it has test suites in the range)."""

    def __init__(self, read: Read) -> None:
        self.read = read
        self._span: dict[tuple[Any, ...], tuple[int, int, int]] = {}
        self._suites: dict[tuple[Any, ...], bool] = {}

    def _range_clause(self, query: SeriesQuery, params: dict[str, Any]) -> str:
        sql = ""
        if query.start is not None:
            sql, params["start"] = sql + " AND ts >= :start", micros(query.start)
        if query.end is not None:
            sql, params["end"] = sql + " AND ts < :end", micros(query.end)
        return sql

    def span(self, query: SeriesQuery) -> tuple[int, int, int]:
        """(first, last time in µs, number) of the project's snapshots in the query's time range."""
        key = (query.project_id, query.start, query.end)
        if key not in self._span:
            params: dict[str, Any] = {"pid": str(query.project_id)}
            sql = "SELECT MIN(ts), MAX(ts), COUNT(*) FROM mf_snapshots WHERE project_id = :pid"
            lo, hi, n = self.read(sql + self._range_clause(query, params), params)[0]
            self._span[key] = (int(lo or 0), int(hi or 0), int(n or 0))
        return self._span[key]

    def _has_suites(self, query: SeriesQuery) -> bool:
        key = (query.project_id, query.start, query.end)
        if key not in self._suites:
            params: dict[str, Any] = {"pid": str(query.project_id)}
            sql = "SELECT 1 FROM mf_snapshots WHERE project_id = :pid AND kind = 'test_suite'"
            self._suites[key] = bool(self.read(sql + self._range_clause(query, params) + " LIMIT 1", params))
        return self._suites[key]

    def _where(
        self, query: SeriesQuery, include_suites: bool, paths: list[str] | None = None
    ) -> tuple[str, dict[str, Any]]:
        return where(query, include_suites or not self._has_suites(query), paths)

    def points(self, query: SeriesQuery, include_suites: bool, limit: int, paths: list[str] | None = None,
               splits: list[str] | None = None) -> dict[Key, Points]:  # fmt: skip
        """``(split tag, field path, metric id) -> Points`` in one scan: for the query's field path or
        each of ``paths``, and without a split (None) or per tag of ``splits``. Every point when the
        range holds at most ``limit`` snapshots, else ``limit`` equal time buckets over the range
        (mean time, mean value; empty buckets left out)."""
        lo, hi, snapshots = self.span(query)
        if snapshots == 0:
            return {}
        frm, params = self._where(query, include_suites, paths)
        tag = "NULL"
        if splits:
            keys = ", ".join(f":g{i}" for i in range(len(splits)))
            params.update({f"g{i}": t for i, t in enumerate(splits)})
            join = f"JOIN mf_snapshot_tags g ON g.snapshot_id = p.snapshot_id AND g.ts = p.ts AND g.tag IN ({keys}) WHERE"
            frm, tag = frm.replace(" WHERE ", f" {join} ", 1), "g.tag"
        if snapshots <= limit:  # a series has at most one point per snapshot and metric
            rows = self.read(f"SELECT {tag}, s.field_path, s.metric_id, p.ts, p.value, 1 {frm} "
                             "ORDER BY 1, 2, 3, p.ts, p.snapshot_id", params)  # fmt: skip
        else:
            rows = self.read(
                f"SELECT {tag}, s.field_path, s.metric_id, AVG(p.ts), AVG(p.value), COUNT(*), "
                f"((p.ts - :lo) * :buckets) / :span AS b {frm} GROUP BY 1, 2, 3, b ORDER BY 1, 2, 3, b",
                {**params, "lo": lo, "buckets": limit, "span": hi - lo + 1},
            )
        groups: dict[Key, list[tuple[Any, ...]]] = {}
        for row in rows:
            groups.setdefault((row[0], row[1], row[2]), []).append(row)
        out: dict[Key, Points] = {}
        for key, mine in groups.items():
            ts = np.fromiter((float(r[3]) for r in mine), float, len(mine)).round().astype(np.int64)
            values = np.fromiter((float(r[4]) for r in mine), float, len(mine))
            n = int(sum(r[5] for r in mine))
            out[key] = Points(ts, values, n, n > len(mine))
        return out

    def reduce(self, query: SeriesQuery, include_suites: bool, agg: str) -> float | None:
        """``last`` (the value with the newest time), ``sum`` or ``mean`` over every matching point."""
        frm, params = self._where(query, include_suites)
        if agg == "last":
            rows = self.read(
                f"SELECT p.value {frm} ORDER BY p.ts DESC, p.snapshot_id DESC, s.metric_id DESC LIMIT 1",
                params,
            )
            return float(rows[0][0]) if rows else None
        total, mean, n = self.read(f"SELECT SUM(p.value), AVG(p.value), COUNT(*) {frm}", params)[0]
        if not n:
            return None
        return float(total) if agg == "sum" else float(mean)

    def histogram(self, query: SeriesQuery, include_suites: bool) -> np.ndarray:
        """Every matching value (one float column: cheap even for long series)."""
        frm, params = self._where(query, include_suites)
        rows = self.read(f"SELECT p.value {frm}", params)
        return np.fromiter((float(r[0]) for r in rows), float, len(rows))


def _bucket(
    ts: np.ndarray, values: np.ndarray, lo: int, hi: int, limit: int
) -> tuple[np.ndarray, np.ndarray]:
    """The same buckets as the SQL above: index ``(ts - lo) * limit // (hi - lo + 1)``, mean time and value."""
    index = (ts - lo) * limit // (hi - lo + 1)
    counts = np.bincount(index, minlength=limit)
    used = counts > 0
    mean_ts = np.bincount(index, weights=ts.astype(float), minlength=limit)[used] / counts[used]
    mean_values = np.bincount(index, weights=values, minlength=limit)[used] / counts[used]
    return mean_ts.round().astype(np.int64), mean_values


class StoreAggregates:
    """The same answers from ``SnapshotStore.series`` rows, in Python (stores without an index DB)."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self._suites: dict[tuple[Any, Any], set[str]] = {}

    def _rows(self, query: SeriesQuery, include_suites: bool) -> list[tuple[Any, ...]]:
        rows = self.ws.store.series(query)
        if rows and not include_suites:
            key = (query.start, query.end)
            if key not in self._suites:
                self._suites[key] = test_suite_ids(self.ws, query.project_id, query.start, query.end)
            rows = [r for r in rows if r[1] not in self._suites[key]]
        return rows

    def points(self, query: SeriesQuery, include_suites: bool, limit: int, paths: list[str] | None = None,
               splits: list[str] | None = None) -> dict[Key, Points]:  # fmt: skip
        out: dict[Key, Points] = {}
        for split in splits or [None]:
            for path in paths or [query.field_path]:
                tags = query.tags + [split] if split else query.tags
                narrowed = query.model_copy(update={"field_path": path, "tags": tags})
                for mid, points in self._points(narrowed, include_suites, limit).items():
                    out[(split, path, mid)] = points
        return out

    def _points(self, query: SeriesQuery, include_suites: bool, limit: int) -> dict[str, Points]:
        rows = self._rows(query, include_suites)
        by_metric: dict[str, list[tuple[Any, ...]]] = {}
        for row in rows:
            by_metric.setdefault(row[3], []).append(row)
        if not by_metric:
            return {}
        bucketed = max(len(rs) for rs in by_metric.values()) > limit
        lo, hi = min(r[0] for r in rows), max(r[0] for r in rows)
        out = {}
        for mid in sorted(by_metric):
            rs = by_metric[mid]
            ts = np.fromiter((r[0] for r in rs), np.int64, len(rs))
            values = np.fromiter((r[2] for r in rs), float, len(rs))
            if bucketed:
                ts, values = _bucket(ts, values, lo, hi, limit)
            out[mid] = Points(ts, values, len(rs), bucketed and len(rs) > len(ts))
        return out

    def reduce(self, query: SeriesQuery, include_suites: bool, agg: str) -> float | None:
        rows = self._rows(query, include_suites)
        if not rows:
            return None
        if agg == "last":
            return float(max(rows, key=lambda r: (r[0], r[1], r[3]))[2])
        values = np.fromiter((r[2] for r in rows), float, len(rows))
        return float(values.sum() if agg == "sum" else values.mean())

    def histogram(self, query: SeriesQuery, include_suites: bool) -> np.ndarray:
        rows = self._rows(query, include_suites)
        return np.fromiter((r[2] for r in rows), float, len(rows))


def for_workspace(ws: Any, use_index: bool = True) -> IndexAggregates | StoreAggregates:
    """In the index database when the store has one (and ``use_index``), else in Python."""
    read = index_reader(ws) if use_index else None
    return IndexAggregates(read) if read is not None else StoreAggregates(ws)
