"""RemoteWorkspace passes the workspace contract: the same test functions as tests/workspace, run
against a live service (uvicorn on a free loopback port) over a fresh folder workspace per test."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from monitorflow.remote import RemoteWorkspace  # noqa: E402
from monitorflow.service.app import create_app  # noqa: E402
from monitorflow.service.testing import running  # noqa: E402
from monitorflow.workspace import Workspace  # noqa: E402

_CONTRACT = Path(__file__).resolve().parents[1] / "workspace" / "test_workspace_contract.py"
_spec = importlib.util.spec_from_file_location("_workspace_contract_for_remote", _CONTRACT)
assert _spec is not None and _spec.loader is not None
contract = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(contract)

# The contract's tests and its ``frames`` fixture, collected here with the ``backend`` fixture below.
globals().update(
    {name: obj for name, obj in vars(contract).items() if name.startswith("test_") or name == "frames"}
)


class RemoteTarget:
    """``open(**kwargs)`` gives a RemoteWorkspace on the running service (kwargs go to the client)."""

    name = "remote"

    def __init__(self, url: str) -> None:
        self.url = url
        self.opened: list[RemoteWorkspace] = []

    def open(self, **kwargs: Any) -> RemoteWorkspace:
        ws = RemoteWorkspace(self.url, **kwargs)
        self.opened.append(ws)
        return ws


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[RemoteTarget]:
    """A live service over an empty folder workspace; overrides the conftest's backend matrix."""
    local = Workspace.create(tmp_path / "workspace")
    with running(create_app(local)) as url:
        target = RemoteTarget(url)
        yield target
        for ws in target.opened:
            ws.close()
    local.close()
