"""The REST API through FastAPI's TestClient: projects, snapshots, datasets, series, errors, limits."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import uuid
import warnings
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

with warnings.catch_warnings():  # starlette: "Using httpx with starlette.testclient is deprecated"
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient
from monitorflow import Report
from monitorflow.errors import SnapshotTooLarge
from monitorflow.metrics import ColumnDriftMetric, DatasetSummaryMetric
from monitorflow.service.app import STATIC, create_app
from monitorflow.service.uploads import read_capped
from monitorflow.storage.parquet import frame_to_parquet, parquet_to_frame
from monitorflow.storage.wire import PARTS_TYPE, SERIES_ROW, STATUS_ROW, columns_to_rows, encode_parts
from monitorflow.workspace import Workspace
from tests.service.svc_helpers import T0, snapshot


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace = Workspace.create(tmp_path / "ws")
    yield workspace
    workspace.close()


@pytest.fixture
def client(ws: Workspace) -> TestClient:
    return TestClient(create_app(ws))


def upload(client: TestClient, project_id: object, snap: object, **params: object) -> dict:
    response = client.post(
        f"/api/projects/{project_id}/snapshots",
        content=snap.json_bytes(),
        params=params,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_openapi_schema_documents_the_routes_the_errors_and_the_bearer_scheme_where_needed(
    client: TestClient,
) -> None:
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/projects",
        "/api/projects/{project_id}",
        "/api/projects/search/{name}",
        "/api/projects/{project_id}/snapshots",
        "/api/projects/{project_id}/snapshots/{snapshot_id}",
        "/api/projects/{project_id}/snapshots/{snapshot_id}/download",
        "/api/projects/{project_id}/snapshots/{snapshot_id}/datasets",
        "/api/projects/{project_id}/dashboard",
        "/api/projects/{project_id}/series",
        "/api/datasets/{dataset_id}",
        "/api/reindex",
    ):
        assert path in paths, path
    assert set(paths["/api/projects/{project_id}"]) == {"get", "put", "delete"}
    bodies = schema["components"]["schemas"]  # the version 1 names the server still reads are described
    assert bodies["TestStatusIn"]["properties"]["test_id"]["deprecated"] is True
    assert bodies["SeriesIn"]["properties"]["metric_id"]["deprecated"] is True
    assert "securitySchemes" not in schema["components"]  # no token: no operation needs one
    secured = TestClient(create_app(client.app.state.workspace, token="t0k", public_reads=True))
    schema = secured.get("/api/openapi.json").json()
    assert "HTTPBearer" in schema["components"]["securitySchemes"]
    assert (
        "security" not in paths["/api/projects"]["get"]
        and "401" not in paths["/api/projects"]["get"]["responses"]
    )
    assert schema["paths"]["/api/projects"]["post"]["security"] == [{"HTTPBearer": []}]
    assert "security" not in schema["paths"]["/api/projects"]["get"]  # public reads
    error = {"$ref": "#/components/schemas/Error"}
    for status in ("404", "422", "500"):
        assert (
            schema["paths"]["/api/projects/{project_id}"]["get"]["responses"][status]["content"][
                "application/json"
            ]["schema"]
            == error
        )
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and 'id="swagger-ui"' in docs.text
    assert 'data-spec="/api/openapi.json"' in docs.text  # the offline page draws this schema


@pytest.mark.parametrize(
    ("page", "asset"), [("/api/docs", "swagger-ui-bundle.js"), ("/api/redoc", "redoc.standalone.js")]
)
def test_api_docs_pages_load_only_assets_the_service_serves(
    client: TestClient, page: str, asset: str
) -> None:
    """No CDN and no inline script (the CSP allows neither): every script and stylesheet is a local
    path the service answers with its bytes."""
    import re

    html = client.get(page).text
    sources = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', html)
    assert f"/static/apidocs/{asset}" in sources and "/static/apidocs.js" in sources
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    for source in sources:
        if source.startswith("data:"):
            continue
        assert source.startswith("/") and not source.startswith("//"), source
        response = client.get(source)
        assert response.status_code == 200 and len(response.content) > 100, source


def test_projects_create_get_update_search_delete(client: TestClient, ticking_clock: list) -> None:
    created = client.post("/api/projects", json={"name": "churn", "description": "d"})
    assert created.status_code == 201
    pid = created.json()["id"]
    other = client.post("/api/projects", json={"name": "fraud"}).json()["id"]
    assert [p["id"] for p in client.get("/api/projects").json()] == [other, pid]  # newest first
    assert [p["id"] for p in client.get("/api/projects", params={"name": "churn"}).json()] == [pid]
    assert [p["id"] for p in client.get("/api/projects/search/fraud").json()] == [other]
    panel = {
        "type": "evidently:dashboard_panel:DashboardPanelCounter",
        "title": "rows",
        "agg": "last",
        "value": {"metric_id": "DatasetSummaryMetric", "field_path": "current.number_of_rows"},
    }
    updated = client.put(
        f"/api/projects/{pid}",
        json={"name": "churn v2", "description": None, "dashboard": {"name": "x", "panels": [panel]}},
    )
    assert updated.status_code == 200
    got = client.get(f"/api/projects/{pid}").json()
    assert got["name"] == "churn v2" and got["description"] is None
    assert got["dashboard"]["panels"][0]["type"] == "DashboardPanelCounter"
    assert client.delete(f"/api/projects/{pid}").status_code == 204
    missing = client.get(f"/api/projects/{pid}")
    assert missing.status_code == 404
    assert missing.json()["error"] == "ProjectNotFound" and pid in missing.json()["detail"]


def test_create_with_an_id_and_dashboard_stores_the_project_as_given(client: TestClient) -> None:
    pid = str(uuid.uuid4())
    body = {
        "id": pid,
        "name": "given",
        "dashboard": {"name": "given", "panels": [], "tabs": [{"title": "T"}]},
    }
    assert client.post("/api/projects", json=body).json()["id"] == pid
    assert client.get(f"/api/projects/{pid}").json()["dashboard"]["tabs"][0]["title"] == "T"


def test_path_ids_must_be_uuids(client: TestClient) -> None:
    response = client.get("/api/projects/not-a-uuid")
    assert response.status_code == 422 and response.json()["error"] == "ConfigurationError"
    page = client.get("/projects/../../etc/passwd")
    assert page.status_code in (404, 422)
    assert client.get("/projects/not-a-uuid").status_code == 422


def test_snapshots_upload_list_filter_paginate_get_delete(client: TestClient, ws: Workspace) -> None:
    pid = ws.create_project("p").id
    ids = [
        upload(client, pid, snapshot(i, segment="ab"[i % 2], kind="test_suite" if i % 4 == 0 else "report"))[
            "id"
        ]
        for i in range(12)
    ]
    url = f"/api/projects/{pid}/snapshots"
    assert [s["id"] for s in client.get(url).json()] == ids[::-1]
    pages = [client.get(url, params={"limit": 5, "offset": o}).json() for o in (0, 5, 10)]
    assert [s["id"] for page in pages for s in page] == ids[::-1]
    assert client.get(url, params={"offset": 2**62}).json() == []
    too_far = client.get(url, params={"offset": "6e25"})  # found by schemathesis: was a 500 from SQLite
    assert too_far.status_code == 422 and "offset" in too_far.text
    assert client.get(url, params={"offset": 2**62 + 1}).status_code == 422
    assert client.get(url, params={"start": "0"}).status_code == 422  # not ISO 8601 (pydantic: the epoch)
    assert len(client.get(url, params={"start": "2000-01-01T00:00:00Z"}).json()) == 12
    assert {s["id"] for s in client.get(url, params={"tag": "segment:b"}).json()} == set(ids[1::2])
    assert {
        s["id"] for s in client.get(url, params={"metadata": json.dumps({"segment": "a"})}).json()
    } == set(ids[::2])
    assert {s["id"] for s in client.get(url, params={"kind": "test_suite"}).json()} == {
        ids[0],
        ids[4],
        ids[8],
    }
    window = {"start": (T0 + timedelta(days=3)).isoformat(), "end": (T0 + timedelta(days=6)).isoformat()}
    assert [s["id"] for s in client.get(url, params=window).json()] == [ids[5], ids[4], ids[3]]
    bad = client.get(url, params={"metadata": "[1]"})
    assert bad.status_code == 422 and "JSON object" in bad.json()["detail"]

    sid = ids[3]
    got = client.get(f"{url}/{sid}")
    assert got.headers["content-type"].startswith("application/json") and got.json()["id"] == sid
    assert client.get(f"{url}/{sid}/info").json()["tags"] == ["segment:b"]
    again = client.post(
        url, content=snapshot(3, segment="b").model_copy(update={"id": uuid.UUID(sid)}).json_bytes()
    )
    assert again.status_code == 409 and again.json()["error"] == "SnapshotExists"
    replaced = snapshot(3, segment="b", rows=999).model_copy(update={"id": uuid.UUID(sid)})
    assert client.post(url, params={"replace": "true"}, content=replaced.json_bytes()).status_code == 201
    assert client.get(f"{url}/{sid}").json()["metrics"][0]["result"]["current"]["number_of_rows"] == 999
    assert client.delete(f"{url}/{sid}").status_code == 204
    gone = client.delete(f"{url}/{sid}")
    assert gone.status_code == 404 and gone.json()["error"] == "SnapshotNotFound"


def test_download_as_html_uses_the_save_html_renderer(client: TestClient, ws: Workspace) -> None:
    pid = ws.create_project("p").id
    report = Report(metrics=[DatasetSummaryMetric()], name="Weekly check")
    report.run(current_data=pd.DataFrame({"age": [1, 2, 3]}), timestamp=T0)
    sid = ws.add_report(pid, report).id
    page = client.get(f"/api/projects/{pid}/snapshots/{sid}/download")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert (
        page.headers["content-disposition"].startswith("attachment; filename=")
        and str(sid) in page.headers["content-disposition"]
    )
    assert page.text == report.get_html()
    as_json = client.get(f"/api/projects/{pid}/snapshots/{sid}/download", params={"format": "json"})
    assert as_json.json()["id"] == str(sid)
    inline = client.get(f"/api/projects/{pid}/snapshots/{sid}/download", params={"inline": "true"})
    assert inline.headers["content-disposition"] == "inline"


def test_snapshot_with_datasets_in_one_upload_and_dataset_routes(client: TestClient, ws: Workspace) -> None:
    pid = ws.create_project("p").id
    current, reference = pd.DataFrame({"age": [31, 45, 27]}), pd.DataFrame({"age": [30, 40]})
    snap = snapshot(1)
    body = encode_parts(
        [
            ("snapshot", snap.json_bytes()),
            ("current", frame_to_parquet(current)),
            ("reference", frame_to_parquet(reference)),
        ]
    )
    info = client.post(f"/api/projects/{pid}/snapshots", content=body, headers={"Content-Type": PARTS_TYPE})
    assert info.status_code == 201, info.text
    links = info.json()["datasets"]
    assert links["current"] and links["reference"]
    listed = client.get(f"/api/projects/{pid}/snapshots/{snap.id}/datasets").json()
    assert {d["role"] for d in listed} == {"current", "reference"}
    data = client.get(f"/api/projects/{pid}/snapshots/{snap.id}/datasets/reference")
    assert data.headers["x-monitorflow-dataset-id"] == links["reference"]
    pd.testing.assert_frame_equal(parquet_to_frame(data.content), reference)
    assert client.get(f"/api/datasets/{links['current']}").json()["rows"] == 3
    pd.testing.assert_frame_equal(
        parquet_to_frame(client.get(f"/api/datasets/{links['current']}/data").content), current
    )

    meta = json.dumps({"name": "training", "description": "the training set"}).encode()
    added = client.post(
        f"/api/projects/{pid}/datasets",
        content=encode_parts([("meta", meta), ("data", frame_to_parquet(current))]),
        headers={"Content-Type": PARTS_TYPE},
    )
    assert added.status_code == 201
    assert len(client.get(f"/api/projects/{pid}/datasets").json()) == 3
    assert client.delete(f"/api/datasets/{added.json()['id']}").status_code == 204
    assert client.get(f"/api/datasets/{added.json()['id']}").json()["error"] == "DatasetNotFound"
    bad = client.post(
        f"/api/projects/{pid}/snapshots",
        content=b'{"parts": [["snapshot", 99]]}\n{}',
        headers={"Content-Type": PARTS_TYPE},
    )
    assert bad.status_code == 422 and "malformed" in bad.json()["detail"]


def test_upload_above_the_limit_is_refused_and_nothing_is_written(ws: Workspace) -> None:
    client = TestClient(create_app(ws, max_upload_bytes=500))
    pid = ws.create_project("p").id
    body = snapshot(1).json_bytes()
    assert len(body) > 500
    refused = client.post(f"/api/projects/{pid}/snapshots", content=body)
    assert refused.status_code == 413
    payload = refused.json()
    assert payload["error"] == "SnapshotTooLarge" and payload["attrs"]["limit"] == 500
    assert "--max-upload-mb" in payload["detail"]
    assert ws.list_snapshots(pid) == []
    assert client.get("/api/version").json()["max_snapshot_bytes"] == 500


class _Body:
    """A request whose stream records how much of it was read."""

    def __init__(self, declared: str | None, chunks: list[bytes]) -> None:
        self.headers = {} if declared is None else {"content-length": declared}
        self.chunks, self.read = chunks, 0

    async def stream(self):
        for chunk in self.chunks:
            self.read += len(chunk)
            yield chunk


def test_content_length_above_the_cap_is_refused_before_reading_the_body() -> None:
    request = _Body("5000000000", [b"x" * 1000] * 10)
    with pytest.raises(SnapshotTooLarge) as err:
        asyncio.run(read_capped(request, 1_000))
    assert request.read == 0 and err.value.size == 5_000_000_000


def test_a_body_without_content_length_is_cut_off_at_the_cap() -> None:
    request = _Body(None, [b"x" * 400] * 100)
    with pytest.raises(SnapshotTooLarge):
        asyncio.run(read_capped(request, 1_000))
    assert request.read == 1_200  # stopped at the first chunk past the cap, not at 40,000 bytes
    assert asyncio.run(read_capped(_Body("800", [b"x" * 400] * 2), 1_000)) == b"x" * 800


def test_series_and_test_statuses_routes_read_the_index(client: TestClient, ws: Workspace) -> None:
    pid = ws.create_project("p").id
    for i in range(4):
        ws.add_snapshot(pid, snapshot(i, kind="test_suite", drift=0.3 * i))
    columns = client.post(
        f"/api/projects/{pid}/series",
        json={
            "metric_type": "ColumnDriftMetric",
            "field_path": "drift_score",
            "metric_args": {"column_name": "age"},
        },
    ).json()
    assert [round(v, 6) for v in columns["value"]] == [0.0, 0.3, 0.6, 0.9]
    assert columns["ts"][1] - columns["ts"][0] == 86_400 * 1_000_000
    statuses = client.post(f"/api/projects/{pid}/test_statuses", json={"test_type": "TestColumnDrift"}).json()
    assert statuses["status"] == ["SUCCESS", "SUCCESS", "FAIL", "FAIL"]
    missing = client.post(f"/api/projects/{uuid.uuid4()}/series", json={"field_path": "x"})
    assert missing.status_code == 404


def test_wire_versions_name_the_fingerprint_columns(client: TestClient, ws: Workspace) -> None:
    """Version 2 (RemoteWorkspace) gets ``metric_fingerprint``/``test_fingerprint``; a request without
    a version (a client written before, or curl) also gets them under their version 1 names
    ``metric_id``/``test_id``, and may filter by the old key; a client reads an old service's answer."""
    pid = ws.create_project("p").id
    for i in range(3):
        ws.add_snapshot(pid, snapshot(i, kind="test_suite", drift=0.4 * i))
    age = ws.series(pid, ColumnDriftMetric(column_name="age"), "drift_score", with_fingerprint=True)
    fingerprint = ColumnDriftMetric(column_name="age").fingerprint
    assert set(age["metric_fingerprint"]) == {fingerprint}
    body = {"metric_type": "ColumnDriftMetric", "field_path": "drift_score"}
    v2 = client.post(f"/api/projects/{pid}/series", json={**body, "wire_version": 2}).json()
    v1 = client.post(f"/api/projects/{pid}/series", json=body).json()
    assert set(v2) == set(SERIES_ROW) and set(v1) == {*SERIES_ROW, "metric_id"}
    assert v1["metric_id"] == v1["metric_fingerprint"] == v2["metric_fingerprint"]
    assert v2["metric_fingerprint"] == [fingerprint] * 3
    old_key = client.post(f"/api/projects/{pid}/series", json={**body, "metric_id": fingerprint}).json()
    assert [round(v, 6) for v in old_key["value"]] == [0.0, 0.4, 0.8]
    other = client.post(f"/api/projects/{pid}/series", json={**body, "metric_id": "0" * 16}).json()
    assert other["value"] == []
    # an older service answered version 1 names only: the client reads them
    old_service = {k: v for k, v in v1.items() if k != "metric_fingerprint"}
    assert columns_to_rows(old_service, SERIES_ROW) == columns_to_rows(v2, SERIES_ROW)

    statuses = {"test_type": "TestColumnDrift"}
    t2 = client.post(f"/api/projects/{pid}/test_statuses", json={**statuses, "wire_version": 2}).json()
    t1 = client.post(f"/api/projects/{pid}/test_statuses", json=statuses).json()
    assert set(t2) == set(STATUS_ROW) and t1["test_id"] == t1["test_fingerprint"] == t2["test_fingerprint"]
    assert t2["test_fingerprint"] == ["t-drift-age"] * 3 and t2["status"] == ["SUCCESS", "SUCCESS", "FAIL"]
    by_old_key = client.post(f"/api/projects/{pid}/test_statuses", json={"test_id": "t-rows"}).json()
    assert by_old_key["test_type"] == ["TestNumberOfRows"] * 3
    old_service = {k: v for k, v in t1.items() if k != "test_fingerprint"}
    assert columns_to_rows(old_service, STATUS_ROW) == columns_to_rows(t2, STATUS_ROW)
    assert client.post(f"/api/projects/{pid}/series", json={**body, "wire_version": 0}).status_code == 422


