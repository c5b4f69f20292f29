"""Idempotent writes on every backend (and over HTTP, see tests/service): the same snapshot again is
no error and writes nothing new, data given later is attached, a different snapshot under an existing
id still needs ``replace=True``, and dataset links never reach another project's data."""

from __future__ import annotations

import uuid

import numpy as np
import pandas as pd
import pytest

from monitorflow import Report, TestSuite, snapshot
from monitorflow.checks import TestColumnDrift, TestNumberOfRows
from monitorflow.errors import ConfigurationError, DatasetNotFound, SnapshotExists
from monitorflow.metrics import ColumnDriftMetric, DatasetSummaryMetric
from monitorflow.snapshot import DatasetLinks


@pytest.fixture
def batch() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(11)
    reference = pd.DataFrame({"age": rng.normal(40, 10, 90), "plan": rng.choice(["a", "b"], 90)})
    current = pd.DataFrame({"age": rng.normal(45, 10, 70), "plan": rng.choice(["a", "b", "c"], 70)})
    return reference, current


def _report(batch) -> Report:
    report = Report(metrics=[DatasetSummaryMetric(), ColumnDriftMetric(column_name="age")], tags=["daily"])
    report.run(reference_data=batch[0], current_data=batch[1])
    return report


def _rows(ws, project) -> list[float]:
    return ws.series(project.id, "DatasetSummaryMetric", "current.number_of_rows")["value"].tolist()


def test_the_same_snapshot_twice_is_stored_once(ws_backend, make_snapshot):
    ws = ws_backend.open()
    project = ws.create_project("p")
    snap = make_snapshot(1, rows=42)
    first = ws.add_snapshot(project.id, snap)
    again = ws.add_snapshot(project.id, snap)  # a retry whose first answer was lost
    assert again.id == first.id == snap.id
    assert [s.id for s in ws.list_snapshots(project.id)] == [snap.id]
    assert _rows(ws, project) == [42.0]


def test_seed_examples_in_sequence(ws_backend, batch, tmp_path):
    """The seed page's calls one after the other: add a report, add it again with its data, re-add a
    saved test suite; then a different snapshot under an existing id still needs replace=True."""
    ws = ws_backend.open()
    project = ws.create_project("seed")
    data_report = _report(batch)
    info = ws.add_report(project.id, data_report)
    assert info.datasets.current is None
    with_data = ws.add_report(project.id, data_report, include_data=True)  # attaches the data
    assert with_data.id == info.id and with_data.datasets.current is not None
    pd.testing.assert_frame_equal(
        ws.load_dataset(project.id, info.id, "current"), batch[1], check_dtype=False
    )
    pd.testing.assert_frame_equal(
        ws.load_dataset(project.id, info.id, "reference"), batch[0], check_dtype=False
    )
    assert ws.add_report(project.id, data_report, include_data=True).datasets == with_data.datasets
    assert ws.add_report(project.id, data_report).datasets == with_data.datasets  # keeps the data
    assert len(ws.list_datasets(project.id)) == 2

    suite = TestSuite(tests=[TestNumberOfRows(gte=10), TestColumnDrift(column_name="age")])
    suite.run(reference_data=batch[0], current_data=batch[1])
    ws.add_test_suite(project.id, suite)
    suite.save(tmp_path / "suite.json")
    assert ws.add_snapshot(project.id, snapshot.load(tmp_path / "suite.json")).id == suite.id
    assert sorted(s.kind for s in ws.list_snapshots(project.id)) == ["report", "test_suite"]
    assert _rows(ws, project) == [70.0]

    other = Report(metrics=[DatasetSummaryMetric()])
    other.run(reference_data=None, current_data=batch[1].iloc[:5])
    changed = other.to_snapshot().model_copy(update={"id": info.id, "timestamp": data_report.timestamp})
    with pytest.raises(SnapshotExists, match="replace=True"):
        ws.add_snapshot(project.id, changed)
    assert _rows(ws, project) == [70.0]
    ws.add_snapshot(project.id, changed, replace=True)
    assert _rows(ws, project) == [5.0]
    assert ws.list_datasets(project.id) == []  # the replaced run's data went with it


def test_a_retry_with_data_keeps_the_stored_data_and_adds_none(ws_backend, batch):
    ws = ws_backend.open()
    project = ws.create_project("p")
    report = _report(batch)
    first = ws.add_report(project.id, report, include_data=True)
    for _ in range(2):
        assert ws.add_report(project.id, report, include_data=True).datasets == first.datasets
    assert sorted(str(d.id) for d in ws.list_datasets(project.id)) == sorted(
        [first.datasets.current, first.datasets.reference]
    )
    assert len(ws.load_dataset(first.datasets.current)) == 70


def test_the_same_id_in_another_project_is_refused(ws_backend, make_snapshot):
    ws = ws_backend.open()
    a, b = ws.create_project("a"), ws.create_project("b")
    snap = make_snapshot(1)
    ws.add_snapshot(a.id, snap)
    with pytest.raises(SnapshotExists):
        ws.add_snapshot(b.id, snap)
    assert ws.list_snapshots(b.id) == []


def test_dataset_links_must_name_datasets_of_the_project(ws_backend, batch, make_snapshot):
    """A link to another project's dataset is refused, so replacing the snapshot cannot delete it."""
    ws = ws_backend.open()
    a, b = ws.create_project("a"), ws.create_project("b")
    foreign = ws.add_dataset(b.id, batch[1], "b's data")
    linking = make_snapshot(1).model_copy(update={"datasets": DatasetLinks(current=str(foreign))})
    with pytest.raises(ConfigurationError, match=str(foreign)):
        ws.add_snapshot(a.id, linking)
    missing = make_snapshot(2).model_copy(update={"datasets": DatasetLinks(current=str(uuid.uuid4()))})
    with pytest.raises(ConfigurationError, match="no such dataset"):
        ws.add_snapshot(a.id, missing)
    assert ws.list_snapshots(a.id) == []
    own = ws.add_dataset(a.id, batch[1], "a's data")
    linked = ws.add_snapshot(
        a.id, make_snapshot(3).model_copy(update={"datasets": DatasetLinks(current=str(own))})
    )
    assert linked.datasets.current == str(own)
    ws.add_snapshot(a.id, make_snapshot(3).model_copy(update={"id": linked.id}), replace=True)
    assert len(ws.load_dataset(own)) == 70  # added on its own: not the snapshot's to delete
    assert len(ws.load_dataset(foreign)) == 70


def test_replace_with_links_to_its_own_datasets_keeps_them(ws_backend, batch):
    ws = ws_backend.open()
    project = ws.create_project("p")
    report = _report(batch)
    info = ws.add_report(project.id, report, include_data=True)
    stored = ws.load_snapshot(project.id, info.id)
    ws.add_snapshot(project.id, stored.model_copy(update={"tags": ["relabelled"]}), replace=True)
    assert ws.get_snapshot_metadata(project.id, info.id).tags == ["relabelled"]
    assert len(ws.load_dataset(project.id, info.id, "reference")) == 90
    with pytest.raises(DatasetNotFound):
        ws.load_dataset(uuid.uuid4())
