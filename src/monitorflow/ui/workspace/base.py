"""Evidently's ``ui.workspace.base`` path (re-export)."""

from monitorflow.workspace import WorkspaceBase

__all__ = ["WorkspaceBase"]
