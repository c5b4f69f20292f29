"""The read protocol: what dashboards and series ask of a workspace's index, answered by storage.

Every backend answers the same :class:`IndexReads` (``store.reads``, exposed as ``Workspace.reads``):
inside the index database (:class:`~monitorflow.storage.index.queries.SqlReads`, SQLite and
PostgreSQL), over HTTP (:class:`~monitorflow.storage.http.HttpReads`), or in Python from plain
series and status rows (:class:`~monitorflow.storage.python_reads.PythonReads`, for backends
without SQL). None of them opens a snapshot blob.

- ``series`` / ``test_statuses``: every matching point / test result, as rows.
- ``tag_values`` / ``field_paths``: what a dashboard can split by or expand a ``*`` to.
- ``span``: first and last snapshot time and the count in a range ("where is the data").
- ``buckets``: points of matched series reduced per time bucket (mean, sum, min, max or last), per
  field path, metric and split (tag prefixes, e.g. ``["segment:", "model_version:"]``).
- ``status_counts``: test results counted per time bucket (and test) and status.

A bucket reduction happens once, in :func:`reduce_buckets`: the database returns partial sums
per bucket (from the points, and from the daily rollup for whole days), Python backends one
partial per point, and both are merged the same way.

>>> grid = buckets_for(0, 99, limit=10)
>>> grid, grid.index(np.array([0, 9, 10, 99])).tolist()
(Buckets(origin=0, width=10), [0, 0, 1, 9])
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, NamedTuple, Protocol, runtime_checkable
from uuid import UUID

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from monitorflow.storage.base import Filters, SeriesQuery, SnapshotKind, TestStatusQuery

#: One UTC day in microseconds (the rollup's bucket).
DAY_US = 86_400_000_000
#: Buckets at least this wide are widened to whole days (so the daily rollup can answer them): at
#: most 4 times fewer buckets than asked, and no long range scans the points (measured: grouping
#: 5,000 points per series costs about 3 times the rollup's answer for a whole year).
DAILY_FROM_US = DAY_US // 4

#: ``(time µs, snapshot id, value, metric fingerprint)``
SeriesRow = tuple[int, str, float, str]
#: ``(time µs, snapshot id, test fingerprint, test type, test name, status, column name or "")``
StatusRow = tuple[int, str, str, str, str, str, str]
Agg = Literal["mean", "sum", "min", "max", "last"]


class Buckets(BaseModel):
    """Equal time buckets: bucket ``k`` holds times in ``[origin + k * width, origin + (k + 1) * width)``;
    ``width=None``: one bucket, every time from ``origin`` on. ``origin`` is at most the first time read."""

    model_config = ConfigDict(frozen=True)

    #: Microseconds since the epoch, within the calendar (years 1 to 9999): the SQL stays in 64 bits. The
    #: bounds are exact as JSON numbers read into doubles (a client's schema check agrees with ours).
    origin: int = Field(ge=-62_135_596_800_000_000, le=253_402_300_799_000_000)
    width: int | None = Field(default=None, gt=0, le=10**18)

    @property
    def daily(self) -> bool:
        """Unions of whole UTC days: the daily rollup can answer."""
        return self.width is None or (self.origin % DAY_US == 0 and self.width % DAY_US == 0)

    def index(self, ts: np.ndarray) -> np.ndarray:
        return np.zeros(len(ts), dtype=np.int64) if self.width is None else (ts - self.origin) // self.width

    def start(self, index: np.ndarray) -> np.ndarray:
        return self.origin + index * (self.width or 0)


def buckets_for(lo: int, hi: int, limit: int) -> Buckets:
    """At most ``limit`` buckets over ``[lo, hi]`` (µs). Buckets of 6 hours or more are widened to
    whole UTC days (aligned to midnight), so that they are unions of rollup days; shorter ones start
    at ``lo``."""
    limit = max(1, limit)
    width = -(-(hi - lo + 1) // limit)
    if width < DAILY_FROM_US:
        return Buckets(origin=lo, width=width)
    origin = lo - lo % DAY_US
    width = -(-(hi - origin + 1) // limit)
    return Buckets(origin=origin, width=-(-width // DAY_US) * DAY_US)


def fixed_buckets(width: int, first: int) -> Buckets:
    """Buckets of ``width`` µs aligned to the epoch (``"1D"`` starts at UTC midnight), from the one
    holding ``first``."""
    return Buckets(origin=first - first % width, width=width)


class Span(NamedTuple):
    """The project's snapshots in a time range: first and last time (µs; 0 when none) and how many
    (exact up to the ``cap`` asked, else ``cap + 1``)."""

    first: int
    last: int
    count: int  # type: ignore[assignment]  # the field shadows tuple.count


class BucketQuery(Filters):
    """Points of the series matching the metric (class name ``metric_type``, one configured metric
    ``metric_fingerprint``, ``metric_args`` equal to its parameters) at each of ``field_paths``,
    from snapshots of ``kinds`` passing the filters; split per tag for each prefix of ``split_by``
    (points of snapshots without such a tag are left out; a prefix no tag has is ignored).
    ``buckets=None``: every point; else one value per bucket: ``agg`` of its points."""

    metric_type: str | None = None
    metric_fingerprint: str | None = None
    metric_args: dict[str, Any] = {}
    field_paths: list[str] = Field(min_length=1)
    kinds: list[SnapshotKind] = ["report", "test_suite"]
    split_by: list[str] = []
    agg: Agg = "mean"
    buckets: Buckets | None = None
    #: With ``buckets=None``: the values alone, in no order (``Trace.ts`` empty), for distributions.
    values_only: bool = False
    #: Read whole days from the daily rollup where it answers (False: every point; same answers).
    use_rollup: bool = True


@dataclass
class Trace:
    """One matched series (a field path of one metric) in one split, sorted by time: each point, or
    each used bucket (its mean time; for ``agg="last"`` the time of its last point). With
    ``values_only`` the values come in no particular order and ``ts`` is empty."""

    split: tuple[str, ...]
    field_path: str
    metric_fingerprint: str
    ts: np.ndarray
    values: np.ndarray
    #: Points read (more than ``len(values)`` when buckets merged several).
    n: int
    bucketed: bool = False
    #: ``agg="last"``: the snapshot each value comes from.
    snapshots: list[str] | None = None

    @property
    def key(self) -> tuple[tuple[str, ...], str, str]:
        return self.split, self.field_path, self.metric_fingerprint


class TestSelector(BaseModel):
    """Test results by class name, one configured test (fingerprint), and/or parameters."""

    __test__ = False

    test_type: str | None = None
    test_fingerprint: str | None = None
    test_args: dict[str, Any] = {}


class StatusCountQuery(Filters):
    """Test results matching one of ``tests`` (all when empty), counted per status and time key (the
    run's time, or its bucket's start), and per test with ``per_test``; ``newest_run``: the results
    of the newest run only."""

    tests: list[TestSelector] = []
    buckets: Buckets | None = None
    per_test: bool = False
    newest_run: bool = False
    use_rollup: bool = True


class StatusCount(NamedTuple):
    """``count`` results with ``status`` at ``time``; with ``per_test`` of one test (its fingerprint,
    type, name, a snapshot holding it and its column, if any), else those fields are ``""``."""

    time: int
    test_fingerprint: str
    test_type: str
    name: str
    status: str
    count: int  # type: ignore[assignment]  # the field shadows tuple.count
    snapshot_id: str
    column: str


class RowReads(Protocol):
    """The rows every backend answers itself: points of series, test statuses and field paths."""

    def series(self, query: SeriesQuery) -> list[SeriesRow]: ...
    def test_statuses(self, query: TestStatusQuery) -> list[StatusRow]: ...
    def field_paths(
        self,
        project_id: UUID,
        metric_type: str | None = None,
        metric_fingerprint: str | None = None,
        pattern: str | None = None,
    ) -> list[str]: ...


@runtime_checkable
class IndexReads(RowReads, Protocol):
    """Queries over a workspace's index. A project that does not exist raises ``ProjectNotFound``."""

    #: How many reads are worth running at once (threads): 1 where they compete for one process's
    #: CPU (SQLite), more where they wait on the network (PostgreSQL, HTTP).
    concurrency: int

    def tag_values(self, project_id: UUID, prefix: str = "") -> list[str]: ...
    def span(
        self,
        project_id: UUID,
        start: datetime | None = None,
        end: datetime | None = None,
        cap: int | None = None,
    ) -> Span: ...
    def buckets(self, query: BucketQuery) -> list[Trace]: ...
    def status_counts(self, query: StatusCountQuery) -> list[StatusCount]: ...


