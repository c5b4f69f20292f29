"""Evidently's ``ui.workspace.view`` path (re-export: its ``Workspace`` is monitorflow's local one)."""

from monitorflow.workspace import Workspace

__all__ = ["Workspace"]
