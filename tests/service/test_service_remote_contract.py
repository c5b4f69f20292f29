"""RemoteWorkspace passes the workspace contract and the index reads: the same test functions as
tests/workspace, run against a live service (uvicorn on a loopback port) over a fresh folder workspace
per test, through HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from monitorflow.remote import RemoteWorkspace
from monitorflow.service.app import create_app
from monitorflow.service.testing import running
from monitorflow.workspace import Workspace
from tests.workspace import (
    test_workspace_contract,
    test_workspace_data_contract,
    test_workspace_idempotent,
    test_workspace_reads,
)
from tests.workspace.contract_frames import frames  # noqa: F401 - the contract's fixture

# The tests and fixtures of these modules, collected here too, with the ``ws_backend`` fixture below.
for _module in (
    test_workspace_contract,
    test_workspace_data_contract,
    test_workspace_reads,
    test_workspace_idempotent,
):
    globals().update(
        {
            name: obj
            for name, obj in vars(_module).items()
            if name.startswith("test_") or name in ("mode", "filled", "batch")
        }
    )


class RemoteTarget:
    """``open(**kwargs)`` gives a RemoteWorkspace on the running service (kwargs go to the client)."""

    name = "remote"

    def __init__(self, url: str, served: Workspace) -> None:
        self.url = url
        self.served = served
        self.opened: list[RemoteWorkspace] = []

    def open(self, **kwargs: Any) -> RemoteWorkspace:
        ws = RemoteWorkspace(self.url, **kwargs)
        self.opened.append(ws)
        return ws


@pytest.fixture(params=["remote"])
def ws_backend(tmp_path: Path) -> Iterator[RemoteTarget]:
    """A live service over an empty folder workspace; overrides the conftest's backend matrix."""
    served = Workspace.create(tmp_path / "workspace")
    with running(create_app(served)) as url:
        target = RemoteTarget(url, served)
        yield target
        for ws in target.opened:
            ws.close()
    served.close()


def test_the_backend_is_a_remote_workspace_talking_http_to_the_service(ws_backend: RemoteTarget) -> None:
    ws = ws_backend.open()
    assert type(ws) is RemoteWorkspace
    project = ws.create_project("over http")
    listed = httpx.get(f"{ws_backend.url}/api/projects", timeout=10).json()
    assert str(project.id) in str(listed)
    assert ws_backend.served.get_project(project.id).name == "over http"  # stored by the service
