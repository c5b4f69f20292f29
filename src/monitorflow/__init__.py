"""monitorflow: evaluate data and ML models, keep the results as snapshots, track them over time.

>>> import pandas as pd
>>> from monitorflow import Report
>>> from monitorflow.metric_preset import DataQualityPreset
>>> report = Report(metrics=[DataQualityPreset()])
>>> report.run(reference_data=None, current_data=pd.DataFrame({"age": [31, 45, 27, 39, 52, 60]}))
>>> report.as_dict()["metrics"][0]["result"]["current"]["number_of_rows"]
6

The public names load on first use (module ``__getattr__``): ``import monitorflow`` stays cheap for the
command line and the service, which never touch the metric library unless they run or rebuild a report.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from monitorflow.version import __version__

#: Public name -> the module that defines it (a module itself when the name is a subpackage).
_LAZY = {
    "ColumnMapping": "monitorflow.column_mapping",
    "ColumnType": "monitorflow.column_mapping",
    "DataDefinition": "monitorflow.column_mapping",
    "MonitoringError": "monitorflow.errors",
    "Project": "monitorflow.workspace",
    "RemoteWorkspace": "monitorflow.remote",
    "Report": "monitorflow.report",
    "Snapshot": "monitorflow.snapshot",
    "TestSuite": "monitorflow.test_suite",
    "Workspace": "monitorflow.workspace",
    "approx": "monitorflow.conditions",
}
_SUBPACKAGES = ("checks", "metric_preset", "metrics", "snapshot", "test_preset", "tests")

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

if TYPE_CHECKING:  # what a type checker and an IDE see; at run time names load on first use
    from monitorflow import checks, metric_preset, metrics, snapshot, test_preset, tests
    from monitorflow.column_mapping import ColumnMapping, ColumnType, DataDefinition
    from monitorflow.conditions import approx
    from monitorflow.errors import MonitoringError
    from monitorflow.remote import RemoteWorkspace
    from monitorflow.report import Report
    from monitorflow.snapshot import Snapshot
    from monitorflow.test_suite import TestSuite
    from monitorflow.workspace import Project, Workspace


def __getattr__(name: str) -> Any:
    if name in _SUBPACKAGES:
        module = importlib.import_module(f"monitorflow.{name}")
        globals()[name] = module
        return module
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'monitorflow' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
