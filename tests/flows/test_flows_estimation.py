"""Estimated quality in real flow runs against a real `prefect server` on loopback: the estimator state
stored once per reference and reused, the ground-truth reconciliation flagging concept drift, the
Prefect events of a window, and an automation from deployments/automations delivering to a webhook."""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from monitorflow.estimation import classification as cbpe
from monitorflow.estimation import states
from monitorflow.flows import backfill_flow, ground_truth_flow
from monitorflow.monitoring import parse_monitor
from monitorflow.monitoring.estimators import STATE_DATASET
from monitorflow.workspace import Workspace
from tests.support.flows import PREFECT, day, prefect_env, prefect_server
from tests.support.paths import REPO

#: From this day on, the outcome no longer follows the model's scores (concept drift).
DRIFT_DAY = 6


def rows(i: int, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """Day ``i``: x drifts upwards (covariate shift); P(y=1|x) = logistic(2x - 0.5), reversed from
    DRIFT_DAY; the model's score is overconfident (needs calibration)."""
    x = rng.normal(0.1 * max(i, 0), 1.0, n)
    logit = 2 * x - 0.5
    p = 1 / (1 + np.exp(-(logit if i < DRIFT_DAY else -logit)))
    return pd.DataFrame(
        {
            "id": np.arange(n) + (i + 10) * 100_000,
            "ts": pd.Timestamp(day(i)) + pd.to_timedelta(rng.uniform(0, 86_399, n), unit="s"),
            "region": np.where(np.arange(n) % 2 == 0, "eu", "us"),
            "x": x,
            "prediction": 1 / (1 + np.exp(-1.8 * logit)),
            "label": (rng.random(n) < p).astype(int),
        }
    )


def write(tmp: Path, days: int = 10, n: int = 600) -> None:
    rng = np.random.default_rng(7)
    rows(-1, 4000, rng).to_parquet(tmp / "reference.parquet", index=False)
    (tmp / "data").mkdir()
    labelled = []
    for i in range(days):
        frame = rows(i, n, rng)
        frame.drop(columns="label").to_parquet(tmp / "data" / f"{day(i):%Y-%m-%d}.parquet", index=False)
        labelled.append(frame[["id", "ts", "label"]])
    pd.concat(labelled).to_parquet(tmp / "labels.parquet", index=False)


def config(tmp: Path, **overrides: Any) -> dict[str, Any]:
    base = {
        "name": "estimates",
        "project": "estimation",
        "workspace": str(tmp / "ws"),
        "current": {"kind": "file", "path": str(tmp / "data" / "{start}.parquet"), "timestamp_column": "ts"},
        "reference": {"kind": "file", "path": str(tmp / "reference.parquet")},
        "column_mapping": {
            "target": "label",
            "prediction": "prediction",
            "id": "id",
            "datetime": "ts",
            "numerical_features": ["x"],
            "task": "classification",
        },
        "metrics": ["EstimatedClassificationPreset"],
        "tests": ["EstimatedClassificationTestPreset"],
        "segments": {"columns": ["region"]},
        "include_data": True,
        "retries": 0,
        "retry_delay_seconds": 0,
        "ground_truth": {
            "labels": {"kind": "file", "path": str(tmp / "labels.parquet"), "timestamp_column": "ts"},
            "join_on": ["id"],
            "target": "label",
        },
    }
    base.update(overrides)
    return base


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Prefect server (its triggers and actions services run automations) for this module."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker
    from prefect.settings import PREFECT_API_URL, temporary_settings

    home = tmp_path_factory.mktemp("prefect-home")
    with prefect_server(home) as api, temporary_settings({PREFECT_API_URL: api}):
        yield api
        # send what is queued, and stop the workers bound to this server (later modules get their own)
        APILogWorker.drain_all(timeout=30)
        EventsWorker.drain_all(timeout=30)


def state_datasets(tmp: Path) -> list[Any]:
    with Workspace(str(tmp / "ws")) as ws:
        (project,) = ws.list_projects()
        return [d for d in ws.list_datasets(project.id) if d.name.startswith(STATE_DATASET)]


def test_the_estimator_state_is_fitted_once_per_reference_and_reused(server, tmp_path, monkeypatch):
    write(tmp_path, days=4)
    monitor = parse_monitor(config(tmp_path))
    fits = []
    original = cbpe.fit_classifier_state
    monkeypatch.setattr(cbpe, "fit_classifier_state", lambda *a, **k: fits.append(1) or original(*a, **k))
    states._CACHE.clear()
    summary = backfill_flow(monitor=monitor, start=day(0), end=day(4))
    assert summary.counts() == "4 windows: 16 snapshots written, 0 skipped, 0 failed"
    assert len(fits) == 2  # one state per segment's reference, for every window and both kinds
    assert len(state_datasets(tmp_path)) == 2
    states._CACHE.clear()  # a new process: the states come from the workspace
    backfill_flow(monitor=monitor, start=day(0), end=day(4))
    assert len(fits) == 2 and len(state_datasets(tmp_path)) == 2
    with Workspace(str(tmp_path / "ws")) as ws:
        (project,) = ws.list_projects()
        series = ws.series(
            project.id, "EstimatedClassificationQuality", "current.accuracy.value", tags=["segment:eu"]
        )
    assert series.timestamp.nunique() == 4 and series.value.between(0.5, 1.0).all()  # report and test suite


def eventually(check: Any, timeout: float = 60) -> bool:
    """Events reach the server through a websocket, some time after the flow returns."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(1)
    return True


def read_events(api: str, name: str) -> list[dict[str, Any]]:
    body = json.dumps({"filter": {"event": {"name": [name]}}, "limit": 50}).encode()
    request = urllib.request.Request(
        f"{api}/events/filter", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["events"]


def test_ground_truth_reconciles_estimates_and_flags_concept_drift(server, tmp_path):
    write(tmp_path, days=10)
    monitor = parse_monitor(config(tmp_path, tests=[]))
    backfill_flow(monitor=monitor, start=day(0), end=day(10))
    summary = ground_truth_flow(monitor=monitor, start=day(0), end=day(10), concurrency=2)
    assert summary.counts() == "10 windows: 40 snapshots written, 0 skipped, 0 failed"
    with Workspace(str(tmp_path / "ws")) as ws:
        (project,) = ws.list_projects()
        statuses = ws.test_status_series(
            project.id, "TestConceptDrift", test_args={"score": "roc_auc"}, tags=["segment:eu"]
        )
        realized = ws.series(
            project.id, "ClassificationEstimationError", "accuracy.realized", tags=["segment:eu"]
        )
        titles = [p.title for p in ws.get_project(project.id).dashboard.panels]
    by_day = dict(zip(statuses.timestamp.dt.day - 1, statuses.status, strict=True))
    assert [by_day[i] for i in range(DRIFT_DAY)] == ["SUCCESS"] * DRIFT_DAY
    assert by_day[DRIFT_DAY] == "WARNING"  # outside the band once: not yet persistent
    assert [by_day[i] for i in range(DRIFT_DAY + 1, 10)] == ["FAIL"] * (10 - DRIFT_DAY - 1)
    assert len(realized) == 10
    assert "estimates: estimated vs realized accuracy" in titles
    expected = {f"{day(i):%Y-%m-%d}" for i in range(DRIFT_DAY + 1, 10)}

    def critical_windows() -> set[str]:
        events = read_events(server, "monitorflow.estimate.diverged")
        return {
            e["resource"]["monitorflow.window"]
            for e in events
            if e["resource"]["monitorflow.severity"] == "critical"
            and e["resource"]["monitorflow.segment"] == "eu"
        }

    def reconciliation_failures() -> int:
        events = read_events(server, "monitorflow.test.failed")
        return sum(e["resource"]["monitorflow.kind"] == "reconciliation" for e in events)

    assert eventually(lambda: critical_windows() == expected), critical_windows()
    # every (score, segment, window) once: no two events share an id
    assert eventually(lambda: reconciliation_failures() == 2 * 2 * (10 - DRIFT_DAY - 1)), (
        reconciliation_failures()
    )
    diverged = read_events(server, "monitorflow.estimate.diverged")
    resource = diverged[0]["resource"]
    assert resource["monitorflow.monitor"] == "estimates" and resource["monitorflow.project"] == "estimation"


class Receiver(http.server.BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Receiver.received.append(json.loads(body or b"{}"))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.mark.slow
def test_an_automation_from_the_file_notifies_a_webhook_of_a_failing_window(server, tmp_path):
    from prefect.blocks.notifications import CustomWebhookNotificationBlock

    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)  # port 0: the kernel picks
    port = receiver.server_address[1]
    thread = threading.Thread(target=receiver.serve_forever, daemon=True)
    thread.start()
    try:
        CustomWebhookNotificationBlock(
            name="monitorflow-alerts",
            url=f"http://127.0.0.1:{port}/notify",
            json_data={"subject": "{{subject}}", "body": "{{body}}"},
        ).save("monitorflow-alerts", overwrite=True)
        env = prefect_env(tmp_path, server)
        rendered = subprocess.run(
            [
                str(Path(sys.executable).with_name("monitorflow")),
                "alerts",
                "render",
                str(REPO / "deployments/automations/alerts.yaml"),
                "--block",
                "custom-webhook/monitorflow-alerts",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert rendered.returncode == 0, rendered.stderr
        (tmp_path / "alerts.yaml").write_text(rendered.stdout)
        created = subprocess.run(
            [PREFECT, "automation", "create", "-f", str(tmp_path / "alerts.yaml")],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert created.returncode == 0, created.stdout + created.stderr
        write(tmp_path, days=1)
        failing = config(
            tmp_path,
            tests=[{"name": "TestEstimatedAccuracy", "gte": 0.99}],
            segments={"columns": ["region"], "values": ["eu"]},
        )
        backfill_flow(monitor=parse_monitor(failing), start=day(0), end=day(1))
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not any(
            "Estimated Accuracy" in r.get("body", "") for r in Receiver.received
        ):
            time.sleep(0.5)
    finally:
        receiver.shutdown()
        receiver.server_close()
    notes = [r for r in Receiver.received if "monitorflow.test.failed" in r.get("subject", "")]
    assert notes, Receiver.received
    assert notes[0]["subject"] == "[monitorflow] estimates/eu: monitorflow.test.failed"
    assert "segment=eu" in notes[0]["body"] and "window=2026-01-01" in notes[0]["body"]
    assert "about Estimated Accuracy" in notes[0]["body"]
