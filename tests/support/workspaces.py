"""Workspace locations on each backend, for the contract fixtures in ``tests/conftest.py``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from monitorflow.storage.testing import S3Server


@dataclass
class Target:
    """A workspace location on one backend: ``open()`` returns a Workspace on it."""

    name: str
    uri: str
    options: dict[str, Any] = field(default_factory=dict)
    opened: list[Any] = field(default_factory=list)

    def open(self, **kwargs: Any) -> Any:
        from monitorflow.workspace import Workspace

        ws = Workspace.create(self.uri, **{**self.options, **kwargs})
        self.opened.append(ws)
        return ws

    def close(self) -> None:
        for ws in self.opened:
            ws.close()


def point_boto3_at(monkeypatch: pytest.MonkeyPatch, server: S3Server) -> None:
    """Point boto3 at ``server`` through the standard AWS variables only (undone with ``monkeypatch``)."""
    for key in ("AWS_PROFILE", "AWS_ENDPOINT_URL_S3", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    for key, value in server.env().items():
        monkeypatch.setenv(key, value)