# ----------------------------------------------------------------------------- the reduction


def path_matcher(pattern: str | None) -> Callable[[str], bool]:
    """``pattern`` as a test on field paths: ``*`` stands for one path segment; None: any path."""
    if pattern is None:
        return lambda path: True
    regex = re.compile(
        "^" + r"\.".join("[^.]+" if part == "*" else re.escape(part) for part in pattern.split(".")) + "$"
    )
    return lambda path: regex.match(path) is not None


def _runs(*keys: np.ndarray) -> np.ndarray:
    """Starts of the runs of equal ``keys`` (rows already sorted by them)."""
    size = len(keys[0])
    change = np.zeros(size, dtype=bool)
    change[:1] = True
    for k in keys:
        change[1:] |= k[1:] != k[:-1]
    return np.flatnonzero(change)


def traces_of_points(key: np.ndarray, ts: np.ndarray, values: np.ndarray) -> dict[int, Trace]:
    """Every point per ``key`` (an int per trace), sorted by time; rows of one key and time keep
    their order (the caller sorts them by snapshot id)."""
    if not len(key):
        return {}
    order = np.lexsort((ts, key))
    key, ts, values = key[order], ts[order], values[order]
    out = {}
    starts = _runs(key)
    for a, z in zip(starts, [*starts[1:], len(key)], strict=True):
        out[int(key[a])] = Trace((), "", "", ts[a:z], values[a:z], int(z - a))
    return out


