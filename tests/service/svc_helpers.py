"""Plain helpers shared by the service tests (fixtures live in each module: no conftest here)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from monitorflow import Report, TestSuite
from monitorflow.checks import TestColumnDrift
from monitorflow.metrics import ColumnDriftMetric, DataDriftTable, DatasetSummaryMetric
from monitorflow.panels import DashboardPanelCounter, DashboardPanelPlot, PanelValue
from monitorflow.snapshot import Snapshot, TestSummary
from monitorflow.workspace import Workspace
from tests.support.paths import REPO
from tests.support.snapshots import entry, example_tests

T0 = datetime(2026, 1, 1, tzinfo=UTC)
ARTIFACTS = REPO / "test-artifacts" / "service"
XSS = "<script>alert(1)</script>"


def snapshot(
    i: int,
    *,
    segment: str = "a",
    kind: str = "report",
    rows: int | None = None,
    drift: float | None = None,
    extra_tags: tuple[str, ...] = (),
    hours: int = 24,
) -> Snapshot:
    """A small snapshot ``i`` days (``hours`` apart) after T0 with known values: rows = 100 + i,
    drift score of 'age' = drift (default i / 100), per-column missing counts {"age": i, "city": 1}."""
    rows = 100 + i if rows is None else rows
    drift = i / 100 if drift is None else drift

    metrics = [
        entry(
            DatasetSummaryMetric(),
            {"current": {"number_of_rows": rows, "missing_by_column": {"age": i, "city": 1}}},
        ),
        entry(
            ColumnDriftMetric(column_name="age"),
            {"column_name": "age", "drift_score": drift, "drift_detected": drift > 0.5},
        ),
        entry(
            DataDriftTable(),
            {
                "share_of_drifted_columns": drift / 2,
                "drift_by_columns": {
                    "age": {"drift_score": drift, "drift_detected": drift > 0.5},
                    "city": {"drift_score": drift / 4, "drift_detected": False},
                },
            },
        ),
    ]
    tests = example_tests(rows, drift) if kind == "test_suite" else []
    return Snapshot(
        kind=kind,
        timestamp=T0 + timedelta(hours=hours * i),
        tags=[f"segment:{segment}", *extra_tags],
        metadata={"segment": segment},
        metrics=metrics,
        top_level_metrics=[m.id for m in metrics],
        tests=tests,
        summary=TestSummary.of(tests) if tests else None,
    )


IMG = '<img src=x onerror="alert(2)">'


def hostile_workspace(path: Path) -> tuple[Workspace, Any, list[Any]]:
    """A project whose column, names, tags, metadata and panel titles all carry markup."""
    ws = Workspace.create(path)
    project = ws.create_project(f"churn {XSS}", description=f"about {IMG}")
    rng = np.random.default_rng(3)
    reference = pd.DataFrame({XSS: rng.normal(0, 1, 300), "plain": rng.normal(0, 1, 300)})
    ids = []
    for day in range(2):
        current = pd.DataFrame({XSS: rng.normal(day, 1, 200), "plain": rng.normal(0, 1, 200)})
        report = Report(
            metrics=[DatasetSummaryMetric(), ColumnDriftMetric(column_name=XSS), DataDriftTable()],
            name=f"report {XSS}",
            tags=[IMG, "segment:<b>a</b>"],
            metadata={"owner": XSS},
        )
        report.run(reference_data=reference, current_data=current, timestamp=T0 + pd.Timedelta(days=day))
        ids.append(ws.add_report(project.id, report).id)
    suite = TestSuite(tests=[TestColumnDrift(column_name=XSS)], tags=[IMG])
    suite.run(reference_data=reference, current_data=current, timestamp=T0 + pd.Timedelta(days=3))
    ids.append(ws.add_test_suite(project.id, suite).id)
    project.dashboard.add_panel(
        DashboardPanelPlot(
            title=f"drift {XSS}",
            values=[
                PanelValue(
                    metric_id="DataDriftTable", field_path="drift_by_columns.*.drift_score", legend=IMG
                )
            ],
        ),
        tab=f"tab {XSS}",
    )
    project.dashboard.add_panel(DashboardPanelCounter(title=IMG, text=XSS))
    project.save()
    return ws, project, ids
