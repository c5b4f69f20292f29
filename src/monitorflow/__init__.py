"""monitorflow: evaluate data and ML models, keep the results as snapshots, track them over time.

>>> import pandas as pd
>>> from monitorflow import Report
>>> from monitorflow.metric_preset import DataQualityPreset
>>> report = Report(metrics=[DataQualityPreset()])
>>> report.run(reference_data=None, current_data=pd.DataFrame({"age": [31, 45, 27, 39, 52, 60]}))
>>> report.as_dict()["metrics"][0]["result"]["current"]["number_of_rows"]
6
"""

from monitorflow import checks, metric_preset, metrics, snapshot, test_preset, tests
from monitorflow.column_mapping import ColumnMapping, ColumnType, DataDefinition
from monitorflow.conditions import approx
from monitorflow.errors import MonitoringError
from monitorflow.remote import RemoteWorkspace
from monitorflow.report import Report
from monitorflow.snapshot import Snapshot
from monitorflow.test_suite import TestSuite
from monitorflow.version import __version__
from monitorflow.workspace import Project, Workspace

__all__ = [
    "ColumnMapping",
    "ColumnType",
    "DataDefinition",
    "MonitoringError",
    "Project",
    "RemoteWorkspace",
    "Report",
    "Snapshot",
    "TestSuite",
    "Workspace",
    "__version__",
    "approx",
    "checks",
    "metric_preset",
    "metrics",
    "snapshot",
    "test_preset",
    "tests",
]
