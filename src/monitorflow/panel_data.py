"""Every panel's data for one time range, from a workspace's index reads (no snapshot blob is opened).

``Workspace.dashboard_data(project_id, DashboardQuery(start=..., end=..., tags=[...]))`` returns a
JSON-ready dict: per panel its ``data`` (or ``error``; one failing panel does not fail the rest).
Times are epoch seconds (UTC). Series longer than ``max_points`` are averaged into equal time
buckets (by the storage's :meth:`~monitorflow.storage.reads.IndexReads.buckets`), so the answer's
size does not grow with the number of snapshots. This module shapes panels; every query and
reduction over the index belongs to storage.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

import numpy as np
import pandas as pd

from monitorflow.errors import ConfigurationError, MonitoringError
from monitorflow.panel_traces import (
    bucket_mean,
    is_count_field,
    labelled,
    split_label,
    time_grid,
    to_seconds,
    trace_json,
)
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
    TestFilter,
    TestSuitePanelType,
    panels_by_tab,
    parse_panel,
)
from monitorflow.storage.reads import (
    Agg,
    BucketQuery,
    Buckets,
    IndexReads,
    Span,
    StatusCount,
    StatusCountQuery,
    TestSelector,
    Trace,
    buckets_for,
    fixed_buckets,
)

__all__ = [
    "DashboardQuery",
    "STATUSES",
    "dashboard_data",
    "is_count_field",
    "panel_data",
    "wildcard_match",
]

log = logging.getLogger("monitorflow.service")
STATUSES = ["SUCCESS", "WARNING", "FAIL", "ERROR", "SKIPPED"]
_SEVERITY = {"FAIL": 5, "ERROR": 4, "WARNING": 3, "SUCCESS": 2, "SKIPPED": 1}
_US = 1_000_000
T = TypeVar("T")


@dataclass
class DashboardQuery:
    """The viewer's choices: time range ``[start, end)``, extra tags/metadata for every panel, one tab."""

    start: datetime | None = None
    end: datetime | None = None
    tags: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    tab: str | None = None
    #: Overrides every plot panel's ``agg`` (how a line's points in one time bucket are combined).
    agg: Agg | None = None
    max_points: int = 500
    #: Answer from the index database (False: in Python from series and status rows; same answers).
    use_index: bool = True
    #: Read whole days of long ranges from the index's daily rollup (False: every point; same answers).
    use_rollup: bool = True
    #: Panels computed at once (threads); default: the reads' ``concurrency``.
    workers: int | None = None


