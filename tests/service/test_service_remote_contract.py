"""RemoteWorkspace passes the workspace contract and the index reads: the same test functions as
tests/workspace, run against a live service (uvicorn on a free loopback port) over a fresh folder
workspace per test."""

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

_WORKSPACE_TESTS = Path(__file__).resolve().parents[1] / "workspace"


def _load(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"_{name}_for_remote", _WORKSPACE_TESTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The tests and fixtures of both modules, collected here with the ``ws_backend`` fixture below.
for _module in (_load("test_workspace_contract"), _load("test_workspace_reads")):
    globals().update(
        {
            name: obj
            for name, obj in vars(_module).items()
            if name.startswith("test_") or name in ("frames", "mode", "filled")
        }
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
def ws_backend(tmp_path: Path) -> Iterator[RemoteTarget]:
    """A live service over an empty folder workspace; overrides the conftest's backend matrix."""
    local = Workspace.create(tmp_path / "workspace")
    with running(create_app(local)) as url:
        target = RemoteTarget(url)
        yield target
        for ws in target.opened:
            ws.close()
    local.close()