def test_tags_route_lists_distinct_tags_by_prefix(client: TestClient, ws: Workspace) -> None:
    pid = ws.create_project("p").id
    for i, segment in enumerate("abab"):
        ws.add_snapshot(pid, snapshot(i, segment=segment, extra_tags=("daily",)))
    assert client.get(f"/api/projects/{pid}/tags").json() == ["daily", "segment:a", "segment:b"]
    assert client.get(f"/api/projects/{pid}/tags", params={"prefix": "segment:"}).json() == [
        "segment:a",
        "segment:b",
    ]


def test_reindex_route(client: TestClient, ws: Workspace) -> None:
    pid = ws.create_project("p").id
    ws.add_snapshot(pid, snapshot(1))
    assert client.post("/api/reindex").json()["snapshots"] == 1


def test_pages_render_projects_dashboard_snapshots_snapshot_and_compare(
    client: TestClient, ws: Workspace
) -> None:
    project = ws.create_project("churn", description="customer churn")
    ids = [ws.add_snapshot(project.id, snapshot(i, segment="ab"[i % 2])).id for i in range(55)]
    home = client.get("/")
    assert home.status_code == 200 and f'href="/projects/{project.id}"' in home.text
    assert (
        "Content-Security-Policy" in home.headers
        and "script-src 'self'" in home.headers["Content-Security-Policy"]
    )
    dashboard = client.get(f"/projects/{project.id}").text
    assert (
        'id="dashboard"' in dashboard
        and "/static/uPlot.iife.min.js" in dashboard
        and 'value="segment:a"' in dashboard
    )
    listing = client.get(f"/projects/{project.id}/snapshots").text
    assert listing.count('name="s"') == 50 and "older →" in listing
    older = client.get(f"/projects/{project.id}/snapshots", params={"page": 1}).text
    assert older.count('name="s"') == 5 and "← newer" in older
    assert (
        client.get(f"/projects/{project.id}/snapshots", params={"tag": "segment:a"}).text.count('name="s"')
        == 28
    )
    page = client.get(f"/projects/{project.id}/snapshots/{ids[10]}").text
    assert f"/api/projects/{project.id}/snapshots/{ids[10]}/download?format=html&amp;inline=true" in page
    assert f"compare?a={ids[8]}&amp;b={ids[10]}" in page  # previous of the same segment
    compared = client.get(f"/projects/{project.id}/compare", params={"a": str(ids[1]), "b": str(ids[3])})
    assert (
        compared.status_code == 200 and "Drift per column" in compared.text and "drift_score" in compared.text
    )
    by_boxes = client.get(f"/projects/{project.id}/compare?s={ids[3]}&s={ids[1]}")  # ticked in the list
    assert by_boxes.status_code == 200 and "Drift per column" in by_boxes.text
    assert str(ids[1]) in by_boxes.text and str(ids[3]) in by_boxes.text
    one = client.get(f"/projects/{project.id}/compare?s={ids[3]}")
    assert one.status_code == 422 and "exactly two" in one.text
    missing = client.get(f"/projects/{uuid.uuid4()}")
    assert (
        missing.status_code == 404
        and "not found" in missing.text
        and missing.headers["content-type"].startswith("text/html")
    )


def test_static_files_are_package_data_and_served(client: TestClient) -> None:
    for name in ("uPlot.iife.min.js", "uPlot.min.css", "uPlot.LICENSE", "app.js", "app.css", "dashboard.js"):
        assert (STATIC / name).is_file(), name
    script = client.get("/static/dashboard.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "MIT License" in client.get("/static/uPlot.LICENSE").text


def test_import_monitorflow_does_not_import_fastapi_uvicorn_or_httpx() -> None:
    script = (
        "import json, sys, monitorflow, monitorflow.remote, monitorflow.panels, monitorflow.dashboards, "
        "monitorflow.workspace, monitorflow.service; "
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('fastapi', 'starlette', 'uvicorn', 'httpx'))))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
