"""The workspace contract, datasets, limits, series, deletion and rebuild: every test runs on the
folder, SQLite, PostgreSQL and S3 (SeaweedFS) backends (projects and snapshots:
test_workspace_contract.py)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pandas as pd
import pytest

from monitorflow import ColumnMapping, Report
from monitorflow.errors import DatasetNotFound, ProjectNotFound, SnapshotTooLarge
from monitorflow.metrics import ColumnDriftMetric, DatasetSummaryMetric
from monitorflow.workspace import Project
from tests.workspace.contract_frames import T0, _report

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
    assert (info.id, info.name, info.description, info.rows, info.columns) == (
        did,
        "training",
        "the training set",
        3,
        ["age", "city", "when"],
    )
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
    window = ws.series(
        project.id,
        "ColumnDriftMetric",
        "drift_score",
        {"column_name": "age"},
        start=T0 + timedelta(hours=1),
        end=T0 + timedelta(hours=3),
    )
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
