"""The Monitor definition: YAML validation errors that name the field, windows, ids and tags."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitorflow.checks import TestNumberOfRows
from monitorflow.errors import ConfigurationError, MonitorConfigError
from monitorflow.metric_preset import DataDriftPreset
from monitorflow.metrics import ColumnDriftMetric
from monitorflow.monitoring import Monitor, load_monitor, parse_monitor
from tests.support.paths import REPO

BASE = {
    "name": "m",
    "project": "p",
    "current": {"kind": "file", "path": "d/{start}.csv"},
    "metrics": ["DataDriftPreset"],
}


def error_of(**changes: object) -> str:
    with pytest.raises(MonitorConfigError) as info:
        parse_monitor({**BASE, **changes}, "m.yaml")
    return str(info.value)


def test_every_example_config_is_a_valid_monitor() -> None:
    for path in sorted((REPO / "deployments" / "monitors").glob("*.yaml")):
        assert isinstance(load_monitor(path), Monitor), path


def test_metric_and_test_names_resolve_with_parameters() -> None:
    monitor = parse_monitor(
        {
            **BASE,
            "metrics": ["DataDriftPreset", {"ColumnDriftMetric": {"column_name": "age"}}],
            "tests": [{"name": "TestNumberOfRows", "gte": 5}],
        }
    )
    assert monitor.build_metrics() == [DataDriftPreset(), ColumnDriftMetric(column_name="age")]
    assert monitor.build_tests() == [TestNumberOfRows(gte=5)]
    again = Monitor.model_validate(monitor.model_dump(mode="json"))  # how Prefect passes it to a run
    assert again == monitor


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"metrics": ["DataDriftPrest"]},
            "metrics.0: unknown metric 'DataDriftPrest'; did you mean 'DataDriftPreset'?",
        ),
        (
            {"tests": [{"name": "TestNumberOfRows", "gte": "many"}]},
            "tests.0: invalid arguments for TestNumberOfRows",
        ),
        ({"window": "0h"}, "window: must be positive"),
        ({"window": "fortnight"}, "window: 'fortnight' is not a duration; write a number and a unit"),
        ({"current": {"kind": "file", "path": "x.txt"}}, "current: cannot tell the format of 'x.txt'"),
        (
            {"current": {"kind": "ftp", "path": "x"}},
            "current: Input tag 'ftp' found using 'kind' does not match",
        ),
        ({"current": {"kind": "file"}}, "current.path: Field required"),
        (
            {"current": {"kind": "python", "function": "no_colon"}},
            "current.function: String should match pattern",
        ),
        ({"window_anchor": "2026-01-01T00:00:00"}, "window_anchor: Input should have timezone info"),
        ({"name": "has space"}, "name: String should match pattern"),
        ({"colour": "red"}, "colour: not a monitor field; every field is in docs/prefect.md"),
        ({"model_verison": "v1"}, "model_verison: not a monitor field; did you mean 'model_version'?"),
        (
            {"current": {"kind": "file", "path": "x.csv", "timestamp_colum": "ts"}},
            "current.timestamp_colum: not a monitor field; did you mean 'timestamp_column'?",
        ),
        (
            {"segments": {"colums": ["region"]}},
            "segments.colums: not a monitor field; did you mean 'columns'?",
        ),
        ({"metrics": []}, "give metrics, tests or both"),
        ({"segments": {"values": ["eu"]}}, "segments.columns: Field required"),
        ({"reference_window": {"shift": "7d"}}, "reference_window is set but there is no reference source"),
    ],
)
def test_invalid_monitors_name_the_field(changes: dict, expected: str) -> None:
    message = error_of(**changes)
    assert message.startswith("m.yaml: invalid monitor: ")
    assert expected in message


def test_sql_query_must_bind_the_window() -> None:
    message = error_of(
        current={"kind": "sql", "url": "sqlite://", "query": "select * from t where day = '2026-01-01'"}
    )
    assert "current.query must use the window as bound parameters :start and :end" in message


def test_yaml_errors_name_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: m\nproject: [unclosed\n")
    with pytest.raises(MonitorConfigError, match=r"bad.yaml is not valid YAML: .*line"):
        load_monitor(path)
    with pytest.raises(MonitorConfigError, match="cannot read monitor file"):
        load_monitor(tmp_path / "missing.yaml")
    path.write_text("- just a list\n")
    with pytest.raises(MonitorConfigError, match="expected a mapping of monitor fields"):
        load_monitor(path)


def test_windows_are_aligned_to_the_anchor_and_the_delay() -> None:
    monitor = parse_monitor({**BASE, "window": "6h", "delay": "30m"})
    as_of = datetime(2026, 1, 2, 6, 20, tzinfo=UTC)  # 06:20 - 30 min delay -> the window ending at 00:00
    window = monitor.window_for(as_of)
    assert (window.start, window.end) == (
        datetime(2026, 1, 1, 18, tzinfo=UTC),
        datetime(2026, 1, 2, tzinfo=UTC),
    )
    days = parse_monitor(BASE).windows(datetime(2026, 1, 1, 12, tzinfo=UTC), datetime(2026, 1, 4, tzinfo=UTC))
    assert [w.key for w in days] == ["2026-01-02", "2026-01-03"]  # starts in [start, end)
    berlin = parse_monitor({**BASE, "window_anchor": "2026-01-01T00:00:00+01:00"}).window_for(as_of)
    assert berlin.start == datetime(2026, 1, 1, 23, tzinfo=UTC) - timedelta(days=1)
    assert all(w.start.tzinfo is UTC for w in days)


def test_snapshot_ids_are_deterministic_per_window_segment_version_and_kind() -> None:
    monitor = parse_monitor(BASE)
    window = monitor.window_for(datetime(2026, 1, 2, tzinfo=UTC))
    first = monitor.snapshot_id(window, "eu", "v1", "report")
    assert first == parse_monitor(BASE).snapshot_id(window, "eu", "v1", "report")
    others = {
        monitor.snapshot_id(window, s, v, k)
        for s, v, k in [
            ("us", "v1", "report"),
            ("eu", "v2", "report"),
            ("eu", "v1", "test_suite"),
            (None, None, "report"),
        ]
    }
    assert first not in others and len(others) == 4
    assert monitor.snapshot_tags("eu", "v1") == ["monitor:m", "segment:eu", "model_version:v1"]


def test_a_range_without_a_window_start_is_an_error() -> None:
    monitor = parse_monitor(BASE)
    with pytest.raises(ConfigurationError, match="no 1d window starts in"):
        monitor.windows(datetime(2026, 1, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, 12, tzinfo=UTC))
    with pytest.raises(ConfigurationError, match="must be after start"):
        monitor.windows(datetime(2026, 1, 2, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC))
