"""Evidently's ``ui.errors`` path: the errors a workspace raises (re-exports)."""

from monitorflow.errors import MonitoringError as EvidentlyServiceError
from monitorflow.errors import ProjectNotFound, SnapshotNotFound

__all__ = ["EvidentlyServiceError", "ProjectNotFound", "SnapshotNotFound"]
