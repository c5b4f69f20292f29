"""Panel series reduced inside the index database: long series come back as at most ``limit``
time-bucket means, counters as one SQL aggregate, histograms as one column of values, and test
suites are left out by the query itself. Python never holds more than ``limit`` buckets per
series, so answers and memory stay bounded as snapshots grow.

Where the filters allow it (no metadata filter, at most one tag, or a split by tag alone), whole
UTC days are read from the daily rollup ``mf_rollup`` (see ``storage/index.py``) instead of the
points; the partial days at the edges of the time range, and the days the rollup does not answer
(pending since a write, or too sparse to roll up), from the points: an "all time" view then costs
per day, not per snapshot. Bucket layouts (:func:`layout`) are the same whichever
source answers, so a filter never changes where bucket edges fall.

The series match has ``Index.series``' semantics (tag and metadata filters are read as one index
range each, :func:`snapshot_filters`); this module exists because ``SnapshotStore.series`` returns
every point. It needs ``store.index`` (all built-in backends); otherwise :class:`StoreAggregates`
computes the same from ``SnapshotStore.series`` rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from monitorflow.service.lookups import index_reader, test_suite_ids
from monitorflow.service.sqlparts import Bindings
from monitorflow.storage.base import SeriesQuery
from monitorflow.storage.index import ROLLUP_US, canonical, flatten_params, micros

Read = Callable[[str, dict[str, Any]], list[tuple[Any, ...]]]
#: (split tag or None, field path, metric id)
Key = tuple[str | None, str, str]
DAY = ROLLUP_US
#: Buckets at least this wide are widened to whole days (read from the rollup): at most 4 times
#: fewer buckets than asked, and no long range scans the points (measured: grouping 5,000 points
#: per series costs about 3 times the rollup's answer for a whole year).
DAILY_FROM_US = DAY // 4


@dataclass
class Points:
    """One matched metric's points (or bucket means): times in µs, values, and the raw point count."""

    ts: np.ndarray
    values: np.ndarray
    n: int
    bucketed: bool = False


@dataclass(frozen=True)
class Layout:
    """Equal time buckets: bucket ``k`` holds times in ``[origin + k * width, origin + (k + 1) * width)``."""

    origin: int
    width: int

    @property
    def daily(self) -> bool:
        """Whole UTC days: the daily rollup can answer."""
        return self.origin % DAY == 0 and self.width % DAY == 0

    def index(self, ts: np.ndarray) -> np.ndarray:
        return (ts - self.origin) // self.width


