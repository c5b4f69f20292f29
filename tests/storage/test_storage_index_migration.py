"""Opening an index written at schema version 3 (fingerprint columns named ``metric_id`` and
``test_id``) migrates it once, on every backend, and reads the same series, statuses and dashboards;
a folder workspace written by monitorflow 0.1.0 at version 3 (a checked-in fixture) opens the same way."""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pandas as pd

from monitorflow.panel_data import DashboardQuery
from monitorflow.panels import (
    DashboardPanelPlot,
    DashboardPanelTestSuite,
    PanelValue,
    TestFilter,
    TestSuitePanelType,
)
from monitorflow.storage.base import SeriesQuery, TestStatusQuery
from monitorflow.storage.index import SCHEMA_VERSION, Index
from monitorflow.storage.index.queries import SqlReads
from monitorflow.storage.runners import SqliteRunner
from monitorflow.workspace import Workspace
from tests.support.old_schema import VERSION_3_COLUMNS, columns_of, downgrade_to_v3

DRIFTS = [0.05, 0.3, 0.55, 0.8, 0.2, 0.9]


def _fill(ws: Workspace, make_snapshot: Any) -> Any:
    """Six snapshots (every other a test suite) with known drift on 'age' (income: half of it)."""
    project = ws.create_project("p")
    for i, drift in enumerate(DRIFTS):
        kind = "test_suite" if i % 2 else "report"
        ws.add_snapshot(project.id, make_snapshot(i, drift=drift, kind=kind, tags=[f"t{i % 3}"]))
    project.dashboard.add_panel(
        DashboardPanelPlot(
            title="age",
            values=[
                PanelValue(
                    metric_id="ColumnDriftMetric",
                    field_path="drift_score",
                    metric_args={"column_name": "age"},
                )
            ],
        )
    )
    project.dashboard.add_panel(
        DashboardPanelTestSuite(
            title="tests",
            test_filters=[TestFilter(test_id="TestColumnDrift")],
            panel_type=TestSuitePanelType.DETAILED,
        )
    )
    project.save()
    return project


def _reads(ws: Workspace, pid: Any) -> dict[str, Any]:
    return {
        "series": ws.series(pid, "ColumnDriftMetric", "drift_score", with_fingerprint=True),
        "statuses": ws.test_status_series(pid),
        "dashboard": ws.dashboard_data(pid, DashboardQuery()),
    }


def test_a_version_3_index_is_migrated_once_and_reads_the_same(ws_backend: Any, make_snapshot: Any) -> None:
    ws = ws_backend.open()
    project = _fill(ws, make_snapshot)
    before = _reads(ws, project.id)
    downgrade_to_v3(ws)
    assert {"metric_id"} <= columns_of(ws, "mf_series") - {"metric_fingerprint"}
    assert ws.store.index.schema_version() == 3
    ws.close()

    ws = ws_backend.open()
    assert ws.store.index.schema_version() == SCHEMA_VERSION == 4
    for table, now, old in VERSION_3_COLUMNS:
        assert now in columns_of(ws, table) and old not in columns_of(ws, table), table
    after = _reads(ws, project.id)
    pd.testing.assert_frame_equal(after["series"], before["series"])
    pd.testing.assert_frame_equal(after["statuses"], before["statuses"])
    assert after["dashboard"]["panels"] == before["dashboard"]["panels"]
    # and the values are the ones written: age's drift and half of it for income, per snapshot
    age = ws.series(project.id, "ColumnDriftMetric", "drift_score", metric_args={"column_name": "age"})
    assert age["value"].round(9).tolist() == DRIFTS
    assert after["series"]["metric_fingerprint"].nunique() == 2
    drift = after["statuses"][after["statuses"]["test_type"] == "TestColumnDrift"]
    assert drift["status"].tolist() == ["FAIL" if d > 0.5 else "SUCCESS" for d in DRIFTS[1::2]]
    # writes go on in the migrated index, and a second open does not migrate again
    ws.add_snapshot(project.id, make_snapshot(6, drift=0.4, kind="test_suite"))
    ws.close()
    ws = ws_backend.open()
    versions = ws.store.index.runner.read(lambda tx: tx.fetchall("SELECT version FROM mf_schema_version"))
    assert sorted(v for (v,) in versions) == [3, 4]  # created at 3, migrated to 4 once
    assert len(ws.test_status_series(project.id, "TestColumnDrift")) == 4


