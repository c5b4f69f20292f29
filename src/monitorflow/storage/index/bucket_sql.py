"""Dashboard series in the index database: the points of the matched series, every one or grouped
per time bucket, with the split tags joined in; merged by the one reduction of
:func:`~monitorflow.storage.reads.reduce_buckets`.

For means and sums, whole UTC days are read from the daily rollup ``mf_rollup`` where the filters
allow (no metadata filter, at most one tag, or a split by one prefix alone); the partial days at the
edges of the range, and the days the rollup does not answer, from the points. An "all time" view
then costs per day, not per snapshot. Rows carry the series id (an integer) and the split tags:
no per-row strings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from itertools import product
from typing import Any

import numpy as np

from monitorflow.storage.index.days import skipped_days, split_days
from monitorflow.storage.index.encoding import micros_or_none
from monitorflow.storage.index.filters import Bindings
from monitorflow.storage.reads import Agg, BucketQuery, Buckets, Trace, reduce_buckets, traces_of_points

Read = Callable[[str, dict[str, Any]], list[tuple[Any, ...]]]
#: What each trace key stands for: (split tags, series id).
Names = dict[int, tuple[tuple[str, ...], int]]
_EMPTY = np.zeros(0, dtype=np.int64)
#: Newest point per series and split by one backward seek each, up to this many seeks per query.
_MAX_SEEKS = 200


def rollup_tags(query: BucketQuery, splits: list[list[str]]) -> list[str] | None:
    """The rollup tags that answer ``query`` (``''``: every snapshot; the split tags), or None when
    only the points can (a metadata filter, several tags or split prefixes, or a tag filter together
    with a split)."""
    if query.metadata or query.agg not in ("mean", "sum") or not query.use_rollup:
        return None
    tags = list(dict.fromkeys(query.tags))
    if splits:
        return None if tags or len(splits) > 1 or not all(splits[0]) else list(splits[0])
    if len(tags) > 1 or (tags and not tags[0]):
        return None
    return tags or [""]


class _Sql(Bindings):
    """SELECTs over the points or the rollup of given series of one query; parameters shared by all parts."""

    def __init__(self, query: BucketQuery, splits: list[list[str]]) -> None:
        super().__init__({"pid": str(query.project_id)})
        self.query, self.splits = query, splits
        self.lo, self.hi = micros_or_none(query.start), micros_or_none(query.end)
        where = [
            "s.project_id = :pid",
            f"s.field_path IN ({self.binds(query.field_paths)})",
            *self.matches("s", "metric", query.metric_type, query.metric_fingerprint, query.metric_args),
        ]
        self.series = (
            "SELECT s.id, s.field_path, s.metric_fingerprint FROM mf_series s WHERE " + " AND ".join(where)
        )
        self.filters = self.snapshot_filters(query, "p.snapshot_id", "p.ts")
        kinds = set(query.kinds)
        self.suite = None if len(kinds) != 1 else int("test_suite" in kinds)

    def ids(self, col: str, ids: list[int]) -> str:
        return f"{col} IN ({self.binds(ids)})"

    def points(
        self, select: str, ids: list[int], lo: int | None, hi: int | None, tags: list[list[str]] | None = None
    ) -> str:
        """``SELECT g0.tag, ..., <select>`` over the points of series ``ids`` in ``[lo, hi)``, one
        joined tag per split; ``tags``: one tag per split instead, and no tag columns."""
        joins = "".join(
            f" JOIN mf_snapshot_tags g{j} ON g{j}.snapshot_id = p.snapshot_id AND g{j}.ts = p.ts "
            f"AND g{j}.tag IN ({self.binds(values)})"
            for j, values in enumerate(tags or self.splits)
        )
        head = "" if tags is not None else "".join(f"g{j}.tag, " for j in range(len(self.splits)))
        where = [self.ids("p.series_id", ids), *self.filters, *self.range("p.ts", lo, hi)]
        if self.suite is not None:
            where.append(f"p.suite = {self.suite}")
        return f"SELECT {head}{select} FROM mf_points p{joins} WHERE " + " AND ".join(where)

    def rollup(
        self, select: str, ids: list[int], tags: list[str], runs: list[tuple[int | None, int | None]]
    ) -> str:
        """``SELECT [r.tag,] <select>`` over the rollup rows of series ``ids`` and ``tags`` on the days of
        ``runs``."""
        where = [
            self.ids("r.series_id", ids),
            f"r.tag IN ({self.binds(tags)})",
            self.any_range("r.day", runs),
        ]
        if self.suite is not None:
            where.append(f"r.suite = {self.suite}")
        head = "r.tag, " if self.splits else ""
        return f"SELECT {head}{select} FROM mf_rollup r WHERE " + " AND ".join(where)

    def newest(self, series_id: int, combination: tuple[str, ...]) -> str:
        """``([tags,] series id, ts, snapshot id, value)`` of the newest matching point of one series
        and split: one backward seek."""
        head = "".join(f"{self.bind(tag)} AS t{j}, " for j, tag in enumerate(combination))
        inner = self.points(
            "p.ts, p.snapshot_id, p.value", [series_id], self.lo, self.hi, [[t] for t in combination]
        )
        return (
            f"SELECT {head}{self.bind(series_id)} AS sid, n.* FROM ({inner} "
            "ORDER BY p.ts DESC, p.snapshot_id DESC LIMIT 1) n"
        )


def bucket_traces(read: Read, query: BucketQuery, splits: list[list[str]]) -> list[Trace]:
    """The traces of ``query``, sorted by split, field path and metric; ``splits``: the tags of each
    split prefix that has some (in the prefixes' order)."""
    sql = _Sql(query, splits)
    series = {int(i): (path, fingerprint) for i, path, fingerprint in read(sql.series, sql.params)}
    if not series:
        return []
    ids, width, grid = sorted(series), len(splits), query.buckets
    if grid is None:
        found, names = _every_point(read, sql, query, ids, width)
    elif query.agg == "last":
        newest = _newest_rows(read, sql, ids, splits) if grid.width is None else None
        rows = (
            newest
            if newest is not None
            else read(
                sql.points("p.series_id, p.ts, p.snapshot_id, p.value", ids, sql.lo, sql.hi), sql.params
            )
        )
        keys, names, (ts, sids, values) = _keyed(rows, width, [np.int64, object, float])
        found = reduce_buckets(
            keys, grid.index(ts), np.ones(len(ts)), np.zeros(len(ts)), values, grid, "last", last=(ts, sids)
        )
        if newest is not None:  # one row per trace: count the points each stands for (from the rollup)
            n = _counts(_grouped(read, sql, query.model_copy(update={"agg": "sum"}), ids), width)
            found = {k: replace(t, n=n[names[k]], bucketed=n[names[k]] > 1) for k, t in found.items()}
    else:
        found, names = _reduced(_grouped(read, sql, query, ids), width, grid, query.agg)
    traces = [
        replace(
            trace,
            split=names[k][0],
            field_path=series[names[k][1]][0],
            metric_fingerprint=series[names[k][1]][1],
        )
        for k, trace in found.items()
    ]
    return sorted(traces, key=lambda trace: trace.key)


def _every_point(
    read: Read, sql: _Sql, query: BucketQuery, ids: list[int], width: int
) -> tuple[dict[int, Trace], Names]:
    """Every matching point per split and series, by time (``values_only``: the values, unordered)."""
    timed = not query.values_only
    if len(ids) == 1 and not width:  # one series: no key columns to read
        order = " ORDER BY p.ts, p.snapshot_id" if timed else ""
        rows = read(
            sql.points("p.ts, p.value" if timed else "p.value", ids, sql.lo, sql.hi) + order, sql.params
        )
        ts, values = _table(rows, [np.int64, float]) if timed else (_EMPTY, *_table(rows, [float]))
        return ({0: Trace((), "", "", ts, values, len(rows))} if rows else {}), {0: ((), ids[0])}
    order = (
        f" ORDER BY {''.join(f'g{j}.tag, ' for j in range(width))}p.series_id, p.ts, p.snapshot_id"
        if timed
        else ""
    )
    rows = read(
        sql.points(f"p.series_id, {'p.ts' if timed else '0'}, p.value", ids, sql.lo, sql.hi) + order,
        sql.params,
    )
    keys, names, (ts, values) = _keyed(rows, width, [np.int64, float])
    found = traces_of_points(keys, ts, values)
    return (found if timed else {k: replace(t, ts=_EMPTY) for k, t in found.items()}), names


def _grouped(read: Read, sql: _Sql, query: BucketQuery, ids: list[int]) -> list[tuple[Any, ...]]:
    """``([tags,] series id, bucket, n, sum of times after the origin, sum/min/max of values)`` per
    bucket, from the points and, for whole days where the rollup answers, from the rollup."""
    grid = query.buckets
    assert grid is not None
    o = sql.bind(grid.origin)
    width = "" if grid.width is None else f" / {sql.bind(grid.width)}"
    value = {"mean": "SUM", "sum": "SUM", "min": "MIN", "max": "MAX"}[query.agg]
    bucket = (lambda col: f"({col} - {o}){width}") if width else (lambda col: "0")
    raw = (
        f"p.series_id, {bucket('p.ts')} AS b, COUNT(*), SUM(CAST(p.ts - {o} AS DOUBLE PRECISION)), "
        f"{value}(p.value)"
    )
    if width:  # one row per rollup day (merged in numpy: grouping them here costs a sort)
        rolled = (
            f"r.series_id, {bucket('r.day')}, r.n, CAST(r.day - {o} AS DOUBLE PRECISION) * r.n + "
            "r.sum_dt, r.sum_value"
        )
    else:  # one bucket: a sum per series, streamed in the rollup's key order
        rolled = (
            f"r.series_id, 0, SUM(r.n), SUM(CAST(r.day - {o} AS DOUBLE PRECISION) * r.n + r.sum_dt), "
            "SUM(r.sum_value)"
        )
    tags = rollup_tags(query, sql.splits) if grid.daily else None
    skip = skipped_days(read, str(query.project_id)) if tags is not None else []
    runs, edges = split_days(sql.lo, sql.hi, skip) if tags is not None else ([], [(sql.lo, sql.hi)])
    split_columns = "".join(f"g{j}.tag, " for j in range(len(sql.splits)))
    parts = [sql.points(raw, ids, lo, hi) + f" GROUP BY {split_columns}p.series_id, b" for lo, hi in edges]
    if runs and tags is not None:
        group = "" if width else (" GROUP BY r.series_id, r.tag" if sql.splits else " GROUP BY r.series_id")
        parts.append(sql.rollup(rolled, ids, tags, runs) + group)
    return read(" UNION ALL ".join(parts), sql.params)


def _counts(rows: list[tuple[Any, ...]], width: int) -> dict[tuple[tuple[str, ...], int], int]:
    """Points per (split tags, series id) from :func:`_grouped` rows."""
    out: dict[tuple[tuple[str, ...], int], int] = {}
    for row in rows:
        key = (tuple(row[:width]), int(row[width]))
        out[key] = out.get(key, 0) + int(row[width + 2])
    return out


def _reduced(
    rows: list[tuple[Any, ...]], width: int, grid: Buckets, agg: Agg
) -> tuple[dict[int, Trace], Names]:
    keys, names, (b, n, t, v) = _keyed(rows, width, [np.int64, float, float, float])
    return reduce_buckets(keys, b, n, t, v, grid, agg), names


def _table(rows: list[tuple[Any, ...]], types: list[Any]) -> list[np.ndarray]:
    """The columns of ``rows`` as arrays of ``types`` (converted in C: no per-value Python loop)."""
    dtype = np.dtype([(f"c{i}", t) for i, t in enumerate(types)])
    table = np.fromiter(rows, dtype=dtype, count=len(rows))
    return [table[f"c{i}"] for i in range(len(types))]


def _keyed(
    rows: list[tuple[Any, ...]], width: int, types: list[Any]
) -> tuple[np.ndarray, Names, list[np.ndarray]]:
    """One int per row for its (split tags, series id), what each int stands for, and the columns
    after them as arrays of ``types``."""
    cols = _table(rows, [object] * width + [np.int64] + types)
    if not rows:
        return np.zeros(0, dtype=np.int64), {}, cols[width + 1 :]
    if not width and cols[0][0] == cols[0][-1] == cols[0].min() == cols[0].max():  # one series, no split
        return np.zeros(len(rows), dtype=np.int64), {0: ((), int(cols[0][0]))}, cols[1:]
    parts = [np.unique(col, return_inverse=True) for col in cols[: width + 1]]
    dims = [len(values) for values, _ in parts]
    keys = np.ravel_multi_index([inverse for _, inverse in parts], dims).astype(np.int64)
    names = {}
    for key in np.unique(keys).tolist():
        at = np.unravel_index(key, dims)
        names[key] = (tuple(str(parts[j][0][at[j]]) for j in range(width)), int(parts[width][0][at[width]]))
    return keys, names, cols[width + 1 :]


def _newest_rows(
    read: Read, sql: _Sql, ids: list[int], splits: list[list[str]]
) -> list[tuple[Any, ...]] | None:
    """The newest point of each series and split combination, one backward seek each (None: too many
    seeks)."""
    combinations = list(product(*splits))
    if len(ids) * len(combinations) > _MAX_SEEKS:
        return None
    parts = [
        f"SELECT * FROM ({sql.newest(i, combo)}) a{k}"
        for k, (i, combo) in enumerate(product(ids, combinations))
    ]
    return read(" UNION ALL ".join(parts), sql.params)
