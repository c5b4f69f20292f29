"""Workspaces at Evidently's ``ui.workspace`` path (re-exports)."""

from monitorflow.remote import RemoteWorkspace
from monitorflow.workspace import Workspace, WorkspaceBase

__all__ = ["RemoteWorkspace", "Workspace", "WorkspaceBase"]
