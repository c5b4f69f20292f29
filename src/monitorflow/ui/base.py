"""Evidently's ``ui.base`` path: projects and snapshot metadata (re-exports; Evidently's
``SnapshotMetadata`` is monitorflow's ``SnapshotInfo``)."""

from monitorflow.snapshot import Snapshot
from monitorflow.storage.base import SnapshotInfo as SnapshotMetadata
from monitorflow.workspace import Project

__all__ = ["Project", "Snapshot", "SnapshotMetadata"]
