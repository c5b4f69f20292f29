"""Evidently's ``ui.workspace.remote`` path (re-export)."""

from monitorflow.remote import RemoteWorkspace

__all__ = ["RemoteWorkspace"]
