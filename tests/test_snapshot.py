"""Snapshots: round trip, timestamps, ids, metadata and tags, NaN."""

from __future__ import annotations

import json
import math
import os
import time
import uuid
from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest

import monitorflow
from monitorflow import Report, Snapshot, TestSuite, snapshot
from monitorflow.checks import TestColumnValueMean, TestNumberOfRows
from monitorflow.errors import MonitoringError
from monitorflow.metric_preset import DataQualityPreset
from monitorflow.metrics import (
    ColumnQuantileMetric,
    ColumnSummaryMetric,
    ColumnValueRangeMetric,
    DatasetMissingValuesMetric,
    DatasetSummaryMetric,
)
from monitorflow.snapshot import SCHEMA_VERSION
from monitorflow.test_preset import DataQualityTestPreset, DataStabilityTestPreset
from tests.snapshot_frames import data


def nan_safe(value):
    """Replace NaN by a marker so dicts holding NaN compare equal."""
    if isinstance(value, dict):
        return {k: nan_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [nan_safe(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return "<NaN>"
    return value


# -------------------------------------------------------------------------------- round trip


def test_report_round_trip_gives_identical_output(tmp_path):
    report = Report(metrics=[DataQualityPreset(), ColumnQuantileMetric(column_name="x", quantile=0.9)])
    report.run(reference_data=data(1), current_data=data(2))
    path = report.save(tmp_path / "report.json")
    loaded = Report.load(path)
    assert loaded.json() == report.json()
    assert nan_safe(loaded.as_dict()) == nan_safe(report.as_dict())
    assert loaded.result(DatasetSummaryMetric()).current.number_of_rows == 300
    assert loaded.tags == report.tags and loaded.id == report.id and loaded.timestamp == report.timestamp
    assert loaded.datasets() == (None, None)
    # saving the loaded report again gives the same snapshot
    again = loaded.save(tmp_path / "again.json")
    assert json.loads(again.read_bytes()) == json.loads(path.read_bytes())


def test_report_with_a_failed_metric_round_trips(tmp_path):
    report = Report(metrics=[DatasetSummaryMetric(), ColumnValueRangeMetric(column_name="x")])
    report.run(current_data=data())  # no reference and no bounds: the range metric fails
    entries = report.as_dict()["metrics"]
    assert "error" in entries[1] and "result" in entries[0]
    loaded = Report.load(report.save(tmp_path / "r.json"))
    assert loaded.as_dict()["metrics"][1]["error"] == entries[1]["error"]
    with pytest.raises(MonitoringError):
        loaded.result(ColumnValueRangeMetric(column_name="x"))


def test_test_suite_round_trip_gives_identical_output(tmp_path):
    suite = TestSuite(
        tests=[
            DataStabilityTestPreset(),
            DataQualityTestPreset(),
            TestColumnValueMean(column_name="x", lt=0),
        ],
        tags=["nightly"],
    )
    suite.run(reference_data=data(3), current_data=data(4))
    path = suite.save(tmp_path / "suite.json")
    loaded = TestSuite.load(path)
    assert loaded.json() == suite.json()
    assert loaded.as_dict() == suite.as_dict()
    assert [r.status for r in loaded.results] == [r.status for r in suite.results]
    assert bool(loaded) == bool(suite)
    assert Snapshot.load(path).summary.total_tests == len(suite.results)


def test_loading_the_wrong_kind_is_an_error(tmp_path):
    report = Report(metrics=[DatasetSummaryMetric()])
    report.run(current_data=data())
    suite = TestSuite(tests=[TestNumberOfRows()])
    suite.run(current_data=data())
    with pytest.raises(MonitoringError, match="Report.load"):
        TestSuite.load(report.save(tmp_path / "r.json"))
    with pytest.raises(MonitoringError, match="TestSuite.load"):
        Report.load(suite.save(tmp_path / "s.json"))


def test_snapshot_module_load(tmp_path):
    report = Report(metrics=[DatasetSummaryMetric()])
    report.run(current_data=data())
    path = report.save(tmp_path / "file.json")
    loaded = snapshot.load(str(path))
    assert isinstance(loaded, Snapshot)
    assert loaded == monitorflow.snapshot.load(path) == Snapshot.load(path)
    assert loaded.id == report.id
    assert loaded.kind == "report"
    assert loaded.schema_version == SCHEMA_VERSION == 1


def test_snapshot_types_are_stable_names_not_module_paths():
    report = Report(metrics=[DataQualityPreset()])
    report.run(current_data=data())
    raw = json.loads(report.to_snapshot().json_bytes())
    types = {entry["type"] for entry in raw["metrics"]}
    assert types == {"DatasetSummaryMetric", "ColumnSummaryMetric", "DatasetMissingValuesMetric"}
    assert "monitorflow" not in json.dumps(raw)


def test_save_is_atomic_and_readable(tmp_path):
    report = Report(metrics=[DatasetSummaryMetric()])
    report.run(current_data=data())
    path = report.save(tmp_path / "nested" / "r.json")
    assert sorted(p.name for p in path.parent.iterdir()) == ["r.json"]  # no temp files left
    assert os.stat(path).st_mode & 0o444 == 0o444


# -------------------------------------------------------------------------------- timestamps


def test_aware_timestamp_keeps_its_instant_and_is_stored_in_utc():
    when = datetime(2026, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    report = Report(metrics=[DatasetSummaryMetric()])
    report.run(current_data=data(), timestamp=when)
    snap = report.to_snapshot()
    assert snap.timestamp == when
    assert snap.timestamp.utcoffset() == timedelta(0)
    assert json.loads(snap.json_bytes())["timestamp"] == "2026-01-01T10:00:00Z"


def test_default_timestamp_is_the_computation_time_in_utc():
    before = datetime.now(UTC)
    report = Report(metrics=[DatasetSummaryMetric()])
    report.run(current_data=data())
    after = datetime.now(UTC)
    assert report.timestamp.tzinfo is not None
    assert report.timestamp.utcoffset() == timedelta(0)
    assert before <= report.timestamp <= after
    assert before <= report.to_snapshot().created_at


@pytest.fixture
def local_zone(monkeypatch):
    """Switch the process's local time zone (POSIX TZ strings need no tz database)."""

    def switch(tz: str) -> None:
        monkeypatch.setenv("TZ", tz)
        time.tzset()

    yield switch
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    ("tz", "expected"),
    [
        ("UTC0", ["2026-01-01T00:00:00Z", "2026-07-01T12:30:00Z"]),
        ("XYZ+05", ["2026-01-01T05:00:00Z", "2026-07-01T17:30:00Z"]),  # POSIX: 5 hours west of UTC
        ("ABC-09:30", ["2025-12-31T14:30:00Z", "2026-07-01T03:00:00Z"]),
    ],
)
def test_naive_timestamp_is_local_time_stored_as_utc(local_zone, tz, expected):
    local_zone(tz)
    frame = pd.DataFrame({"a": [1.0, 2.0]})
    report = Report(metrics=[DatasetSummaryMetric()])
    report.run(current_data=frame, timestamp=datetime(2026, 1, 1, 0, 0))
    suite = TestSuite(tests=[TestNumberOfRows()])
    suite.run(current_data=frame, timestamp=datetime(2026, 7, 1, 12, 30))
    stored = [json.loads(r.to_snapshot().json_bytes())["timestamp"] for r in (report, suite)]
    assert stored == expected
    assert report.timestamp.utcoffset() == timedelta(0)


def test_snapshot_model_rejects_naive_and_converts_to_utc():
    snap = Snapshot(kind="report", timestamp=datetime(2026, 3, 1, 9, tzinfo=timezone(timedelta(hours=-3))))
    assert snap.timestamp.isoformat() == "2026-03-01T12:00:00+00:00"
    parsed = Snapshot.model_validate({"kind": "report", "timestamp": "2026-03-01T09:00:00+01:00"})
    assert parsed.timestamp == datetime(2026, 3, 1, 8, tzinfo=UTC)


# ---------------------------------------------------------------------------------- ids


def test_snapshot_id_is_a_time_ordered_uuid7(ticking_clock):
    ids = []
    for _ in range(3):
        report = Report(metrics=[DatasetSummaryMetric()])
        report.run(current_data=data())
        assert isinstance(report.id, uuid.UUID)
        assert report.id.version == 7
        assert report.id.variant == uuid.RFC_4122
        unix_ms = int(report.created_at.timestamp() * 1000)
        assert report.id.int >> 80 == unix_ms  # 48-bit Unix milliseconds of the run
        assert report.created_at in ticking_clock  # read from the package's clock
        ids.append(report.id)
    assert ids == sorted(ids)
    assert len(set(ids)) == 3


def test_each_run_gets_a_new_id_and_the_snapshot_keeps_it(ticking_clock):
    report = Report(metrics=[DatasetSummaryMetric()])
    report.run(current_data=data())
    first = report.id
    assert report.to_snapshot().id == first
    report.run(current_data=data())
    assert report.id != first
    assert report.id > first


# ------------------------------------------------------------------------- metadata and tags


def test_metadata_keys_and_tags(tmp_path):
    report = Report(
        metrics=[DatasetSummaryMetric()],
        tags=["groupA", "shadow"],
        metadata={"deployment": "shadow"},
        model_id="m1",
        reference_id="r1",
        batch_size="daily",
        dataset_id="d1",
    )
    report.run(current_data=data())
    snap = report.to_snapshot()
    assert snap.tags == ["groupA", "shadow"]
    assert snap.metadata == {
        "deployment": "shadow",
        "model_id": "m1",
        "reference_id": "r1",
        "batch_size": "daily",
        "dataset_id": "d1",
    }
    loaded = Report.load(report.save(tmp_path / "r.json"))
    assert loaded.metadata["model_id"] == "m1"
    assert loaded.tags == ["groupA", "shadow"]


def test_tags_and_metadata_set_after_run_are_in_the_snapshot(tmp_path):
    report = Report(metrics=[DatasetSummaryMetric()], tags=["before"])
    report.run(current_data=data())
    report.tags = ["training_data"]
    report.metadata["owner"] = "ml-team"
    snap = report.to_snapshot()
    assert snap.tags == ["training_data"]
    assert snap.metadata["owner"] == "ml-team"
    path = report.save(tmp_path / "r.json")
    assert json.loads(path.read_bytes())["tags"] == ["training_data"]
    loaded = Report.load(path)
    loaded.tags = ["relabelled"]
    assert loaded.to_snapshot().tags == ["relabelled"]
    suite = TestSuite(tests=[TestNumberOfRows()])
    suite.run(current_data=data())
    suite.tags = ["after"]
    assert suite.to_snapshot().tags == ["after"]


def test_preset_names_are_recorded_in_metadata():
    report = Report(metrics=[DataQualityPreset()])
    report.run(current_data=data())
    assert report.to_snapshot().metadata["metric_presets"] == ["DataQualityPreset"]


def test_unrun_report_cannot_be_saved(tmp_path):
    with pytest.raises(MonitoringError, match="not been run"):
        Report(metrics=[DatasetSummaryMetric()]).save(tmp_path / "r.json")


# ----------------------------------------------------------------------------------- NaN


def test_nan_becomes_null_in_json_and_nan_again_after_loading(tmp_path):
    frame = pd.DataFrame({"empty": [np.nan, np.nan, np.nan], "x": [1.0, 2.0, 3.0]})
    metric = ColumnSummaryMetric(column_name="empty")
    report = Report(metrics=[metric, DatasetMissingValuesMetric()])
    report.run(current_data=frame)
    assert math.isnan(report.result(metric).current_characteristics.mean)
    text = report.save(tmp_path / "r.json").read_text()
    # strict JSON: no NaN/Infinity literals ("Infinity" may appear as a string, the missing-value label)
    raw = json.loads(text, parse_constant=lambda c: pytest.fail(f"non-standard JSON literal {c}"))
    entry = next(e for e in raw["metrics"] if e["type"] == "ColumnSummaryMetric")
    assert entry["result"]["current_characteristics"]["mean"] is None
    assert entry["result"]["current_characteristics"]["std"] is None
    loaded = Report.load(tmp_path / "r.json")
    assert math.isnan(loaded.result(metric).current_characteristics.mean)
    assert '"mean": null' in report.json() and "NaN" not in report.json()


def test_infinities_never_reach_json():
    frame = pd.DataFrame({"x": [np.inf, -np.inf, np.inf]})
    report = Report(metrics=[DataQualityPreset()])
    report.run(current_data=frame, reference_data=frame)

    def strict(c):
        pytest.fail(f"non-standard JSON literal {c}")

    json.loads(report.json(), parse_constant=strict)
    json.loads(report.to_snapshot().json_bytes(), parse_constant=strict)