class _Context:
    """One request: the reads, the query, and lookups cached for the request only."""

    def __init__(self, reads: IndexReads, project_id: UUID, query: DashboardQuery) -> None:
        self.reads, self.project_id, self.query = reads, project_id, query
        self._span: Span | None = None
        self._tags: dict[str, list[str]] = {}
        self._paths: dict[tuple[Any, ...], list[str]] = {}
        self._lock = threading.Lock()

    def span(self) -> Span:
        """The project's snapshots in the time range (counted up to ``max_points``)."""
        with self._lock:
            if self._span is None:
                q = self.query
                self._span = self.reads.span(self.project_id, q.start, q.end, cap=q.max_points)
            return self._span

    def buckets(self, limit: int) -> Buckets | None:
        """Every point when the range holds at most ``limit`` snapshots, else ``limit`` buckets."""
        span = self.span()
        return None if span.count <= limit else buckets_for(span.first, span.last, limit)

    def whole_range(self) -> Buckets:
        return Buckets(origin=self.span().first)

    def filters(self, flt: ReportFilter) -> dict[str, Any]:
        tags = list(dict.fromkeys([*flt.tag_values, *self.query.tags]))
        return {
            "project_id": self.project_id,
            "start": self.query.start,
            "end": self.query.end,
            "tags": tags,
            "metadata": {**flt.metadata_values, **self.query.metadata},
            "use_rollup": self.query.use_rollup,
        }

    def split_tags(self, prefix: str | None) -> list[str | None]:
        """The tags a split by ``prefix`` draws (``[None]``: no split, or no such tags: the whole series)."""
        if not prefix:
            return [None]
        if prefix not in self._tags:
            self._tags[prefix] = self.reads.tag_values(self.project_id, prefix)
        return list(self._tags[prefix]) or [None]

    def expand(self, value: PanelValue) -> list[PanelValue]:
        """``value`` itself, or one value per indexed field path its ``*`` pattern matches."""
        if "*" not in value.field_path:
            return [value]
        key = (value.metric_id, value.metric_fingerprint, value.field_path)
        if key not in self._paths:
            self._paths[key] = self.reads.field_paths(self.project_id, *key)
        out = []
        for path in self._paths[key]:
            match = wildcard_match(value.field_path, path)
            legend = f"{value.legend}: {match}" if value.legend else match
            out.append(value.model_copy(update={"field_path": path, "legend": legend}))
        return out

    def traces(
        self,
        value: PanelValue,
        flt: ReportFilter,
        split_by: str | list[str] | None = None,
        agg: Agg = "mean",
        buckets: Buckets | None | str = "auto",
        values_only: bool = False,
    ) -> list[tuple[PanelValue, Trace]]:
        """``(value, trace)`` for ``value`` (its ``*`` expanded) per split (one tag of each prefix) and
        matched metric, sorted by split, field path and metric; ``buckets="auto"``: one point per
        distinct time (the points at one time combined by ``agg``), or ``max_points`` buckets."""
        values = {v.field_path: v for v in self.expand(value)}
        if not values or self.span().count == 0:
            return []
        grid = self.buckets(self.query.max_points) if buckets == "auto" else buckets
        if buckets == "auto" and grid is None:  # few snapshots: a bucket per distinct time (1 µs wide)
            grid = Buckets(origin=self.span().first, width=1)
        prefixes = [split_by] if isinstance(split_by, str) else list(split_by or [])
        query = BucketQuery(
            metric_type=value.metric_id,
            metric_fingerprint=value.metric_fingerprint,
            metric_args=value.metric_args,
            field_paths=list(values),
            kinds=_kinds(flt),
            split_by=prefixes,
            agg=agg,
            buckets=grid,
            values_only=values_only,
            **self.filters(flt),
        )
        return [(values[trace.field_path], trace) for trace in self.reads.buckets(query)]

    def statuses(self, flt: ReportFilter, tests: list[TestFilter], **options: Any) -> list[StatusCount]:
        selectors = [
            TestSelector(test_type=t.test_id, test_fingerprint=t.test_fingerprint, test_args=t.test_args)
            for t in tests
        ]
        return self.reads.status_counts(StatusCountQuery(tests=selectors, **options, **self.filters(flt)))


def _kinds(flt: ReportFilter) -> list[Any]:
    return ["report", "test_suite"] if flt.include_test_suites else ["report"]


def wildcard_match(pattern: str, path: str) -> str:
    """The segments of ``path`` that stand where ``pattern`` has ``*``, joined by dots."""
    return ".".join(
        seg for part, seg in zip(pattern.split("."), path.split("."), strict=False) if part == "*"
    )


# ------------------------------------------------------------------------------------- panels


def _plot(ctx: _Context, panel: DashboardPanelPlot) -> dict[str, Any]:
    if panel.plot_type == PlotType.HISTOGRAM:
        return _histogram(ctx, panel)
    agg = ctx.query.agg or panel.agg.value
    traces = [
        trace_json(label, trace)
        for pattern in panel.values
        for label, trace in labelled(ctx.traces(pattern, panel.filter, panel.split_by_tag, agg=agg))
    ]
    return {"kind": "timeseries", "plot_type": panel.plot_type.value, "agg": agg, "traces": traces}


def _histogram(ctx: _Context, panel: DashboardPanelPlot) -> dict[str, Any]:
    samples: dict[tuple[str, tuple[str, ...]], list[np.ndarray]] = {}
    labels: dict[tuple[str, tuple[str, ...]], str] = {}
    for pattern in panel.values:
        for value, trace in ctx.traces(
            pattern, panel.filter, panel.split_by_tag, buckets=None, values_only=True
        ):
            samples.setdefault((value.field_path, trace.split), []).append(trace.values)
            labels[(value.field_path, trace.split)] = value.label + split_label(trace.split)
    # value-major, then split: the order the panel lists its values in
    order = {path: i for i, path in enumerate(dict.fromkeys(p for p, _ in samples))}
    keys = sorted(samples, key=lambda k: (order[k[0]], k[1]))
    merged = [(labels[k], np.concatenate(samples[k])) for k in keys]
    every = np.concatenate([v for _, v in merged]) if merged else np.array([])
    edges = (
        np.histogram_bin_edges(every, bins=min(30, max(1, len(np.unique(every)))))
        if len(every)
        else np.array([])
    )
    return {
        "kind": "histogram",
        "edges": list(map(float, edges)),
        "traces": [
            {"label": label, "counts": np.histogram(v, bins=edges)[0].tolist(), "n": len(v)}
            for label, v in merged
            if len(v)
        ],
    }


