"""Access rules: with a token every route needs it (reads too, on loopback as well) unless reads are
explicitly public, refusal to start exposed without a token, the login cookie (expiring, revocable),
throttled guessing, constant-time comparison, and tokens kept out of logs."""

from __future__ import annotations

import http.client
import logging
import time
import uuid
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

with warnings.catch_warnings():  # starlette: "Using httpx with starlette.testclient is deprecated"
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient
from monitorflow.errors import ConfigurationError
from monitorflow.remote import RemoteWorkspace
from monitorflow.service import main
from monitorflow.service import security as security_module
from monitorflow.service.app import _safe_next, create_app
from monitorflow.service.security import COOKIE, Access, check_binding, is_loopback
from monitorflow.service.server import build
from monitorflow.service.testing import running
from monitorflow.workspace import Workspace
from tests.service.svc_helpers import snapshot

TOKEN = "tok-3f9a1c77e2b54d0a"


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace = Workspace.create(tmp_path / "ws")
    yield workspace
    workspace.close()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_public_reads_open_the_reads_and_writes_still_need_the_token(ws: Workspace) -> None:
    client = TestClient(create_app(ws, token=TOKEN, public_reads=True))
    assert client.get("/api/version").json()["auth"] == "writes"
    missing = client.post("/api/projects", json={"name": "p"})
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    assert client.post("/api/projects", json={"name": "p"}, headers=bearer("wrong")).status_code == 401
    assert (
        client.post("/api/projects", json={"name": "p"}, headers={"Authorization": TOKEN}).status_code == 401
    )
    created = client.post("/api/projects", json={"name": "p"}, headers=bearer(TOKEN))
    assert created.status_code == 201
    pid = created.json()["id"]
    assert client.get("/api/projects").status_code == 200 and client.get("/").status_code == 200
    snap = snapshot(1).json_bytes()
    assert client.post(f"/api/projects/{pid}/snapshots", content=snap).status_code == 401
    assert client.delete(f"/api/projects/{pid}").status_code == 401
    assert client.post("/api/reindex").status_code == 401
    assert ws.list_snapshots(pid) == []


def test_with_a_token_reads_need_it_too_on_every_interface(ws: Workspace) -> None:
    """TestClient calls come from loopback, as through a reverse proxy on the same machine."""
    project = ws.create_project("p")
    client = TestClient(create_app(ws, token=TOKEN), follow_redirects=False)
    assert client.get("/api/version").json()["auth"] == "all"
    assert client.get("/api/projects").status_code == 401
    assert client.get(f"/api/projects/{project.id}/dashboard").status_code == 401
    assert client.get("/api/projects", headers=bearer("nope")).status_code == 401
    assert client.get("/api/projects", headers=bearer(TOKEN)).status_code == 200
    page = client.get(f"/projects/{project.id}")
    assert page.status_code == 303 and page.headers["location"] == f"/login?next=/projects/{project.id}"
    assert client.get("/static/app.css").status_code == 200  # no secrets in the bundled assets
    assert client.get("/login").status_code == 200


