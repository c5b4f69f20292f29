"""Monitors without Prefect: definitions, windows, sources and the evaluation of a window.

A :class:`Monitor` (a pydantic model, also written as YAML) names a project in a workspace, where the
data comes from, what to compute and per which window and segment. Everything here runs in plain
Python; :mod:`monitorflow.tasks` and :mod:`monitorflow.flows` wrap it for Prefect.

Modules: ``windows`` (durations, windows, alignment), ``sources`` (one module per source kind: its
configuration and its reader), ``specs`` (metrics and tests by name), ``definition`` (the Monitor),
``loading`` (a window's rows), ``evaluate`` (a window's snapshots), ``ground_truth`` (late labels),
``results`` (what passes between them).
"""

from monitorflow.monitoring.definition import (
    GroundTruth,
    Monitor,
    Segments,
    describe_errors,
    load_monitor,
    parse_monitor,
)
from monitorflow.monitoring.sources import (
    DatasetSource,
    FileSource,
    ParquetDatasetSource,
    PythonSource,
    Source,
    SQLSource,
    load_source,
)
from monitorflow.monitoring.specs import MetricSpec, TestSpec
from monitorflow.monitoring.windows import Duration, FixedPeriod, ShiftedWindow, Window

__all__ = [
    "DatasetSource",
    "Duration",
    "FileSource",
    "FixedPeriod",
    "ParquetDatasetSource",
    "GroundTruth",
    "MetricSpec",
    "Monitor",
    "PythonSource",
    "SQLSource",
    "Segments",
    "ShiftedWindow",
    "Source",
    "TestSpec",
    "Window",
    "describe_errors",
    "load_monitor",
    "load_source",
    "parse_monitor",
]
