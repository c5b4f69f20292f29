"""Monitors on lazy sources: a Parquet dataset (kind: parquet) and SQL evaluated in the database.

Each window's snapshots must equal the in-memory run on the same rows (read with pandas and
filtered independently); segments, empty windows, refusals, a bad file in a backfill and a backfill
whose windows profile their partitions on the Dask cluster the flow runs on.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from monitorflow import Report
from monitorflow.errors import MonitorConfigError
from monitorflow.metrics import ColumnDriftMetric, DatasetSummaryMetric
from monitorflow.monitoring import parse_monitor
from monitorflow.monitoring.evaluate import evaluate_windows
from monitorflow.monitoring.loading import read_reference, read_windows
from monitorflow.workspace import Workspace
from tests.support.compare import assert_same
from tests.support.flows import day, events, monitor_dict


def dataset(folder: Path, days: range, skip: tuple[int, ...] = ()) -> pd.DataFrame:
    """Hive-partitioned daily files (``day=YYYY-MM-DD/part-0.parquet``); returns every row."""
    frames = []
    for i in days:
        if i in skip:
            continue
        rows = events(i)
        target = folder / f"day={day(i):%Y-%m-%d}"
        target.mkdir(parents=True)
        rows.to_parquet(target / "part-0.parquet", index=False, row_group_size=50)
        frames.append(rows)
    return pd.concat(frames, ignore_index=True)


def lazy_monitor(tmp: Path, **overrides):  # noqa: ANN201
    config = monitor_dict(tmp)
    config["current"] = {"kind": "parquet", "path": str(tmp / "events"), "timestamp_column": "ts"}
    config["reference"] = {"kind": "parquet", "path": str(tmp / "reference.parquet")}
    config["tests"] = []
    config.update(overrides)
    return parse_monitor(config)


def in_memory(monitor, rows: pd.DataFrame, reference: pd.DataFrame) -> list:  # noqa: ANN001
    report = Report(metrics=[ColumnDriftMetric(column_name="x"), DatasetSummaryMetric()])
    report.run(reference_data=reference, current_data=rows, column_mapping=monitor.column_mapping)
    # the stored form, as the windows' snapshots (as_dict leaves chart-only fields out, as Evidently)
    return [m.model_dump(mode="json") for m in report.to_snapshot().metrics]


def test_windows_and_segments_of_a_parquet_dataset_equal_in_memory_runs(tmp_path: Path) -> None:
    everything = dataset(tmp_path / "events", range(3), skip=(1,))
    everything["day"] = everything["ts"].dt.strftime("%Y-%m-%d").astype("str")  # the hive column, as text
    monitor = lazy_monitor(tmp_path)
    reference = read_reference(monitor)
    windows = monitor.windows(day(0), day(3))
    evaluations = evaluate_windows(monitor, read_windows(monitor, windows), reference)
    ref_rows = pd.read_parquet(tmp_path / "reference.parquet")
    by_key = {(e.outcome.window.key, e.outcome.segment): e for e in evaluations}
    for i in (0, 2):
        for region in ("eu", "us"):
            evaluation = by_key[(f"{day(i):%Y-%m-%d}", region)]
            times = everything["ts"]
            rows = everything[(times >= pd.Timestamp(day(i))) & (times < pd.Timestamp(day(i + 1)))]
            rows = rows[rows["region"] == region].reset_index(drop=True)
            assert evaluation.outcome.status == "written" and evaluation.outcome.rows == len(rows) == 60
            got = [m.model_dump(mode="json") for m in evaluation.snapshot.metrics]
            expected = in_memory(monitor, rows, ref_rows[ref_rows["region"] == region].reset_index(drop=True))
            assert_same([m["result"] for m in expected], [m["result"] for m in got])
    (skipped,) = [e.outcome for e in evaluations if e.outcome.status == "skipped"]
    assert (
        skipped.window.key == "2026-01-02" and skipped.reason == "no rows in window [2026-01-02, 2026-01-03)"
    )


def test_listed_segment_values_are_filters_pushed_down(tmp_path: Path) -> None:
    rows = dataset(tmp_path / "events", range(1))
    eu_v1 = int(((rows["region"] == "eu") & (rows["model_version"] == "v1")).sum())
    monitor = lazy_monitor(
        tmp_path, segments={"columns": ["region", "model_version"], "values": ["eu/v1", "us/v9"]}
    )
    (batch,) = read_windows(monitor, monitor.windows(day(0), day(1)))
    outcomes = [e.outcome for e in evaluate_windows(monitor, [batch], read_reference(monitor))]
    assert [(o.segment, o.status, o.rows) for o in outcomes] == [
        ("eu/v1", "written", eu_v1),
        ("us/v9", "skipped", 0),
    ]


def test_the_reference_profile_cache_is_set_for_the_evaluation_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """evaluate_windows keeps a lazy reference's profile in a cache under the temporary directory
    while it runs; afterwards the process's settings are as before (later runs do not use it)."""
    import importlib
    from dataclasses import replace

    scale_options = importlib.import_module("monitorflow.scale.options")  # the package exports a function too
    monkeypatch.setattr(scale_options, "_current", replace(scale_options.options(), cache_dir=None))
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    dataset(tmp_path / "events", range(1))
    monitor = lazy_monitor(tmp_path)
    batches = read_windows(monitor, monitor.windows(day(0), day(1)))
    evaluations = evaluate_windows(monitor, batches, read_reference(monitor))
    assert {e.outcome.status for e in evaluations} == {"written"}
    cache = temporary / f"monitorflow-profiles-{os.getuid()}"
    assert cache.is_dir() and any(cache.iterdir())  # the reference was profiled into the cache
    assert scale_options.options().cache_dir is None


