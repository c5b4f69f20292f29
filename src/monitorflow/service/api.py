"""The REST API under ``/api``: projects, snapshots, datasets, series and dashboard data.

Every route calls ``Workspace`` (lists, series and dashboards from its index reads); no
per-snapshot state is kept. Bodies, row encodings and errors are :mod:`monitorflow.storage.wire`'s,
shared with the client (``RemoteWorkspace``). Write routes need the bearer token when the service
has one; reads need it when bound beyond loopback.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import AwareDatetime, BaseModel, Field

from monitorflow.column_mapping import ColumnMapping
from monitorflow.dashboards import DashboardConfig
from monitorflow.errors import ConfigurationError, DatasetNotFound
from monitorflow.render import render_snapshot
from monitorflow.service.api_io import MetaQ, TagQ, TimeQ, metadata_filter, naive_is_utc
from monitorflow.service.api_series import series_router
from monitorflow.service.generated import keep
from monitorflow.service.uploads import read_capped, read_parts, spool_dir
from monitorflow.snapshot import Snapshot
from monitorflow.storage.base import MAX_ROWS, DatasetInfo, ReindexResult, SnapshotInfo
from monitorflow.storage.parquet import ParquetData
from monitorflow.storage.wire import (
    PARTS_TYPE,
)
from monitorflow.version import __version__
from monitorflow.workspace import Project, Workspace

PARQUET = "application/vnd.apache.parquet"
_MAX_META = 1024 * 1024


class ProjectIn(BaseModel):
    """A project to create (``id`` optional: an existing id is replaced, like ``add_project``; with
    ``created_at`` kept) or update."""

    id: UUID | None = None
    name: str = Field(min_length=1, max_length=500)
    description: str | None = Field(default=None, max_length=10_000)
    dashboard: DashboardConfig | None = None
    created_at: AwareDatetime | None = None


class Problem(BaseModel):
    key: str = Field(description="the file, relative to the workspace")
    reason: str


class Version(BaseModel):
    application: str = "monitorflow"
    version: str = __version__
    max_snapshot_bytes: int
    auth: Literal["none", "writes", "all"]


def api_router(
    ws: Workspace, *, read: Any, write: Any, auth: str, max_upload_bytes: int, max_dataset_bytes: int
) -> APIRouter:
    """The ``/api`` routes over ``ws``; ``read``/``write`` are the access dependencies."""
    r = APIRouter(prefix="/api")
    reads, writes = [Depends(read)], [Depends(write)]

    @r.get("/version", response_model=Version, tags=["service"])
    def version() -> Version:
        """Name, version, the snapshot size limit, and which routes need a token."""
        return Version(max_snapshot_bytes=min(ws.max_snapshot_bytes, max_upload_bytes), auth=auth)

    # ---------------------------------------------------------------------------- projects

    @r.get("/projects", response_model=list[Project], dependencies=reads, tags=["projects"])
    def list_projects(name: str | None = None) -> list[Project]:
        """Projects, newest first; ``name`` keeps those with exactly this name."""
        return ws.search_project(name) if name is not None else ws.list_projects()

    @r.get("/projects/search/{name}", response_model=list[Project], dependencies=reads, tags=["projects"])
    def search_projects(name: str) -> list[Project]:
        """Projects named exactly ``name`` (Evidently's route)."""
        return ws.search_project(name)

    @r.post("/projects", response_model=Project, status_code=201, dependencies=writes, tags=["projects"])
    def create_project(body: ProjectIn) -> Project:
        """Create a project; with an ``id`` and/or ``dashboard``, store it as given (``add_project``)."""
        if body.id is None and body.dashboard is None:
            return ws.create_project(body.name, body.description)
        fields = body.model_dump(exclude_none=True)
        fields.setdefault("dashboard", DashboardConfig(name=body.name))
        return ws.add_project(Project(**fields))

    @r.get("/projects/{project_id}", response_model=Project, dependencies=reads, tags=["projects"])
    def get_project(project_id: UUID) -> Project:
        return ws.get_project(project_id)

    @r.put("/projects/{project_id}", response_model=Project, dependencies=writes, tags=["projects"])
    def update_project(project_id: UUID, body: ProjectIn) -> Project:
        """Replace name, description and dashboard (the dashboard is kept when omitted)."""
        project = ws.get_project(project_id)
        project.name, project.description = body.name, body.description
        if body.dashboard is not None:
            project.dashboard = body.dashboard
        return ws.update_project(project)

    @r.delete("/projects/{project_id}", status_code=204, dependencies=writes, tags=["projects"])
    def delete_project(project_id: UUID) -> Response:
        """Delete the project with its snapshots, datasets and index rows."""
        ws.delete_project(project_id)
        return Response(status_code=204)

    @r.get("/projects/{project_id}/tags", response_model=list[str], dependencies=reads, tags=["projects"])
    def project_tags(project_id: UUID, prefix: str = "") -> list[str]:
        """Distinct snapshot tags of the project starting with ``prefix``."""
        return ws.tag_values(project_id, prefix)

    # --------------------------------------------------------------------------- snapshots

    @r.get(
        "/projects/{project_id}/snapshots",
        response_model=list[SnapshotInfo],
        dependencies=reads,
        tags=["snapshots"],
    )
    def list_snapshots(
        project_id: UUID,
        tags: TagQ = [],  # noqa: B006 - FastAPI copies defaults
        metadata: MetaQ = None,
        start: TimeQ = None,
        end: TimeQ = None,
        kind: Literal["report", "test_suite"] | None = None,
        include_reports: bool = True,
        include_test_suites: bool = True,
        limit: Annotated[int | None, Query(ge=0, le=10_000)] = 100,
        offset: Annotated[int, Query(ge=0, le=MAX_ROWS)] = 0,
    ) -> list[SnapshotInfo]:
        """Snapshot metadata, newest first: ``start <= timestamp < end`` (naive times are UTC), all
        ``tag``s, equal ``metadata``, one ``kind``; ``limit`` (default 100) and ``offset`` paginate."""
        return ws.list_snapshots(
            project_id,
            start=naive_is_utc(start),
            end=naive_is_utc(end),
            tags=tags,
            metadata=metadata_filter(metadata),
            kind=kind,
            include_reports=include_reports,
            include_test_suites=include_test_suites,
            limit=limit,
            offset=offset,
        )

    @r.post(
        "/projects/{project_id}/snapshots",
        response_model=SnapshotInfo,
        status_code=201,
        dependencies=writes,
        tags=["snapshots"],
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"type": "object", "description": "a Snapshot"}},
                    PARTS_TYPE: {
                        "schema": {
                            "type": "string",
                            "format": "binary",
                            "description": "parts 'snapshot' (JSON), 'current', 'reference' (Parquet)",
                        }
                    },
                },
            }
        },
    )
    async def upload_snapshot(project_id: UUID, request: Request, replace: bool = False) -> SnapshotInfo:
        """Store a snapshot (JSON body), or a snapshot with its datasets (multi-part body, see
        ``monitorflow.storage.wire``; dataset parts stream to disk). The same snapshot again is no error;
        a different one under an existing id is refused (409) unless ``replace=true``."""
        if not request.headers.get("content-type", "").startswith(PARTS_TYPE):
            snapshot = Snapshot.loads(await read_capped(request, max_upload_bytes), source="upload")
            return await run_in_threadpool(ws.add_snapshot, project_id, snapshot, replace)
        with spool_dir() as folder:
            parts = await read_parts(
                request,
                folder,
                small={"snapshot": max_upload_bytes},
                files={"current", "reference"},
                file_limit=max_dataset_bytes,
            )
            if "snapshot" not in parts:
                raise ConfigurationError("the upload has no 'snapshot' part", argument="body")
            snapshot = Snapshot.loads(parts["snapshot"], source="upload")  # type: ignore[arg-type]
            data = {
                role: ParquetData.of_file(path, f"the uploaded {role} data")  # type: ignore[arg-type]
                for role, path in parts.items()
                if role != "snapshot"
            }
            if data and "current" not in data:
                raise ConfigurationError("datasets need a 'current' part", argument="body")
            return await run_in_threadpool(
                ws.add_snapshot, project_id, snapshot, replace, data.get("current"), data.get("reference")
            )

    @r.get(
        "/projects/{project_id}/snapshots/{snapshot_id}",
        dependencies=reads,
        tags=["snapshots"],
        responses={200: {"content": {"application/json": {}}, "description": "the Snapshot JSON"}},
    )
    def get_snapshot(project_id: UUID, snapshot_id: UUID) -> Response:
        """The snapshot JSON."""
        return Response(ws.load_snapshot(project_id, snapshot_id).json_bytes(), media_type="application/json")

    @r.get(
        "/projects/{project_id}/snapshots/{snapshot_id}/info",
        response_model=SnapshotInfo,
        dependencies=reads,
        tags=["snapshots"],
    )
    def snapshot_info(project_id: UUID, snapshot_id: UUID) -> SnapshotInfo:
        """Snapshot metadata without the blob."""
        return ws.get_snapshot_metadata(project_id, snapshot_id)

    @r.delete(
        "/projects/{project_id}/snapshots/{snapshot_id}",
        status_code=204,
        dependencies=writes,
        tags=["snapshots"],
    )
    def delete_snapshot(project_id: UUID, snapshot_id: UUID) -> Response:
        ws.delete_snapshot(project_id, snapshot_id)
        return Response(status_code=204)

    @r.get(
        "/projects/{project_id}/snapshots/{snapshot_id}/download",
        dependencies=reads,
        tags=["snapshots"],
        responses={200: {"content": {"text/html": {}, "application/json": {}}}},
    )
    def download_snapshot(
        project_id: UUID, snapshot_id: UUID, format: Literal["html", "json"] = "html", inline: bool = False
    ) -> Response:
        """The snapshot as the standalone HTML of ``save_html`` or as JSON, as an attachment."""
        snapshot = ws.load_snapshot(project_id, snapshot_id)
        name = f"{snapshot.kind}-{snapshot.timestamp:%Y%m%dT%H%M%SZ}-{snapshot.id}.{format}"
        disposition = "inline" if inline else f'attachment; filename="{name}"'
        if format == "json":
            return Response(
                snapshot.json_bytes(),
                media_type="application/json",
                headers={"Content-Disposition": disposition},
            )
        html = render_snapshot(snapshot)
        return Response(
            html, media_type="text/html; charset=utf-8", headers={"Content-Disposition": disposition}
        )

    # ---------------------------------------------------------------------------- datasets

    @r.get(
        "/projects/{project_id}/snapshots/{snapshot_id}/datasets",
        response_model=list[DatasetInfo],
        dependencies=reads,
        tags=["datasets"],
    )
    def snapshot_datasets(project_id: UUID, snapshot_id: UUID) -> list[DatasetInfo]:
        """The datasets stored with the snapshot (``include_data=True``)."""
        ws.get_snapshot_metadata(project_id, snapshot_id)
        return [d for d in ws.list_datasets(project_id) if d.snapshot_id == snapshot_id]

    @r.get(
        "/projects/{project_id}/snapshots/{snapshot_id}/datasets/{role}",
        dependencies=reads,
        tags=["datasets"],
        responses={200: {"content": {PARQUET: {}}, "description": "Parquet bytes"}},
    )
    def snapshot_dataset(
        project_id: UUID, snapshot_id: UUID, role: Literal["current", "reference"]
    ) -> Response:
        """The current or reference data of a snapshot as Parquet; its id in ``X-Monitorflow-Dataset-Id``."""
        info = ws.get_snapshot_metadata(project_id, snapshot_id)
        link = getattr(info.datasets, role)
        if link is None:
            raise DatasetNotFound(
                f"'{role}' of snapshot {info.id} (data is stored only with include_data=True)"
            )
        return _parquet(UUID(link))

    def _parquet(dataset_id: UUID) -> Response:
        data = ws.dataset_parquet(dataset_id)
        return Response(data, media_type=PARQUET, headers={"X-Monitorflow-Dataset-Id": str(dataset_id)})

    @r.get(
        "/projects/{project_id}/datasets",
        response_model=list[DatasetInfo],
        dependencies=reads,
        tags=["datasets"],
    )
    def list_datasets(project_id: UUID) -> list[DatasetInfo]:
        return ws.list_datasets(project_id)

    @r.post(
        "/projects/{project_id}/datasets",
        status_code=201,
        dependencies=writes,
        tags=["datasets"],
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    PARTS_TYPE: {
                        "schema": {
                            "type": "string",
                            "format": "binary",
                            "description": "parts 'meta' (JSON: name, description, column_mapping) and "
                            "'data' (Parquet)",
                        }
                    }
                },
            }
        },
    )
    async def add_dataset(project_id: UUID, request: Request) -> dict[str, str]:
        """Store a DataFrame (Parquet) in the project; returns ``{"id": ...}`` (an ``id`` in the meta
        part stores under it: a retried upload replaces, never duplicates)."""

        with spool_dir() as folder:
            parts = await read_parts(
                request, folder, small={"meta": _MAX_META}, files={"data"}, file_limit=max_dataset_bytes
            )
            try:
                meta = json.loads(parts.get("meta") or b"{}")  # type: ignore[arg-type]
            except (ValueError, RecursionError) as exc:
                raise ConfigurationError(f"the 'meta' part is not JSON: {exc}", argument="meta") from None
            if not isinstance(meta, dict) or not isinstance(meta.get("name"), str) or "data" not in parts:
                raise ConfigurationError("a dataset upload needs a 'meta' part with a name and a 'data' part")
            data = ParquetData.of_file(parts["data"], f"dataset {meta['name']!r}")  # type: ignore[arg-type]
            mapping = meta.get("column_mapping")
            mapping = ColumnMapping.model_validate(mapping) if mapping is not None else None
            dataset_id = await run_in_threadpool(
                lambda: ws.add_dataset(
                    project_id,
                    data,
                    meta["name"],
                    meta.get("description"),
                    mapping,
                    dataset_id=meta.get("id"),
                )
            )
        return {"id": str(dataset_id)}

    @r.get("/datasets/{dataset_id}", response_model=DatasetInfo, dependencies=reads, tags=["datasets"])
    def dataset_info(dataset_id: UUID) -> DatasetInfo:
        return ws.get_dataset_info(dataset_id)

    @r.get(
        "/datasets/{dataset_id}/data",
        dependencies=reads,
        tags=["datasets"],
        responses={200: {"content": {PARQUET: {}}, "description": "Parquet bytes"}},
    )
    def dataset_data(dataset_id: UUID) -> Response:
        return _parquet(dataset_id)

    @r.delete("/datasets/{dataset_id}", status_code=204, dependencies=writes, tags=["datasets"])
    def delete_dataset(dataset_id: UUID) -> Response:
        ws.delete_dataset(dataset_id)
        return Response(status_code=204)

    r.include_router(series_router(ws, reads))

    @r.get("/problems", response_model=list[Problem], dependencies=reads, tags=["service"])
    def problems() -> list[dict[str, str]]:
        """Stored files the workspace cannot read (left out of listings): key and reason."""
        return ws.problems()

    @r.post(
        "/projects/{project_id}/dashboard/keep",
        response_model=Project,
        dependencies=writes,
        tags=["dashboards"],
    )
    def keep_dashboard(project_id: UUID) -> Project:
        """Store the dashboard generated from the project's snapshots as its own (a project that has
        panels is left as it is)."""
        return keep(ws, project_id)

    @r.post("/reindex", response_model=ReindexResult, dependencies=writes, tags=["service"])
    def reindex() -> ReindexResult:
        """Rebuild the workspace index from the stored snapshots and datasets."""
        return ws.reindex()

    return r
