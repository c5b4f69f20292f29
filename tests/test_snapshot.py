"""Snapshots: round trip, timestamps, ids, metadata and tags, NaN, size, v1 fixtures, corrupt files."""

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
from monitorflow import ColumnMapping, Report, Snapshot, TestSuite, snapshot
from monitorflow.checks import TestColumnValueMean, TestNumberOfRows, TestStatus
from monitorflow.errors import MonitoringError, SnapshotError
from monitorflow.metric_preset import DataQualityPreset
from monitorflow.metrics import (
    ColumnCategoryMetric,
    ColumnQuantileMetric,
    ColumnSummaryMetric,
    ColumnValueListMetric,
    ColumnValueRangeMetric,
    DatasetMissingValuesMetric,
    DatasetSummaryMetric,
)
from monitorflow.snapshot import SCHEMA_VERSION
from monitorflow.test_preset import DataQualityTestPreset, DataStabilityTestPreset
from tests.support.paths import DATA

FIXTURES = DATA / "snapshots"


def data(seed: int = 0, n: int = 300) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(10, 2, n)
    x[:5] = np.nan
    return pd.DataFrame(
        {
            "x": x,
            "k": rng.integers(0, 1000, n),
            "small": rng.integers(0, 3, n),
            "city": rng.choice([f"city{i}" for i in range(40)], n),
            "when": pd.date_range("2024-01-01", periods=n, freq="min"),
            "empty": np.nan,
            9: rng.random(n) < 0.5,
        }
    )


