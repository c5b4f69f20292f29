"""The seed page's examples run as written, with ``monitorflow`` in the imports."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from monitorflow import Report, TestSuite, snapshot
from monitorflow.metric_preset import DataQualityPreset
from monitorflow.metrics import DatasetSummaryMetric
from monitorflow.test_preset import DataQualityTestPreset, DataStabilityTestPreset


@pytest.fixture
def batch1() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 120
    return pd.DataFrame(
        {
            "age": rng.integers(18, 90, n),
            "income": rng.normal(50_000, 12_000, n),
            "plan": rng.choice(["basic", "pro", "enterprise"], n),
            "churned": rng.integers(0, 2, n),
        }
    )


def test_data_quality_preset_without_reference(batch1):
    data_report = Report(metrics=[DataQualityPreset()])
    data_report.run(reference_data=None, current_data=batch1)
    metrics = data_report.as_dict()["metrics"]
    assert metrics[0]["metric"] == "DatasetSummaryMetric"
    assert metrics[0]["result"]["current"]["number_of_rows"] == len(batch1)
    assert metrics[0]["result"]["reference"] is None
    assert [m["metric"] for m in metrics].count("ColumnSummaryMetric") == batch1.shape[1]
    assert all("error" not in m for m in metrics)


def test_tags(batch1):
    report = Report(metrics=[DatasetSummaryMetric()], tags=["groupA", "shadow"])
    report.run(reference_data=None, current_data=batch1)
    assert report.to_snapshot().tags == ["groupA", "shadow"]


def test_metadata(batch1):
    report = Report(metrics=[DataQualityPreset()], metadata={"deployment": "shadow"})
    report.run(reference_data=None, current_data=batch1)
    assert report.to_snapshot().metadata["deployment"] == "shadow"


def test_model_reference_batch_and_dataset_ids(batch1):
    report = Report(
        metrics=[DatasetSummaryMetric()],
        model_id="model_v1",
        reference_id="reference_2024_01",
        batch_size="daily",
        dataset_id="churn_batch_1",
    )
    report.run(reference_data=batch1, current_data=batch1)
    metadata = report.to_snapshot().metadata
    assert metadata["model_id"] == "model_v1"
    assert metadata["reference_id"] == "reference_2024_01"
    assert metadata["batch_size"] == "daily"
    assert metadata["dataset_id"] == "churn_batch_1"


def test_tags_set_after_the_run(batch1):
    report = Report(metrics=[DatasetSummaryMetric()])
    report.run(reference_data=None, current_data=batch1)
    report.tags = ["training_data"]
    assert report.to_snapshot().tags == ["training_data"]


def test_custom_timestamp(batch1):
    report = Report(metrics=[DataQualityPreset()])
    when = datetime.now() - timedelta(days=1)
    report.run(reference_data=None, current_data=batch1, timestamp=when)
    assert report.to_snapshot().timestamp == when.astimezone()  # the same instant, stored in UTC
    suite = TestSuite(tests=[DataStabilityTestPreset(), DataQualityTestPreset()])
    suite.run(reference_data=batch1, current_data=batch1, timestamp=datetime.now())
    assert suite.to_snapshot().timestamp.utcoffset() == timedelta(0)


def test_snapshot_load_file_json(batch1, tmp_path, monkeypatch):
    report = Report(metrics=[DataQualityPreset()], tags=["groupA"])
    report.run(reference_data=None, current_data=batch1)
    monkeypatch.chdir(tmp_path)
    report.save("file.json")
    loaded = snapshot.load("file.json")
    assert loaded.id == report.id
    assert loaded.tags == ["groupA"]
    assert json.loads(Report.load("file.json").json()) == json.loads(report.json())


def test_test_suite_with_presets(batch1):
    suite = TestSuite(tests=[DataStabilityTestPreset(), DataQualityTestPreset()], tags=["nightly"])
    suite.run(reference_data=batch1, current_data=batch1)
    summary = suite.as_dict()["summary"]
    assert summary["total_tests"] == len(suite.as_dict()["tests"]) > 0
    assert summary["all_passed"] is True


def test_workspace_examples_in_sequence(batch1, tmp_path, monkeypatch):
    """The page's workspace calls one after the other: adding the same report again with its data
    attaches the data, re-adding a saved suite is no error; another snapshot under a stored id is not."""
    from monitorflow.errors import SnapshotExists
    from monitorflow.workspace import Workspace

    monkeypatch.chdir(tmp_path)
    ws = Workspace("workspace")
    project = ws.create_project("My project")
    data_report = Report(metrics=[DataQualityPreset()], tags=["groupA"])
    data_report.run(reference_data=None, current_data=batch1)
    ws.add_report(project.id, data_report)
    ws.add_report(project.id, data_report, include_data=True)
    assert (
        ws.load_dataset(project.id, data_report.id, "current")["income"].tolist() == batch1["income"].tolist()
    )

    suite = TestSuite(tests=[DataStabilityTestPreset(), DataQualityTestPreset()], tags=["nightly"])
    suite.run(reference_data=batch1, current_data=batch1)
    ws.add_test_suite(project.id, suite)
    suite.save("file.json")
    ws.add_snapshot(project.id, snapshot.load("file.json"))
    assert sorted((s.kind, s.id) for s in ws.list_snapshots(project.id)) == sorted(
        [("report", data_report.id), ("test_suite", suite.id)]
    )

    rerun = Report(metrics=[DataQualityPreset()], tags=["groupA"])
    rerun.run(reference_data=None, current_data=batch1.iloc[:60])
    changed = rerun.to_snapshot().model_copy(update={"id": data_report.id})
    with pytest.raises(SnapshotExists, match="replace=True"):
        ws.add_snapshot(project.id, changed)
    ws.add_snapshot(project.id, changed, replace=True)
    stored = ws.load_snapshot(project.id, data_report.id)
    assert stored.metrics[0].result["current"]["number_of_rows"] == 60
