"""``python -m monitorflow.demo``: the generated dataset and the files it writes."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from monitorflow import Report, Snapshot, TestSuite
from monitorflow.demo import CURRENT_START, USAGE_DRIFT_FACTOR, main, make_dataset


def test_dataset_is_deterministic_and_has_the_documented_drift_and_missing_values() -> None:
    reference, current = make_dataset()
    again, _ = make_dataset()
    pd.testing.assert_frame_equal(reference, again)
    assert 3_000 < len(reference) < 5_000 and 600 < len(current) < 1_200
    assert reference["customer_id"].is_unique and not set(reference["customer_id"]) & set(
        current["customer_id"]
    )
    ratio = current["data_usage_gb"].median() / reference["data_usage_gb"].median()
    assert ratio == pytest.approx(USAGE_DRIFT_FACTOR, rel=0.15)
    assert current["payment_method"].isna().mean() > 4 * reference["payment_method"].isna().mean()
    assert current["event_time"].min() >= CURRENT_START and str(current["event_time"].dt.tz) == "UTC"


def test_main_writes_the_files_it_prints(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "out"
    assert main(["--output", str(output)]) == 0
    printed = capsys.readouterr().out
    names = ["report.json", "report.html", "test_suite.json", "test_suite.html"]
    for name in names:
        path = output / name
        assert path.stat().st_size > 0 and f"wrote {path}" in printed
    assert sorted(p.name for p in output.iterdir()) == sorted(names)

    report = Report.load(output / "report.json")
    snapshot = Snapshot.load(output / "report.json")
    assert snapshot.timestamp == CURRENT_START and "demo" in snapshot.tags
    assert f"report: {len(snapshot.metrics)} metrics, 0 failed" in printed
    suite = Snapshot.load(output / "test_suite.json")
    assert suite.summary is not None
    for status, count in suite.summary.by_status.items():
        assert f"{status.value} {count}" in printed
    assert TestSuite.load(output / "test_suite.json").summary() == suite.summary

    page = (output / "report.html").read_text(encoding="utf-8")
    assert "<svg" in page and "https://" not in page and str(snapshot.id) in page
    assert str(report.id) in page and ">DataDriftTable<" in page
    assert "file://" in printed and "report.html" in printed

    drift = next(e.result for e in snapshot.metrics if e.type == "DataDriftTable")
    assert drift["drift_by_columns"]["data_usage_gb"]["drift_detected"] is True
    missing = json.loads((output / "report.json").read_text())["metrics"]
    shares = next(m["result"] for m in missing if m["type"] == "DatasetMissingValuesMetric")
    assert (
        shares["current"]["share_of_missing_values_by_column"]["payment_method"]
        > shares["reference"]["share_of_missing_values_by_column"]["payment_method"]
    )


def test_output_defaults_to_demo_output_in_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    main([])
    assert (tmp_path / "demo-output" / "report.html").is_file()