def nan_safe(value):
    """Replace NaN by a marker so dicts holding NaN compare equal."""
    if isinstance(value, dict):
        return {k: nan_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [nan_safe(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return "<NaN>"
    return value


def full_report() -> Report:
    return Report(
        metrics=[
            DataQualityPreset(),
            ColumnValueRangeMetric(column_name="x"),
            ColumnValueListMetric(column_name="city"),
            ColumnQuantileMetric(column_name="x", quantile=0.9),
            ColumnCategoryMetric(column_name="small", category=1),
            ColumnValueRangeMetric(column_name="nope"),  # an error entry travels too
        ]
    )


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


# ----------------------------------------------------------------------------------- size


def big(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(50, 10, n)
    x[rng.random(n) < 0.05] = np.nan
    return pd.DataFrame(
        {
            "x": x,
            "k": rng.integers(0, 10_000, n),
            "small": rng.integers(0, 4, n),
            "city": rng.choice([f"c{i}" for i in range(200)], n),
            "id_like": [f"user-{i}" for i in range(n)],
            "when": pd.date_range("2024-01-01", periods=n, freq="s"),
        }
    )


def snapshot_size(runner, n: int) -> int:
    runner.run(reference_data=big(n, 1), current_data=big(n, 2), timestamp=datetime(2026, 1, 1, tzinfo=UTC))
    return len(runner.to_snapshot().json_bytes())


@pytest.mark.parametrize(
    "make",
    [
        lambda: Report(metrics=[DataQualityPreset(), ColumnValueListMetric(column_name="city")]),
        lambda: TestSuite(tests=[DataStabilityTestPreset(), DataQualityTestPreset()]),
    ],
    ids=["report", "suite"],
)
def test_snapshot_size_does_not_grow_with_rows(make):
    small = snapshot_size(make(), 10_000)
    large = snapshot_size(make(), 100_000)
    assert abs(large - small) / small < 0.05, (small, large)
    assert large < 200_000


# -------------------------------------------------------------------------------- fixtures


def test_v1_report_fixture_keeps_loading():
    path = FIXTURES / "v1_report.json"
    snap = snapshot.load(path)
    assert snap.schema_version == 1
    assert snap.kind == "report"
    assert snap.id == uuid.UUID("01941f29-7c00-7000-8000-000000000001")
    assert snap.timestamp == datetime(2026, 1, 1, 12, tzinfo=UTC)
    assert snap.tags == ["groupA", "shadow"]
    assert snap.metadata["deployment"] == "shadow"
    assert snap.metadata["model_id"] == "churn-v3"
    assert snap.metadata["dataset_id"] == "customers"
    assert snap.data_definition.type_of(7) == "cat"
    assert snap.data_definition.type_of("when") == "datetime"

    report = Report.load(path)
    summary = report.result(DatasetSummaryMetric())
    assert summary.current.number_of_rows == 50
    assert summary.reference.number_of_rows == 40
    assert summary.current.number_of_empty_columns == 1
    assert summary.current.nans_by_columns["age"] == 1
    age = report.result(ColumnSummaryMetric(column_name="age"))
    assert age.current_characteristics.mean == 25.0  # 1..49
    assert age.reference_characteristics.mean == 19.5  # 0..39
    assert age.current_characteristics.missing == 1
    empty = report.result(ColumnSummaryMetric(column_name="empty"))
    assert math.isnan(empty.current_characteristics.mean)
    assert report.result(ColumnQuantileMetric(column_name="age", quantile=0.5)).current.value == 25.0
    value_range = report.result(ColumnValueRangeMetric(column_name="age"))
    assert (value_range.left, value_range.right) == (0.0, 39.0)
    assert value_range.current.number_not_in_range == 10  # 40..49
    category = report.result(ColumnCategoryMetric(column_name=7, category=2))
    assert category.current.category_num == 10
    assert report.result(ColumnValueListMetric(column_name="plan")).current.values_not_in_list == {
        "": 1,
        "enterprise": 1,
    }
    assert json.loads(report.json())["metrics"][0]["metric"] == "DatasetSummaryMetric"


def test_v1_test_suite_fixture_keeps_loading():
    suite = TestSuite.load(FIXTURES / "v1_test_suite.json")
    summary = suite.as_dict()["summary"]
    assert summary["total_tests"] == len(suite.results) == 25
    assert summary["all_passed"] is False
    assert sum(summary["by_status"].values()) == 25
    assert suite.metadata["model_id"] == "churn-v3"
    assert suite.tags == ["nightly"]
    by_key = {(r.type, r.parameters.get("column_name")): r for r in suite.results}
    rows = [r for r in suite.results if r.type == "TestNumberOfRows"]
    assert [r.status for r in rows] == [TestStatus.FAIL, TestStatus.SUCCESS]  # 50 vs 40 +- 4; gte=10
    assert rows[0].parameters["condition"] == {"eq": {"value": 40.0, "relative": 0.1, "absolute": 1e-12}}
    assert by_key[("TestColumnValueMean", "age")].status == TestStatus.WARNING
    assert by_key[("TestColumnValueMean", "absent")].status == TestStatus.ERROR
    assert by_key[("TestNumberOfColumns", None)].status == TestStatus.SUCCESS
    assert by_key[("TestShareOfOutListValues", "plan")].parameters["value"] == pytest.approx(2 / 50)


# ------------------------------------------------------------------------- corrupt files


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"\x00\x01\x02\xff\xfe",
        b"[1, 2, 3]",
        b'{"schema_version": 1}',
        b'{"schema_version": 1, "kind": "report", "timestamp": "yesterday"}',
    ],
)
def test_corrupted_file_is_a_snapshot_error(tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(SnapshotError, match="bad.json"):
        snapshot.load(path)
    with pytest.raises(SnapshotError):
        Report.load(path)


def test_truncated_snapshot_is_a_snapshot_error(tmp_path):
    report = Report(metrics=[DataQualityPreset()])
    report.run(current_data=data())
    path = report.save(tmp_path / "r.json")
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    with pytest.raises(SnapshotError, match="not valid JSON"):
        Report.load(path)


def test_corrupted_metric_result_is_a_snapshot_error(tmp_path):
    report = Report(metrics=[DatasetSummaryMetric()])
    report.run(current_data=data())
    raw = json.loads(report.to_snapshot().json_bytes())
    raw["metrics"][0]["result"]["current"]["number_of_rows"] = "many"
    path = tmp_path / "r.json"
    path.write_text(json.dumps(raw))
    with pytest.raises(SnapshotError, match="DatasetSummaryMetric"):
        Report.load(path)
    raw["metrics"][0]["type"] = "NoSuchMetric"
    path.write_text(json.dumps(raw))
    with pytest.raises(SnapshotError, match="NoSuchMetric"):
        Report.load(path)


def test_missing_file_is_a_snapshot_error(tmp_path):
    with pytest.raises(SnapshotError, match="cannot read snapshot"):
        snapshot.load(tmp_path / "nope.json")


def test_newer_schema_version_is_a_clear_error(tmp_path):
    raw = json.loads((FIXTURES / "v1_report.json").read_text())
    raw["schema_version"] = SCHEMA_VERSION + 1
    raw["a_field_from_the_future"] = {"x": 1}
    path = tmp_path / "future.json"
    path.write_text(json.dumps(raw))
    with pytest.raises(SnapshotError) as info:
        snapshot.load(path)
    message = str(info.value)
    assert f"schema_version {SCHEMA_VERSION + 1}" in message
    assert "newer" in message and "upgrade monitorflow" in message
    assert "validation error" not in message


def test_column_mapping_is_not_needed_to_read_a_snapshot(tmp_path):
    frame = data()
    report = Report(metrics=[DataQualityPreset()])
    report.run(current_data=frame, column_mapping=ColumnMapping(text_features=["city"]))
    loaded = Report.load(report.save(tmp_path / "r.json"))
    assert loaded.data_definition.type_of("city") == "text"


def test_snapshot_of_a_run_is_stable(ticking_clock):
    """Taking the snapshot again reads no clock: the clock has moved on, the snapshot has not."""
    report = Report(metrics=[DataQualityPreset()])
    report.run(current_data=data())
    first = report.to_snapshot().json_bytes()
    assert report.to_snapshot().json_bytes() == first
