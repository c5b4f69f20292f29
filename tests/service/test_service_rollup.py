"""The daily rollup behind long dashboard ranges: its rows equal sums recomputed from the points with
pandas after every kind of write (on every backend), the version 1 -> 2 migration builds it (and
version 4 renames its test column), and
dashboards read through it give the bucket means that pandas computes from the raw points."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from monitorflow.panel_data import DashboardQuery
from monitorflow.panels import (
    CounterAgg,
    DashboardPanelCounter,
    DashboardPanelDistribution,
    DashboardPanelPlot,
    DashboardPanelTestSuite,
    DashboardPanelTestSuiteCounter,
    PanelValue,
    PlotType,
    ReportFilter,
    TestFilter,
    TestSuitePanelType,
)
from monitorflow.storage import index as index_module
from monitorflow.storage.base import SeriesQuery
from monitorflow.storage.index import ROLLUP_US, micros
from monitorflow.storage.index.days import MAX_RUNS, split_days
from monitorflow.storage.index.queries import SqlReads
from monitorflow.storage.reads import BucketQuery, Buckets, StatusCountQuery, TestSelector, buckets_for
from monitorflow.workspace import Workspace
from tests.service.svc_helpers import T0, snapshot
from tests.support.old_schema import to_version_3_names
from tests.support.rollup_checks import (
    assert_rollup_matches_points,
    dense_days,
    dirty_days,
    read,
    sparse_days,
)

DAY = ROLLUP_US
ROWS = PanelValue(metric_id="DatasetSummaryMetric", field_path="current.number_of_rows", legend="rows")
DRIFT = PanelValue(
    metric_id="ColumnDriftMetric", field_path="drift_score", metric_args={"column_name": "age"}
)

#: The index SQL runs on SQLite (a folder workspace) and PostgreSQL (a real server: marked).
SQL_BACKENDS = ["folder", pytest.param("postgresql", marks=pytest.mark.postgres)]


def irregular(ws: Workspace, project: Any, n: int, days: int, seed: int = 0) -> list[Any]:
    """``n`` snapshots at random times over ``days`` days: segments a/b, a third also tagged "x",
    every 7th a test suite, random rows and drift."""
    rng = np.random.default_rng(seed)
    offsets = np.sort(rng.integers(0, days * 86_400_000_000, n))
    added = []
    for i, offset in enumerate(offsets):
        snap = snapshot(i, segment="ab"[int(rng.integers(2))], kind="test_suite" if i % 7 == 0 else "report",
                        rows=int(rng.integers(0, 1000)), drift=round(float(rng.random()), 6),
                        extra_tags=("x",) if i % 3 == 0 else ())  # fmt: skip
        snap = snap.model_copy(update={"timestamp": T0 + timedelta(microseconds=int(offset))})
        ws.add_snapshot(project.id, snap)
        added.append(snap)
    return added


# ------------------------------------------------------------------------------- the table


def test_rollup_equals_the_points_after_add_delete_replace_delete_project_and_reindex(
    ws_backend: Any,
) -> None:
    ws = ws_backend.open()
    project, other = ws.create_project("p"), ws.create_project("other")
    added = irregular(ws, project, 40, days=4)
    others = irregular(ws, other, 10, days=2, seed=1)
    # a write recomputes its project's other pending days: only each project's newest day is left
    newest = {micros(max(s.timestamp for s in snaps)) // DAY * DAY for snaps in (added, others)}
    assert dirty_days(ws) == newest
    assert_rollup_matches_points(ws)

    for snap in added[::5]:  # delete: the day's rows are recomputed, emptied days disappear
        ws.delete_snapshot(project.id, snap.id)
    assert_rollup_matches_points(ws)

    for i, snap in enumerate(added[1::5]):  # replace: other values, tags, kind, and another day
        moved = snapshot(1000 + i, segment="c", kind="report" if snap.kind == "test_suite" else "test_suite",
                         rows=5000 + i, drift=0.5, extra_tags=("y",))  # fmt: skip
        moved = moved.model_copy(
            update={"id": snap.id, "timestamp": snap.timestamp + timedelta(days=i % 3, hours=7)}
        )
        ws.add_snapshot(project.id, moved, replace=True)
    assert_rollup_matches_points(ws)

    ws.delete_project(other.id)
    assert_rollup_matches_points(ws)
    ws.reindex()
    assert_rollup_matches_points(ws)
    # writes roll up the days with several snapshots and list the others as sparse; a rebuild
    # (like the migration) rolls up every day
    every = {(p, d) for p, d in read(ws, f"SELECT DISTINCT project_id, ts - ts % {DAY} FROM mf_snapshots")}
    assert set(sparse_days(ws).itertuples(index=False, name=None)) == every - dense_days(ws) != set()
    assert dense_days(ws) != set()
    ws.store.index.rebuild_rollup()
    assert_rollup_matches_points(ws)
    assert len(sparse_days(ws)) == 0


def _downgrade_to_v1(ws: Workspace) -> None:
    """What a version 1 index looked like: no rollup, no kind on points, the old tests index, the
    fingerprint columns under their old names."""

    def down(tx: Any) -> None:
        to_version_3_names(tx)
        tx.execute("DROP TABLE mf_rollup")
        tx.execute("DROP TABLE mf_test_rollup")
        tx.execute("DROP TABLE mf_rollup_sparse")
        tx.execute("DROP TABLE mf_rollup_dirty")
        tx.execute("DROP INDEX mf_tests_cover")
        tx.execute("CREATE INDEX mf_tests_project_ts ON mf_tests (project_id, ts)")
        tx.execute("DROP INDEX mf_snapshot_tags_tag_ts")
        tx.execute("CREATE INDEX mf_snapshot_tags_tag ON mf_snapshot_tags (project_id, tag)")
        tx.execute("DROP INDEX mf_snapshot_metadata_kvt")
        tx.execute("CREATE INDEX mf_snapshot_metadata_kv ON mf_snapshot_metadata (project_id, key, value)")
        tx.execute("ALTER TABLE mf_points DROP COLUMN suite")
        tx.execute("DELETE FROM mf_schema_version")
        tx.execute("INSERT INTO mf_schema_version (version, applied_at) VALUES (1, 0)")

    ws.store.index.runner.write(down)


@pytest.mark.parametrize("backend", SQL_BACKENDS)
def test_a_version_1_index_is_migrated_with_its_rollup(backend: str, tmp_path: Path,
                                                       request: pytest.FixtureRequest) -> None:  # fmt: skip
    uri = str(tmp_path / "ws") if backend == "folder" else request.getfixturevalue("postgres_url")
    ws = Workspace.create(uri)
    project = ws.create_project("p")
    irregular(ws, project, 30, days=3)
    project.dashboard.add_panel(DashboardPanelPlot(title="rows", values=[ROWS], split_by_tag="segment:"))
    project.save()
    _downgrade_to_v1(ws)
    ws.close()

    ws = Workspace(uri)
    assert ws.store.index.schema_version() == index_module.SCHEMA_VERSION == 4
    suites = dict(read(ws, "SELECT id, kind FROM mf_snapshots"))
    flags = read(ws, "SELECT DISTINCT snapshot_id, suite FROM mf_points")
    assert all((kind == "test_suite") == bool(suite) for sid, suite in flags for kind in [suites[sid]])
    assert_rollup_matches_points(ws)
    fast = ws.dashboard_data(project.id, DashboardQuery(max_points=2))
    slow = ws.dashboard_data(project.id, DashboardQuery(max_points=2, use_rollup=False))
    assert len(fast["panels"][0]["data"]["traces"]) == 2
    _close(fast, slow)
    ws.close()


# ------------------------------------------------------------------------------ dashboards


@pytest.fixture(params=SQL_BACKENDS)
def ws(request: pytest.FixtureRequest, tmp_path: Path) -> Workspace:
    """The SQL runs on SQLite (stdlib) and PostgreSQL."""
    uri = str(tmp_path / "ws") if request.param == "folder" else request.getfixturevalue("postgres_url")
    workspace = Workspace.create(uri)
    yield workspace
    workspace.close()


@pytest.fixture
def long_project(ws: Workspace) -> Any:
    """400 snapshots at random times over 60 days (most days with 4 or more: rolled up), more than
    max_points=20, so buckets are days; then a late one on day 20 (its day is left pending)."""
    project = ws.create_project("long")
    irregular(ws, project, 400, days=60)
    late = snapshot(999, segment="a", rows=5000, extra_tags=("x",))
    ws.add_snapshot(project.id, late.model_copy(update={"timestamp": T0 + timedelta(days=20, hours=11)}))
    assert {d for (d,) in read(ws, "SELECT day FROM mf_rollup_dirty")} == {micros(T0 + timedelta(days=20))}
    return project


def pandas_buckets(ws: Workspace, project: Any, query: SeriesQuery, limit: int, *,
                   split: str | None = None) -> tuple[list[int], list[float], int]:  # fmt: skip
    """Bucket mean times (µs) and values of the report points of ``query`` computed with pandas from
    ``Workspace.series`` and ``list_snapshots``: buckets of whole UTC days from midnight before the
    first snapshot, the fewest days that give at most ``limit`` buckets."""
    infos = ws.list_snapshots(project.id, start=query.start, end=query.end, limit=None)
    times = pd.Series([micros(i.timestamp) for i in infos])
    reports = {str(i.id) for i in infos if i.kind == "report"}
    tags = query.tags + ([split] if split else [])
    frame = ws.series(project.id, query.metric_type, query.field_path, metric_args=query.metric_args,
                      tags=tags, start=query.start, end=query.end)  # fmt: skip
    frame = frame[frame["snapshot_id"].astype(str).isin(reports)]
    ts = frame["timestamp"].map(micros).astype("int64")
    origin = int(pd.Timestamp(times.min(), unit="us").floor("D").value // 1000)
    days = 1
    while (times.max() - origin) // (days * DAY) + 1 > limit:
        days += 1
    assert buckets_for(int(times.min()), int(times.max()), limit) == Buckets(origin=origin, width=days * DAY)
    grouped = pd.DataFrame(
        {"b": (ts - origin) // (days * DAY), "ts": ts, "v": frame["value"].to_numpy()}
    ).groupby("b")
    return (grouped["ts"].mean().round().astype("int64").tolist(), grouped["v"].mean().tolist(), len(frame))


@pytest.mark.parametrize("window", ["all", "unaligned"])
def test_bucket_means_from_the_rollup_equal_pandas_on_the_raw_points(
    ws: Workspace, long_project: Any, window: str
) -> None:
    start, end = (
        (None, None)
        if window == "all"
        else (T0 + timedelta(days=7, hours=5, minutes=7), T0 + timedelta(days=52, hours=13))
    )
    for value, tags, split in [
        (ROWS, [], None),
        (DRIFT, [], None),
        (ROWS, ["x"], None),
        (ROWS, [], "segment:a"),
    ]:
        query = SeriesQuery(project_id=long_project.id, metric_type=value.metric_id, field_path=value.field_path,
                            metric_args=value.metric_args, tags=tags, start=start, end=end)  # fmt: skip
        ts, means, n = pandas_buckets(ws, long_project, query, 20, split=split)
        span = ws.reads.span(long_project.id, start, end)
        for use_rollup in (True, False):
            found = ws.reads.buckets(bucket_query(query, span, 20, split_by=[split] if split else [],
                                                  use_rollup=use_rollup))  # fmt: skip
            [points] = found
            assert points.bucketed and points.n == n
            np.testing.assert_allclose(points.ts, ts, rtol=0, atol=1)  # µs (float means of ~1.8e15)
            np.testing.assert_allclose(points.values, means, rtol=1e-12)


def bucket_query(query: SeriesQuery, span: Any, limit: int, **options: Any) -> BucketQuery:
    """The report points of ``query`` in ``limit`` buckets over the snapshots' ``span``."""
    fields = query.model_dump(exclude={"field_path", "kinds"})
    return BucketQuery(**fields, field_paths=[query.field_path], kinds=["report"],
                       buckets=buckets_for(span.first, span.last, limit), **options)  # fmt: skip


