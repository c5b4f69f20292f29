"""Prefect tasks: thin wrappers that load a window's data, compute a report or test suite, upload a snapshot.

Each task wraps a function of :mod:`monitorflow.monitoring` (which imports no Prefect) and takes small
configs (a :class:`~monitorflow.monitoring.Monitor`, windows, URIs) and frames, never connections. Unit tests
call the raw functions as ``task.fn(...)``.
"""

from monitorflow.tasks.compute import compute_windows
from monitorflow.tasks.estimation import load_estimators
from monitorflow.tasks.ground_truth import compute_quality, load_labels, load_predictions
from monitorflow.tasks.load import load_reference, load_windows
from monitorflow.tasks.upload import ensure_project, upload_snapshots

__all__ = [
    "compute_quality",
    "compute_windows",
    "ensure_project",
    "load_estimators",
    "load_labels",
    "load_predictions",
    "load_reference",
    "load_windows",
    "upload_snapshots",
]