def reduce_buckets(
    key: np.ndarray,
    bucket: np.ndarray,
    n: np.ndarray,
    t: np.ndarray,
    v: np.ndarray,
    grid: Buckets,
    agg: Agg,
    last: tuple[np.ndarray, np.ndarray] | None = None,
) -> dict[int, Trace]:
    """Partial sums per ``(key, bucket)``, in any number of rows per group, merged into one value per
    bucket: ``n`` points, ``t`` the sum of their times after ``grid.origin``, ``v`` the sum of their
    values (mean, sum), or their min or max. For ``agg="last"`` each row is one point and ``last``
    holds its (time, snapshot id): the value of the newest point (then greatest snapshot id) wins."""
    if not len(key):
        return {}
    if agg == "last":
        if last is None:
            raise ValueError("agg='last' needs the time and snapshot id of every point")
        ts, sids = last
        names, rank = np.unique(np.asarray(sids, dtype=object), return_inverse=True)
        order = np.lexsort((rank, ts, bucket, key))
    else:
        order = np.lexsort((bucket, key))
    key, bucket, n, t, v = key[order], bucket[order], n[order], t[order], v[order]
    starts = _runs(key, bucket)
    ends = np.r_[starts[1:], len(key)] - 1
    counts = np.add.reduceat(n, starts)
    snapshots: np.ndarray | None = None
    if agg == "last":
        times, values = ts[order][ends], v[ends]
        snapshots = names[rank[order][ends]]
    else:
        times = grid.origin + (np.add.reduceat(t, starts) / counts).round().astype(np.int64)
        reducer = {"mean": np.add, "sum": np.add, "min": np.minimum, "max": np.maximum}[agg]
        values = reducer.reduceat(v, starts)
        values = values / counts if agg == "mean" else values
    out = {}
    groups = _runs(key[starts])
    for a, z in zip(groups, [*groups[1:], len(starts)], strict=True):
        total = int(counts[a:z].sum())
        ids = None if snapshots is None else [str(s) for s in snapshots[a:z]]
        out[int(key[starts[a]])] = Trace(
            (),
            "",
            "",
            np.asarray(times[a:z], dtype=np.int64),
            np.asarray(values[a:z], dtype=float),
            total,
            bool(total > z - a),
            ids,
        )
    return out


def merge_status_counts(rows: list[StatusCount]) -> list[StatusCount]:
    """Counts of equal (time, test, status) added up (the least type, name and snapshot kept),
    sorted by time, test and status."""
    merged: dict[tuple[int, str, str], StatusCount] = {}
    for row in rows:
        key = (row.time, row.test_fingerprint, row.status)
        seen = merged.get(key)
        if seen is None:
            merged[key] = row
        else:
            merged[key] = seen._replace(
                count=seen.count + row.count,
                test_type=min(seen.test_type, row.test_type),
                name=min(seen.name, row.name),
                snapshot_id=min(seen.snapshot_id, row.snapshot_id),
                column=seen.column or row.column,
            )
    return [merged[k] for k in sorted(merged)]