def _counter(ctx: _Context, panel: DashboardPanelCounter) -> dict[str, Any]:
    head = {"kind": "counter", "agg": panel.agg.value, "text": panel.text}
    if panel.agg == CounterAgg.NONE or panel.value is None:
        return {**head, "items": []}
    last = panel.agg == CounterAgg.LAST
    found = (
        []
        if ctx.span().count == 0
        else ctx.traces(
            panel.value,
            panel.filter,
            panel.split_by_tag,
            agg="last" if last else "sum",
            buckets=ctx.whole_range(),
        )
    )
    by_split: dict[str | None, list[Trace]] = {}
    for _, trace in found:
        by_split.setdefault(trace.split[0] if trace.split else None, []).append(trace)
    items = []
    for split in ctx.split_tags(panel.split_by_tag):
        traces = by_split.get(split, [])
        items.append({"label": split or panel.value.label, "value": _reduce(traces, panel.agg)})
    return {**head, "items": items}


def _reduce(traces: list[Trace], agg: CounterAgg) -> float | None:
    """A counter's value from one whole-range bucket per matched metric: the newest value (then
    greatest snapshot and metric id), the sum, or the mean of every point."""
    if not traces:
        return None
    if agg == CounterAgg.LAST:
        newest = max(traces, key=lambda t: (int(t.ts[0]), (t.snapshots or [""])[0], t.metric_fingerprint))
        return float(newest.values[0])
    total, n = sum(float(t.values[0]) for t in traces), sum(t.n for t in traces)
    return total if agg == CounterAgg.SUM else total / n


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
            raise ConfigurationError(
                f"time_agg {time_agg!r} is not a pandas frequency; use e.g. '1D', '1h', 'W'",
                argument="time_agg",
            ) from None
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
    kind = "test_detailed" if detailed else "test_aggregate"
    limit = min(ctx.query.max_points, 120) if detailed else ctx.query.max_points
    width = _fixed_width(panel.time_agg)
    span = ctx.span()
    if span.count == 0:
        return {"kind": kind, "x": [], "statuses": {}, "tests": []}
    grid = fixed_buckets(width, span.first) if width else ctx.buckets(limit)
    rows = ctx.statuses(panel.filter, panel.test_filters, buckets=grid, per_test=detailed)
    if not rows:
        return {"kind": kind, "x": [], "statuses": {}, "tests": []}
    ts = np.fromiter((r.time for r in rows), np.int64, len(rows))
    if panel.time_agg and width is None:
        ts = _period_starts(ts, panel.time_agg)
    index, x = time_grid(ts, limit)
    if not detailed:
        counts = {s: np.zeros(len(x), dtype=np.int64) for s in STATUSES}
        for i, row in zip(index, rows, strict=True):
            counts.setdefault(row.status, np.zeros(len(x), dtype=np.int64))[i] += row.count
        return {
            "kind": kind,
            "x": to_seconds(x),
            "statuses": {s: c.tolist() for s, c in counts.items() if c.any()},
        }
    tests: dict[str, dict[str, Any]] = {}
    for i, row in zip(index, rows, strict=True):
        test = tests.setdefault(
            row.test_fingerprint,
            {
                "id": row.test_fingerprint,
                "type": row.test_type,
                "name": row.name,
                "detail": row.column,
                "cells": [None] * len(x),
            },
        )
        current = test["cells"][i]
        if current is None or _SEVERITY.get(row.status, 0) > _SEVERITY.get(current, 0):
            test["cells"][i] = row.status
    ordered = sorted(tests.values(), key=lambda t: (t["name"], t["detail"]))
    return {"kind": kind, "x": to_seconds(x), "tests": ordered}


def _test_counter(ctx: _Context, panel: DashboardPanelTestSuiteCounter) -> dict[str, Any]:
    wanted = sorted({s.upper() for s in panel.statuses})
    rows: list[StatusCount] = []
    if ctx.span().count:
        last = panel.agg == CounterAgg.LAST
        grid = None if last else ctx.whole_range()
        rows = ctx.statuses(panel.filter, panel.test_filters, buckets=grid, newest_run=last)
    count = sum(r.count for r in rows if r.status in wanted)
    return {"kind": "test_counter", "count": count, "total": sum(r.count for r in rows), "statuses": wanted}