def bench_panels() -> list[Any]:
    suites = ReportFilter(include_test_suites=True)
    return [
        DashboardPanelPlot(title="rows", values=[ROWS]),
        DashboardPanelPlot(title="with suites", values=[ROWS], filter=suites),
        DashboardPanelPlot(title="per column", values=[PanelValue(metric_id="DataDriftTable", field_path="drift_by_columns.*.drift_score")]),
        DashboardPanelPlot(title="by segment", values=[ROWS, DRIFT], split_by_tag="segment:"),
        DashboardPanelPlot(title="x only", values=[DRIFT], plot_type=PlotType.BAR, filter=ReportFilter(tag_values=["x"])),
        DashboardPanelPlot(title="metadata", values=[ROWS], filter=ReportFilter(metadata_values={"segment": "a"})),
        DashboardPanelPlot(title="histogram", values=[DRIFT], plot_type=PlotType.HISTOGRAM),
        DashboardPanelCounter(title="last", agg=CounterAgg.LAST, value=ROWS),
        DashboardPanelCounter(title="sum", agg=CounterAgg.SUM, value=ROWS, split_by_tag="segment:"),
        DashboardPanelCounter(title="mean", agg=CounterAgg.MEAN, value=DRIFT, filter=suites),
        DashboardPanelDistribution(title="missing", value=PanelValue(metric_id="DatasetSummaryMetric", field_path="current.missing_by_column")),
        DashboardPanelTestSuite(title="tests", filter=suites, time_agg="1D"),
        DashboardPanelTestSuite(title="grid", filter=suites, panel_type=TestSuitePanelType.DETAILED),
        DashboardPanelTestSuite(title="drift tests", filter=suites, test_filters=[TestFilter(test_id="TestColumnDrift")]),
        DashboardPanelTestSuite(title="age tests", filter=suites, test_filters=[TestFilter(test_args={"column_name": "age"})],
                                panel_type=TestSuitePanelType.DETAILED, time_agg="1D"),
        DashboardPanelTestSuiteCounter(title="failed", agg=CounterAgg.NONE, statuses=["FAIL"]),
        DashboardPanelTestSuiteCounter(title="passed last", agg=CounterAgg.LAST),
    ]  # fmt: skip