def layout(lo: int, hi: int, limit: int) -> Layout:
    """At most ``limit`` buckets over ``[lo, hi]`` (µs). Buckets of 6 hours or more are widened to
    whole UTC days (aligned to midnight), so that they are unions of rollup days; shorter ones start
    at ``lo``."""
    limit = max(1, limit)
    width = -(-(hi - lo + 1) // limit)
    if width < DAILY_FROM_US:
        return Layout(lo, width)
    origin = lo - lo % DAY
    width = -(-(hi - origin + 1) // limit)
    return Layout(origin, -(-width // DAY) * DAY)


def rollup_tags(query: SeriesQuery, splits: list[str] | None = None) -> list[str] | None:
    """The rollup tags that answer ``query`` (``''``: every snapshot; the split tags), or None when
    only the points can (a metadata filter, several tags, or a tag filter together with a split)."""
    if query.metadata:
        return None
    tags = list(dict.fromkeys(query.tags))
    if splits:
        return None if tags or not all(splits) else list(splits)
    if len(tags) > 1 or (tags and not tags[0]):
        return None
    return tags or [""]


def snapshot_filters(query: Any, params: dict[str, Any], snapshot_col: str) -> list[str]:
    """Tag (all present) and metadata (all equal) filters as ``IN`` lists of the project's matching
    snapshots in the query's time range, each one range of the (project, tag, ts) or (project, key,
    value, ts) index, instead of one lookup per point (``_filters``' correlated ``EXISTS``)."""
    start, end = bounds(query)
    clauses = []
    for i, tag in enumerate(dict.fromkeys(query.tags)):
        params[f"tag{i}"] = tag
        clauses.append(f"{snapshot_col} IN (SELECT t{i}.snapshot_id FROM mf_snapshot_tags t{i} WHERE "
                       f"t{i}.project_id = :pid AND t{i}.tag = :tag{i}{_ts_range(f't{i}.ts', start, end, params)})")  # fmt: skip
    for i, (key, value) in enumerate(query.metadata.items()):
        params[f"mk{i}"], params[f"mv{i}"] = key, canonical(value)
        clauses.append(f"{snapshot_col} IN (SELECT m{i}.snapshot_id FROM mf_snapshot_metadata m{i} WHERE m{i}.project_id = :pid "
                       f"AND m{i}.key = :mk{i} AND m{i}.value = :mv{i}{_ts_range(f'm{i}.ts', start, end, params)})")  # fmt: skip
    return clauses


def _ts_range(col: str, start: int | None, end: int | None, params: dict[str, Any]) -> str:
    sql = ""
    if start is not None:
        sql, params["fstart"] = sql + f" AND {col} >= :fstart", start
    if end is not None:
        sql, params["fend"] = sql + f" AND {col} < :fend", end
    return sql


def bounds(query: Any) -> tuple[int | None, int | None]:
    return (
        None if query.start is None else micros(query.start),
        None if query.end is None else micros(query.end),
    )


#: At most this many runs of rollup days per query (the rest of the range is read from the points).
MAX_RUNS = 16


def split_days(start: int | None, end: int | None, skip: list[int]) -> tuple[list[tuple[int | None, int | None]], list[tuple[int | None, int | None]]]:  # fmt: skip
    """``[start, end)`` as (runs of whole days but the ``skip`` days: the rollup's part; the
    intervals between them: partial days at the edges and the skipped days, read from the points).
    Only the ``MAX_RUNS`` longest runs are kept, so the query stays short."""
    dlo = None if start is None else -(-start // DAY) * DAY
    dhi = None if end is None else end - end % DAY
    if dlo is not None and dhi is not None and dlo >= dhi:
        return [], [(start, end)]
    runs: list[tuple[int | None, int | None]] = []
    cursor = dlo
    for day in sorted(set(skip)):
        if (dlo is not None and day < dlo) or (dhi is not None and day >= dhi):
            continue
        if cursor is None or cursor < day:
            runs.append((cursor, day))
        cursor = day + DAY
    if cursor is None or dhi is None or cursor < dhi:
        runs.append((cursor, dhi))
    if len(runs) > MAX_RUNS:
        longest = sorted(runs, key=lambda r: -(float("inf") if None in r else r[1] - r[0]))[:MAX_RUNS]  # type: ignore[operator]
        runs = sorted(longest, key=lambda r: -float("inf") if r[0] is None else r[0])
    raw: list[tuple[int | None, int | None]] = []
    here = start
    for lo, hi in runs:
        if lo is not None and (here is None or here < lo):
            raw.append((here, lo))
        here = hi
    if not runs:
        raw.append((start, end))
    elif runs[-1][1] is not None and (end is None or here < end):  # type: ignore[operator]
        raw.append((here, end))
    return runs, raw


class _Sql(Bindings):
    """SELECTs over the points or the rollup of given series of one query; parameters shared by all
    parts. Rows carry the series id (an integer) and, with splits, the tag: no per-row strings."""

    def __init__(self, query: SeriesQuery, include_suites: bool, paths: list[str] | None = None,
                 splits: list[str] | None = None) -> None:  # fmt: skip
        self.query, self.suites, self.splits = query, include_suites, splits
        paths = paths or [query.field_path]
        super().__init__({"pid": str(query.project_id), **{f"fp{i}": p for i, p in enumerate(paths)}})
        series = [
            "s.project_id = :pid",
            f"s.field_path IN ({', '.join(f':fp{i}' for i in range(len(paths)))})",
        ]
        if query.metric_type is not None:
            series.append("s.metric_type = :mt")
            self.params["mt"] = query.metric_type
        if query.metric_id is not None:
            series.append("s.metric_id = :mid")
            self.params["mid"] = query.metric_id
        for i, (key, value) in enumerate(flatten_params(query.metric_args).items()):
            self.params[f"ak{i}"], self.params[f"av{i}"] = key, value
            series.append(f"s.metric_id IN (SELECT a{i}.metric_id FROM mf_metric_params a{i} "
                          f"WHERE a{i}.project_id = :pid AND a{i}.key = :ak{i} AND a{i}.value = :av{i})")  # fmt: skip
        self.series = "SELECT s.id, s.field_path, s.metric_id FROM mf_series s WHERE " + " AND ".join(series)
        self.filters = snapshot_filters(query, self.params, "p.snapshot_id")

    def _ids(self, col: str, ids: list[int]) -> str:
        return f"{col} IN ({', '.join(self.bind(i) for i in ids)})"

    def points(self, select: str, ids: list[int], lo: int | None, hi: int | None) -> str:
        """``SELECT [g.tag,] <select>`` over the points of series ``ids`` in ``[lo, hi)``, with the
        split tag first when splitting."""
        frm = "FROM mf_points p"
        if self.splits:
            tags = ", ".join(self.bind(t) for t in self.splits)
            frm += f" JOIN mf_snapshot_tags g ON g.snapshot_id = p.snapshot_id AND g.ts = p.ts AND g.tag IN ({tags})"
            select = "g.tag, " + select
        where = [self._ids("p.series_id", ids), *self.filters, *self.range("p.ts", lo, hi)]
        if not self.suites:
            where.append("p.suite = 0")
        return f"SELECT {select} {frm} WHERE " + " AND ".join(where)

    def rollup(
        self, select: str, ids: list[int], tags: list[str], runs: list[tuple[int | None, int | None]]
    ) -> str:
        """``SELECT [r.tag,] <select>`` over the rollup rows of series ``ids`` and ``tags`` on the
        days of ``runs``."""
        where = [self._ids("r.series_id", ids), f"r.tag IN ({', '.join(self.bind(t) for t in tags)})",
                 self.any_range("r.day", runs)]  # fmt: skip
        if not self.suites:
            where.append("r.suite = 0")
        if self.splits:
            select = "r.tag, " + select
        return f"SELECT {select} FROM mf_rollup r WHERE " + " AND ".join(where)

    def latest(self, series_id: int, metric_id: str) -> str:
        """``(ts, snapshot id, metric id, value)`` of the newest matching point of one series."""
        where = [
            f"p.series_id = {self.bind(series_id)}",
            *self.filters,
            *self.range("p.ts", *bounds(self.query)),
        ]
        if not self.suites:
            where.append("p.suite = 0")
        return (f"SELECT p.ts, p.snapshot_id, {self.bind(metric_id)} AS mid, p.value FROM mf_points p WHERE "
                + " AND ".join(where) + " ORDER BY p.ts DESC, p.snapshot_id DESC LIMIT 1")  # fmt: skip

    def parts(
        self, ids: list[int], skip: list[int] | None, raw: str, rolled: str, group: str = ""
    ) -> list[str]:
        """``raw`` (then ``group``) over the points and ``rolled`` over the rollup: whole days of the
        time range but ``skip`` from the rollup when ``skip`` is given (None: no rollup) and the
        filters allow, the rest from the points."""
        start, end = bounds(self.query)
        tags = rollup_tags(self.query, self.splits) if skip is not None else None
        runs, edges = split_days(start, end, skip or []) if tags is not None else ([], [(start, end)])
        out = [self.points(raw, ids, lo, hi) + group for lo, hi in edges]
        if runs and tags is not None:
            out.append(self.rollup(rolled, ids, tags, runs))
        return out


def _reduce_groups(
    keys: list[np.ndarray], sums: list[np.ndarray]
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Rows grouped by ``keys`` (sorted, first key first): the keys of each group and the sums of
    each of ``sums`` over it, in numpy."""
    order = np.lexsort(keys[::-1])
    keys = [k[order] for k in keys]
    change = np.zeros(len(order), dtype=bool)
    change[:1] = True
    for k in keys:
        change[1:] |= k[1:] != k[:-1]
    starts = np.flatnonzero(change)
    return [k[starts] for k in keys], [np.add.reduceat(v[order], starts) for v in sums]


class IndexAggregates:
    """Series, counters and histograms of one workspace computed by its index database; made per
    request (it caches the project's time span)."""

    def __init__(self, read: Read, use_rollup: bool = True, count_limit: int = 10_000) -> None:
        self.read = read
        self.use_rollup = use_rollup
        self.count_limit = count_limit
        self._span: dict[tuple[Any, ...], tuple[int, int, int]] = {}
        self._skip: dict[Any, list[int]] = {}

    def span(self, query: Any) -> tuple[int, int, int]:
        """(first, last time in µs, number) of the project's snapshots in the query's time range;
        the number is exact up to ``count_limit`` (the largest ``limit`` asked), else one more."""
        key = (query.project_id, query.start, query.end)
        if key not in self._span:
            params: dict[str, Any] = {"pid": str(query.project_id), "cap": self.count_limit + 1}
            where = "project_id = :pid"
            if query.start is not None:
                where, params["start"] = where + " AND ts >= :start", micros(query.start)
            if query.end is not None:
                where, params["end"] = where + " AND ts < :end", micros(query.end)
            # two index seeks and at most cap index entries, however many snapshots there are
            sql = (f"SELECT (SELECT MIN(ts) FROM mf_snapshots WHERE {where}), (SELECT MAX(ts) FROM mf_snapshots "
                   f"WHERE {where}), (SELECT COUNT(*) FROM (SELECT 1 FROM mf_snapshots WHERE {where} LIMIT :cap) c)")  # fmt: skip
            lo, hi, n = self.read(sql, params)[0]
            self._span[key] = (int(lo or 0), int(hi or 0), int(n or 0))
        return self._span[key]

    def skip_days(self, project_id: Any) -> list[int] | None:
        """The project's days the rollup does not answer (sorted starts): dirty since their last
        roll-up, or left out as sparse. None when the rollup is not to be used."""
        if not self.use_rollup:
            return None
        if project_id not in self._skip:
            rows = self.read(
                "SELECT day FROM mf_rollup_dirty WHERE project_id = :pid UNION "
                "SELECT day FROM mf_rollup_sparse WHERE project_id = :pid",
                {"pid": str(project_id)},
            )
            self._skip[project_id] = sorted(int(d) for (d,) in rows)
        return self._skip[project_id]

    def _series(self, sql: _Sql) -> dict[int, tuple[str, str]]:
        return {int(i): (fp, mid) for i, fp, mid in self.read(sql.series, sql.params)}

    def points(self, query: SeriesQuery, include_suites: bool, limit: int, paths: list[str] | None = None,
               splits: list[str] | None = None) -> dict[Key, Points]:  # fmt: skip
        """``(split tag, field path, metric id) -> Points``: for the query's field path or each of
        ``paths``, and without a split (None) or per tag of ``splits``. Every point when the range
        holds at most ``limit`` snapshots, else the buckets of :func:`layout` (mean time, mean
        value; empty buckets left out). Rows are reduced in numpy, not grouped by the database."""
        lo, hi, snapshots = self.span(query)
        if snapshots == 0:
            return {}
        sql = _Sql(query, include_suites, paths, splits)
        series = self._series(sql)
        if not series:
            return {}
        ids = sorted(series)
        start, end = bounds(query)
        if snapshots <= limit:  # a series has at most one point per snapshot and metric
            rows = self.read(sql.points("p.series_id, p.ts, p.value", ids, start, end)
                             + " ORDER BY p.series_id, p.ts, p.snapshot_id", sql.params)  # fmt: skip
            return self._split(rows, series, splits, bucketed=None)
        grid = layout(lo, hi, limit)
        o, w = sql.bind(grid.origin), sql.bind(grid.width)
        # points: grouped per bucket by the database (at most limit rows per series come back);
        # rollup days: one row each (a few hundred per series), merged with the points in numpy
        tag = "g.tag, " if splits else ""
        raw = (f"p.series_id, (p.ts - {o}) / {w} AS b, COUNT(*), SUM(CAST(p.ts - {o} AS DOUBLE PRECISION)), "
               f"SUM(p.value)")  # fmt: skip
        rolled = (f"r.series_id, (r.day - {o}) / {w}, r.n, CAST(r.day - {o} AS DOUBLE PRECISION) * r.n + r.sum_dt, "
                  "r.sum_value")  # fmt: skip
        skip = self.skip_days(query.project_id) if grid.daily else None
        parts = sql.parts(ids, skip, raw, rolled, f" GROUP BY {tag}p.series_id, b")
        rows = self.read(" UNION ALL ".join(parts), sql.params)
        return self._split(rows, series, splits, bucketed=grid)

    def _split(self, rows: list[tuple[Any, ...]], series: dict[int, tuple[str, str]], splits: list[str] | None,
               bucketed: Layout | None) -> dict[Key, Points]:  # fmt: skip
        """Rows ``([tag,] series id, bucket, n, sum of times after the origin, sum of values)`` (or
        ``([tag,] series id, ts, value)`` when not ``bucketed``) -> Points per (tag, field path, metric id)."""
        if not rows:
            return {}
        cols = list(zip(*rows, strict=True))
        if splits:
            tag_names, tag_index = np.unique(np.array(cols[0], dtype=object), return_inverse=True)
            cols = cols[1:]
        else:
            tag_names, tag_index = np.array([None], dtype=object), np.zeros(len(rows), dtype=np.int64)
        sid = np.array(cols[0], dtype=np.int64)
        ts = np.array(cols[1], dtype=np.int64)  # the time, or the bucket
        out: dict[Key, Points] = {}
        if bucketed is None:  # a stable sort keeps the database's order (snapshot id) among equal times
            order = np.lexsort((ts, sid, tag_index))
            tag_index, sid, ts, values = (
                tag_index[order],
                sid[order],
                ts[order],
                np.array(cols[2], dtype=float)[order],
            )
            starts = np.flatnonzero(np.r_[True, (tag_index[1:] != tag_index[:-1]) | (sid[1:] != sid[:-1])])
            for a, z in zip(starts, [*starts[1:], len(rows)], strict=True):
                fp, mid = series[int(sid[a])]
                out[(tag_names[tag_index[a]], fp, mid)] = Points(ts[a:z], values[a:z], int(z - a))
            return out
        n, st, sv = (np.array(c, dtype=float) for c in cols[2:5])
        (tags, sids, b), (n, st, sv) = _reduce_groups([tag_index, sid, ts], [n, st, sv])
        starts = np.flatnonzero(np.r_[True, (tags[1:] != tags[:-1]) | (sids[1:] != sids[:-1])])
        for a, z in zip(starts, [*starts[1:], len(b)], strict=True):
            fp, mid = series[int(sids[a])]
            total = int(n[a:z].sum())
            out[(tag_names[tags[a]], fp, mid)] = Points(bucketed.origin + (st[a:z] / n[a:z]).round().astype(np.int64),
                                                        sv[a:z] / n[a:z], total, total > z - a)  # fmt: skip
        return out

    def reduce(self, query: SeriesQuery, include_suites: bool, agg: str) -> float | None:
        """``last`` (the value with the newest time), ``sum`` or ``mean`` over every matching point."""
        sql = _Sql(query, include_suites)
        series = self._series(sql)
        if not series:
            return None
        if agg == "last":
            return self._last(sql, series)
        skip = self.skip_days(query.project_id)
        parts = sql.parts(sorted(series), skip, "COUNT(*), SUM(p.value)", "SUM(r.n), SUM(r.sum_value)")
        rows = self.read(" UNION ALL ".join(parts), sql.params)
        n = sum(int(r[0] or 0) for r in rows)  # PostgreSQL sums integers as numeric (Decimal)
        if not n:
            return None
        total = float(sum(float(r[1]) for r in rows if r[1] is not None))
        return total if agg == "sum" else total / n

    def _last(self, sql: _Sql, series: dict[int, tuple[str, str]]) -> float | None:
        """The value with the newest (time, snapshot id, metric id): per matching series, one backward
        seek on the points key that stops at the first point passing the filters."""
        parts = [
            f"SELECT * FROM ({sql.latest(sid, mid)}) a{i}"
            for i, (sid, (_, mid)) in enumerate(sorted(series.items()))
        ]
        rows = self.read(" UNION ALL ".join(parts), sql.params)
        return float(max(rows)[3]) if rows else None

    def histogram(self, query: SeriesQuery, include_suites: bool) -> np.ndarray:
        """Every matching value (one float column: cheap even for long series)."""
        sql = _Sql(query, include_suites)
        series = self._series(sql)
        if not series:
            return np.array([])
        rows = self.read(sql.points("p.value", sorted(series), *bounds(query)), sql.params)
        return np.fromiter((r[0] for r in rows), float, len(rows))


def _bucket(ts: np.ndarray, values: np.ndarray, grid: Layout) -> tuple[np.ndarray, np.ndarray]:
    """The same buckets as the SQL above (:func:`layout`): mean time and value of each used bucket."""
    index = grid.index(ts)
    index = index - index.min()
    counts = np.bincount(index)
    used = counts > 0
    offsets = np.bincount(index, weights=(ts - grid.origin).astype(float))[used] / counts[used]
    mean_values = np.bincount(index, weights=values)[used] / counts[used]
    return grid.origin + offsets.round().astype(np.int64), mean_values


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
        grid = layout(min(r[0] for r in rows), max(r[0] for r in rows), limit)
        out = {}
        for mid in sorted(by_metric):
            rs = by_metric[mid]
            ts = np.fromiter((r[0] for r in rs), np.int64, len(rs))
            values = np.fromiter((r[2] for r in rs), float, len(rs))
            if bucketed:
                ts, values = _bucket(ts, values, grid)
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


def for_workspace(ws: Any, use_index: bool = True, use_rollup: bool = True,
                  count_limit: int = 10_000) -> IndexAggregates | StoreAggregates:  # fmt: skip
    """In the index database when the store has one (and ``use_index``), else in Python;
    ``use_rollup=False`` reads every point even where the daily rollup could answer;
    ``count_limit``: the largest ``limit`` the caller will pass."""
    read = index_reader(ws) if use_index else None
    return IndexAggregates(read, use_rollup, count_limit) if read is not None else StoreAggregates(ws)
