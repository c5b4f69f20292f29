"""The workspace contract, projects and snapshots: every test runs on the folder, SQLite, PostgreSQL and
S3 (SeaweedFS) backends (datasets, series and deletion: test_workspace_data_contract.py)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest

from monitorflow import TestSuite, snapshot
from monitorflow.checks import TestColumnDrift, TestNumberOfRows
from monitorflow.errors import ProjectNotFound, SnapshotExists, SnapshotNotFound
from monitorflow.workspace import Project
from tests.workspace.contract_frames import T0, _report

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
    largest = 2**62  # within every backend's 64-bit integers and exact as a JSON double
    assert ws.list_snapshots(project.id, offset=largest) == []
    assert [s.id for s in ws.list_snapshots(project.id, limit=largest)] == ids[::-1]
    assert [
        s.id
        for s in ws.list_snapshots(project.id, start=T0 + timedelta(hours=3), end=T0 + timedelta(hours=6))
    ] == [ids[5], ids[4], ids[3]]
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
    assert ws.series(project.id, "DatasetSummaryMetric", "current.number_of_rows")[
        "snapshot_id"
    ].tolist() == [str(keep.id)]
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
