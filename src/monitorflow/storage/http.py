"""A store over a running ``monitorflow ui`` service (HTTP, httpx): the backend of ``RemoteWorkspace``.

Every store call and index read is one or two requests of the service's REST API, encoded by
:mod:`monitorflow.storage.wire` (which the service imports too); errors come back as the same
``MonitoringError`` subclasses (``ProjectNotFound``, ``SnapshotExists`` ...). Imports httpx only:
no FastAPI on the client. ``pip install 'monitorflow[remote]'``.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from monitorflow.errors import ConfigurationError, MissingDependencyError, StorageError
from monitorflow.snapshot import Snapshot
from monitorflow.storage.base import (
    DatasetInfo,
    Payload,
    ProjectRecord,
    ReindexResult,
    SeriesQuery,
    SnapshotInfo,
    SnapshotQuery,
    TestStatusQuery,
    payload_bytes,
)
from monitorflow.storage.reads import (
    BucketQuery,
    SeriesRow,
    Span,
    StatusCount,
    StatusCountQuery,
    StatusRow,
    Trace,
)
from monitorflow.storage.wire import (
    PARTS_TYPE,
    SERIES_ROW,
    STATUS_ROW,
    WIRE_VERSION,
    columns_to_rows,
    encode_parts,
    error_from_payload,
    span_from_json,
    status_counts_from_columns,
    traces_from_json,
)
from monitorflow.timeutil import to_utc

TOKEN_ENV = "MONITORFLOW_TOKEN"
_PAGE = 1000


def _iso(value: datetime | None) -> str | None:
    return None if value is None else to_utc(value).isoformat()


class HttpStore:
    """``SnapshotStore`` of the service at ``url``; ``token`` defaults to ``$MONITORFLOW_TOKEN``.

    ``service_version`` and ``max_snapshot_bytes`` are the service's (from ``GET /api/version``).
    """

    def __init__(
        self, url: str, token: str | None = None, *, timeout: float = 60.0, transport: Any = None
    ) -> None:
        try:
            import httpx  # optional: remote extra
        except ImportError as exc:
            raise MissingDependencyError("httpx", "remote") from exc
        self._httpx = httpx
        self.uri = self.url = url.rstrip("/")
        token = token if token is not None else (os.environ.get(TOKEN_ENV) or None)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._client = httpx.Client(base_url=self.url, timeout=timeout, headers=headers, transport=transport)
        info = self.json("GET", "/api/version")
        if not isinstance(info, dict) or info.get("application") != "monitorflow":
            raise ConfigurationError(f"{self.url} is not a monitorflow service (GET /api/version: {info!r})")
        self.service_version: str | None = info.get("version")
        self.max_snapshot_bytes: int | None = int(info.get("max_snapshot_bytes") or 0) or None
        self.reads = HttpReads(self)

    def close(self) -> None:
        self._client.close()

    # ------------------------------------------------------------------------------- transport

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """One call; a connection the service (or a proxy) closed is retried once on a new one: every
        request is safe to repeat (writes are idempotent: the same snapshot again is a no-op)."""
        httpx = self._httpx
        for attempt in range(2):
            try:
                response = self._client.request(method, path, **kwargs)
                break
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError, httpx.ConnectError) as exc:
                if attempt == 0:
                    time.sleep(0.2)
                    continue
                raise StorageError(f"cannot reach the monitorflow service at {self.url}: {exc}") from exc
            except httpx.HTTPError as exc:
                raise StorageError(f"cannot reach the monitorflow service at {self.url}: {exc}") from exc
        if response.status_code < 400:
            return response
        try:
            payload = response.json()
        except ValueError:
            payload = response.text[:500]
        if response.status_code == 429:
            raise ConfigurationError(
                f"the monitorflow service at {self.url} refused the request (429): too many wrong tokens; "
                f"wait {response.headers.get('retry-after', 'a while')} s and check the token",
                argument="token",
            )
        if response.status_code in (401, 403):
            raise ConfigurationError(
                f"the monitorflow service at {self.url} refused the request ({response.status_code}): "
                f"pass RemoteWorkspace(url, token=...) or set {TOKEN_ENV} to the service's token",
                argument="token",
            )
        raise error_from_payload(response.status_code, payload)

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.request(method, path, **kwargs).json()

    # -------------------------------------------------------------------------------- projects

    @staticmethod
    def _record(data: dict[str, Any]) -> ProjectRecord:
        return ProjectRecord(
            id=data["id"],
            name=data["name"],
            description=data.get("description"),
            created_at=data["created_at"],
            data=data,
        )

    def put_project(self, record: ProjectRecord) -> None:
        body = {
            **record.data,
            "id": str(record.id),
            "name": record.name,
            "description": record.description,
            "created_at": record.created_at.isoformat(),
        }
        self.json(
            "POST",
            "/api/projects",
            json={k: body.get(k) for k in ("id", "name", "description", "dashboard", "created_at")},
        )

    def get_project(self, project_id: UUID) -> ProjectRecord:
        return self._record(self.json("GET", f"/api/projects/{project_id}"))

    def list_projects(self, name: str | None = None) -> list[ProjectRecord]:
        params = {} if name is None else {"name": name}
        return [self._record(p) for p in self.json("GET", "/api/projects", params=params)]

    def delete_project(self, project_id: UUID) -> None:
        self.request("DELETE", f"/api/projects/{project_id}")

    # ------------------------------------------------------------------------------- snapshots

    def put_snapshot(
        self,
        project_id: UUID,
        snapshot: Snapshot,
        body: bytes,
        replace: bool = False,
        datasets: Sequence[tuple[DatasetInfo, Payload]] = (),
    ) -> SnapshotInfo:
        """One request: the snapshot JSON, or the snapshot with its datasets (the service stores them
        under ids of its own)."""
        path, params = f"/api/projects/{project_id}/snapshots", {"replace": "true" if replace else "false"}
        if not datasets:
            answer = self.json(
                "POST", path, params=params, content=body, headers={"Content-Type": "application/json"}
            )
        else:
            parts = [("snapshot", body)] + [(str(info.role), payload_bytes(data)) for info, data in datasets]
            answer = self.json(
                "POST", path, params=params, content=encode_parts(parts), headers={"Content-Type": PARTS_TYPE}
            )
        return SnapshotInfo.model_validate(answer)

    def get_snapshot(self, project_id: UUID, snapshot_id: UUID) -> Snapshot:
        path = f"/api/projects/{project_id}/snapshots/{snapshot_id}"
        return Snapshot.loads(self.request("GET", path).content, source=f"{self.url}{path}")

    def snapshot_info(self, project_id: UUID, snapshot_id: UUID) -> SnapshotInfo:
        return SnapshotInfo.model_validate(
            self.json("GET", f"/api/projects/{project_id}/snapshots/{snapshot_id}/info")
        )

    def list_snapshots(self, query: SnapshotQuery) -> list[SnapshotInfo]:
        kinds = set(query.kinds)
        params: dict[str, Any] = {
            "start": _iso(query.start),
            "end": _iso(query.end),
            "tag": list(query.tags),
            "metadata": json.dumps(query.metadata) if query.metadata else None,
            "include_reports": str("report" in kinds).lower(),
            "include_test_suites": str("test_suite" in kinds).lower(),
        }
        params = {k: v for k, v in params.items() if v not in (None, [])}
        path, limit = f"/api/projects/{query.project_id}/snapshots", query.limit
        out: list[SnapshotInfo] = []
        while True:  # pages of at most _PAGE, until ``limit`` or the end
            want = _PAGE if limit is None else min(_PAGE, limit - len(out))
            page = self.json("GET", path, params={**params, "limit": want, "offset": query.offset + len(out)})
            out.extend(SnapshotInfo.model_validate(item) for item in page)
            if len(page) < want or (limit is not None and len(out) >= limit) or want == 0:
                return out

    def delete_snapshot(self, project_id: UUID, snapshot_id: UUID) -> None:
        self.request("DELETE", f"/api/projects/{project_id}/snapshots/{snapshot_id}")

    # -------------------------------------------------------------------------------- datasets

    def put_dataset(self, info: DatasetInfo, body: Payload) -> None:
        meta = {
            "id": str(info.id),
            "name": info.name,
            "description": info.description,
            "column_mapping": info.column_mapping,
        }
        parts = encode_parts([("meta", json.dumps(meta).encode()), ("data", payload_bytes(body))])
        self.json(
            "POST",
            f"/api/projects/{info.project_id}/datasets",
            content=parts,
            headers={"Content-Type": PARTS_TYPE},
        )

    def get_dataset(self, dataset_id: UUID) -> tuple[DatasetInfo, bytes]:
        data = self.request("GET", f"/api/datasets/{dataset_id}/data").content
        return self.dataset_info(dataset_id), data

    def dataset_info(self, dataset_id: UUID) -> DatasetInfo:
        return DatasetInfo.model_validate(self.json("GET", f"/api/datasets/{dataset_id}"))

    def list_datasets(self, project_id: UUID) -> list[DatasetInfo]:
        return [
            DatasetInfo.model_validate(item)
            for item in self.json("GET", f"/api/projects/{project_id}/datasets")
        ]

    def delete_dataset(self, dataset_id: UUID) -> None:
        self.request("DELETE", f"/api/datasets/{dataset_id}")

    def reindex(self) -> ReindexResult:
        """Ask the service to rebuild its workspace index."""
        return ReindexResult.model_validate(self.json("POST", "/api/reindex"))

    def problems(self) -> list[dict[str, str]]:
        return [dict(item) for item in self.json("GET", "/api/problems")]


class HttpReads:
    """:class:`~monitorflow.storage.reads.IndexReads` answered by the service's index."""

    #: Requests wait on the network: a dashboard asks for a few panels at once.
    concurrency = 4

    def __init__(self, store: HttpStore) -> None:
        self.store = store

    def _body(self, query: Any) -> dict[str, Any]:
        return {**query.model_dump(mode="json", exclude={"project_id"}), "wire_version": WIRE_VERSION}

    def series(self, query: SeriesQuery) -> list[SeriesRow]:
        columns = self.store.json("POST", f"/api/projects/{query.project_id}/series", json=self._body(query))
        return columns_to_rows(columns, SERIES_ROW)

    def test_statuses(self, query: TestStatusQuery) -> list[StatusRow]:
        columns = self.store.json(
            "POST", f"/api/projects/{query.project_id}/test_statuses", json=self._body(query)
        )
        return columns_to_rows(columns, STATUS_ROW)

    def tag_values(self, project_id: UUID, prefix: str = "") -> list[str]:
        return list(self.store.json("GET", f"/api/projects/{project_id}/tags", params={"prefix": prefix}))

    def field_paths(
        self,
        project_id: UUID,
        metric_type: str | None = None,
        metric_fingerprint: str | None = None,
        pattern: str | None = None,
    ) -> list[str]:
        params = {"metric_type": metric_type, "metric_fingerprint": metric_fingerprint, "pattern": pattern}
        params = {k: v for k, v in params.items() if v is not None}
        return list(self.store.json("GET", f"/api/projects/{project_id}/field_paths", params=params))

    def span(
        self,
        project_id: UUID,
        start: datetime | None = None,
        end: datetime | None = None,
        cap: int | None = None,
    ) -> Span:
        params = {
            k: v for k, v in {"start": _iso(start), "end": _iso(end), "cap": cap}.items() if v is not None
        }
        return span_from_json(self.store.json("GET", f"/api/projects/{project_id}/span", params=params))

    def buckets(self, query: BucketQuery) -> list[Trace]:
        body = query.model_dump(mode="json")
        return traces_from_json(
            self.store.json("POST", f"/api/projects/{query.project_id}/buckets", json=body)
        )

    def status_counts(self, query: StatusCountQuery) -> list[StatusCount]:
        body = query.model_dump(mode="json")
        columns = self.store.json("POST", f"/api/projects/{query.project_id}/status_counts", json=body)
        return status_counts_from_columns(columns)
