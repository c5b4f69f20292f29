"""Real flow runs under one Prefect test harness (a temporary API server for the whole session).

Covers: backfill idempotency, logical time from the scheduled start (late runs), segment and model
version tags on snapshots and runs, empty windows, unreadable sources after retries, failing tests,
delayed ground truth, artifacts, the CLI, and a backfill on a local Dask cluster.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from monitorflow.cli import main
from monitorflow.flows import (
    RunFailed,
    TestsFailed,
    backfill_flow,
    ground_truth_flow,
    monitor_flow,
    progress_listener,
)
from monitorflow.monitoring import parse_monitor
from monitorflow.workspace import Workspace
from tests.support.flows import day, labels, monitor_dict, write_days

#: One temporary Prefect API (``prefect_harness``, session-wide; about 20 s to start) for every flow run here.
pytestmark = pytest.mark.usefixtures("prefect_harness")


def snapshots(monitor, **filters):  # noqa: ANN001, ANN201
    with Workspace(monitor.workspace) as ws:
        (project,) = ws.search_project(monitor.project)
        return ws.list_snapshots(project.id, **filters)


def read_flow_run(run_id):  # noqa: ANN001, ANN201
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        return client.read_flow_run(run_id)


def test_backfill_twice_gives_the_same_snapshots(tmp_path: Path) -> None:
    write_days(tmp_path / "data", range(4))
    monitor = parse_monitor(monitor_dict(tmp_path, model_version="v1"))
    seen: list[int] = []
    with progress_listener(lambda done, total, outcomes: seen.append(done)):
        first = backfill_flow(monitor=monitor, start=day(0), end=day(4), concurrency=2, windows_per_task=1)
    assert first.counts() == "4 windows: 16 snapshots written, 0 skipped, 0 failed" and seen[-1] == 4
    again = backfill_flow(monitor=monitor, start=day(0), end=day(4), concurrency=3)
    infos = snapshots(monitor)
    assert len(infos) == 16 and {i.id for i in infos} == {o.snapshot_id for o in again.outcomes}
    assert sorted({i.timestamp for i in infos}) == [day(i) for i in range(4)]
    for info in infos:
        segment = info.metadata["segment"]
        assert {f"segment:{segment}", "model_version:v1"} <= set(info.tags) and info.metadata[
            "model_id"
        ] == "v1"
    assert len(snapshots(monitor, tags=["segment:eu"], kind="test_suite")) == 4


def test_backfill_artifacts_list_the_snapshots(tmp_path: Path) -> None:
    from prefect.artifacts import Artifact

    write_days(tmp_path / "data", range(2))
    monitor = parse_monitor(monitor_dict(tmp_path, name="artifacts", ui_url="http://ui.test/p/{project_id}"))
    summary = backfill_flow(monitor=monitor, start=day(0), end=day(2))
    markdown = Artifact.get("artifacts-backfill")
    assert markdown is not None and str(summary.outcomes[0].snapshot_id) in markdown.data
    assert f"(http://ui.test/p/{summary.project_id})" in markdown.data
    progress = Artifact.get("artifacts-backfill-progress")
    assert progress is not None and float(progress.data) == 100.0


def test_a_late_run_evaluates_the_window_it_was_scheduled_for(tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.flow_engine import run_flow
    from prefect.states import Scheduled

    write_days(tmp_path / "data", range(5))
    monitor = parse_monitor(monitor_dict(tmp_path, model_version="v1"))
    parameters = {"monitor": monitor, "segments": ["eu"], "model_version": "v2"}
    # Scheduled for 2026-01-03 06:00, started months later: the logical time is the schedule's.
    with get_client(sync_client=True) as client:
        flow_run = client.create_flow_run(
            monitor_flow,
            parameters={**parameters, "monitor": monitor.model_dump(mode="json")},
            state=Scheduled(scheduled_time=datetime(2026, 1, 3, 6, tzinfo=UTC)),
        )
    state = run_flow(monitor_flow, flow_run=flow_run, parameters=parameters, return_type="state")
    summary = state.result()
    assert {o.window.key for o in summary.outcomes} == {"2026-01-02"} and {
        o.segment for o in summary.outcomes
    } == {"eu"}
    assert {i.timestamp for i in snapshots(monitor)} == {day(1)}
    finished = read_flow_run(flow_run.id)
    assert finished.start_time > finished.expected_start_time + timedelta(days=30)
    assert {"segment:eu", "model_version:v2"} <= set(finished.tags)
    explicit = monitor_flow(monitor=monitor, as_of=datetime(2026, 1, 5, 1, tzinfo=UTC), segments=["us"])
    assert {o.window.key for o in explicit.outcomes} == {"2026-01-04"}


def test_empty_windows_are_recorded_not_ignored(tmp_path: Path) -> None:
    write_days(tmp_path / "data", range(3), skip=(1,))
    monitor = parse_monitor(monitor_dict(tmp_path))
    summary = backfill_flow(monitor=monitor, start=day(0), end=day(3))
    skipped = summary.skipped
    assert [(o.window.key, o.kind) for o in skipped] == [
        ("2026-01-02", "report"),
        ("2026-01-02", "test_suite"),
    ]
    assert skipped[0].reason == "no rows in window [2026-01-02, 2026-01-03)" and len(summary.written) == 8


def test_an_unreadable_source_fails_after_its_retries_with_the_path(tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    write_days(tmp_path / "data", range(3), skip=(2,))
    config = monitor_dict(tmp_path, retries=1, retry_delay_seconds=0)
    config["current"]["missing_ok"] = False
    monitor = parse_monitor(config)
    state = backfill_flow(monitor=monitor, start=day(0), end=day(3), windows_per_task=1, return_state=True)
    assert state.is_failed()
    with pytest.raises(
        RunFailed, match=f"2026-01-03 report: cannot read {tmp_path}/data/2026-01-03.parquet: no such file"
    ):
        state.result()
    assert len(snapshots(monitor)) == 8  # the readable windows were still written
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[state.state_details.flow_run_id]))
        )
    (load,) = [r for r in runs if r.name.startswith("load-windows") and r.state.is_failed()]
    assert load.run_count == 2  # one retry


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"segments": {"columns": ["country"]}},
            "column 'country' is in segments.columns but not in the data",
        ),
        (
            {"current": {"kind": "file", "path": "{data}/{{start}}.parquet", "timestamp_column": "when"}},
            "timestamp_column 'when' is not in",
        ),
    ],
)
def test_a_missing_segment_or_timestamp_column_is_refused_once_up_front(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], changes: dict, message: str
) -> None:
    write_days(tmp_path / "data", range(6))
    config = monitor_dict(tmp_path)
    if "current" in changes:
        changes = {"current": {**changes["current"], "path": f"{tmp_path}/data/{{start}}.parquet"}}
    config.update(changes)
    path = tmp_path / "monitor.yaml"
    path.write_text(yaml.safe_dump(config))
    assert (
        main(
            [
                "backfill",
                str(path),
                "--start",
                "2026-01-01",
                "--end",
                "2026-01-07",
                "--concurrency",
                "1",
                "--windows-per-task",
                "1",
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if "error" in line]
    assert len(errors) == 1 and message in errors[0], err  # once, not once per window
    with Workspace(config["workspace"]) as ws:
        written = [s for p in ws.list_projects() for s in ws.list_snapshots(p.id)]
    assert written == []


def test_failed_tests_fail_the_run_after_writing(tmp_path: Path) -> None:
    write_days(tmp_path / "data", range(1))
    monitor = parse_monitor(
        monitor_dict(tmp_path, tests=[{"name": "TestNumberOfRows", "gte": 1000}], fail_on_test_failure=True)
    )
    with pytest.raises(TestsFailed, match="failed tests in 2 snapshot"):
        backfill_flow(monitor=monitor, start=day(0), end=day(1))
    assert len(snapshots(monitor)) == 4


def test_ground_truth_writes_model_quality_at_each_window_time(tmp_path: Path) -> None:
    write_days(tmp_path / "data", range(3))
    labels(range(2)).to_parquet(tmp_path / "labels.parquet", index=False)  # day 2 has no labels yet
    config = monitor_dict(
        tmp_path,
        include_data=True,
        model_version="v1",
        ground_truth={
            "labels": {"kind": "file", "path": str(tmp_path / "labels.parquet"), "timestamp_column": "ts"},
            "join_on": ["id"],
            "target": "label",
        },
    )
    monitor = parse_monitor(config)
    backfill_flow(monitor=monitor, start=day(0), end=day(3))
    (tmp_path / "data" / "2026-01-01.parquet").unlink()  # predictions come from the workspace now
    for _ in range(2):  # a second run (more labels) replaces, never duplicates
        summary = ground_truth_flow(monitor=monitor, start=day(0), end=day(3))
    assert summary.counts() == "3 windows: 4 snapshots written, 2 skipped, 0 failed"
    quality = snapshots(monitor, tags=["ground_truth"])
    assert sorted(i.timestamp for i in quality) == [day(0), day(0), day(1), day(1)]
    assert all({"model_version:v1", f"segment:{i.metadata['segment']}"} <= set(i.tags) for i in quality)
    assert "no labels yet" in summary.skipped[0].reason


def test_cli_backfill_prints_a_summary_and_errors_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_days(tmp_path / "data", range(2))
    path = tmp_path / "monitor.yaml"
    path.write_text(yaml.safe_dump(monitor_dict(tmp_path)))
    assert main(["backfill", str(path), "--start", "2026-01-01T00:00:00Z", "--end", "2026-01-03T00:00Z"]) == 0
    out = capsys.readouterr().out
    assert "backfill flowtest: 2 windows: 8 snapshots written, 0 skipped, 0 failed" in out
    assert main(["run", str(path), "--as-of", "2026-01-02T06:00:00+00:00", "-s", "eu"]) == 0
    assert "monitor flowtest: 1 window: 2 snapshots written" in capsys.readouterr().out
    config = monitor_dict(tmp_path)
    config["current"]["missing_ok"] = False
    path.write_text(yaml.safe_dump(config))
    assert main(["backfill", str(path), "--start", "2026-01-01", "--end", "2026-01-04"]) == 1
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("monitorflow")]
    assert lines == [line for line in err.splitlines() if "error" in line] and len(lines) == 1
    assert "cannot read" in lines[0] and "2026-01-03.parquet" in lines[0] and "Traceback" not in err
    assert main(["backfill", str(path), "--start", "2026-01-01", "--end", "2026-01-04", "--rerun"]) == 2
    assert "--rerun goes with --deployment" in capsys.readouterr().err


def test_backfill_on_a_local_dask_cluster(tmp_path: Path) -> None:
    from monitorflow.flows.on_dask import backfill_on_dask

    write_days(tmp_path / "data", range(3))
    monitor = parse_monitor(monitor_dict(tmp_path, model_version="v3"))
    summary = backfill_on_dask(monitor, day(0), day(3), n_workers=2, windows_per_task=1)
    assert summary.counts() == "3 windows: 12 snapshots written, 0 skipped, 0 failed"
    assert len(snapshots(monitor, tags=["model_version:v3"])) == 12


def test_flows_give_the_project_the_monitors_declared_dashboard_once(tmp_path: Path) -> None:
    """A backfill and a ground-truth run of the same monitor, and a second monitor declaring the same
    panels, leave one set of panels; a panel the user added stays; an edited spec updates in place."""
    write_days(tmp_path / "data", range(2))
    panels = [
        {
            "title": "Rows",
            "metric": "DatasetSummaryMetric",
            "field": "current.number_of_rows",
            "split_by": ["segment", "model_version"],
        },
        {"title": "Tests", "kind": "tests"},
    ]
    dashboard = {"tabs": [{"title": "Overview", "panels": panels}]}
    monitor = parse_monitor(monitor_dict(tmp_path, model_version="v1", dashboard=dashboard))
    backfill_flow(monitor=monitor, start=day(0), end=day(2))
    with Workspace(monitor.workspace) as ws:
        (project,) = ws.search_project(monitor.project)
        first = project.dashboard.model_dump(mode="json")
        assert [p["title"] for p in first["panels"]] == ["Rows", "Tests"]
        assert first["panels"][0]["split_by_tag"] == ["segment:", "model_version:"]
        project.dashboard.add_panel({"type": "DashboardPanelCounter", "title": "mine", "text": "hello"})
        project.save()
    other = parse_monitor(monitor_dict(tmp_path, name="flowtest-v2", model_version="v2", dashboard=dashboard))
    backfill_flow(monitor=other, start=day(0), end=day(1))
    edited = {"tabs": [{"title": "Overview", "panels": [{**panels[0], "kind": "bar"}, panels[1]]}]}
    backfill_flow(
        monitor=parse_monitor(monitor_dict(tmp_path, model_version="v1", dashboard=edited)),
        start=day(0),
        end=day(1),
    )
    with Workspace(monitor.workspace) as ws:
        (project,) = ws.search_project(monitor.project)
        now = project.dashboard.model_dump(mode="json")
    assert [p["title"] for p in now["panels"]] == ["Rows", "Tests", "mine"]
    assert now["panels"][0]["id"] == first["panels"][0]["id"] and now["panels"][0]["plot_type"] == "bar"
    assert [t["title"] for t in now["tabs"]] == ["Overview"]
