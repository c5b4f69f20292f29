"""Every panel's data for one time range, from the workspace index (no snapshot blob is opened).

``dashboard_data(workspace, project, DashboardQuery(start=..., end=..., tags=[...]))`` returns a
JSON-ready dict: per panel its ``data`` (or ``error``; one failing panel does not fail the rest).
Times are epoch seconds (UTC). Series longer than ``max_points`` are averaged into equal time
buckets so the response size does not grow with the number of snapshots.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from itertools import product
from typing import Any
from uuid import UUID

import numpy as np
import pandas as pd

from monitorflow.errors import ConfigurationError, MonitoringError
from monitorflow.panels import (
    CounterAgg,
    DashboardPanel,
    DashboardPanelCounter,
    DashboardPanelDistribution,
    DashboardPanelPlot,
    DashboardPanelTestSuite,
    DashboardPanelTestSuiteCounter,
    HistBarMode,
    PanelValue,
    PlotType,
    ReportFilter,
    TestSuitePanelType,
    panels_by_tab,
    parse_panel,
)
from monitorflow.service import aggregates, lookups, statuses
from monitorflow.service.aggregates import Points
from monitorflow.storage.base import SeriesQuery, TestStatusQuery

log = logging.getLogger("monitorflow.service")
STATUSES = ["SUCCESS", "WARNING", "FAIL", "ERROR", "SKIPPED"]
_SEVERITY = {"FAIL": 5, "ERROR": 4, "WARNING": 3, "SUCCESS": 2, "SKIPPED": 1}
_US = 1_000_000


@dataclass
class DashboardQuery:
    """The viewer's choices: time range ``[start, end)``, extra tags/metadata for every panel, one tab."""

    start: datetime | None = None
    end: datetime | None = None
    tags: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    tab: str | None = None
    #: Overrides every plot panel's ``agg`` (how a line's points in one time bucket are combined).
    agg: str | None = None
    max_points: int = 500
    #: Reduce series inside the index database (False: in Python from ``SnapshotStore.series``).
    use_index: bool = True
    #: Read whole days of long ranges from the index's daily rollup (False: every point; same answers).
    use_rollup: bool = True
    #: Panels computed at once (threads). Default (None): one on an SQLite index, whose queries are
    #: short and mostly Python-bound (threads only contend for the GIL, measured slower, and each
    #: keeps its own page cache); the CPU count, at most 4, on PostgreSQL (network round trips).
    workers: int | None = None


class _Context:
    """One request: the workspace, the query, and lookups cached for the request only."""

    def __init__(self, ws: Any, project_id: UUID, query: DashboardQuery) -> None:
        self.ws, self.project_id, self.query = ws, project_id, query
        self.agg = aggregates.for_workspace(ws, use_index=query.use_index, use_rollup=query.use_rollup,
                                            count_limit=query.max_points)  # fmt: skip
        index = self.agg if isinstance(self.agg, aggregates.IndexAggregates) else None
        self.tests = statuses.for_workspace(ws, index and index.span, use_index=query.use_index and index is not None,
                                            skip_days=index and index.skip_days)  # fmt: skip
        self._tags: dict[str, list[str]] = {}
        self._paths: dict[tuple[Any, ...], list[str]] = {}

    def filters(self, flt: ReportFilter, extra_tags: Iterable[str] = ()) -> dict[str, Any]:
        tags = list(dict.fromkeys([*flt.tag_values, *self.query.tags, *extra_tags]))
        return {"project_id": self.project_id, "start": self.query.start, "end": self.query.end,
                "tags": tags, "metadata": {**flt.metadata_values, **self.query.metadata}}  # fmt: skip

    def splits(self, prefix: str | None) -> list[str | None]:
        if not prefix:
            return [None]
        if prefix not in self._tags:
            self._tags[prefix] = lookups.tag_values(self.ws, self.project_id, prefix)
        return list(self._tags[prefix]) or [None]  # no such tags: the panel shows the whole series

    def expand(self, value: PanelValue) -> list[PanelValue]:
        """``value`` itself, or one value per indexed field path its ``*`` pattern matches."""
        if "*" not in value.field_path:
            return [value]
        key = (value.metric_id, value.metric_fingerprint, value.field_path)
        if key not in self._paths:
            self._paths[key] = lookups.matching_fields(self.ws, self.project_id, *key)
        paths = self._paths[key]
        out = []
        for path in paths:
            match = lookups.wildcard_match(value.field_path, path)
            out.append(value.model_copy(update={"field_path": path,
                                                "legend": f"{value.legend}: {match}" if value.legend else match}))  # fmt: skip
        return out

    def _query(self, value: PanelValue, flt: ReportFilter, split: str | None) -> SeriesQuery:
        return SeriesQuery(metric_type=value.metric_id, metric_id=value.metric_fingerprint,
                           metric_args=value.metric_args, field_path=value.field_path,
                           **self.filters(flt, [split] if split else []))  # fmt: skip

    def series(
        self, value: PanelValue, flt: ReportFilter, splits: Sequence[str | None] = (None,)
    ) -> list[tuple[str | None, PanelValue, dict[str, Points]]]:
        """``(split, value, points per matched metric id)`` for ``value`` (its ``*`` expanded) and each
        split tag, sorted by time (bucket means when long); all read in one query."""
        values = self.expand(value)
        if not values:
            return []
        tags = [s for s in splits if s is not None]
        paths = [v.field_path for v in values]
        query = self._query(value, flt, None)
        found = self.agg.points(query, flt.include_test_suites, self.query.max_points, paths, tags or None)
        grouped: dict[tuple[str | None, str], dict[str, Points]] = {}
        for (split, path, mid), points in sorted(
            found.items(), key=lambda item: (str(item[0][0]), item[0][1:])
        ):
            grouped.setdefault((split, path), {})[mid] = points
        return [(split, v, grouped[(split, v.field_path)]) for split in tags or [None] for v in values
                if (split, v.field_path) in grouped]  # fmt: skip

    def reduce(
        self, value: PanelValue, flt: ReportFilter, split: str | None, agg: CounterAgg
    ) -> float | None:
        return self.agg.reduce(self._query(value, flt, split), flt.include_test_suites, agg.value)

    def values(self, value: PanelValue, flt: ReportFilter, split: str | None) -> np.ndarray:
        return self.agg.histogram(self._query(value, flt, split), flt.include_test_suites)

    def status_query(self, flt: ReportFilter) -> TestStatusQuery:
        return TestStatusQuery(**self.filters(flt))


