"""The workspace contract: every test runs on the folder, SQLite, PostgreSQL and S3 (SeaweedFS) backends."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from monitorflow import ColumnMapping, Report, TestSuite, snapshot
from monitorflow.checks import TestColumnDrift, TestNumberOfRows
from monitorflow.errors import (
    DatasetNotFound,
    ProjectNotFound,
    SnapshotExists,
    SnapshotNotFound,
    SnapshotTooLarge,
)
from monitorflow.metrics import ColumnDriftMetric, DataDriftTable, DatasetSummaryMetric
from monitorflow.workspace import Project

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(7)
    reference = pd.DataFrame({"age": rng.normal(40, 10, 150), "city": rng.choice(["a", "b", "c"], 150)})
    current = pd.DataFrame({"age": rng.normal(48, 10, 120), "city": rng.choice(["a", "b"], 120)})
    return reference, current


def _report(frames, **kwargs) -> Report:
    reference, current = frames
    timestamp = kwargs.pop("timestamp", None) or T0
    report = Report(
        metrics=[DatasetSummaryMetric(), ColumnDriftMetric(column_name="age"), DataDriftTable()], **kwargs
    )
    report.run(reference_data=reference, current_data=current, timestamp=timestamp)
    return report


# ---------------------------------------------------------------------------------------- projects


def test_projects_create_get_list_search_delete(ws_backend, ticking_clock):
    ws = ws_backend.open()
    a = ws.create_project("churn", description="customer churn")
    b = ws.create_project("fraud")
    assert isinstance(a, Project) and isinstance(a.id, uuid.UUID)
    assert a.created_at.tzinfo is not None
    got = ws.get_project(str(a.id))
    assert (got.id, got.name, got.description) == (a.id, "churn", "customer churn")
    assert ws.get_project(a.id).created_at == a.created_at
    assert {p.id for p in ws.list_projects()} == {a.id, b.id}
    assert [p.id for p in ws.list_projects()] == [b.id, a.id]  # newest first
    assert [p.id for p in ws.search_project("fraud")] == [b.id]
    assert ws.search_project("nothing") == []
    ws.delete_project(a.id)
    with pytest.raises(ProjectNotFound) as err:
        ws.get_project(a.id)
    assert str(a.id) in str(err.value)
    assert [p.id for p in ws.list_projects()] == [b.id]


def test_missing_project_raises_project_not_found_naming_the_id(ws_backend):
    ws = ws_backend.open()
    missing = uuid.uuid4()
    for call in (
        lambda: ws.get_project(missing),
        lambda: ws.delete_project(missing),
        lambda: ws.list_snapshots(missing),
        lambda: ws.add_snapshot(missing, snapshot.Snapshot(kind="report", timestamp=T0)),
        lambda: ws.series(missing, "DatasetSummaryMetric", "current.number_of_rows"),
    ):
        with pytest.raises(ProjectNotFound, match=str(missing)):
            call()
    with pytest.raises(ProjectNotFound, match="PROJECT_ID"):
        ws.get_project("PROJECT_ID")


def test_project_save_persists_name_description_and_dashboard(ws_backend):
    ws = ws_backend.open()
    project = ws.create_project("churn")
    project.name = "churn v2"
    project.description = "now with a dashboard"
    project.dashboard.panels.append({"type": "counter", "title": "rows"})
    project.save()
    again = ws_backend.open().get_project(project.id)
    assert again.name == "churn v2"
    assert again.description == "now with a dashboard"
    assert again.dashboard.panels == [{"type": "counter", "title": "rows"}]
    assert [p.id for p in ws.search_project("churn v2")] == [project.id]


# --------------------------------------------------------------------------------------- snapshots


def test_seed_calls_run_as_written(ws_backend, frames, tmp_path):
    ws = ws_backend.open()
    project = ws.create_project("seed")
    report = _report(frames, tags=["groupA"], metadata={"deployment": "shadow"}, model_id="m1")
    ws.add_report(project.id, report, include_data=True)
    suite = TestSuite(tests=[TestNumberOfRows(gte=10), TestColumnDrift(column_name="age")])
    suite.run(reference_data=frames[0], current_data=frames[1], timestamp=T0 + timedelta(days=1))
    ws.add_test_suite(project.id, suite)
    path = tmp_path / "data_drift_snapshot.json"
    _report(frames, timestamp=T0 + timedelta(days=2)).save(path)
    ws.add_snapshot(project.id, snapshot.load(path))
    listed = ws.list_snapshots(project.id)
    assert [s.kind for s in listed] == ["report", "test_suite", "report"]
    ws.delete_snapshot(project.id, listed[0].id)
    assert len(ws.list_snapshots(project.id)) == 2
    assert ws.get_project(str(project.id)).name == "seed"


def test_snapshot_round_trip_and_metadata(ws_backend, frames):
    ws = ws_backend.open()
    project = ws.create_project("p")
    report = _report(frames, tags=["a", "b"], metadata={"segment": "eu", "batch": {"k": "v"}})
    info = ws.add_report(project.id, report)
    loaded = ws.load_snapshot(project.id, info.id)
    assert loaded == report.to_snapshot()
    meta = ws.get_snapshot_metadata(str(project.id), str(info.id))
    assert (meta.id, meta.project_id, meta.kind, meta.is_report) == (loaded.id, project.id, "report", True)
    assert meta.timestamp == T0 and meta.timestamp.tzinfo is not None
    assert meta.tags == ["a", "b"] and meta.metadata == {"segment": "eu", "batch": {"k": "v"}}
    assert meta.size == len(loaded.json_bytes())
    assert ws_backend.open().load_snapshot(project.id, info.id) == loaded  # another Workspace sees it


def test_missing_snapshot_raises_snapshot_not_found_naming_the_id(ws_backend, make_snapshot):
    ws = ws_backend.open()
    project = ws.create_project("p")
    missing = uuid.uuid4()
    for call in (
        lambda: ws.load_snapshot(project.id, missing),
        lambda: ws.delete_snapshot(project.id, missing),
        lambda: ws.get_snapshot_metadata(project.id, missing),
    ):
        with pytest.raises(SnapshotNotFound, match=str(missing)):
            call()
    other = ws.create_project("other")
    info = ws.add_snapshot(other.id, make_snapshot())
    with pytest.raises(SnapshotNotFound):
        ws.load_snapshot(project.id, info.id)  # exists, but in another project


def test_naive_timestamp_is_local_time_stored_in_utc(ws_backend, make_snapshot):
    ws = ws_backend.open()
    project = ws.create_project("p")
    naive = datetime(2026, 3, 1, 12, 0)
    info = ws.add_snapshot(project.id, make_snapshot(timestamp=naive))
    stored = ws.get_snapshot_metadata(project.id, info.id).timestamp
    assert stored.utcoffset() == timedelta(0)
    assert stored == naive.astimezone()


def test_list_snapshots_newest_first_paginated_and_filtered(ws_backend, make_snapshot):
    ws = ws_backend.open()
    project = ws.create_project("p")
    ids = []
    for i in range(12):
        tags = ["even"] if i % 2 == 0 else ["odd"]
        if i % 3 == 0:
            tags.append("third")
        kind = "test_suite" if i % 4 == 0 else "report"
        snap = make_snapshot(i, tags=tags, metadata={"segment": "eu" if i < 6 else "us", "n": i}, kind=kind)
        ids.append(ws.add_snapshot(project.id, snap).id)
    listed = ws.list_snapshots(project.id)
    assert [s.id for s in listed] == ids[::-1]
    page1 = ws.list_snapshots(project.id, limit=5)
    page2 = ws.list_snapshots(project.id, limit=5, offset=5)
    page3 = ws.list_snapshots(project.id, limit=5, offset=10)
    assert [s.id for s in page1 + page2 + page3] == ids[::-1]
    assert len(page3) == 2
    assert [s.id for s in ws.list_snapshots(project.id, start=T0 + timedelta(hours=3), end=T0 + timedelta(hours=6))] == [
        ids[5], ids[4], ids[3]]  # fmt: skip
    assert {s.id for s in ws.list_snapshots(project.id, tags=["even", "third"])} == {ids[0], ids[6]}
    assert {s.id for s in ws.list_snapshots(project.id, metadata={"segment": "us"})} == set(ids[6:])
    assert [s.id for s in ws.list_snapshots(project.id, metadata={"segment": "eu", "n": 2})] == [ids[2]]
    suites = ws.list_snapshots(project.id, kind="test_suite")
    assert {s.id for s in suites} == {ids[0], ids[4], ids[8]}
    assert len(ws.list_snapshots(project.id, include_test_suites=False)) == 9
    assert ws.list_snapshots(project.id, tags=["nope"]) == []


def test_adding_an_existing_id_raises_unless_replace(ws_backend, make_snapshot):
    ws = ws_backend.open()
    project = ws.create_project("p")
    sid = uuid.uuid4()
    ws.add_snapshot(project.id, make_snapshot(1, rows=100, snapshot_id=sid, tags=["old"]))
    with pytest.raises(SnapshotExists) as err:
        ws.add_snapshot(project.id, make_snapshot(1, rows=200, snapshot_id=sid))
    assert str(sid) in str(err.value) and "replace=True" in str(err.value)
    assert ws.load_snapshot(project.id, sid).metrics[0].result["current"]["number_of_rows"] == 100
    ws.add_snapshot(project.id, make_snapshot(2, rows=300, snapshot_id=sid, tags=["new"]), replace=True)
    assert ws.load_snapshot(project.id, sid).metrics[0].result["current"]["number_of_rows"] == 300
    listed = ws.list_snapshots(project.id)
    assert [(s.id, s.tags) for s in listed] == [(sid, ["new"])]
    series = ws.series(project.id, "DatasetSummaryMetric", "current.number_of_rows")
    assert series["value"].tolist() == [300.0]
    assert ws.list_snapshots(project.id, tags=["old"]) == []


def test_the_same_content_again_is_no_error_and_brings_its_data(ws_backend, frames, tmp_path):
    # Evidently's workspace page, in sequence: add a report, add it again with its data, re-add it saved
    ws = ws_backend.open()
    project = ws.create_project("p")
    reference, current = frames
    report = _report(frames)
    first = ws.add_report(project.id, report)
    assert ws.get_snapshot_metadata(project.id, first.id).datasets.current is None
    assert ws.add_report(project.id, report, include_data=True).id == first.id  # data newly given: attached
    assert ws.load_dataset(project.id, first.id, "current").equals(current)
    links = ws.get_snapshot_metadata(project.id, first.id).datasets
    report.save(tmp_path / "r.json")
    ws.add_snapshot(project.id, snapshot.load(tmp_path / "r.json"))  # saved and loaded: the same content
    ws.add_report(project.id, report)  # again without data: the data stays
    assert ws.get_snapshot_metadata(project.id, first.id).datasets == links
    assert [s.id for s in ws.list_snapshots(project.id)] == [first.id]
    other = _report((reference, current.iloc[:40])).to_snapshot().model_copy(update={"id": first.id})
    with pytest.raises(SnapshotExists):  # different content under the same id still needs replace=True
        ws.add_snapshot(project.id, other)


def test_delete_snapshot_removes_it_everywhere(ws_backend, make_snapshot):
    ws = ws_backend.open()
    project = ws.create_project("p")
    keep = ws.add_snapshot(project.id, make_snapshot(0, tags=["x"]))
    gone = ws.add_snapshot(project.id, make_snapshot(1, tags=["x"]))
    ws.delete_snapshot(project.id, gone.id)
    assert [s.id for s in ws.list_snapshots(project.id)] == [keep.id]
    assert ws.series(project.id, "DatasetSummaryMetric", "current.number_of_rows")["snapshot_id"].tolist() == [
        str(keep.id)]  # fmt: skip
    with pytest.raises(SnapshotNotFound):
        ws.load_snapshot(project.id, gone.id)
    with pytest.raises(SnapshotNotFound):
        ws.delete_snapshot(project.id, gone.id)
    ws.add_snapshot(project.id, make_snapshot(1, snapshot_id=gone.id))  # the id can be used again


def test_project_methods_are_bound_to_the_workspace(ws_backend, frames, make_snapshot):
    ws = ws_backend.open()
    project = ws.create_project("bound")
    info = project.add_report(_report(frames), include_data=True)
    project.add_snapshot(make_snapshot(5, kind="test_suite"))
    assert [s.kind for s in project.list_snapshots()] == ["test_suite", "report"]
    assert project.load_snapshot(info.id).id == info.id
    assert project.get_snapshot_metadata(info.id).id == info.id
    assert len(project.load_dataset(info.id, "current")) == 120
    assert len(project.series("DatasetSummaryMetric", "current.number_of_rows")) == 2
    assert len(project.test_status_series()) == 2
    project.delete_snapshot(info.id)
    assert [s.kind for s in project.list_snapshots()] == ["test_suite"]


# ---------------------------------------------------------------------------------------- datasets


def test_include_data_stores_current_and_reference_as_parquet(ws_backend, frames):
    ws = ws_backend.open()
    project = ws.create_project("p")
    reference, current = frames
    info = ws.add_report(project.id, _report(frames), include_data=True)
    links = ws.get_snapshot_metadata(project.id, info.id).datasets
    assert links.current and links.reference
    assert ws.load_snapshot(project.id, info.id).datasets == links
    cur = ws.load_dataset(project.id, info.id, "current")
    ref = ws.load_dataset(project.id, info.id, "reference")
    pd.testing.assert_frame_equal(cur, current, check_dtype=False)
    pd.testing.assert_frame_equal(ref, reference, check_dtype=False)
    assert cur.attrs["data_definition"] is not None
    assert {d.role for d in ws.list_datasets(project.id)} == {"current", "reference"}
    plain = ws.add_report(project.id, _report(frames))
    with pytest.raises(DatasetNotFound, match="include_data"):
        ws.load_dataset(project.id, plain.id, "current")
    ws.delete_snapshot(project.id, info.id)
    with pytest.raises(DatasetNotFound):
        ws.load_dataset(links.current)
    assert ws.list_datasets(project.id) == []


def test_include_data_without_reference_stores_current_only(ws_backend, frames):
    ws = ws_backend.open()
    project = ws.create_project("p")
    report = Report(metrics=[DatasetSummaryMetric()])
    report.run(current_data=frames[1], timestamp=T0)
    info = ws.add_report(project.id, report, include_data=True)
    assert len(ws.load_dataset(project.id, info.id, "current")) == 120
    with pytest.raises(DatasetNotFound):
        ws.load_dataset(project.id, info.id, "reference")


def test_replacing_a_snapshot_replaces_its_datasets(ws_backend, frames):
    ws = ws_backend.open()
    project = ws.create_project("p")
    report = _report(frames)
    first = ws.add_report(project.id, report, include_data=True)
    old_links = ws.get_snapshot_metadata(project.id, first.id).datasets
    ws.add_snapshot(project.id, report.to_snapshot(), replace=True)  # same id, no data now
    assert ws.get_snapshot_metadata(project.id, first.id).datasets.current is None
    with pytest.raises(DatasetNotFound):
        ws.load_dataset(old_links.current)
    assert ws.list_datasets(project.id) == []


def test_rerun_with_data_replaces_snapshot_and_datasets(ws_backend, frames):
    ws = ws_backend.open()
    project = ws.create_project("p")
    reference, current = frames
    report = _report(frames)
    first = ws.add_report(project.id, report, include_data=True)
    old = ws.get_snapshot_metadata(project.id, first.id).datasets
    assert ws.add_report(project.id, report, include_data=True).datasets == old  # the same run: a no-op
    assert ws.load_dataset(old.current).equals(current)
    assert len(ws.list_datasets(project.id)) == 2
    fewer = current.iloc[:50]
    again = ws.add_snapshot(project.id, report.to_snapshot(), replace=True, current_data=fewer)
    assert again.id == first.id
    assert [s.id for s in ws.list_snapshots(project.id)] == [first.id]
    assert len(ws.load_dataset(project.id, first.id, "current")) == 50
    with pytest.raises(DatasetNotFound):
        ws.load_dataset(project.id, first.id, "reference")
    for stale in (old.current, old.reference):
        with pytest.raises(DatasetNotFound):
            ws.load_dataset(stale)
    assert [d.role for d in ws.list_datasets(project.id)] == ["current"]
    ws.add_report(project.id, report, include_data=True, replace=True)
    assert len(ws.load_dataset(project.id, first.id, "reference")) == len(reference)


def test_add_load_list_delete_dataset(ws_backend):
    ws = ws_backend.open()
    project = ws.create_project("p")
    df = pd.DataFrame(
        {
            "age": [31, 45, 27],
            "city": ["a", "b", None],
            "when": pd.date_range("2026-01-01", periods=3, tz="UTC"),
        }
    )
    mapping = ColumnMapping(
        target=None, prediction=None, numerical_features=["age"], categorical_features=["city"]
    )
    did = ws.add_dataset(project.id, df, "training", description="the training set", column_mapping=mapping)
    assert isinstance(did, uuid.UUID)
    loaded = ws.load_dataset(did)
    pd.testing.assert_frame_equal(loaded, df, check_dtype=False)
    assert loaded.attrs["column_mapping"] == mapping
    [info] = ws.list_datasets(project.id)
    assert (info.id, info.name, info.description, info.rows, info.columns) == (did, "training", "the training set", 3,
                                                                                ["age", "city", "when"])  # fmt: skip
    assert ws.get_dataset_info(str(did)).snapshot_id is None
    ws.delete_dataset(did)
    with pytest.raises(DatasetNotFound, match=str(did)):
        ws.load_dataset(did)
    with pytest.raises(DatasetNotFound):
        ws.delete_dataset(did)
    with pytest.raises(ProjectNotFound):
        ws.add_dataset(uuid.uuid4(), df, "x")


# ------------------------------------------------------------------------------------------ limits


def test_oversized_snapshot_raises_and_writes_nothing(ws_backend, frames):
    ws = ws_backend.open(max_snapshot_bytes=2_000)
    project = ws.create_project("p")
    report = _report(frames)
    size = len(report.to_snapshot().json_bytes())
    with pytest.raises(SnapshotTooLarge) as err:
        ws.add_report(project.id, report, include_data=True)
    message = str(err.value)
    assert f"{size:,}" in message[:60] or "bytes" in message
    assert "2,000" in message and "max_snapshot_bytes" in message
    assert err.value.limit == 2_000 and err.value.size >= size
    assert ws.list_snapshots(project.id) == []
    assert ws.list_datasets(project.id) == []
    assert ws_backend.open(max_snapshot_bytes=10_000_000).add_report(project.id, report).id == report.id


# ------------------------------------------------------------------------------------------ series


def test_series_of_numeric_fields_sorted_by_time(ws_backend, make_snapshot):
    ws = ws_backend.open()
    project = ws.create_project("p")
    for i in (3, 1, 2, 0):  # out of order
        ws.add_snapshot(project.id, make_snapshot(i, rows=100 + i, drift=0.2 * i))
    frame = ws.series(project.id, "DatasetSummaryMetric", "current.number_of_rows")
    assert list(frame.columns) == ["timestamp", "snapshot_id", "value"]
    assert frame["value"].tolist() == [100.0, 101.0, 102.0, 103.0]
    assert frame["timestamp"].tolist() == [T0 + timedelta(hours=i) for i in range(4)]
    assert str(frame["timestamp"].dt.tz) == "UTC"
    nested = ws.series(project.id, "DataDriftTable", "drift_by_columns.age.drift_score")
    assert nested["value"].round(6).tolist() == [0.0, 0.2, 0.4, 0.6]
    flags = ws.series(project.id, "DataDriftTable", "dataset_drift")  # bools as 0/1
    assert flags["value"].tolist() == [0.0, 0.0, 0.0, 1.0]
    assert ws.series(
        project.id, "DatasetSummaryMetric", "current.number_of_missing_values"
    ).empty  # null: no point
    assert ws.series(project.id, "ColumnDriftMetric", "distribution.edges").empty  # lists are not indexed


def test_series_metric_args_tags_metadata_and_time_filters(ws_backend, make_snapshot):
    ws = ws_backend.open()
    project = ws.create_project("p")
    for i in range(6):
        ws.add_snapshot(
            project.id,
            make_snapshot(
                i,
                drift=0.1 * i,
                tags=["a"] if i % 2 else ["a", "b"],
                metadata={"model": "m1" if i < 3 else "m2"},
            ),
        )
    both = ws.series(project.id, "ColumnDriftMetric", "drift_score", with_fingerprint=True)
    assert len(both) == 12 and both["metric_fingerprint"].nunique() == 2
    age = ws.series(project.id, "ColumnDriftMetric", "drift_score", metric_args={"column_name": "age"})
    assert age["value"].round(6).tolist() == [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]
    income = ws.series(project.id, ColumnDriftMetric(column_name="income"), "drift_score")
    assert income["value"].round(6).tolist() == [0.0, 0.05, 0.1, 0.15, 0.2, 0.25]
    tagged = ws.series(
        project.id, "ColumnDriftMetric", "drift_score", {"column_name": "age"}, tags=["a", "b"]
    )
    assert tagged["value"].round(6).tolist() == [0.0, 0.2, 0.4]
    meta = ws.series(
        project.id, "ColumnDriftMetric", "drift_score", {"column_name": "age"}, metadata={"model": "m2"}
    )
    assert meta["value"].round(6).tolist() == [0.3, 0.4, 0.5]
    window = ws.series(project.id, "ColumnDriftMetric", "drift_score", {"column_name": "age"},
                       start=T0 + timedelta(hours=1), end=T0 + timedelta(hours=3))  # fmt: skip
    assert window["value"].round(6).tolist() == [0.1, 0.2]
    assert ws.series(project.id, "ColumnDriftMetric", "drift_score", {"column_name": "zip"}).empty
    assert ws.series(project.id, "NoSuchMetric", "x").empty


def test_series_from_real_reports(ws_backend, frames):
    ws = ws_backend.open()
    project = ws.create_project("p")
    for day in range(3):
        report = _report(frames, timestamp=T0 + timedelta(days=day), tags=[f"day{day}"])
        ws.add_report(project.id, report)
    rows = ws.series(project.id, "DatasetSummaryMetric", "current.number_of_rows")
    assert rows["value"].tolist() == [120.0, 120.0, 120.0]
    drift = ws.series(project.id, "DataDriftTable", "drift_by_columns.age.drift_score", tags=["day1"])
    assert len(drift) == 1 and 0 <= drift["value"].iloc[0] <= 1


def test_test_status_series(ws_backend, make_snapshot):
    ws = ws_backend.open()
    project = ws.create_project("p")
    for i in range(4):
        ws.add_snapshot(
            project.id, make_snapshot(i, kind="test_suite", drift=0.3 * i, tags=["x"] if i else [])
        )
    ws.add_snapshot(project.id, make_snapshot(9))  # a report: no test rows
    frame = ws.test_status_series(project.id)
    assert list(frame.columns) == [
        "timestamp",
        "snapshot_id",
        "test_fingerprint",
        "test_type",
        "test_name",
        "status",
    ]
    assert len(frame) == 8
    drift = ws.test_status_series(project.id, "TestColumnDrift")
    assert drift["status"].tolist() == ["SUCCESS", "SUCCESS", "FAIL", "FAIL"]
    assert drift["timestamp"].is_monotonic_increasing
    assert len(ws.test_status_series(project.id, test_args={"column_name": "age"})) == 4
    assert ws.test_status_series(project.id, test_args={"column_name": "zip"}).empty
    assert len(ws.test_status_series(project.id, statuses=["FAIL"])) == 2
    assert len(ws.test_status_series(project.id, "TestNumberOfRows", tags=["x"])) == 3
    assert len(ws.test_status_series(project.id, start=T0 + timedelta(hours=2))) == 4


# ---------------------------------------------------------------------------- deletion and rebuild


def test_delete_project_removes_snapshots_datasets_and_index_rows(ws_backend, frames, make_snapshot):
    ws = ws_backend.open()
    project = ws.create_project("p")
    other = ws.create_project("other")
    ws.add_report(project.id, _report(frames), include_data=True)
    ws.add_snapshot(project.id, make_snapshot(1, kind="test_suite", tags=["t"]))
    ws.add_dataset(project.id, frames[0], "ref")
    ws.add_snapshot(other.id, make_snapshot(2))
    ws.delete_project(project.id)
    with pytest.raises(ProjectNotFound):
        ws.list_snapshots(project.id)
    revived = ws.add_project(Project(id=project.id, name="p again"))  # same id: nothing left behind
    assert ws.list_snapshots(revived.id) == []
    assert ws.list_datasets(revived.id) == []
    assert ws.series(revived.id, "DatasetSummaryMetric", "current.number_of_rows").empty
    assert ws.test_status_series(revived.id).empty
    assert len(ws.list_snapshots(other.id)) == 1


def test_reindex_rebuilds_the_same_listing_and_series(ws_backend, make_snapshot):
    ws = ws_backend.open()
    project = ws.create_project("p")
    for i in range(5):
        ws.add_snapshot(
            project.id, make_snapshot(i, kind="test_suite" if i == 2 else "report", tags=[str(i % 2)])
        )
    ws.add_dataset(project.id, pd.DataFrame({"a": [1]}), "d")
    before = (
        ws.list_snapshots(project.id),
        ws.series(project.id, "DatasetSummaryMetric", "current.number_of_rows"),
    )
    report = ws.reindex()
    assert report.errors == {}
    assert report.projects == 1 and report.snapshots == 5 and report.datasets == 1
    assert ws.list_snapshots(project.id) == before[0]
    pd.testing.assert_frame_equal(
        ws.series(project.id, "DatasetSummaryMetric", "current.number_of_rows"), before[1]
    )
    assert len(ws.list_datasets(project.id)) == 1
