"""``DemoProject``: a project made of generated reports and test suites (Evidently's demo-project shape).

``create(workspace)`` makes the project with ``create_project(ws, name)``, builds the data once with
``create_data()``, then adds ``create_report(i, data)`` and ``create_test_suite(i, data)`` for
``i in range(count)``. ``workspace`` is a workspace, a folder path, or an ``http(s)://`` service URL.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from monitorflow.remote import RemoteWorkspace
from monitorflow.workspace import Workspace, WorkspaceBase


@dataclasses.dataclass
class DemoProject:
    name: str
    create_project: Callable[[WorkspaceBase, str], Any]
    create_data: Callable[[], Any]
    create_report: Callable[[int, Any], Any] | None
    create_test_suite: Callable[[int, Any], Any] | None
    count: int

    def create(self, workspace: str | WorkspaceBase) -> Any:
        """Make the project in ``workspace`` and fill it; returns the project."""
        ws = _workspace(workspace)
        project = self.create_project(ws, self.name)
        data = self.create_data()
        for i in range(self.count):
            if self.create_report is not None:
                ws.add_report(project.id, self.create_report(i, data))
            if self.create_test_suite is not None:
                ws.add_test_suite(project.id, self.create_test_suite(i, data))
        return project


def _workspace(workspace: str | WorkspaceBase) -> WorkspaceBase:
    if isinstance(workspace, WorkspaceBase):
        return workspace
    if str(workspace).startswith(("http://", "https://")):
        return RemoteWorkspace(str(workspace))

    return Workspace.create(workspace)
