"""User text is escaped on every page: a column named ``<script>alert(1)</script>``, HTML in project
names, tags, metadata, snapshot names and panel titles never reaches a page as markup."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():  # starlette: "Using httpx with starlette.testclient is deprecated"
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient
from monitorflow.service.app import create_app
from monitorflow.workspace import Workspace
from tests.service.svc_helpers import IMG, XSS, hostile_workspace


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Workspace, Any, list[Any]]:
    ws, project, ids = hostile_workspace(tmp_path / "ws")
    yield ws, project, ids
    ws.close()


def assert_escaped(html: str) -> None:
    assert XSS not in html and IMG not in html and "<b>a</b>" not in html
    assert "alert(1)" not in html or "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_every_page_escapes_user_text(hostile: tuple[Workspace, Any, list[Any]]) -> None:
    ws, project, ids = hostile
    client = TestClient(create_app(ws))
    base = f"/projects/{project.id}"
    pages = {
        "projects": "/",
        "dashboard": base,
        "snapshots": base + "/snapshots",
        "snapshot": f"{base}/snapshots/{ids[0]}",
        "compare": f"{base}/compare?a={ids[0]}&b={ids[1]}",
        "suite compare": f"{base}/compare?a={ids[1]}&b={ids[2]}",
        "report html": f"/api/projects/{project.id}/snapshots/{ids[0]}/download?format=html",
        "search": "/?q=" + XSS,
        "filtered list": f"{base}/snapshots?tag={IMG}",
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.text[:300])
        assert_escaped(response.text)
    compare = client.get(pages["compare"]).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in compare  # the drifted column is listed, as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(pages["dashboard"]).text  # the panel title


def test_error_pages_escape_the_message(hostile: tuple[Workspace, Any, list[Any]]) -> None:
    ws, project, _ = hostile
    client = TestClient(create_app(ws))
    response = client.get(f"/projects/{project.id}/snapshots?start={XSS}")
    assert response.status_code == 422
    assert_escaped(response.text)


def test_the_api_returns_user_text_unchanged_as_json(hostile: tuple[Workspace, Any, list[Any]]) -> None:
    ws, project, _ = hostile
    client = TestClient(create_app(ws))
    data = client.get(f"/api/projects/{project.id}/dashboard").json()
    titles = {p["title"] for p in data["panels"]}
    assert titles == {f"drift {XSS}", IMG}
    labels = [
        t["label"] for p in data["panels"] if p["data"]["kind"] == "timeseries" for t in p["data"]["traces"]
    ]
    assert f"{IMG}: {XSS}" in labels
