"""Snapshot files: size independent of the rows, the v1 fixtures that must keep loading, corrupt,
truncated, missing and newer files, and a run's snapshot that stays the same."""

from __future__ import annotations

import json
import math
import uuid
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from monitorflow import ColumnMapping, Report, TestSuite, snapshot
from monitorflow.checks import TestStatus
from monitorflow.errors import SnapshotError
from monitorflow.metric_preset import DataQualityPreset
from monitorflow.metrics import (
    ColumnCategoryMetric,
    ColumnQuantileMetric,
    ColumnSummaryMetric,
    ColumnValueListMetric,
    ColumnValueRangeMetric,
    DatasetSummaryMetric,
)
from monitorflow.snapshot import SCHEMA_VERSION
from monitorflow.test_preset import DataQualityTestPreset, DataStabilityTestPreset
from tests.snapshot_frames import data
from tests.support.paths import DATA

FIXTURES = DATA / "snapshots"


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
