"""The deployments in deployments/prefect.yaml, run for real: a `prefect server` started here on a free
loopback port, `prefect deploy`, a process worker, and runs triggered for past scheduled times."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitorflow.demo import START, write_data
from monitorflow.monitoring import load_monitor
from monitorflow.workspace import Workspace
from tests.support.flows import PREFECT, prefect_env, prefect_server, stop
from tests.support.paths import REPO

pytestmark = pytest.mark.slow


def prefect(args: list[str], env: dict[str, str], cwd: Path) -> str:
    """Run the prefect CLI in ``cwd`` ($PWD too: prefect.yaml's pull step pins the runs' working
    directory to it)."""
    proc = subprocess.run(
        [PREFECT, *args], env={**env, "PWD": str(cwd)}, cwd=cwd, capture_output=True, text=True, timeout=180
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory, prefect_cli: Path) -> Iterator[tuple[str, Path]]:
    """Server + work pool + `prefect deploy --all` (from a project folder holding the demo data) + worker."""
    home = tmp_path_factory.mktemp("prefect-home")
    project = tmp_path_factory.mktemp("project")
    write_data(project / "demo-output" / "data", days=20)  # the paths the example monitor reads
    with prefect_server(home, str(prefect_cli)) as api:
        env = prefect_env(home, api)
        prefect(["work-pool", "create", "monitorflow-local", "--type", "process"], env, project)
        prefect(
            ["--no-prompt", "deploy", "--all", "--prefect-file", str(REPO / "deployments" / "prefect.yaml")],
            env,
            project,
        )
        worker_log = open(home / "worker.log", "w")  # noqa: SIM115 - closed below
        worker = subprocess.Popen(
            [PREFECT, "worker", "start", "--pool", "monitorflow-local", "--limit", "2"],
            env={**env, "PREFECT_WORKER_QUERY_SECONDS": "1"},
            cwd=project,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield api, project
        finally:
            stop(worker)
            worker_log.close()


def test_a_scheduled_run_completes_with_the_window_time_and_tags(deployed: tuple[str, Path]) -> None:
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    api, project = deployed
    scheduled = START + timedelta(days=10, hours=6)  # a daily 06:00 run, started late (now)
    with temporary_settings({PREFECT_API_URL: api}):
        run = run_deployment(
            "monitor/churn-daily",
            parameters={"segments": ["eu"]},
            scheduled_time=scheduled,
            timeout=240,
            poll_interval=1,
            as_subflow=False,
            tags=["test"],
        )
    assert run.state is not None and run.state.is_completed(), run.state
    assert run.expected_start_time == scheduled and run.start_time > scheduled
    assert {"segment:eu", "model_version:v1", "monitorflow", "test"} <= set(run.tags)
    with Workspace(project / "workspace") as ws:
        (found,) = ws.search_project("churn-monitoring")
        infos = ws.list_snapshots(found.id)
    assert {i.timestamp for i in infos} == {scheduled.replace(hour=0) - timedelta(days=1)}
    assert len(infos) == 2 and all({"segment:eu", "model_version:v1"} <= set(i.tags) for i in infos)


def test_one_run_per_past_window_is_created_once(deployed: tuple[str, Path]) -> None:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from monitorflow.flows import schedule_window_runs

    api, project = deployed
    monitor = load_monitor(REPO / "deployments" / "monitors" / "churn.yaml")
    start = datetime(2026, 1, 12, tzinfo=UTC)
    with temporary_settings({PREFECT_API_URL: api}):
        runs = schedule_window_runs(
            "monitor/churn-daily", monitor, start, start + timedelta(days=2), segments=["us"]
        )
        again = schedule_window_runs(
            "monitor/churn-daily", monitor, start, start + timedelta(days=2), segments=["us"]
        )
        assert [r.id for r in runs] == [r.id for r in again] and len(runs) == 2
        rerun = schedule_window_runs(
            "monitor/churn-daily", monitor, start, start + timedelta(days=2), segments=["us"], rerun="fix-1"
        )
        assert len(rerun) == 2 and not {r.id for r in rerun} & {r.id for r in runs}  # new runs, on purpose
        assert all("rerun:fix-1" in r.tags for r in rerun)
        runs = runs + rerun
        with get_client(sync_client=True) as client:
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline:
                states = [client.read_flow_run(r.id).state for r in runs]
                if all(s is not None and s.is_final() for s in states):
                    break
                time.sleep(1)
    assert all(s.is_completed() for s in states), states
    with Workspace(project / "workspace") as ws:
        (found,) = ws.search_project("churn-monitoring")
        us = ws.list_snapshots(found.id, tags=["segment:us"])
    assert sorted({i.timestamp for i in us}) == [start, start + timedelta(days=1)]


def test_the_api_rejects_bad_parameters(deployed: tuple[str, Path], tmp_path: Path) -> None:
    api, _ = deployed
    proc = subprocess.run(
        [
            PREFECT,
            "deployment",
            "run",
            "backfill/churn-backfill",
            "-p",
            "concurrency=99",
            "-p",
            "start=2026-01-05T00:00:00Z",
            "-p",
            "end=2026-01-06T00:00:00Z",
        ],
        env=prefect_env(tmp_path, api),
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = " ".join((proc.stdout + proc.stderr).split())
    assert "Validation failed for field 'concurrency'" in output and "99" in output


def test_a_misspelled_metric_is_refused_when_the_run_is_created(deployed: tuple[str, Path]) -> None:
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    api, _ = deployed
    monitor = load_monitor(REPO / "deployments" / "monitors" / "churn.yaml").model_dump(mode="json")
    monitor["metrics"] = [{"name": "DataDriftPrest", "params": {}}]
    with temporary_settings({PREFECT_API_URL: api}), pytest.raises(Exception) as info:
        run_deployment("monitor/churn-daily", parameters={"monitor": monitor}, timeout=0, as_subflow=False)
    message = " ".join(str(info.value).split())
    assert "DataDriftPrest" in message and "is not one of" in message, message


def test_served_deployments_run_in_the_serving_process(deployed: tuple[str, Path]) -> None:
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    api, project = deployed
    home = project / "serve-home"
    home.mkdir(exist_ok=True)
    log = open(project / "serve.log", "w")  # noqa: SIM115 - closed below
    served = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "monitorflow.flows.serve",
            str(REPO / "deployments" / "monitors" / "churn.yaml"),
            "--cron",
            "0 6 * * *",
            "--segment",
            "eu",
            "--segment",
            "us",
        ],
        env={**prefect_env(home, api), "PREFECT_RUNNER_POLL_FREQUENCY": "1"},
        cwd=project,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        scheduled = START + timedelta(days=15, hours=6)
        with temporary_settings({PREFECT_API_URL: api}):
            deadline = time.monotonic() + 120
            while True:  # the deployment exists once the serve process has registered it
                try:
                    run = run_deployment(
                        "monitor/churn-v1",
                        parameters={"segments": ["us"]},
                        scheduled_time=scheduled,
                        timeout=240,
                        poll_interval=1,
                        as_subflow=False,
                    )
                    break
                except Exception:
                    if served.poll() is not None or time.monotonic() > deadline:
                        raise
                    time.sleep(1)
    finally:
        stop(served)
        log.close()
    assert run.state is not None and run.state.is_completed(), (project / "serve.log").read_text()[-3000:]
    assert {"segment:us", "model_version:v1", "monitor:churn-v1"} <= set(run.tags)
