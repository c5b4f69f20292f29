"""The index read protocol on every backend: tag values, field paths, span, bucketed series (every
aggregation, split by two tag prefixes, reports only, one whole-range bucket, with and without the
rollup) and test-status counts, each checked against pandas over the known inputs, answered by the
index database and by the Python fallback (``PythonReads``) alike."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest

from monitorflow.errors import ProjectNotFound
from monitorflow.storage.base import TestStatusQuery
from monitorflow.storage.python_reads import PythonReads, StoreRows
from monitorflow.storage.reads import BucketQuery, Buckets, IndexReads, StatusCountQuery, TestSelector

T0 = datetime(2026, 1, 1, 7, 30, tzinfo=UTC)
DAY = 86_400_000_000
N = 48
ROWS = ("DatasetSummaryMetric", "current.number_of_rows")


def spec() -> pd.DataFrame:
    """The inputs: 48 snapshots 2.5 hours apart (5 days, so whole days get rolled up), alternating
    segments, model versions in runs of 3, every 5th a test suite."""
    i = list(range(N))
    return pd.DataFrame(
        {
            "i": i,
            "ts": [int((T0 + timedelta(minutes=150 * k)).timestamp() * 1_000_000) for k in i],
            "rows": [100 + (k * 37) % 50 for k in i],
            "drift": [(k % 10) / 10 for k in i],
            "segment": ["segment:" + "ab"[k % 2] for k in i],
            "version": [f"model_version:v{1 + (k // 3) % 2}" for k in i],
            "kind": ["test_suite" if k % 5 == 0 else "report" for k in i],
        }
    )


@pytest.fixture(params=["index", "python"])
def mode(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def filled(ws_backend: Any, make_snapshot: Any, mode: str) -> tuple[Any, Any, IndexReads, pd.DataFrame]:
    """A workspace with the inputs of :func:`spec`, and the reads under test."""
    ws = ws_backend.open()
    project = ws.create_project("reads")
    frame = spec()
    for row in frame.itertuples():
        snap = make_snapshot(
            timestamp=T0 + timedelta(minutes=150 * row.i),
            tags=[row.segment, row.version, "all"],
            kind=row.kind,
            rows=int(row.rows),
            drift=float(row.drift),
        )
        ws.add_snapshot(project.id, snap)
    reads = ws.reads if mode == "index" else PythonReads(StoreRows(ws.store))
    return ws, project, reads, frame


def expected(
    frame: pd.DataFrame, grid: Buckets, agg: str, keys: list[str]
) -> dict[tuple[Any, ...], tuple[list[int], list[float]]]:
    """pandas: per ``keys`` the bucket times (mean time, or the last point's) and ``agg`` of the rows."""
    frame = frame.sort_values("ts")
    frame = frame.assign(bucket=0 if grid.width is None else (frame["ts"] - grid.origin) // grid.width)
    groups = frame.groupby(keys, sort=True) if keys else [((), frame)]
    out = {}
    for key, group in groups:
        buckets = group.groupby("bucket")
        if agg == "last":
            times, values = buckets["ts"].last(), buckets["rows"].last().astype(float)
        else:
            times = buckets["ts"].mean().round().astype("int64")
            values = buckets["rows"].agg(agg).astype(float)
        out[tuple(key)] = (times.tolist(), values.tolist())
    return out


# ----------------------------------------------------------------------------------- lookups


def test_tag_values_field_paths_and_span(filled: Any) -> None:
    ws, project, reads, frame = filled
    assert reads.tag_values(project.id, "segment:") == ["segment:a", "segment:b"]
    assert reads.tag_values(project.id) == [
        "all",
        "model_version:v1",
        "model_version:v2",
        "segment:a",
        "segment:b",
    ]
    assert reads.tag_values(project.id, "segment_") == []  # "_" is a character here, not LIKE's wildcard
    # strings and lists are not indexed: only the numbers and bools at one level
    assert reads.field_paths(project.id, "ColumnDriftMetric", pattern="*") == [
        "drift_detected",
        "drift_score",
    ]
    assert reads.field_paths(project.id, "DataDriftTable", pattern="drift_by_columns.*.drift_score") == [
        "drift_by_columns.age.drift_score"
    ]
    assert "current.number_of_rows" in reads.field_paths(project.id, "DatasetSummaryMetric")
    start, end = T0 + timedelta(hours=10), T0 + timedelta(days=2)
    inside = frame[(frame["ts"] >= start.timestamp() * 1e6) & (frame["ts"] < end.timestamp() * 1e6)]
    span = reads.span(project.id, start, end)
    assert span == (inside["ts"].min(), inside["ts"].max(), len(inside))
    assert reads.span(project.id, start, end, cap=3).count == 4
    assert reads.span(project.id).count == N
    assert reads.span(project.id, T0 - timedelta(days=9), T0 - timedelta(days=8)) == (0, 0, 0)
    empty = ws.create_project("empty")
    assert reads.tag_values(empty.id) == [] and reads.span(empty.id) == (0, 0, 0)
    for call in (lambda: reads.tag_values(uuid.uuid4()), lambda: reads.span(uuid.uuid4())):
        with pytest.raises(ProjectNotFound):
            call()


# ----------------------------------------------------------------------------------- buckets


def query(project: Any, **options: Any) -> BucketQuery:
    return BucketQuery(project_id=project.id, metric_type=ROWS[0], field_paths=[ROWS[1]], **options)


@pytest.mark.parametrize("agg", ["mean", "sum", "min", "max", "last"])
def test_buckets_of_every_aggregation_equal_pandas(filled: Any, agg: str) -> None:
    ws, project, reads, frame = filled
    origin = int(frame["ts"].min()) - int(frame["ts"].min()) % DAY
    reports = frame[frame["kind"] == "report"]
    for grid in (
        Buckets(origin=origin, width=DAY),
        Buckets(origin=origin, width=DAY // 3),
        Buckets(origin=int(frame["ts"].min())),
    ):
        for use_rollup in (True, False):
            traces = reads.buckets(
                query(project, kinds=["report"], agg=agg, buckets=grid, use_rollup=use_rollup)
            )
            [trace] = traces
            times, values = expected(reports, grid, agg, [])[()]
            assert trace.n == len(reports) and trace.bucketed == (len(reports) > len(values))
            np.testing.assert_allclose(trace.ts, times, rtol=0, atol=1)
            np.testing.assert_allclose(trace.values, values, rtol=1e-12)
            if agg == "last":  # and the snapshot each value comes from
                ids = {round(s.timestamp.timestamp() * 1e6): str(s.id) for s in ws.list_snapshots(project.id)}
                assert trace.snapshots == [ids[t] for t in times]


def test_buckets_split_by_two_tag_prefixes(filled: Any) -> None:
    _, project, reads, frame = filled
    origin = int(frame["ts"].min()) - int(frame["ts"].min()) % DAY
    grid, whole = Buckets(origin=origin, width=DAY), Buckets(origin=int(frame["ts"].min()))
    for agg, buckets in [("mean", grid), ("max", grid), ("last", grid), ("last", whole), ("sum", whole)]:
        split_by = ["segment:", "model_version:"]
        traces = reads.buckets(query(project, split_by=split_by, agg=agg, buckets=buckets))
        want = expected(frame, buckets, agg, ["segment", "version"])
        assert [t.split for t in traces] == sorted(want)
        assert [t.n for t in traces] == frame.groupby(["segment", "version"]).size().tolist()
        for trace in traces:
            times, values = want[trace.split]
            np.testing.assert_allclose(trace.ts, times, rtol=0, atol=1)
            np.testing.assert_allclose(trace.values, values, rtol=1e-12)
    one = reads.buckets(query(project, split_by=["segment:", "nothing:"], agg="sum", buckets=grid))
    assert [t.split for t in one] == [("segment:a",), ("segment:b",)]  # a prefix no tag has is ignored


def test_every_point_and_several_paths_and_metrics(filled: Any) -> None:
    ws, project, reads, frame = filled
    traces = reads.buckets(query(project, tags=["segment:b"]))
    [trace] = traces
    series = ws.series(project.id, *ROWS, tags=["segment:b"])
    assert not trace.bucketed and trace.n == len(series) == (frame["segment"] == "segment:b").sum()
    assert trace.values.tolist() == series["value"].tolist()
    assert (trace.ts == frame[frame["segment"] == "segment:b"]["ts"].to_numpy()).all()
    [values] = reads.buckets(query(project, tags=["segment:b"], values_only=True))
    assert (
        len(values.ts) == 0 and sorted(values.values) == sorted(series["value"]) and values.n == len(series)
    )
    drift = reads.buckets(
        BucketQuery(
            project_id=project.id,
            metric_type="ColumnDriftMetric",
            field_paths=["drift_score", "drift_detected"],
            kinds=["test_suite"],
        )
    )
    suites = frame[frame["kind"] == "test_suite"]
    assert [(t.field_path, t.n) for t in drift] == [("drift_detected", len(suites))] * 2 + [
        ("drift_score", len(suites))
    ] * 2
    by_metric = {t.metric_fingerprint: t.values.tolist() for t in drift if t.field_path == "drift_score"}
    assert sorted(by_metric.values()) == sorted([list(suites["drift"] / 2), list(suites["drift"])])
    assert reads.buckets(query(project, metadata={"nope": 1})) == []
    with pytest.raises(ProjectNotFound):
        reads.buckets(query(project).model_copy(update={"project_id": uuid.uuid4()}))


# ------------------------------------------------------------------------------ test statuses


def test_status_counts_equal_pandas(filled: Any) -> None:
    _, project, reads, frame = filled
    suites = frame[frame["kind"] == "test_suite"]
    results = pd.concat(
        [
            suites.assign(test="t-rows", status="SUCCESS", column=""),
            suites.assign(
                test="t-drift-age", status=np.where(suites["drift"] > 0.5, "FAIL", "SUCCESS"), column="age"
            ),
        ]
    )
    origin = int(frame["ts"].min()) - int(frame["ts"].min()) % DAY
    grid = Buckets(origin=origin, width=DAY)
    results["time"] = origin + (results["ts"] - origin) // DAY * DAY
    for use_rollup in (True, False):
        counts = reads.status_counts(
            StatusCountQuery(project_id=project.id, buckets=grid, per_test=True, use_rollup=use_rollup)
        )
        want = results.groupby(["time", "test", "status", "column"]).size().reset_index()
        assert [(c.time, c.test_fingerprint, c.status, c.column, c.count) for c in counts] == [
            tuple(r) for r in want.itertuples(index=False)
        ]
        totals = reads.status_counts(
            StatusCountQuery(project_id=project.id, buckets=Buckets(origin=origin), use_rollup=use_rollup)
        )
        assert {c.status: c.count for c in totals} == results["status"].value_counts().to_dict()
    per_run = reads.status_counts(
        StatusCountQuery(project_id=project.id, tests=[TestSelector(test_type="TestColumnDrift")])
    )
    assert [(c.time, c.status, c.count) for c in per_run] == [
        (t, "FAIL" if d > 0.5 else "SUCCESS", 1) for t, d in zip(suites["ts"], suites["drift"], strict=True)
    ]
    newest = reads.status_counts(StatusCountQuery(project_id=project.id, newest_run=True, per_test=True))
    last = suites.iloc[-1]
    assert {(c.time, c.test_fingerprint) for c in newest} == {
        (last["ts"], "t-rows"),
        (last["ts"], "t-drift-age"),
    }
    by_args = reads.status_counts(
        StatusCountQuery(
            project_id=project.id,
            buckets=Buckets(origin=origin),
            tests=[TestSelector(test_args={"column_name": "age"})],
        )
    )
    assert sum(c.count for c in by_args) == len(suites)
    rows = reads.test_statuses(TestStatusQuery(project_id=project.id))
    assert {(r[2], r[6]) for r in rows} == {("t-rows", ""), ("t-drift-age", "age")}