# ------------------------------------------------------------------------------------ buckets


def _grid(ts: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """(bucket index per point, bucket x in µs): one bucket per distinct time, or ``limit`` equal
    time buckets when there are more distinct times than that."""
    distinct, inverse = np.unique(ts, return_inverse=True)
    if len(distinct) <= limit:
        return inverse, distinct
    lo, hi = int(ts.min()), int(ts.max())
    index = ((ts - lo) * limit // (hi - lo + 1)).astype(np.int64)
    counts = np.bincount(index, minlength=limit)
    centers = np.bincount(index, weights=ts.astype(float), minlength=limit) / np.maximum(counts, 1)
    used = counts > 0
    remap = np.cumsum(used) - 1
    return remap[index], centers[used].astype(np.int64)


def _bucket_mean(index: np.ndarray, values: np.ndarray, n: int) -> list[float | None]:
    counts = np.bincount(index, minlength=n)
    sums = np.bincount(index, weights=values, minlength=n)
    return [None if c == 0 else float(s / c) for s, c in zip(sums, counts, strict=True)]


def _seconds(micros: np.ndarray) -> list[float]:
    return (micros / _US).tolist()


#: Field names that count things (rows, columns, values): their axes get integer ticks.
_COUNT_WORDS = ("number_of_", "count", "support", "rows")


def is_count_field(field_path: str) -> bool:
    """``current.number_of_rows``, ``...count``: a count, drawn with integer ticks."""
    last = field_path.rsplit(".", 1)[-1]
    return last.startswith(_COUNT_WORDS[0]) or any(word in last for word in _COUNT_WORDS[1:])


_REDUCE = {"mean": np.mean, "min": np.min, "max": np.max, "sum": np.sum, "last": lambda v: v[-1]}


def combine_same_times(points: Points, agg: str) -> Points:
    """One point per distinct time: ``agg`` of the values at that time (in time order), so two
    snapshots of one series at one time (two runs, two segments) are one point, not a stroke."""
    distinct, starts = np.unique(points.ts, return_index=True)
    if len(distinct) == len(points.ts):
        return points
    order = np.argsort(points.ts, kind="stable")
    ts, values = points.ts[order], points.values[order]
    bounds = [*np.searchsorted(ts, distinct), len(ts)]
    reduce = _REDUCE[agg]
    combined = np.array(
        [reduce(values[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)], dtype=float
    )
    return Points(distinct, combined, points.n, bucketed=True)


def _trace(label: str, points: Points, field_path: str = "", agg: str = "mean") -> dict[str, Any]:
    if not points.bucketed:
        points = combine_same_times(points, agg)
    trace = {"label": label, "x": _seconds(points.ts), "y": points.values.tolist(), "n": points.n,
             "integer": is_count_field(field_path)}  # fmt: skip
    return {**trace, "bucketed": True} if points.bucketed else trace


def _labelled(value: PanelValue, split: str | None, groups: dict[str, Points]) -> list[tuple[str, Points]]:
    base = value.label + (f" [{split}]" if split else "")
    if len(groups) == 1:
        return [(base, next(iter(groups.values())))]
    return [(f"{base} #{i}", pts) for i, pts in enumerate(groups.values(), start=1)]


# ------------------------------------------------------------------------------------- panels


def _combinations(ctx: _Context, panel: DashboardPanelPlot) -> list[tuple[str | None, ReportFilter, str]]:
    """(tag of the first split prefix, filter with one combination of the other prefixes' tags, its
    label) per combination: ``["segment:", "model_version:"]`` -> one line per segment and version."""
    prefixes = panel.split_by_tag if isinstance(panel.split_by_tag, list) else [panel.split_by_tag]
    others = [[t for t in ctx.splits(p) if t is not None] for p in prefixes[1:]]
    out = []
    for combo in product(*others):
        flt = panel.filter.model_copy(update={"tag_values": [*panel.filter.tag_values, *combo]})
        out.extend((split, flt, " ".join(filter(None, (split, *combo)))) for split in ctx.splits(prefixes[0]))
    return out


def _plot(ctx: _Context, panel: DashboardPanelPlot) -> dict[str, Any]:
    agg = ctx.query.agg or panel.agg.value
    if isinstance(panel.split_by_tag, list) and len(panel.split_by_tag) > 1:
        traces = [
            _trace(
                f"{value.label} [{name}]" + (f" #{i}" if len(groups) > 1 else ""), pts, value.field_path, agg
            )
            for pattern in panel.values
            for split, flt, name in _combinations(ctx, panel)
            for _, value, groups in ctx.series(pattern, flt, [split])
            for i, pts in enumerate(groups.values(), start=1)
        ]
        return {"kind": "timeseries", "plot_type": panel.plot_type.value, "agg": agg, "traces": traces}
    splits = ctx.splits(
        panel.split_by_tag if not isinstance(panel.split_by_tag, list) else panel.split_by_tag[0]
    )
    if panel.plot_type == PlotType.HISTOGRAM:
        values = [value for pattern in panel.values for value in ctx.expand(pattern)]
        samples = [(value.label + (f" [{split}]" if split else ""), ctx.values(value, panel.filter, split))
                   for value in values for split in splits]  # fmt: skip
        every = np.concatenate([v for _, v in samples]) if samples else np.array([])
        edges = (
            np.histogram_bin_edges(every, bins=min(30, max(1, len(np.unique(every))))) if len(every) else []
        )
        return {"kind": "histogram", "edges": list(map(float, edges)),
                "traces": [{"label": lb, "counts": np.histogram(v, bins=edges)[0].tolist(), "n": len(v)}
                           for lb, v in samples if len(v)]}  # fmt: skip
    traces = [
        _trace(label, pts, value.field_path, agg)
        for pattern in panel.values
        for split, value, groups in ctx.series(pattern, panel.filter, splits)
        for label, pts in _labelled(value, split, groups)
    ]
    return {"kind": "timeseries", "plot_type": panel.plot_type.value, "agg": agg, "traces": traces}


def _counter(ctx: _Context, panel: DashboardPanelCounter) -> dict[str, Any]:
    if panel.agg == CounterAgg.NONE or panel.value is None:
        return {"kind": "counter", "agg": panel.agg.value, "text": panel.text, "items": []}
    items = [{"label": split or panel.value.label, "value": ctx.reduce(panel.value, panel.filter, split, panel.agg)}
             for split in ctx.splits(panel.split_by_tag)]  # fmt: skip
    return {"kind": "counter", "agg": panel.agg.value, "text": panel.text, "items": items}


def _period_starts(ts: np.ndarray, time_agg: str) -> np.ndarray:
    """Bucket starts (µs): fixed frequencies ("1h", "2D") floor the time, calendar ones ("W", "M") take
    the start of the pandas period."""
    stamps = pd.Series(pd.to_datetime(ts, unit="us", utc=True)).dt.tz_localize(None)
    try:
        starts = stamps.dt.floor(time_agg)
    except ValueError:
        try:
            starts = stamps.dt.to_period(time_agg).dt.start_time
        except ValueError:
            raise ConfigurationError(f"time_agg {time_agg!r} is not a pandas frequency; use e.g. '1D', '1h', 'W'",
                                     argument="time_agg") from None  # fmt: skip
    return starts.to_numpy(dtype="datetime64[us]").astype(np.int64)


def _fixed_width(time_agg: str | None) -> int | None:
    """µs of a fixed frequency ("1h", "2D"); None for none or a calendar one ("W", "M")."""
    if not time_agg:
        return None
    try:
        pd.Timestamp(0).floor(time_agg)
        return int(pd.Timedelta(time_agg).value // 1000)
    except ValueError:
        return None


def _test_suite(ctx: _Context, panel: DashboardPanelTestSuite) -> dict[str, Any]:
    detailed = panel.panel_type == TestSuitePanelType.DETAILED
    limit = min(ctx.query.max_points, 120) if detailed else ctx.query.max_points
    width = _fixed_width(panel.time_agg)
    rows = ctx.tests.rows(ctx.status_query(panel.filter), panel.test_filters, width, detailed, limit)
    if not rows:
        return {
            "kind": "test_detailed" if detailed else "test_aggregate",
            "x": [],
            "statuses": {},
            "tests": [],
        }
    ts = np.fromiter((r[0] for r in rows), np.int64, len(rows))
    if panel.time_agg and width is None:
        ts = _period_starts(ts, panel.time_agg)
    index, x = _grid(ts, limit)
    if not detailed:
        counts = {s: np.zeros(len(x), dtype=np.int64) for s in STATUSES}
        for i, row in zip(index, rows, strict=True):
            counts.setdefault(row[4], np.zeros(len(x), dtype=np.int64))[i] += row[5]
        return {"kind": "test_aggregate", "x": _seconds(x),
                "statuses": {s: c.tolist() for s, c in counts.items() if c.any()}}  # fmt: skip
    holder = {row[1]: row[6] for row in rows}  # a snapshot per test; prefer the newest run's few
    holder.update({row[1]: row[6] for row in rows if row[0] == rows[-1][0]})
    labels = lookups.test_labels(ctx.ws, holder)
    tests: dict[str, dict[str, Any]] = {}
    for i, row in zip(index, rows, strict=True):
        test = tests.setdefault(row[1], {"id": row[1], "type": row[2], "name": row[3],
                                         "detail": labels.get(row[1], ""), "cells": [None] * len(x)})  # fmt: skip
        current = test["cells"][i]
        if current is None or _SEVERITY.get(row[4], 0) > _SEVERITY.get(current, 0):
            test["cells"][i] = row[4]
    ordered = sorted(tests.values(), key=lambda t: (t["name"], t["detail"]))
    return {"kind": "test_detailed", "x": _seconds(x), "tests": ordered}


def _test_counter(ctx: _Context, panel: DashboardPanelTestSuiteCounter) -> dict[str, Any]:
    wanted = sorted({s.upper() for s in panel.statuses})
    count, total = ctx.tests.count(ctx.status_query(panel.filter), panel.test_filters, wanted,
                                   last=panel.agg == CounterAgg.LAST)  # fmt: skip
    return {"kind": "test_counter", "count": count, "total": total, "statuses": wanted}


def _distribution(ctx: _Context, panel: DashboardPanelDistribution) -> dict[str, Any]:
    patterns = list(panel.values)
    if panel.value is not None:  # a dict in the result: one segment per key
        path = panel.value.field_path
        patterns.append(
            panel.value.model_copy(update={"field_path": path if "*" in path else path.rstrip(".") + ".*"})
        )
    series = [
        (value.label, groups)
        for pattern in patterns
        for _, value, groups in ctx.series(pattern, panel.filter)
    ]
    merged = [(label, np.concatenate([p.ts for p in g.values()]), np.concatenate([p.values for p in g.values()]))
              for label, g in series if g]  # fmt: skip
    if not merged:
        return {"kind": "distribution", "barmode": panel.barmode.value, "x": [], "traces": []}
    all_ts = np.concatenate([ts for _, ts, _ in merged])
    index, x = _grid(all_ts, min(ctx.query.max_points, 200))
    traces, offset = [], 0
    for label, ts, vals in merged:
        traces.append({"label": label, "y": _bucket_mean(index[offset : offset + len(ts)], vals, len(x))})
        offset += len(ts)
    if panel.barmode == HistBarMode.RELATIVE:
        totals = [sum(t["y"][i] or 0 for t in traces) for i in range(len(x))]
        for t in traces:
            t["y"] = [None if y is None or not totals[i] else y / totals[i] for i, y in enumerate(t["y"])]
    return {"kind": "distribution", "barmode": panel.barmode.value, "x": _seconds(x), "traces": traces}


_BUILDERS: dict[type[DashboardPanel], Any] = {
    DashboardPanelPlot: _plot,
    DashboardPanelCounter: _counter,
    DashboardPanelTestSuite: _test_suite,
    DashboardPanelTestSuiteCounter: _test_counter,
    DashboardPanelDistribution: _distribution,
}


def panel_data(ctx: _Context, raw: Any) -> dict[str, Any]:
    """``{"id", "type", "title", "size", "data" | "error"}`` of one panel."""
    head = {"id": str(raw.get("id")) if isinstance(raw, dict) else None, "title": "", "type": None, "size": 2}
    try:
        panel = parse_panel(raw)
        head.update(id=str(panel.id), title=panel.title, type=panel.type, size=int(panel.size))
        head["data"] = _BUILDERS[type(panel)](ctx, panel)
    except MonitoringError as exc:
        head["error"] = str(exc)
    except Exception as exc:  # a broken panel renders as an error, like Evidently's safe_build
        log.exception("panel %s failed", head["id"])
        head["error"] = f"{type(exc).__name__}: {exc}"
    return head


def dashboard_data(ws: Any, project: Any, query: DashboardQuery) -> dict[str, Any]:
    """Data of the project's panels (those of ``query.tab`` only, if given) for the query."""
    ctx = _Context(ws, project.id, query)
    tabs = panels_by_tab(project.dashboard)
    out_tabs, panels = [], []
    for tab_id, title, items in tabs:
        out_tabs.append({"id": tab_id, "title": title, "panels": len(items)})
        if query.tab is None or query.tab == (tab_id or "general"):
            panels.extend(items)
    if query.tab is None:  # a panel may sit in several tabs: compute it once
        unique = {id(p): p for p in panels}
        panels = list(unique.values())
    return {
        "project_id": str(project.id),
        "name": project.dashboard.name or project.name,
        **_where_the_data_is(ctx),
        "start": query.start.isoformat() if query.start else None,
        "end": query.end.isoformat() if query.end else None,
        "tags": query.tags,
        "tabs": out_tabs,
        "panels": _each(lambda p: panel_data(ctx, p), panels, query.workers or _default_workers(ws)),
    }


@dataclass
class _Range:
    project_id: UUID
    start: datetime | None
    end: datetime | None


def _where_the_data_is(ctx: _Context) -> dict[str, Any]:
    """``span``: first and last time (epoch s) and number of the project's snapshots, whatever the
    range; ``range_count``: how many are in the range (so an empty view can say where the data is)."""
    if isinstance(ctx.agg, aggregates.IndexAggregates):
        first, last, count = ctx.agg.span(_Range(ctx.project_id, None, None))
        in_range = ctx.agg.span(_Range(ctx.project_id, ctx.query.start, ctx.query.end))[2]
    else:  # a store without an index: from its listing
        times = [int(i.timestamp.timestamp() * _US) for i in ctx.ws.list_snapshots(ctx.project_id)]
        first, last, count = (min(times), max(times), len(times)) if times else (0, 0, 0)
        in_range = len(ctx.ws.list_snapshots(ctx.project_id, start=ctx.query.start, end=ctx.query.end))
    return {"span": {"first": first / _US, "last": last / _US, "count": count}, "range_count": in_range}


_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _default_workers(ws: Any) -> int:
    dialect = getattr(
        getattr(getattr(getattr(ws, "store", None), "index", None), "runner", None), "dialect", None
    )
    return min(4, os.cpu_count() or 1) if dialect == "postgresql" else 1


def _each(fn: Any, items: list[Any], workers: int) -> list[Any]:
    """``[fn(x) for x in items]``, on a shared pool of ``workers`` threads when above 1: the index
    database does the work of a panel outside the GIL (SQLite) or over the network (PostgreSQL)."""
    global _POOL
    if workers <= 1 or len(items) <= 1:
        return [fn(x) for x in items]
    with _POOL_LOCK:
        if _POOL is None or _POOL._max_workers != workers:  # noqa: SLF001 - resize on demand
            _POOL = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="monitorflow-panel")
        pool = _POOL
    return list(pool.map(fn, items))