def _distribution(ctx: _Context, panel: DashboardPanelDistribution) -> dict[str, Any]:
    patterns = list(panel.values)
    if panel.value is not None:  # a dict in the result: one segment per key
        path = panel.value.field_path
        patterns.append(
            panel.value.model_copy(update={"field_path": path if "*" in path else path.rstrip(".") + ".*"})
        )
    merged: dict[str, list[Trace]] = {}
    for pattern in patterns:
        for value, trace in ctx.traces(pattern, panel.filter):
            merged.setdefault(value.label, []).append(trace)
    if not merged:
        return {"kind": "distribution", "barmode": panel.barmode.value, "x": [], "traces": []}
    series = [
        (label, np.concatenate([t.ts for t in ts]), np.concatenate([t.values for t in ts]))
        for label, ts in merged.items()
    ]
    index, x = time_grid(np.concatenate([ts for _, ts, _ in series]), min(ctx.query.max_points, 200))
    traces: list[dict[str, Any]] = []
    offset = 0
    for label, ts, vals in series:
        traces.append({"label": label, "y": bucket_mean(index[offset : offset + len(ts)], vals, len(x))})
        offset += len(ts)
    if panel.barmode == HistBarMode.RELATIVE:
        totals = [sum(t["y"][i] or 0 for t in traces) for i in range(len(x))]
        for t in traces:
            t["y"] = [None if y is None or not totals[i] else y / totals[i] for i, y in enumerate(t["y"])]
    return {"kind": "distribution", "barmode": panel.barmode.value, "x": to_seconds(x), "traces": traces}


_BUILDERS: dict[type[DashboardPanel], Callable[[_Context, Any], dict[str, Any]]] = {
    DashboardPanelPlot: _plot,
    DashboardPanelCounter: _counter,
    DashboardPanelTestSuite: _test_suite,
    DashboardPanelTestSuiteCounter: _test_counter,
    DashboardPanelDistribution: _distribution,
}


def panel_data(ctx: _Context, raw: Any) -> dict[str, Any]:
    """``{"id", "type", "title", "size", "data" | "error"}`` of one panel."""
    head: dict[str, Any] = {
        "id": str(raw.get("id")) if isinstance(raw, dict) else None,
        "title": "",
        "type": None,
        "size": 2,
    }
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


def dashboard_data(reads: IndexReads, project: Any, query: DashboardQuery) -> dict[str, Any]:
    """Data of ``project``'s panels (those of ``query.tab`` only, if given) for the query."""
    ctx = _Context(reads, project.id, query)
    out_tabs, panels = [], []
    for tab_id, title, items in panels_by_tab(project.dashboard):
        out_tabs.append({"id": tab_id, "title": title, "panels": len(items)})
        if query.tab is None or query.tab == (tab_id or "general"):
            panels.extend(items)
    if query.tab is None:  # a panel may sit in several tabs: compute it once
        panels = list({id(p): p for p in panels}.values())
    whole = reads.span(project.id)
    return {
        "project_id": str(project.id),
        "name": project.dashboard.name or project.name,
        # where the project's data is, whatever the range (an empty range says so and jumps there)
        "span": {"first": whole.first / _US, "last": whole.last / _US, "count": whole.count},
        "range_count": ctx.span().count,
        "start": query.start.isoformat() if query.start else None,
        "end": query.end.isoformat() if query.end else None,
        "tags": query.tags,
        "tabs": out_tabs,
        "panels": _each(lambda p: panel_data(ctx, p), panels, query.workers or reads.concurrency),
    }


_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _each(fn: Callable[[Any], T], items: Iterable[Any], workers: int) -> list[T]:
    """``[fn(x) for x in items]``, on a shared pool of ``workers`` threads when above 1: the index
    database does the work of a panel outside the GIL (SQLite) or over the network (PostgreSQL)."""
    global _POOL
    items = list(items)
    if workers <= 1 or len(items) <= 1:
        return [fn(x) for x in items]
    with _POOL_LOCK:
        if _POOL is None or _POOL._max_workers != workers:  # noqa: SLF001 - resize on demand
            _POOL = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="monitorflow-panel")
        pool = _POOL
    return list(pool.map(fn, items))
