"""``monitorflow demo``: the generated dataset as documented, and the whole demo end to end."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from monitorflow.demo import (
    DRIFT_DAY,
    LABEL_DELAY,
    PROJECT,
    START,
    fill,
    make_events,
    monitor_config,
    write_data,
)
from monitorflow.demo.run import command
from monitorflow.monitoring import parse_monitor
from monitorflow.workspace import Workspace


def test_events_are_deterministic_with_seasonality_segments_and_versions() -> None:
    pd.testing.assert_frame_equal(make_events(3), make_events(3))
    monday, saturday = make_events(0), make_events(5)  # 2026-01-05 is a Monday
    assert START.weekday() == 0 and len(saturday) < 0.85 * len(monday)
    assert set(monday["region"]) == {"eu", "us"} and set(monday["model_version"]) == {"v1", "v2"}
    assert monday["event_id"].is_unique and not set(monday["event_id"]) & set(make_events(1)["event_id"])
    assert monday["prediction"].between(0, 1).all() and str(monday["event_time"].dt.tz) == "UTC"
    assert monday["event_time"].min() >= START and monday["event_time"].max() < START + timedelta(days=1)


def test_the_drift_starts_on_the_documented_day() -> None:
    drift_index = (DRIFT_DAY - START).days
    before = pd.concat([make_events(drift_index - d) for d in range(1, 8)])
    after = pd.concat([make_events(drift_index + d) for d in range(7)])
    assert after["data_usage_gb"].median() > 1.4 * before["data_usage_gb"].median()
    assert (after["payment_method"] == "paypal").mean() > 2 * (before["payment_method"] == "paypal").mean()
    assert (after["plan"] == "premium").mean() > 1.5 * (before["plan"] == "premium").mean()


def test_labels_arrive_late_and_event_files_have_none(tmp_path: Path) -> None:
    data = write_data(tmp_path, days=20)
    files = sorted(data.events.glob("*.parquet"))
    assert len(files) == 20 and files[0].name == f"{START.date()}.parquet"
    assert "churned" not in pd.read_parquet(files[0]).columns
    labels = pd.read_parquet(data.labels)
    now = START + timedelta(days=20)
    assert labels["event_time"].max() + LABEL_DELAY <= now and labels[
        "event_time"
    ].max() >= now - LABEL_DELAY - timedelta(days=1)
    assert set(labels.columns) == {"event_id", "event_time", "churned"}
    reference = pd.read_parquet(data.reference)
    assert reference["event_time"].max() < START and "churned" not in reference.columns
    for version in ("v1", "v2"):
        reference_source = {"kind": "file", "path": str(data.reference)}
        monitor = parse_monitor(monitor_config(data, str(tmp_path / "ws"), version, reference_source))
        assert monitor.model_version == version and monitor.ground_truth is not None


@pytest.mark.slow
def test_demo_end_to_end(tmp_path: Path, prefect_cli: Path) -> None:
    """The demo runs its flows on an embedded Prefect server it starts itself (hence ``prefect_cli``)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "monitorflow.cli",
            "demo",
            "--workspace",
            str(tmp_path / "ws"),
            "--output",
            str(tmp_path / "out"),
            "--days",
            "38",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "Traceback" not in proc.stderr
    assert "backfill v1: 38 windows: 152 snapshots written, 0 skipped, 0 failed" in out
    assert "ground truth v2: 38 windows: 48 snapshots written, 28 skipped, 0 failed (no labels yet)" in out
    assert "project 'churn-monitoring'" in out and "400 snapshots" in out
    assert (
        f"v1 eu: 3 of 38 days, first {DRIFT_DAY.date()} (0 before {DRIFT_DAY.date()}, 3 of 3 from it)" in out
    )
    html = tmp_path / "out" / "latest-report.html"
    assert html.stat().st_size > 0 and str(html) in out
    assert (tmp_path / "ws" / ".prefect").is_dir()  # the embedded Prefect kept its database in the workspace
    assert f"monitorflow ui --workspace {tmp_path / 'ws'}" in out or "monitorflow ui --workspace" in out
    assert re.search(r"http://127\.0\.0\.1:8000/projects/[0-9a-f-]{36}", out)
    _same_as_in_process(tmp_path / "ws", tmp_path / "in-process", days=38)


def _same_as_in_process(prefect_ws: Path, other: Path, days: int) -> None:
    """``ui --demo``'s in-process run writes what the Prefect backfill wrote: the same project, dashboard
    and snapshot ids, and the same results in each snapshot."""
    with Workspace(prefect_ws) as ws, Workspace.create(other) as ws2:
        fill(ws2, days)
        [a], [b] = ws.search_project(PROJECT), ws2.search_project(PROJECT)
        assert a.id == b.id
        assert a.dashboard.model_dump() == b.dashboard.model_dump()
        assert [t.title for t in a.dashboard.tabs] == ["Data drift", "Data quality", "Tests", "Model quality"]
        ids = {i.id for i in ws.list_snapshots(a.id)}
        assert ids == {i.id for i in ws2.list_snapshots(b.id)} and len(ids) == 400
        for info in ws.list_snapshots(a.id, tags=["segment:us"], limit=12):
            x, y = ws.load_snapshot(a.id, info.id), ws2.load_snapshot(b.id, info.id)
            assert [m.result for m in x.metrics] == [m.result for m in y.metrics]
            assert [(t.name, t.status) for t in x.tests] == [(t.name, t.status) for t in y.tests]


def test_the_printed_commands_work_without_activating_the_venv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``make demo`` runs ``.venv/bin/python`` in a shell whose PATH lacks .venv/bin: the hints it prints
    must then spell the script's path (bare ``monitorflow`` is "command not found"); once activated, bare."""
    bin_dir = Path(sys.prefix) / "bin"
    monkeypatch.setenv("PATH", str(tmp_path))  # not activated: nothing named monitorflow on PATH
    monkeypatch.chdir(tmp_path)
    assert command("monitorflow") == str(bin_dir / "monitorflow")
    monkeypatch.chdir(Path(sys.prefix).parent)
    assert command("monitorflow") == str(Path(Path(sys.prefix).name) / "bin" / "monitorflow")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{tmp_path}")  # activated
    assert command("monitorflow") == "monitorflow"
