"""Running the service: the ``ui`` entry point in a subprocess, the demo project, the live helper."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
import pytest

from monitorflow import Report
from monitorflow.demo import LABEL_DELAY
from monitorflow.metrics import DatasetSummaryMetric
from monitorflow.panel_data import DashboardQuery
from monitorflow.remote import RemoteWorkspace
from monitorflow.service import demo as demo_module
from monitorflow.service import server
from monitorflow.service.server import build
from monitorflow.workspace import Workspace
from tests.service.svc_helpers import T0

TOKEN = "subprocess-token-81f2"


def test_ui_entry_point_serves_a_workspace_to_a_remote_flow(tmp_path: Path) -> None:
    """``monitorflow.service.main([...])`` in its own process on port 0 (it reports the port it got);
    a RemoteWorkspace writes a report to it."""
    args = ["--workspace", str(tmp_path / "ws"), "--port", "0", "--token", TOKEN, "--log-level", "info"]
    code = f"import sys; from monitorflow.service import main; sys.exit(main({args!r}))"
    log = tmp_path / "service.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=out, stderr=subprocess.STDOUT)
    try:
        url = _reported_url(proc, log, deadline=time.monotonic() + 60)
        with RemoteWorkspace(url, token=TOKEN) as ws:
            project = ws.create_project("from a flow")
            report = Report(metrics=[DatasetSummaryMetric()], tags=["segment:a"])
            report.run(current_data=pd.DataFrame({"age": [30, 40, 50]}), timestamp=T0)
            info = ws.add_report(project.id, report, include_data=True)
            assert ws.load_dataset(project.id, info.id)["age"].tolist() == [30, 40, 50]
            assert ws.series(project.id, "DatasetSummaryMetric", "current.number_of_rows")[
                "value"
            ].tolist() == [3.0]
        assert httpx.get(f"{url}/projects/{project.id}/snapshots").status_code == 303  # to the login form
        page = httpx.get(
            f"{url}/projects/{project.id}/snapshots", headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert page.status_code == 200 and f"/projects/{project.id}/snapshots/{info.id}" in page.text
    finally:
        proc.terminate()
        proc.wait(20)
    assert TOKEN not in log.read_text()
    with Workspace(tmp_path / "ws") as local:  # written through the service into the folder workspace
        assert [s.id for s in local.list_snapshots(project.id)] == [info.id]


def _reported_url(proc: subprocess.Popen[bytes], log: Path, deadline: float) -> str:
    """The URL uvicorn reports once it is listening (with the port the kernel gave it)."""
    while time.monotonic() < deadline:
        if found := re.search(r"Uvicorn running on (http://127\.0\.0\.1:\d+)", log.read_text()):
            return found.group(1)
        assert proc.poll() is None, log.read_text()
        time.sleep(0.05)
    raise AssertionError(f"the service did not report its address: {log.read_text()[-2000:]}")


def test_ui_options(monkeypatch: pytest.MonkeyPatch) -> None:
    """``monitorflow.service.main`` (and ``python -m monitorflow.service.server``) parse as
    ``monitorflow ui``."""
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(server, "serve", lambda workspace, **options: calls.append((workspace, options)))
    argv = ["--workspace", "sqlite:///x.db", "--host", "0.0.0.0", "--insecure", "--demo"]
    assert server.main(argv) == 0
    [(workspace, options)] = calls
    assert (workspace, options["host"], options["port"], options["insecure"], options["demo"]) == (
        "sqlite:///x.db",
        "0.0.0.0",
        8000,
        True,
        True,
    )


def test_ui_refuses_a_folder_that_is_not_a_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A new user's slip, ``ui --workspace demo-output`` or a file: exit 2 naming the folder and the fix,
    nothing written there; a workspace, or a folder that does not exist yet (said so), is served."""
    served: list[Any] = []
    monkeypatch.setattr(server, "serve", lambda workspace, **options: served.append(workspace))
    other = tmp_path / "demo-output"
    (other / "data").mkdir(parents=True)
    (other / "data" / "reference.parquet").write_bytes(b"PAR1")
    for wrong in [other, other / "data" / "reference.parquet"]:
        assert server.main(["--workspace", str(wrong)]) == 2
        err = capsys.readouterr().err
        assert str(wrong) in err and "--workspace" in err and "make demo" in err
    assert sorted(p.name for p in other.rglob("*")) == ["data", "reference.parquet"]
    Workspace.create(tmp_path / "ws").create_project("churn")
    for fine in [tmp_path / "ws", tmp_path / "new"]:
        assert server.main(["--workspace", str(fine)]) == 0
    assert served == [str(tmp_path / "ws"), str(tmp_path / "new")]
    assert "does not exist: serving a new, empty workspace" in capsys.readouterr().err


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
        filled = {
            "timeseries": lambda d: all(t["y"] for t in d["traces"]) and d["traces"],
            "test_aggregate": lambda d: d["statuses"],
            "test_detailed": lambda d: d["tests"],
        }
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
