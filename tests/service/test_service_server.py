"""Running the service: the ``ui`` entry point in a subprocess, the demo project, the live helper."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")

from svc_helpers import T0  # noqa: E402

from monitorflow import Report  # noqa: E402
from monitorflow.demo import LABEL_DELAY  # noqa: E402
from monitorflow.metrics import DatasetSummaryMetric  # noqa: E402
from monitorflow.panel_data import DashboardQuery  # noqa: E402
from monitorflow.remote import RemoteWorkspace  # noqa: E402
from monitorflow.service import demo as demo_module  # noqa: E402
from monitorflow.service.server import build, parser  # noqa: E402
from monitorflow.service.testing import free_port  # noqa: E402
from monitorflow.workspace import Workspace  # noqa: E402

TOKEN = "subprocess-token-81f2"


def test_ui_entry_point_serves_a_workspace_to_a_remote_flow(tmp_path: Path) -> None:
    """``monitorflow.service.main([...])`` in its own process; a RemoteWorkspace writes a report to it."""
    port = free_port()
    code = f"import sys; from monitorflow.service import main; sys.exit(main({['--workspace', str(tmp_path / 'ws'), '--port', str(port), '--token', TOKEN, '--log-level', 'warning']!r}))"
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(url + "/api/version", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            assert time.monotonic() < deadline, "the service did not start"
            time.sleep(0.1)
        with RemoteWorkspace(url, token=TOKEN) as ws:
            project = ws.create_project("from a flow")
            report = Report(metrics=[DatasetSummaryMetric()], tags=["segment:a"])
            report.run(current_data=pd.DataFrame({"age": [30, 40, 50]}), timestamp=T0)
            info = ws.add_report(project.id, report, include_data=True)
            assert ws.load_dataset(project.id, info.id)["age"].tolist() == [30, 40, 50]
            assert ws.series(project.id, "DatasetSummaryMetric", "current.number_of_rows")[
                "value"
            ].tolist() == [3.0]
        assert httpx.get(f"{url}/projects/{project.id}/snapshots").status_code == 200
    finally:
        proc.terminate()
        output = proc.communicate(timeout=20)[0]
    assert TOKEN not in output
    with Workspace(tmp_path / "ws") as local:  # written through the service into the folder workspace
        assert [s.id for s in local.list_snapshots(project.id)] == [info.id]


def test_ui_options() -> None:
    args = parser().parse_args(["--workspace", "sqlite:///x.db", "--host", "0.0.0.0", "--insecure", "--demo"])
    assert (args.workspace, args.host, args.port, args.insecure, args.demo) == (
        "sqlite:///x.db",
        "0.0.0.0",
        8000,
        True,
        True,
    )


def test_ui_demo_writes_the_one_demo_with_its_dashboard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``ui --demo`` writes monitorflow demo's project (here 16 days): drift reports and test suites per
    day, region and model version, model quality for the days whose labels arrived, the declared tabs."""
    days = 16
    monkeypatch.setattr(demo_module, "DAYS", days)
    ws = Workspace.create(tmp_path / "ws")
    build(ws, demo=True)  # what `monitorflow ui --demo` does before serving (there: in the background)
    [project] = ws.list_projects()
    labelled_days = days - LABEL_DELAY.days
    assert len(ws.list_snapshots(project.id)) == days * 2 * 2 * 2 + labelled_days * 2 * 2
    assert len(ws.list_snapshots(project.id, tags=["ground_truth", "model_version:v2"])) == labelled_days * 2
    assert [t.title for t in project.dashboard.tabs] == [
        "Data drift",
        "Data quality",
        "Tests",
        "Model quality",
    ]
    panels = ws.dashboard_data(project.id, DashboardQuery())["panels"]
    assert len(panels) == 11
    for panel in panels:
        assert "error" not in panel, panel
        data = panel["data"]
        filled = {"timeseries": lambda d: all(t["y"] for t in d["traces"]) and d["traces"],
                  "test_aggregate": lambda d: d["statuses"], "test_detailed": lambda d: d["tests"]}  # fmt: skip
        assert filled[data["kind"]](data), panel["title"]
    traces = next(p for p in panels if p["title"] == "Share of drifted columns")["data"]["traces"]
    assert sorted(t["label"] for t in traces) == [
        f"share_of_drifted_columns [segment:{r}, model_version:{v}]"
        for r in ("eu", "us")
        for v in ("v1", "v2")
    ]
    build(ws, demo=True)  # complete: nothing is written again
    assert len(ws.list_projects()) == 1 and demo_module.complete(ws.get_project(project.id), days)
    ws.close()