def _close(a: Any, b: Any, path: str = "") -> None:
    if isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for key in a:
            _close(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _close(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-12, abs=1e-9), path
    else:
        assert a == b, path


@pytest.mark.parametrize(
    "window",
    [{}, {"start": T0 + timedelta(days=3, hours=5)}, {"end": T0 + timedelta(days=50, minutes=1)},
     {"start": T0 + timedelta(days=30, hours=23, minutes=59), "end": T0 + timedelta(days=31, hours=1)},
     {"start": T0 + timedelta(days=10), "end": T0 + timedelta(days=40)}, {"tags": ["segment:b"]}],
)  # fmt: skip
def test_every_panel_is_the_same_with_and_without_the_rollup(
    ws: Workspace, long_project: Any, window: dict
) -> None:
    long_project.dashboard.panels = []
    for panel in bench_panels():
        long_project.dashboard.add_panel(panel)
    long_project.save()
    project = ws.get_project(long_project.id)
    fast = ws.dashboard_data(project.id, DashboardQuery(max_points=20, **window))
    slow = ws.dashboard_data(project.id, DashboardQuery(max_points=20, use_rollup=False, **window))
    assert all("error" not in p for p in fast["panels"]), fast["panels"]
    _close(fast, slow)
    if not window:
        failed = next(p["data"] for p in fast["panels"] if p["title"] == "failed")
        statuses = ws.test_status_series(long_project.id)
        assert (
            (failed["count"], failed["total"])
            == ((statuses["status"] == "FAIL").sum(), len(statuses))
            != (0, 0)
        )
        [sums] = [p["data"]["items"] for p in fast["panels"] if p["title"] == "sum"]
        frame = ws.series(
            long_project.id, "DatasetSummaryMetric", "current.number_of_rows", tags=["segment:a"]
        )
        reports = {str(i.id) for i in ws.list_snapshots(long_project.id, kind="report", limit=None)}
        assert sums[0]["value"] == frame[frame["snapshot_id"].astype(str).isin(reports)]["value"].sum()


def test_the_rollup_is_read_for_long_ranges_and_the_points_only_at_the_edges(
    ws: Workspace, long_project: Any
) -> None:
    seen: list[str] = []
    runner = ws.store.index.runner

    class Spy:
        """The index's runner, noting every statement read."""

        dialect, description = runner.dialect, runner.description

        def read(self, fn: Any) -> Any:
            def noted(tx: Any) -> Any:
                tx_fetchall = tx.fetchall
                tx.fetchall = lambda sql, params=None: seen.append(sql) or tx_fetchall(sql, params)
                return fn(tx)

            return runner.read(noted)

    reads = SqlReads(Spy())  # type: ignore[arg-type]

    def points(query: SeriesQuery) -> None:
        span = reads.span(query.project_id, query.start, query.end)
        reads.buckets(bucket_query(query, span, 20))

    query = SeriesQuery(
        project_id=long_project.id, metric_type="DatasetSummaryMetric", field_path="current.number_of_rows"
    )
    points(query)  # pending and sparse days are read from the points
    assert "mf_rollup" in seen[-1] and "mf_points" in seen[-1]
    ws.store.index.rebuild_rollup()  # every day rolled up
    points(query)
    assert "mf_rollup" in seen[-1] and "mf_points" not in seen[-1]
    aligned = query.model_copy(update={"start": T0 + timedelta(days=5), "end": T0 + timedelta(days=50)})
    points(aligned)
    assert "mf_rollup" in seen[-1] and "mf_points" not in seen[-1]
    unaligned = query.model_copy(update={"start": T0 + timedelta(days=5, hours=1)})
    points(unaligned)
    assert "mf_rollup" in seen[-1] and "mf_points" in seen[-1]
    points(query.model_copy(update={"metadata": {"segment": "a"}}))
    assert "mf_rollup" not in seen[-1]
    span = reads.span(long_project.id)
    grid = buckets_for(span.first, span.last, 20)

    def statuses(*tests: TestSelector) -> str:
        """The statement that counted (not the lookup of the tests' columns that follows it)."""
        reads.status_counts(
            StatusCountQuery(project_id=long_project.id, tests=list(tests), buckets=grid, per_test=True)
        )
        return [s for s in seen if "mf_tests" in s or "mf_test_rollup" in s][-1]

    last = statuses()
    assert "mf_test_rollup" in last and "mf_tests " not in last
    assert "mf_test_rollup" not in statuses(TestSelector(test_args={"column_name": "age"}))


def test_layout_gives_at_most_limit_buckets_and_whole_days_when_they_are_long() -> None:
    rng = np.random.default_rng(5)
    for _ in range(300):
        lo = int(rng.integers(-(10**15), 2 * 10**15))
        hi = lo + int(rng.integers(0, 10**14))
        limit = int(rng.integers(1, 600))
        grid = buckets_for(lo, hi, limit)
        assert grid.origin <= lo and (hi - grid.origin) // grid.width < limit
        assert grid.daily == (-(-(hi - lo + 1) // limit) >= DAY // 4)


def test_split_days_partitions_the_range_into_rollup_runs_and_point_intervals() -> None:
    rng = np.random.default_rng(11)
    big = 10**9 * DAY
    for _ in range(500):
        start = None if rng.random() < 0.3 else int(rng.integers(0, 40 * DAY))
        end = None if rng.random() < 0.3 else int(rng.integers(start or 0, 80 * DAY)) + 1
        skip = sorted({int(d) * DAY for d in rng.integers(-5, 90, int(rng.integers(0, 40)))})
        runs, raw = split_days(start, end, skip)
        assert len(runs) <= MAX_RUNS
        lo, hi = -big if start is None else start, big if end is None else end
        pieces = sorted([(-big if a is None else a, big if b is None else b) for a, b in [*runs, *raw]])
        assert pieces[0][0] == lo and pieces[-1][1] == hi  # the pieces tile [start, end) exactly
        assert all(x[1] == y[0] for x, y in zip(pieces, pieces[1:], strict=False))
        for a, b in runs:  # whole days, none skipped
            a, b = -big if a is None else a, big if b is None else b
            assert a < b and (a == -big or a % DAY == 0) and (b == big or b % DAY == 0)
            assert not any(a <= d < b for d in skip)
