"""``import monitorflow`` stays light: no Prefect, SQLAlchemy or boto3 at import time."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("prefect", "sqlalchemy", "boto3", "botocore")

SCRIPT = """
import json, sys
import monitorflow
from monitorflow import Report, TestSuite, ColumnMapping, Snapshot, snapshot
from monitorflow.metrics import DatasetSummaryMetric
from monitorflow.checks import TestNumberOfRows
from monitorflow.metric_preset import DataQualityPreset
from monitorflow.test_preset import DataStabilityTestPreset, DataQualityTestPreset
heavy = %r
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in heavy)))
"""


def test_import_monitorflow_does_not_import_prefect_sqlalchemy_or_boto3():
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT % (HEAVY,)], capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_public_api_names():
    import monitorflow

    for name in ("Report", "TestSuite", "ColumnMapping", "Snapshot", "snapshot", "MonitoringError", "approx"):
        assert hasattr(monitorflow, name), name
    assert callable(monitorflow.snapshot.load)
    assert monitorflow.TestSuite.__test__ is False


def test_import_monitorflow_defers_scipy_stats_and_sklearn():
    """Statistical tests load scipy.stats on first use, so importing the package stays fast."""
    script = "import json, sys, monitorflow; print(json.dumps([m for m in ('scipy.stats', 'sklearn') if m in sys.modules]))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
