"""The read protocol computed in Python, for backends without an SQL index: dashboards get the same
answers from plain series and test-status rows and snapshot listings (``RowSource``), reduced by
the same functions the database answers are merged with.

Slower than the index database: every matching point comes to Python.
"""

from __future__ import annotations

from datetime import datetime
from itertools import product
from typing import Any, Protocol
from uuid import UUID

import numpy as np

from monitorflow.storage.base import SeriesQuery, SnapshotInfo, SnapshotQuery, TestStatusQuery
from monitorflow.storage.index.encoding import micros
from monitorflow.storage.reads import (
    BucketQuery,
    RowReads,
    SeriesRow,
    Span,
    StatusCount,
    StatusCountQuery,
    StatusRow,
    Trace,
    merge_status_counts,
    reduce_buckets,
    traces_of_points,
)

_PAGE = 1000


class RowSource(RowReads, Protocol):
    """What a backend without SQL answers itself: its rows and its snapshot listing."""

    def list_snapshots(self, query: SnapshotQuery) -> list[SnapshotInfo]: ...


class StoreRows:
    """A :class:`RowSource` over a store's listing and its own reads' rows: the Python answers of a
    store with an SQL index, to check them against each other."""

    def __init__(self, store: Any) -> None:
        self.list_snapshots = store.list_snapshots
        self.series = store.reads.series
        self.test_statuses = store.reads.test_statuses
        self.field_paths = store.reads.field_paths


class PythonReads:
    """:class:`~monitorflow.storage.reads.IndexReads` over a :class:`RowSource`."""

    concurrency = 1

    def __init__(self, source: RowSource) -> None:
        self.source = source

    def series(self, query: SeriesQuery) -> list[SeriesRow]:
        return self.source.series(query)

    def test_statuses(self, query: TestStatusQuery) -> list[StatusRow]:
        return self.source.test_statuses(query)

    def _snapshots(
        self, project_id: UUID, start: datetime | None = None, end: datetime | None = None
    ) -> list[SnapshotInfo]:
        out: list[SnapshotInfo] = []
        while True:
            query = SnapshotQuery(project_id=project_id, start=start, end=end, limit=_PAGE, offset=len(out))
            page = self.source.list_snapshots(query)
            out.extend(page)
            if len(page) < _PAGE:
                return out

    def tag_values(self, project_id: UUID, prefix: str = "") -> list[str]:
        return sorted({t for info in self._snapshots(project_id) for t in info.tags if t.startswith(prefix)})

    def field_paths(
        self,
        project_id: UUID,
        metric_type: str | None = None,
        metric_fingerprint: str | None = None,
        pattern: str | None = None,
    ) -> list[str]:
        return self.source.field_paths(project_id, metric_type, metric_fingerprint, pattern)

    def span(
        self,
        project_id: UUID,
        start: datetime | None = None,
        end: datetime | None = None,
        cap: int | None = None,
    ) -> Span:
        times = [micros(info.timestamp) for info in self._snapshots(project_id, start, end)]
        count = len(times) if cap is None else min(len(times), cap + 1)
        return Span(min(times), max(times), count) if times else Span(0, 0, 0)

    def buckets(self, query: BucketQuery) -> list[Trace]:
        splits = [tags for tags in (self.tag_values(query.project_id, p) for p in query.split_by) if tags]
        names: dict[tuple[Any, ...], int] = {}
        key, ts, sids, values = [], [], [], []
        for combination in product(*splits):
            for path in query.field_paths:
                series = SeriesQuery(
                    **query.model_dump(include=set(SeriesQuery.model_fields) - {"field_path", "tags"}),
                    field_path=path,
                    tags=[*query.tags, *combination],
                )
                for t, sid, value, fingerprint in self.source.series(series):
                    key.append(names.setdefault((combination, path, fingerprint), len(names)))
                    ts.append(t)
                    sids.append(sid)
                    values.append(value)
        if not key:
            return []
        keys, times, numbers = (
            np.array(key, dtype=np.int64),
            np.array(ts, dtype=np.int64),
            np.array(values, dtype=float),
        )
        grid = query.buckets
        if grid is None:
            found = traces_of_points(keys, times, numbers)
        else:
            found = reduce_buckets(
                keys,
                grid.index(times),
                np.ones(len(keys)),
                (times - grid.origin).astype(float),
                numbers,
                grid,
                query.agg,
                last=(times, np.array(sids, dtype=object)),
            )
        labels = {k: name for name, k in names.items()}
        traces = []
        for k, trace in found.items():
            split, path, fingerprint = labels[k]
            trace.split, trace.field_path, trace.metric_fingerprint = split, path, fingerprint
            if query.values_only and grid is None:
                trace.ts = np.zeros(0, dtype=np.int64)
            traces.append(trace)
        return sorted(traces, key=lambda trace: trace.key)

    def _statuses(self, query: StatusCountQuery) -> list[StatusRow]:
        base = TestStatusQuery(**query.model_dump(include=set(TestStatusQuery.model_fields)))
        if not query.tests:
            return self.source.test_statuses(base)
        seen: dict[tuple[str, str], StatusRow] = {}
        for test in query.tests:
            narrowed = base.model_copy(update=test.model_dump())
            for row in self.source.test_statuses(narrowed):
                seen[(row[1], row[2])] = row
        return sorted(seen.values(), key=lambda r: (r[0], r[1], r[2]))

    def status_counts(self, query: StatusCountQuery) -> list[StatusCount]:
        rows = self._statuses(query)
        if query.newest_run and rows:
            rows = [r for r in rows if r[0] == rows[-1][0]]
        grid = None if query.newest_run else query.buckets
        counts = []
        for ts, sid, fingerprint, test_type, name, status, column in rows:
            time = ts if grid is None else int(grid.start(grid.index(np.array([ts])))[0])
            if query.per_test:
                counts.append(StatusCount(time, fingerprint, test_type, name, status, 1, sid, column))
            else:
                counts.append(StatusCount(time, "", "", "", status, 1, "", ""))
        return merge_status_counts(counts)