def test_include_data_with_a_lazy_source_is_refused(tmp_path: Path) -> None:
    with pytest.raises(MonitorConfigError, match="include_data.*lazy source.*never loads"):
        lazy_monitor(tmp_path, include_data=True)


def test_sql_pushdown_windows_equal_in_memory_runs(tmp_path: Path) -> None:
    pytest.importorskip("duckdb_engine")
    url = f"duckdb:///{tmp_path / 'events.duckdb'}"
    everything = pd.concat([events(i) for i in range(2)], ignore_index=True)
    import duckdb

    with duckdb.connect(str(tmp_path / "events.duckdb")) as conn:
        conn.register("everything", everything)
        conn.execute("CREATE TABLE events AS SELECT * FROM everything")
    monitor = lazy_monitor(
        tmp_path,
        current={
            "kind": "sql",
            "url": url,
            "query": "SELECT * FROM events WHERE ts >= :start AND ts < :end",
            "bind_as": "naive_utc",
            "pushdown": True,
            "order_by": ["id"],
        },
    )
    evaluations = evaluate_windows(
        monitor, read_windows(monitor, monitor.windows(day(0), day(2))), read_reference(monitor)
    )
    ref_rows = pd.read_parquet(tmp_path / "reference.parquet")
    assert [e.outcome.status for e in evaluations] == ["written"] * 4
    import sqlalchemy as sa

    from monitorflow.scale.sql import engine_for

    with engine_for(url).connect() as conn:  # the rows as pandas reads them from the database
        back = pd.read_sql_query(sa.text("SELECT * FROM events ORDER BY id"), conn)
    for evaluation in evaluations:
        i = int(evaluation.outcome.window.key[-1]) - 1
        rows = back[back["id"] // 10_000 == i]
        rows = rows[rows["region"] == evaluation.outcome.segment].sort_values("id").reset_index(drop=True)
        expected = in_memory(
            monitor, rows, ref_rows[ref_rows["region"] == evaluation.outcome.segment].reset_index(drop=True)
        )
        got = [m.model_dump(mode="json") for m in evaluation.snapshot.metrics]
        assert_same([m["result"] for m in expected], [m["result"] for m in got])


# ------------------------------------------------------------------------------------ flow runs


@pytest.fixture(scope="module")
def harness() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def snapshots(monitor) -> list:  # noqa: ANN001
    with Workspace(monitor.workspace) as ws:
        (project,) = ws.search_project(monitor.project)
        return ws.list_snapshots(project.id)


def test_a_bad_file_fails_its_window_naming_it_and_the_backfill_goes_on(tmp_path: Path, harness) -> None:
    from monitorflow.flows import RunFailed, backfill_flow

    dataset(tmp_path / "events", range(3))
    (tmp_path / "events" / "day=2026-01-02" / "part-0.parquet").write_bytes(b"PAR1 this is no parquet PAR1")
    current = {"kind": "parquet", "path": str(tmp_path / "events" / "day={start}"), "timestamp_column": "ts"}
    monitor = lazy_monitor(tmp_path, segments=None, current=current)  # each window lists its own folder
    state = backfill_flow(monitor=monitor, start=day(0), end=day(3), windows_per_task=3, return_state=True)
    assert state.is_failed()
    with pytest.raises(RunFailed, match="day=2026-01-02/part-0.parquet"):
        state.result()
    assert len(snapshots(monitor)) == 2  # the other windows of the same chunk were written


def test_a_backfill_on_dask_profiles_partitions_on_the_flows_cluster(tmp_path: Path, harness) -> None:
    pytest.importorskip("prefect_dask")
    from monitorflow.flows.on_dask import backfill_on_dask

    dataset(tmp_path / "events", range(2))
    monitor = lazy_monitor(tmp_path, segments=None)  # lazy sources on a DaskTaskRunner imply dask: {}
    summary = backfill_on_dask(monitor, day(0), day(2), n_workers=2, windows_per_task=1)
    assert summary.counts() == "2 windows: 2 snapshots written, 0 skipped, 0 failed"
