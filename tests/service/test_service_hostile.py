"""A service that answers every input: each bad request a 4xx with a JSON error body, an unexpected
failure a JSON 500 on a connection that stays usable, RemoteWorkspace fine on its next call, and no
answer that shows the server's file paths. Each case here was a 500 or a broken connection once."""

from __future__ import annotations

import http.client
import json
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

with warnings.catch_warnings():  # starlette: "Using httpx with starlette.testclient is deprecated"
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient
from monitorflow.errors import MonitoringError, SnapshotError
from monitorflow.remote import RemoteWorkspace
from monitorflow.service.app import create_app
from monitorflow.service.testing import running
from monitorflow.storage.wire import PARTS_TYPE, encode_parts
from monitorflow.workspace import Workspace
from tests.service.svc_helpers import snapshot

JSON = {"Content-Type": "application/json"}
DEEP = "[" * 100_000 + "]" * 100_000
HUGE = "9" * 5000
CALENDAR_ENDS = ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"]


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace = Workspace.create(tmp_path / "ws")
    yield workspace
    workspace.close()


@pytest.fixture
def client(ws: Workspace) -> TestClient:
    return TestClient(create_app(ws), raise_server_exceptions=False)


def _snapshot_json(**changes: Any) -> bytes:
    body = json.loads(snapshot(1).json_bytes())
    body.update(changes)
    return json.dumps(body).encode()


def _bad_requests(pid: Any) -> list[tuple[str, str, str, dict[str, Any]]]:
    base = f"/api/projects/{pid}"
    cases = [
        ("deeply nested snapshot", "POST", f"{base}/snapshots", {"content": DEEP, "headers": JSON}),
        ("deeply nested series query", "POST", f"{base}/series", {"content": DEEP, "headers": JSON}),
        (
            "5,000-digit number in a snapshot",
            "POST",
            f"{base}/snapshots",
            {"content": _snapshot_json()[:-1] + f', "x": {HUGE}}}'.encode(), "headers": JSON},
        ),
        (
            "5,000-digit number in a query body",
            "POST",
            f"{base}/series",
            {"content": f'{{"field_path": "a", "metadata": {{"k": {HUGE}}}}}', "headers": JSON},
        ),
        ("5,000-digit limit", "GET", f"{base}/snapshots", {"params": {"limit": HUGE}}),
        (
            "schema_version -5",
            "POST",
            f"{base}/snapshots",
            {"content": _snapshot_json(schema_version=-5), "headers": JSON},
        ),
        (
            "timestamp without a UTC equivalent",
            "POST",
            f"{base}/snapshots",
            {"content": _snapshot_json(timestamp=CALENDAR_ENDS[0]), "headers": JSON},
        ),
        (
            "a dataset part that is not Parquet",
            "POST",
            f"{base}/snapshots",
            {
                "content": encode_parts(
                    [("snapshot", snapshot(2).json_bytes()), ("current", b"not parquet")]
                ),
                "headers": {"Content-Type": PARTS_TYPE},
            },
        ),
        (
            "a dataset upload that is not Parquet",
            "POST",
            f"{base}/datasets",
            {
                "content": encode_parts([("meta", b'{"name": "d"}'), ("data", b"PAR1 nope")]),
                "headers": {"Content-Type": PARTS_TYPE},
            },
        ),
        (
            "parts that do not add up",
            "POST",
            f"{base}/snapshots",
            {"content": b'{"parts": [["snapshot", 99]]}\n{}', "headers": {"Content-Type": PARTS_TYPE}},
        ),
        ("metadata that is not an object", "GET", f"{base}/snapshots", {"params": {"metadata": "[1]"}}),
        ("not a UUID", "GET", "/api/projects/not-a-uuid", {}),
    ]
    return cases


def test_every_bad_request_is_a_4xx_with_a_json_error(ws: Workspace, client: TestClient) -> None:
    project = ws.create_project("p")
    for name, method, path, kwargs in _bad_requests(project.id):
        response = client.request(method, path, **kwargs)
        assert 400 <= response.status_code < 500, (name, response.status_code, response.text[:300])
        body = response.json()
        assert body["error"] and body["detail"], name
    assert ws.list_snapshots(project.id) == [] and ws.list_datasets(project.id) == []