# ------------------------------------------------------------- a workspace written by 0.1.0

FIXTURE = Path(__file__).parents[1] / "data" / "workspaces" / "v3_folder"
#: The fixture's current frames (make_v3_folder.py): x = 0..n-1 for these n, one per day.
FIXTURE_ROWS = [10, 20, 30, 40]


def _sqlite(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute(sql).fetchall()


def test_a_folder_workspace_written_at_version_3_opens_migrated(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    shutil.copytree(FIXTURE, folder)
    index = folder / ".index.sqlite"
    assert _sqlite(index, "SELECT MAX(version) FROM mf_schema_version") == [(3,)]
    assert "metric_id" in {name for _, name, *_ in _sqlite(index, "PRAGMA table_info(mf_series)")}
    points = _sqlite(index, "SELECT series_id, ts, snapshot_id, value FROM mf_points ORDER BY 1, 2, 3")
    (pid,) = _sqlite(index, "SELECT id FROM mf_projects")[0]

    # the index alone (no sync with the files): the migrated rows themselves answer
    runner = SqliteRunner(index)
    Index(runner)
    reads = SqlReads(runner)
    assert _sqlite(index, "SELECT MAX(version) FROM mf_schema_version") == [(4,)]
    assert (
        _sqlite(index, "SELECT series_id, ts, snapshot_id, value FROM mf_points ORDER BY 1, 2, 3") == points
    )
    rows = reads.series(
        SeriesQuery(project_id=pid, metric_type="DatasetSummaryMetric", field_path="current.number_of_rows")
    )
    assert [value for _, _, value, _ in rows] == FIXTURE_ROWS
    means = reads.series(
        SeriesQuery(
            project_id=pid,
            metric_type="ColumnSummaryMetric",
            metric_args={"column_name": "x"},
            field_path="current_characteristics.mean",
        )
    )
    assert [value for _, _, value, _ in means] == [pd.Series(range(n)).mean() for n in FIXTURE_ROWS]
    written = [json.loads(p.read_text()) for p in sorted(folder.glob("*/snapshots/*.json"))]
    summary = {m["id"] for s in written for m in s["metrics"] if m["type"] == "ColumnSummaryMetric"}
    assert {fingerprint for *_, fingerprint in means} == summary
    statuses = reads.test_statuses(TestStatusQuery(project_id=pid, test_type="TestNumberOfRows"))
    assert [row[5] for row in statuses] == ["FAIL" if n < 25 else "SUCCESS" for n in FIXTURE_ROWS]
    mean_tests = reads.test_statuses(TestStatusQuery(project_id=pid, test_args={"column_name": "x"}))
    expected = ["SUCCESS" if pd.Series(range(n)).mean() >= 5 else "FAIL" for n in FIXTURE_ROWS]
    assert [row[5] for row in mean_tests] == expected
    runner.close()

    # the workspace: the same answers, and new writes
    ws = Workspace(folder)
    assert ws.series(pid, "DatasetSummaryMetric", "current.number_of_rows")["value"].tolist() == FIXTURE_ROWS
    frame = ws.test_status_series(pid, "TestColumnValueMean")
    assert frame["status"].tolist() == expected
    assert set(frame["test_fingerprint"]) == {
        t["id"] for s in written for t in s.get("tests", []) if t["type"] == "TestColumnValueMean"
    }
    ws.close()
