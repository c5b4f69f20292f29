"""Evidently's ``ui.remote`` path (re-export)."""

from monitorflow.remote import RemoteWorkspace

__all__ = ["RemoteWorkspace"]
