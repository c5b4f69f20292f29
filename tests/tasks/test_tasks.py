"""Tasks called as plain functions (``task.fn``): segments, tags, ids, empty windows, idempotent uploads."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from monitorflow.errors import ColumnNotFoundError, SourceError
from monitorflow.flows.summary import RunFailed, RunSummary
from monitorflow.monitoring import Window, parse_monitor
from monitorflow.monitoring.results import Batch
from monitorflow.tasks import (
    compute_quality,
    compute_windows,
    ensure_project,
    load_reference,
    load_windows,
    upload_snapshots,
)
from monitorflow.tasks.load import retry_on_io
from monitorflow.workspace import Workspace
from tests.support.flows import day, events, labels, monitor_dict, write_days


def window(i: int) -> Window:
    return Window(start=day(i), end=day(i + 1))


@pytest.fixture
def monitor(tmp_path: Path):
    write_days(tmp_path / "data", range(3), skip=(1,))
    return parse_monitor(monitor_dict(tmp_path, model_version="v1", include_data=True))


def test_one_snapshot_per_segment_and_kind_tagged_and_stamped_with_the_window(monitor) -> None:
    batches = load_windows.fn(monitor, [window(0)])
    reference = load_reference.fn(monitor)
    evaluations = compute_windows.fn(monitor, batches, reference, "v2", None)
    assert [(e.outcome.segment, e.outcome.kind) for e in evaluations] == [
        ("eu", "report"),
        ("eu", "test_suite"),
        ("us", "report"),
        ("us", "test_suite"),
    ]
    for e in evaluations:
        snap = e.snapshot
        assert snap.timestamp == day(0) and snap.id == monitor.snapshot_id(
            window(0), e.outcome.segment, "v2", e.outcome.kind
        )
        assert {f"segment:{e.outcome.segment}", "model_version:v2", "monitor:flowtest"} <= set(snap.tags)
        assert snap.metadata["segment"] == e.outcome.segment and snap.metadata["model_id"] == "v2"
        assert snap.metadata["window_end"] == day(1).isoformat() and snap.metadata["batch_size"] == "P1D"
    assert evaluations[0].data is not None and set(evaluations[0].data["region"]) == {"eu"}  # include_data
    assert evaluations[1].data is None  # rows are stored once per window and segment
    assert evaluations[1].outcome.tests == {"SUCCESS": 1}


def test_only_the_requested_segments(monitor) -> None:
    batches = load_windows.fn(monitor, [window(0)])
    evaluations = compute_windows.fn(monitor, batches, None, None, ["us"])
    assert {e.outcome.segment for e in evaluations} == {"us"}
    assert all("model_version" not in " ".join(e.snapshot.tags) for e in evaluations)


def test_empty_windows_and_segments_are_skipped_with_a_reason(monitor) -> None:
    batches = load_windows.fn(monitor, [window(1)])  # no file for that day (missing_ok)
    outcomes = [e.outcome for e in compute_windows.fn(monitor, batches, None, None, None)]
    assert [(o.status, o.segment) for o in outcomes] == [("skipped", None), ("skipped", None)]
    assert outcomes[0].reason == "no rows in window [2026-01-02, 2026-01-03)"
    listed = parse_monitor(
        monitor_dict(Path(monitor.workspace).parent, segments={"columns": "region", "values": ["eu", "asia"]})
    )
    outcomes = [
        e.outcome for e in compute_windows.fn(listed, load_windows.fn(listed, [window(0)]), None, None, None)
    ]
    asia = [o for o in outcomes if o.segment == "asia"]
    assert [o.status for o in asia] == ["skipped", "skipped"] and "for segment 'asia'" in asia[0].reason


def test_evaluation_errors_become_failed_outcomes_and_bad_segments_are_raised(tmp_path: Path) -> None:
    write_days(tmp_path / "data", range(1))
    broken = parse_monitor(
        monitor_dict(tmp_path, metrics=[{"name": "ColumnDriftMetric", "column_name": "nope"}], tests=[])
    )
    outcome = compute_windows.fn(broken, load_windows.fn(broken, [window(0)]), None, None, None)[0].outcome
    assert outcome.status == "failed" and "'nope'" in outcome.reason
    bad_segment = parse_monitor(monitor_dict(tmp_path, segments={"columns": ["country"]}))
    with pytest.raises(
        ColumnNotFoundError, match="column 'country' is in segments.columns but not in the data"
    ):
        compute_windows.fn(bad_segment, load_windows.fn(bad_segment, [window(0)]), None, None, None)


def test_upload_replaces_instead_of_duplicating(monitor) -> None:
    project = ensure_project.fn(monitor.workspace, monitor.project)
    assert ensure_project.fn(monitor.workspace, monitor.project) == project
    reference = load_reference.fn(monitor)
    for _ in range(2):
        evaluations = compute_windows.fn(
            monitor, load_windows.fn(monitor, [window(0), window(2)]), reference, None, None
        )
        outcomes = upload_snapshots.fn(monitor.workspace, project, evaluations)
    assert [o.status for o in outcomes] == ["written"] * 8
    with Workspace(monitor.workspace) as ws:
        infos = ws.list_snapshots(project)
        assert len(infos) == 8 and {i.id for i in infos} == {o.snapshot_id for o in outcomes}
        assert len(ws.list_datasets(project)) == 4  # rows of the 4 reports, the replaced ones removed
        stored = next(i for i in infos if i.datasets.current)
        assert len(ws.load_dataset(project, stored.id)) == 60


def test_a_reference_that_moves_with_the_window(tmp_path: Path) -> None:
    write_days(tmp_path / "data", range(8))
    config = monitor_dict(
        tmp_path,
        reference={"kind": "file", "path": str(tmp_path / "data" / "{start}.parquet")},
        reference_window={"shift": "7d"},
    )
    monitor = parse_monitor(config)
    assert load_reference.fn(monitor) is None
    (batch,) = load_windows.fn(monitor, [window(7)])
    assert batch.reference["ts"].min() >= day(0) and batch.reference["ts"].max() < day(1)


def test_retries_are_for_io_errors_only() -> None:
    def state(error: BaseException) -> SimpleNamespace:
        return SimpleNamespace(data=error)

    assert retry_on_io(None, None, state(SourceError("timeout", "s3://b/k")))
    assert retry_on_io(None, None, state(OSError("reset")))
    assert not retry_on_io(None, None, state(SourceError("bad template", "x", transient=False)))


def test_ground_truth_joins_late_labels(tmp_path: Path) -> None:
    write_days(tmp_path / "data", range(2))
    labels(range(1)).to_parquet(tmp_path / "labels.parquet", index=False)
    config = monitor_dict(
        tmp_path,
        ground_truth={
            "labels": {"kind": "file", "path": str(tmp_path / "labels.parquet")},
            "join_on": "id",
            "target": "label",
            "task": "classification",
        },
    )
    monitor = parse_monitor(config)
    known = pd.read_parquet(tmp_path / "labels.parquet")[["id", "label"]]
    batches = [Batch(window=window(i), current=events(i)) for i in range(2)]
    evaluations = compute_quality.fn(monitor, batches, known, "v1", None)
    written = [e for e in evaluations if e.snapshot is not None]
    assert [(e.outcome.window.key, e.outcome.segment) for e in written] == [
        ("2026-01-01", "eu"),
        ("2026-01-01", "us"),
    ]
    snap = written[0].snapshot
    assert "ground_truth" in snap.tags and snap.timestamp == day(0) and snap.metadata["labelled_share"] == 1.0
    assert {m.type for m in snap.metrics} >= {"ClassificationQualityMetric"}
    skipped = [e.outcome for e in evaluations if e.outcome.status == "skipped"]
    assert (
        len(skipped) == 2
        and skipped[0].reason == "no labels yet for the 60 predictions of window [2026-01-02, 2026-01-03)"
    )


def test_summary_markdown_and_failure_message(monitor) -> None:
    evaluations = compute_windows.fn(
        monitor, load_windows.fn(monitor, [window(0), window(1)]), None, None, None
    )
    outcomes = [e.outcome for e in evaluations]
    summary = RunSummary(
        flow="backfill",
        monitor="m",
        project="p",
        project_id=monitor.snapshot_id(window(0), None, None, "x"),
        workspace="ws",
        windows=2,
        outcomes=outcomes,
        ui_url="http://ui.local/",
    )
    text = summary.markdown()
    assert summary.counts() == "2 windows: 4 snapshots written, 2 skipped, 0 failed"
    assert str(outcomes[0].snapshot_id) in text and "no rows in window [2026-01-02, 2026-01-03)" in text
    assert f"(http://ui.local/projects/{summary.project_id})" in text and "Tests: SUCCESS 2." in text
    failed = summary.model_copy(
        update={"outcomes": [outcomes[0].model_copy(update={"status": "failed", "reason": "boom"})]}
    )
    assert str(RunFailed(failed)) == "1 of 1 evaluations failed: 2026-01-01 eu report: boom"


def test_each_segment_is_compared_with_its_own_reference_rows(tmp_path: Path) -> None:
    write_days(tmp_path / "data", range(1))
    monitor = parse_monitor(monitor_dict(tmp_path, metrics=["DatasetSummaryMetric"], tests=[]))
    reference = load_reference.fn(monitor)
    batches = load_windows.fn(monitor, [window(0)])
    evaluations = compute_windows.fn(monitor, batches, reference, None, None)
    by_segment = {e.outcome.segment: e for e in evaluations}
    for segment in ("eu", "us"):
        summary = by_segment[segment].snapshot.metrics[0].result["reference"]
        assert summary["number_of_rows"] == int((reference["region"] == segment).sum())
    without_us = reference.loc[reference["region"] != "us"].reset_index(drop=True)
    outcomes = {
        e.outcome.segment: e.outcome for e in compute_windows.fn(monitor, batches, without_us, None, None)
    }
    assert outcomes["eu"].status == "written"
    assert (
        outcomes["us"].status == "failed"
        and "the reference has no rows of segment 'us'" in outcomes["us"].reason
    )
    whole = reference.drop(columns=["region"])  # no segment column: every segment against the whole reference
    for e in compute_windows.fn(monitor, batches, whole, None, None):
        assert e.snapshot.metrics[0].result["reference"]["number_of_rows"] == len(whole)