@pytest.mark.parametrize("when", CALENDAR_ENDS)
def test_dates_at_the_ends_of_the_calendar_are_answered(ws: Workspace, client: TestClient, when: str) -> None:
    project = ws.create_project("p")
    client.post(f"/api/projects/{project.id}/snapshots", content=snapshot(1).json_bytes(), headers=JSON)
    base = f"/api/projects/{project.id}"
    listed = client.get(f"{base}/snapshots", params={"start": when})
    assert listed.status_code == 200 and len(listed.json()) == (1 if when.startswith("0001") else 0)
    assert client.get(f"{base}/snapshots", params={"end": when}).status_code == 200
    series = client.post(
        f"{base}/series",
        json={"field_path": "current.number_of_rows", "end": when, "metric_type": "DatasetSummaryMetric"},
    )
    assert series.status_code == 200 and len(series.json()["value"]) == (0 if when.startswith("0001") else 1)
    assert client.post(f"{base}/test_statuses", json={"start": when}).status_code == 200
    assert client.get(f"{base}/span", params={"start": when}).status_code == 200
    assert client.get(f"{base}/dashboard", params={"start": when, "end": when}).status_code == 200


def test_an_unexpected_failure_is_a_json_500_and_the_connection_stays_usable(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("bug at /srv/secret/monitorflow/ws")

    project = ws.create_project("p")
    with running(create_app(ws)) as url:
        monkeypatch.setattr(ws, "list_snapshots", broken)
        parsed = urlparse(url)
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
        conn.request("GET", f"/api/projects/{project.id}/snapshots")
        failed = conn.getresponse()
        body = failed.read()
        assert failed.status == 500 and json.loads(body)["error"] == "InternalError"
        assert b"/srv/secret" not in body and b"RuntimeError" not in body
        conn.request("GET", f"/api/projects/{project.id}")  # the same kept-alive connection
        again = conn.getresponse()
        assert again.status == 200 and json.loads(again.read())["name"] == "p"
        conn.close()

        with RemoteWorkspace(url) as remote:
            with pytest.raises(MonitoringError, match="service failed on this request"):
                remote.list_snapshots(project.id)
            monkeypatch.undo()
            assert remote.get_project(project.id).name == "p"  # the next call works
            assert remote.list_snapshots(project.id) == []


def test_errors_never_show_server_paths(ws: Workspace, client: TestClient, tmp_path: Path) -> None:
    project = ws.create_project("p")
    info = ws.add_snapshot(project.id, snapshot(1))
    file = tmp_path / "ws" / str(project.id) / "snapshots" / f"{info.id}.json"
    file.write_text("{ not json")
    with pytest.raises(SnapshotError, match=str(tmp_path)):  # the Python API names the file
        ws.load_snapshot(project.id, info.id)
    for path in (
        f"/api/projects/{project.id}/snapshots/{info.id}",
        f"/projects/{project.id}/compare?a={info.id}&b={info.id}",
        f"/api/projects/{project.id}/snapshots/{info.id}/download",
    ):
        response = client.get(path)
        assert response.status_code == 422, (path, response.text[:300])
        assert str(tmp_path) not in response.text
        assert f"<workspace>/{project.id}/snapshots/" in response.text.replace("&lt;", "<").replace(
            "&gt;", ">"
        )


def test_a_snapshot_stored_under_another_id_is_refused(ws: Workspace, tmp_path: Path) -> None:
    project = ws.create_project("p")
    a, b = ws.add_snapshot(project.id, snapshot(1)), ws.add_snapshot(project.id, snapshot(2))
    folder = tmp_path / "ws" / str(project.id) / "snapshots"
    (folder / f"{a.id}.json").write_bytes((folder / f"{b.id}.json").read_bytes())
    with pytest.raises(SnapshotError, match=f"{a.id}.*another id.*{b.id}"):
        ws.load_snapshot(project.id, a.id)


@pytest.mark.parametrize("buckets", [{"origin": -(10**20), "width": 1}, {"origin": 0, "width": 10**20}])
def test_bucket_bounds_beyond_the_calendar_are_bad_input(
    ws: Workspace, client: TestClient, buckets: dict[str, int]
) -> None:
    """Found by schemathesis: a 21-digit bucket origin overflowed SQLite's integers (a 500)."""
    project = ws.create_project("p")
    response = client.post(f"/api/projects/{project.id}/status_counts", json={"buckets": buckets})
    assert response.status_code == 422 and "buckets" in response.json()["detail"], response.text
