"""Write the index-schema-version-3 folder workspace fixture (run once, with monitorflow 0.1.0 at index
schema 3, e.g. ``git archive 2d4f394 src``; the folder is committed).

    PYTHONPATH=<old checkout>/src python tests/data/workspaces/make_v3_folder.py

It freezes a workspace as that version left it (fingerprint columns ``metric_id``/``test_id``):
later versions must open and migrate it (tests/storage/test_storage_index_migration.py). Do not
regenerate it with a newer monitorflow.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd

from monitorflow import Report, TestSuite
from monitorflow.checks import TestColumnValueMean, TestNumberOfRows
from monitorflow.metrics import ColumnSummaryMetric, DatasetSummaryMetric
from monitorflow.workspace import Workspace

HERE = Path(__file__).parent
TARGET = HERE / "v3_folder"
T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
#: Rows of day i's current frame: ``x`` = 0..n-1 (mean (n - 1) / 2).
ROWS = [10, 20, 30, 40]


def frame(n: int) -> pd.DataFrame:
    return pd.DataFrame({"x": [float(v) for v in range(n)], "c": ["ab"[v % 2] for v in range(n)]})


def write() -> None:
    ws = Workspace.create(TARGET)
    with sqlite3.connect(TARGET / ".index.sqlite") as db:
        assert db.execute("SELECT MAX(version) FROM mf_schema_version").fetchone() == (3,)
    project = ws.create_project("v3")
    for day, n in enumerate(ROWS):
        when = T0 + timedelta(days=day)
        metrics = [DatasetSummaryMetric(), ColumnSummaryMetric(column_name="x")]
        report = Report(metrics=metrics, timestamp=when, tags=[f"day{day}"])
        report.run(reference_data=None, current_data=frame(n))
        ws.add_report(project.id, report)
        tests = [TestNumberOfRows(gte=25), TestColumnValueMean(column_name="x", gte=5.0)]
        suite = TestSuite(tests=tests, timestamp=when + timedelta(hours=1), tags=[f"day{day}"])
        suite.run(reference_data=None, current_data=frame(n))
        ws.add_test_suite(project.id, suite)
    ws.close()


def main() -> None:
    """Write the workspace in a child process, then store the index in 512-byte pages (about 25 KB
    instead of 170 KB; the same rows): that needs the writer's connections closed, hence the child."""
    shutil.rmtree(TARGET, ignore_errors=True)
    subprocess.run([sys.executable, __file__, "write"], check=True)
    db = sqlite3.connect(TARGET / ".index.sqlite", isolation_level=None)
    db.execute("PRAGMA journal_mode = DELETE")  # opening the workspace sets WAL mode again
    db.execute("PRAGMA page_size = 512")
    db.execute("VACUUM")
    db.close()


if __name__ == "__main__":
    write() if sys.argv[1:] == ["write"] else main()
