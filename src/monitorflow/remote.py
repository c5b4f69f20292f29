"""RemoteWorkspace: the ``Workspace`` API over a running ``monitorflow ui`` service (HTTP, httpx).

A flow on another machine writes to the service as it would to a local workspace; errors come back
as the same ``MonitoringError`` subclasses (``ProjectNotFound``, ``SnapshotExists`` ...)::

    ws = RemoteWorkspace("http://monitoring.internal:8000", token="...")   # or $MONITORFLOW_TOKEN
    project = ws.search_project("churn")[0]
    ws.add_report(project.id, report, include_data=True)

``pip install 'monitorflow[remote]'`` (httpx) on the client; the service needs ``monitorflow[ui]``.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

import pandas as pd

from monitorflow.column_mapping import ColumnMapping, DataDefinition
from monitorflow.dashboards import series_frame, status_frame
from monitorflow.errors import (
    ConfigurationError,
    DatasetNotFound,
    MissingDependencyError,
    ProjectNotFound,
    SnapshotNotFound,
    SnapshotTooLarge,
    StorageError,
)
from monitorflow.service.wire import (
    PARTS_TYPE,
    SERIES_ROW,
    STATUS_ROW,
    columns_to_rows,
    encode_parts,
    error_from_payload,
)
from monitorflow.snapshot import Snapshot
from monitorflow.storage.base import DatasetInfo, ReindexReport, SnapshotInfo
from monitorflow.storage.parquet import frame_to_parquet, parquet_to_frame
from monitorflow.timeutil import to_utc
from monitorflow.workspace import IdLike, Project, WorkspaceBase, _type_and_id, _uuid, as_snapshot, data_frames

TOKEN_ENV = "MONITORFLOW_TOKEN"
_PAGE = 1000


def _iso(value: datetime | None, argument: str) -> str | None:
    return None if value is None else to_utc(value, argument).isoformat()


class RemoteWorkspace(WorkspaceBase):
    """The Workspace API of the service at ``url``; ``token`` defaults to ``$MONITORFLOW_TOKEN``.

    ``max_snapshot_bytes`` refuses larger snapshots before uploading (default: the service's limit).
    """

    def __init__(self, url: str, token: str | None = None, *, timeout: float = 60.0,
                 max_snapshot_bytes: int | None = None, transport: Any = None) -> None:  # fmt: skip
        try:
            import httpx
        except ImportError as exc:
            raise MissingDependencyError("httpx", "remote") from exc
        self._httpx = httpx
        self.url = url.rstrip("/")
        token = token if token is not None else (os.environ.get(TOKEN_ENV) or None)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._client = httpx.Client(base_url=self.url, timeout=timeout, headers=headers, transport=transport)
        info = self._json("GET", "/api/version")
        if not isinstance(info, dict) or info.get("application") != "monitorflow":
            raise ConfigurationError(f"{self.url} is not a monitorflow service (GET /api/version: {info!r})")
        self.service_version = info.get("version")
        self.max_snapshot_bytes = max_snapshot_bytes or int(info.get("max_snapshot_bytes") or 0) or None

    def __repr__(self) -> str:
        return f"RemoteWorkspace({self.url!r})"

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> RemoteWorkspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------------------- transport

    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self._client.request(method, path, **kwargs)
        except self._httpx.HTTPError as exc:
            raise StorageError(f"cannot reach the monitorflow service at {self.url}: {exc}") from exc
        if response.status_code < 400:
            return response
        try:
            payload = response.json()
        except ValueError:
            payload = response.text[:500]
        if response.status_code in (401, 403):
            raise ConfigurationError(
                f"the monitorflow service at {self.url} refused the request ({response.status_code}): "
                f"pass RemoteWorkspace(url, token=...) or set {TOKEN_ENV} to the service's token",
                argument="token",
            )
        raise error_from_payload(response.status_code, payload)

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        return self._request(method, path, **kwargs).json()

    # ---------------------------------------------------------------------------------- projects

    def _project(self, data: dict[str, Any]) -> Project:
        return Project.model_validate(data).bind(self)  # type: ignore[arg-type]

    def create_project(self, name: str, description: str | None = None) -> Project:
        return self._project(
            self._json("POST", "/api/projects", json={"name": name, "description": description})
        )

    def add_project(self, project: Project) -> Project:
        body = project.model_dump(mode="json", include={"id", "name", "description", "dashboard"})
        stored = self._project(self._json("POST", "/api/projects", json=body))
        return project.bind(self) if stored.id == project.id else stored  # type: ignore[arg-type]

    def update_project(self, project: Project) -> Project:
        body = project.model_dump(mode="json", include={"name", "description", "dashboard"})
        self._json("PUT", f"/api/projects/{_uuid(project.id, ProjectNotFound)}", json=body)
        return project.bind(self)  # type: ignore[arg-type]

    def get_project(self, project_id: IdLike) -> Project:
        return self._project(self._json("GET", f"/api/projects/{_uuid(project_id, ProjectNotFound)}"))

    def list_projects(self) -> list[Project]:
        """Newest first."""
        return [self._project(p) for p in self._json("GET", "/api/projects")]

    def search_project(self, name: str) -> list[Project]:
        """Projects whose name equals ``name``."""
        return [self._project(p) for p in self._json("GET", "/api/projects", params={"name": name})]

    def delete_project(self, project_id: IdLike) -> None:
        self._request("DELETE", f"/api/projects/{_uuid(project_id, ProjectNotFound)}")

    # --------------------------------------------------------------------------------- snapshots

    def _check_size(self, body: bytes) -> None:
        if self.max_snapshot_bytes is not None and len(body) > self.max_snapshot_bytes:
            raise SnapshotTooLarge(len(body), self.max_snapshot_bytes)

    def _upload(self, project_id: IdLike, snapshot: Snapshot, frames: dict[str, pd.DataFrame],
                replace: bool) -> SnapshotInfo:  # fmt: skip
        pid = _uuid(project_id, ProjectNotFound)
        body = snapshot.json_bytes()
        self._check_size(body)
        path, params = f"/api/projects/{pid}/snapshots", {"replace": "true" if replace else "false"}
        if not frames:
            response = self._json("POST", path, params=params, content=body,
                                  headers={"Content-Type": "application/json"})  # fmt: skip
        else:
            parts = [("snapshot", body)] + [
                (role, frame_to_parquet(frame, f"{role} data of snapshot {snapshot.id}"))
                for role, frame in frames.items()
            ]
            response = self._json("POST", path, params=params, content=encode_parts(parts),
                                  headers={"Content-Type": PARTS_TYPE})  # fmt: skip
        return SnapshotInfo.model_validate(response)

    def add_snapshot(
        self,
        project_id: IdLike,
        snapshot: Snapshot,
        replace: bool = False,
        current_data: pd.DataFrame | None = None,
        reference_data: pd.DataFrame | None = None,
    ) -> SnapshotInfo:
        """Upload a snapshot (with its data, as Parquet, when given); an existing id raises
        SnapshotExists unless ``replace=True``."""
        frames = data_frames(current_data, reference_data)
        return self._upload(project_id, as_snapshot(snapshot), frames, replace)

    def _snapshot_path(self, project_id: IdLike, snapshot_id: IdLike) -> str:
        pid = _uuid(project_id, ProjectNotFound)
        sid = _uuid(snapshot_id, lambda v: SnapshotNotFound(v, pid))
        return f"/api/projects/{pid}/snapshots/{sid}"

    def delete_snapshot(self, project_id: IdLike, snapshot_id: IdLike) -> None:
        self._request("DELETE", self._snapshot_path(project_id, snapshot_id))

    def list_snapshots(
        self,
        project_id: IdLike,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        tags: list[str] | None = None,
        metadata: dict[str, Any] | None = None,
        kind: Literal["report", "test_suite"] | None = None,
        include_reports: bool = True,
        include_test_suites: bool = True,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[SnapshotInfo]:
        """Snapshot metadata, newest first, filtered by the service's index (see ``Workspace``)."""
        params: dict[str, Any] = {
            "start": _iso(start, "start"), "end": _iso(end, "end"), "tag": list(tags or []),
            "metadata": json.dumps(metadata) if metadata else None, "kind": kind,
            "include_reports": str(include_reports).lower(), "include_test_suites": str(include_test_suites).lower(),
        }  # fmt: skip
        params = {k: v for k, v in params.items() if v not in (None, [])}
        path = f"/api/projects/{_uuid(project_id, ProjectNotFound)}/snapshots"
        out: list[SnapshotInfo] = []
        while True:  # pages of at most _PAGE, until ``limit`` or the end
            want = _PAGE if limit is None else min(_PAGE, limit - len(out))
            page = self._json("GET", path, params={**params, "limit": want, "offset": offset + len(out)})
            out.extend(SnapshotInfo.model_validate(item) for item in page)
            if len(page) < want or (limit is not None and len(out) >= limit) or want == 0:
                return out

    def get_snapshot_metadata(self, project_id: IdLike, snapshot_id: IdLike) -> SnapshotInfo:
        return SnapshotInfo.model_validate(
            self._json("GET", self._snapshot_path(project_id, snapshot_id) + "/info")
        )

    def load_snapshot(self, project_id: IdLike, snapshot_id: IdLike) -> Snapshot:
        path = self._snapshot_path(project_id, snapshot_id)
        return Snapshot.loads(self._request("GET", path).content, source=f"{self.url}{path}")

    # ---------------------------------------------------------------------------------- datasets

    def add_dataset(self, project_id: IdLike, df: pd.DataFrame, name: str, description: str | None = None,
                    column_mapping: ColumnMapping | None = None) -> UUID:  # fmt: skip
        """Upload ``df`` (as Parquet) into the project; returns the dataset id."""
        pid = _uuid(project_id, ProjectNotFound)
        meta = {"name": name, "description": description,
                "column_mapping": column_mapping.model_dump(mode="json") if column_mapping is not None else None}  # fmt: skip
        body = encode_parts(
            [("meta", json.dumps(meta).encode()), ("data", frame_to_parquet(df, f"dataset {name!r}"))]
        )
        answer = self._json(
            "POST", f"/api/projects/{pid}/datasets", content=body, headers={"Content-Type": PARTS_TYPE}
        )
        return UUID(answer["id"])

    def load_dataset(self, project_or_dataset_id: IdLike, snapshot_id: IdLike | None = None,
                     which: Literal["current", "reference"] = "current") -> pd.DataFrame:  # fmt: skip
        """``load_dataset(dataset_id)`` or ``load_dataset(project_id, snapshot_id, "current"|"reference")``."""
        if snapshot_id is None:
            dataset_id = _uuid(project_or_dataset_id, DatasetNotFound)
            response = self._request("GET", f"/api/datasets/{dataset_id}/data")
        else:
            if which not in ("current", "reference"):
                raise ConfigurationError(
                    f"which must be 'current' or 'reference', got {which!r}", argument="which"
                )
            response = self._request(
                "GET", self._snapshot_path(project_or_dataset_id, snapshot_id) + f"/datasets/{which}"
            )
            dataset_id = UUID(response.headers["X-Monitorflow-Dataset-Id"])
        frame = parquet_to_frame(response.content, f"dataset {dataset_id}")
        info = self.get_dataset_info(dataset_id)
        frame.attrs["dataset_id"] = str(info.id)
        frame.attrs["column_mapping"] = (
            ColumnMapping.model_validate(info.column_mapping) if info.column_mapping else None
        )
        frame.attrs["data_definition"] = (
            DataDefinition.model_validate(info.data_definition) if info.data_definition else None
        )
        return frame

    def get_dataset_info(self, dataset_id: IdLike) -> DatasetInfo:
        return DatasetInfo.model_validate(
            self._json("GET", f"/api/datasets/{_uuid(dataset_id, DatasetNotFound)}")
        )

    def list_datasets(self, project_id: IdLike) -> list[DatasetInfo]:
        items = self._json("GET", f"/api/projects/{_uuid(project_id, ProjectNotFound)}/datasets")
        return [DatasetInfo.model_validate(item) for item in items]

    def delete_dataset(self, dataset_id: IdLike) -> None:
        self._request("DELETE", f"/api/datasets/{_uuid(dataset_id, DatasetNotFound)}")

    # ------------------------------------------------------------------------------------ series

    def series(self, project_id: IdLike, metric: Any, field_path: str, metric_args: dict[str, Any] | None = None,
               tags: list[str] | None = None, metadata: dict[str, Any] | None = None, start: datetime | None = None,
               end: datetime | None = None, *, with_metric_id: bool = False) -> pd.DataFrame:  # fmt: skip
        """One result field over time, from the service's index (see ``Workspace.series``)."""
        metric_type, metric_id = _type_and_id(metric)
        body = {"metric_type": metric_type, "metric_id": metric_id, "metric_args": dict(metric_args or {}),
                "field_path": field_path, "tags": list(tags or []), "metadata": dict(metadata or {}),
                "start": _iso(start, "start"), "end": _iso(end, "end")}  # fmt: skip
        columns = self._json("POST", f"/api/projects/{_uuid(project_id, ProjectNotFound)}/series", json=body)
        return series_frame(columns_to_rows(columns, SERIES_ROW), with_metric_id=with_metric_id)

    def test_status_series(self, project_id: IdLike, test: Any = None, test_args: dict[str, Any] | None = None,
                           statuses: list[str] | None = None, tags: list[str] | None = None,
                           metadata: dict[str, Any] | None = None, start: datetime | None = None,
                           end: datetime | None = None) -> pd.DataFrame:  # fmt: skip
        """Statuses of tests over time (see ``Workspace.test_status_series``)."""
        test_type, test_id = _type_and_id(test)
        body = {"test_type": test_type, "test_id": test_id, "test_args": dict(test_args or {}),
                "statuses": [str(s) for s in statuses or []], "tags": list(tags or []),
                "metadata": dict(metadata or {}), "start": _iso(start, "start"), "end": _iso(end, "end")}  # fmt: skip
        columns = self._json(
            "POST", f"/api/projects/{_uuid(project_id, ProjectNotFound)}/test_statuses", json=body
        )
        return status_frame(columns_to_rows(columns, STATUS_ROW))

    def reindex(self) -> ReindexReport:
        """Ask the service to rebuild its workspace index."""
        return ReindexReport.model_validate(self._json("POST", "/api/reindex"))


__all__ = ["RemoteWorkspace"]