def test_login_sets_an_http_only_cookie_that_never_holds_the_token_and_cannot_write(ws: Workspace) -> None:
    project = ws.create_project("p")
    client = TestClient(create_app(ws, token=TOKEN), follow_redirects=False)
    wrong = client.post(
        "/login",
        content=f"token=nope&next=/projects/{project.id}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert wrong.status_code == 303 and "failed=1" in wrong.headers["location"]
    right = client.post(
        "/login",
        content=f"token={TOKEN}&next=/projects/{project.id}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert right.status_code == 303 and right.headers["location"] == f"/projects/{project.id}"
    cookie = right.headers["set-cookie"]
    assert (
        "HttpOnly" in cookie
        and "SameSite=strict" in cookie.replace("Strict", "strict")
        and TOKEN not in cookie
    )
    assert client.cookies[COOKIE] == right.cookies[COOKIE]  # the client keeps the session cookie
    assert client.get(f"/projects/{project.id}").status_code == 200
    assert client.get("/api/projects").status_code == 200
    assert client.post("/api/projects", json={"name": "x"}).status_code == 401
    client.cookies.clear()
    client.cookies.set(COOKIE, "forged")
    assert client.get("/").status_code == 303


def test_login_never_redirects_to_another_site() -> None:
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "", None):
        assert _safe_next(target) == "/"
    assert _safe_next("/projects/x?tab=1") == "/projects/x?tab=1"


def test_tokens_are_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = security_module.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(security_module.hmac, "compare_digest", spy)
    access = Access(token=TOKEN)
    assert not access.allows("Bearer wrong", None, write=True)
    assert access.allows(f"Bearer {TOKEN}", None, write=False)
    assert len(calls) == 2 and TOKEN not in repr(access)


def test_binding_rules() -> None:
    assert (
        is_loopback("127.0.0.1")
        and is_loopback("::1")
        and is_loopback("127.9.9.9")
        and is_loopback("localhost")
    )
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.com")
    check_binding("127.0.0.1", None, insecure=False)
    check_binding("0.0.0.0", TOKEN, insecure=False)
    check_binding("0.0.0.0", None, insecure=True)
    with pytest.raises(ConfigurationError, match="refusing to serve on '0.0.0.0' without a token"):
        check_binding("0.0.0.0", None, insecure=False)
    with pytest.raises(ConfigurationError, match="empty"):
        check_binding("127.0.0.1", "  ", insecure=False)


def test_ui_command_refuses_to_start_exposed_without_a_token(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MONITORFLOW_TOKEN", raising=False)
    code = main(["--workspace", str(tmp_path / "ws"), "--host", "0.0.0.0", "--port", "1"])
    assert code == 2
    assert "refusing to serve on '0.0.0.0'" in capsys.readouterr().err
    assert not (tmp_path / "ws").exists()  # refused before touching the workspace


def test_the_token_comes_from_the_environment(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONITORFLOW_TOKEN", TOKEN)
    client = TestClient(build(ws, host="0.0.0.0"))
    assert client.get("/api/projects").status_code == 401
    assert client.get("/api/projects", headers=bearer(TOKEN)).status_code == 200


def test_remote_workspace_with_no_wrong_and_right_token(
    ws: Workspace, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    with running(create_app(ws, token=TOKEN)) as url:
        anonymous = RemoteWorkspace(url, token="")
        with pytest.raises(ConfigurationError, match="token"):
            anonymous.list_projects()  # reads need the token too, also on loopback
        with pytest.raises(ConfigurationError, match="token"):
            anonymous.create_project("p")
        with pytest.raises(ConfigurationError, match="refused the request \\(401\\)"):
            RemoteWorkspace(url, token="wrong").create_project("p")
        remote = RemoteWorkspace(url, token=TOKEN)
        project = remote.create_project("p")
        remote.add_snapshot(project.id, snapshot(1))
        assert [p.id for p in remote.list_projects()] == [project.id]
        for client in (anonymous, remote):
            client.close()
    out, err = capfd.readouterr()
    assert TOKEN not in caplog.text and TOKEN not in out and TOKEN not in err


def test_oversized_upload_is_answered_before_the_body_is_sent(ws: Workspace) -> None:
    """A live server answers 413 from Content-Length alone: the client never sends the 1 GB body."""
    project = ws.create_project("p")
    with running(create_app(ws)) as url:
        parsed = urlparse(url)
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
        conn.putrequest("POST", f"/api/projects/{project.id}/snapshots")
        conn.putheader("Content-Type", "application/json")
        conn.putheader("Content-Length", str(1024**3))
        conn.endheaders()
        response = conn.getresponse()
        assert response.status == 413
        assert b"SnapshotTooLarge" in response.read()
        conn.close()
    assert ws.list_snapshots(project.id) == []


def test_unknown_ids_from_the_remote_map_back_to_not_found_errors(ws: Workspace) -> None:
    from monitorflow.errors import ProjectNotFound, SnapshotNotFound

    with running(create_app(ws)) as url, RemoteWorkspace(url) as remote:
        project = remote.create_project("p")
        with pytest.raises(SnapshotNotFound) as err:
            remote.load_snapshot(project.id, uuid.uuid4())
        assert str(project.id) in str(err.value)
        with pytest.raises(ProjectNotFound, match="workspace.list_projects"):
            remote.get_project(uuid.uuid4())


def _login(client: TestClient, token: str) -> Any:
    return client.post(
        "/login",
        content=f"token={token}&next=/",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def test_the_session_cookie_expires_and_logout_revokes_it(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = TestClient(create_app(ws, token=TOKEN), follow_redirects=False)
    cookie = _login(client, TOKEN).cookies[COOKIE]
    assert client.get("/").status_code == 200
    assert "Sign out" in client.get("/").text
    kept = cookie  # a copy someone kept (another tab, a stolen cookie)
    out = client.post("/logout")
    assert out.status_code == 303 and out.headers["location"] == "/login"
    client.cookies.set(COOKIE, kept)
    assert client.get("/").status_code == 303  # revoked on the server, not only deleted in the browser

    fresh = _login(client, TOKEN).cookies[COOKIE]
    client.cookies.set(COOKIE, fresh)
    assert client.get("/").status_code == 200
    later = time.time() + security_module.SESSION_TTL_S + 1
    monkeypatch.setattr(security_module.time, "time", lambda: later)
    assert client.get("/").status_code == 303  # expired


def test_wrong_tokens_are_throttled_per_client(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(security_module.time, "monotonic", lambda: now[0])
    app = create_app(ws, token=TOKEN)
    client = TestClient(app, follow_redirects=False)
    for _ in range(security_module.FREE_ATTEMPTS):
        assert client.get("/api/projects", headers=bearer("guess")).status_code == 401
    blocked = client.get("/api/projects", headers=bearer(TOKEN))  # even the right token waits
    assert blocked.status_code == 429 and blocked.json()["error"] == "TooManyAttempts"
    assert int(blocked.headers["retry-after"]) >= 1
    assert _login(client, "guess").status_code == 429  # the login form counts the same attempts
    now[0] += 1.5
    assert client.get("/api/projects", headers=bearer("guess")).status_code == 401
    assert client.get("/api/projects", headers=bearer(TOKEN)).status_code == 429  # now 2 s to wait
    now[0] += 2.5
    assert client.get("/api/projects", headers=bearer(TOKEN)).status_code == 200  # a success resets
    assert client.get("/api/projects", headers=bearer("guess")).status_code == 401
    assert client.get("/api/projects", headers=bearer(TOKEN)).status_code == 200
