"""The one storage protocol every backend implements, and the small models it speaks.

A store keeps three kinds of things per project: the project record, snapshot blobs and Parquet
datasets; plus an index (tags, metadata, flattened numeric points, test statuses) that answers
listings and time series without opening blobs. ``Workspace`` builds the user API on top.

>>> from monitorflow.storage.base import SnapshotQuery
>>> SnapshotQuery(project_id="0190a6c2-5a4e-7b7c-8d2e-1f2a3b4c5d6e", tags=["a"]).tags
['a']
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, Protocol, runtime_checkable
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from monitorflow.snapshot import DatasetLinks, Snapshot
from monitorflow.timeutil import to_utc

SnapshotKind = Literal["report", "test_suite"]
DatasetRole = Literal["current", "reference"]


def _utc_or_none(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return to_utc(value)


class _Aware(BaseModel):
    """Base of models whose datetimes are stored in UTC (naive input = local time)."""

    model_config = ConfigDict(frozen=True)


class ProjectRecord(_Aware):
    """A project as the store keeps it; ``data`` is the full JSON of the workspace's Project."""

    id: UUID
    name: str
    description: str | None = None
    created_at: AwareDatetime
    data: dict[str, Any] = {}

    @field_validator("created_at", mode="before")
    @classmethod
    def _utc(cls, value: Any) -> Any:
        return _utc_or_none(value)


class SnapshotInfo(_Aware):
    """What listings return about a snapshot (Evidently's ``SnapshotMetadata``), without the blob."""

    id: UUID
    project_id: UUID
    name: str | None = None
    kind: SnapshotKind
    timestamp: AwareDatetime
    created_at: AwareDatetime
    tags: list[str] = []
    metadata: dict[str, Any] = {}
    size: int = 0
    datasets: DatasetLinks = DatasetLinks()

    @property
    def is_report(self) -> bool:
        return self.kind == "report"

    @field_validator("timestamp", "created_at", mode="before")
    @classmethod
    def _utc(cls, value: Any) -> Any:
        return _utc_or_none(value)


class DatasetInfo(_Aware):
    """A Parquet dataset stored in a project: added directly, or beside a snapshot (``include_data``)."""

    id: UUID
    project_id: UUID
    name: str
    description: str | None = None
    created_at: AwareDatetime
    snapshot_id: UUID | None = None
    role: DatasetRole | None = None
    size: int = 0
    rows: int = 0
    columns: list[str] = []
    column_mapping: dict[str, Any] | None = None
    data_definition: dict[str, Any] | None = None

    @field_validator("created_at", mode="before")
    @classmethod
    def _utc(cls, value: Any) -> Any:
        return _utc_or_none(value)


class _Filters(_Aware):
    """Filters shared by listings and series: time range [start, end), tags (all), metadata (equal)."""

    project_id: UUID
    start: AwareDatetime | None = None
    end: AwareDatetime | None = None
    tags: list[str] = []
    metadata: dict[str, Any] = {}

    @field_validator("start", "end", mode="before")
    @classmethod
    def _utc(cls, value: Any) -> Any:
        return _utc_or_none(value)


class SnapshotQuery(_Filters):
    """``list_snapshots`` filters; newest first, ``limit``/``offset`` paginate."""

    kinds: list[SnapshotKind] = ["report", "test_suite"]
    limit: int | None = Field(default=None, ge=0)
    offset: int = Field(default=0, ge=0)


class SeriesQuery(_Filters):
    """One metric field over time: ``metric_type`` (class name) and/or ``metric_id`` (fingerprint),
    ``metric_args`` equal to the metric's parameters, ``field_path`` into its result."""

    metric_type: str | None = None
    metric_id: str | None = None
    metric_args: dict[str, Any] = {}
    field_path: str


class TestStatusQuery(_Filters):
    """Test statuses over time, optionally narrowed to a test type, a test id or its parameters."""

    __test__ = False

    test_type: str | None = None
    test_id: str | None = None
    test_args: dict[str, Any] = {}
    statuses: list[str] = []


class ReindexReport(BaseModel):
    """What ``reindex``/sync did; ``errors`` maps an unreadable snapshot or dataset id to the reason."""

    projects: int = 0
    snapshots: int = 0
    datasets: int = 0
    removed: int = 0
    errors: dict[str, str] = {}


@runtime_checkable
class SnapshotStore(Protocol):
    """Projects, snapshots and datasets: put, get, list with a query, delete; plus index queries.

    Ids are UUIDs; times are aware (UTC). A miss raises ``ProjectNotFound``, ``SnapshotNotFound`` or
    ``DatasetNotFound``; backend failures raise ``StorageError`` with the cause chained.
    """

    uri: str

    # projects
    def put_project(self, record: ProjectRecord) -> None: ...
    def get_project(self, project_id: UUID) -> ProjectRecord: ...
    def list_projects(self, name: str | None = None) -> list[ProjectRecord]: ...
    def delete_project(self, project_id: UUID) -> None: ...

    # snapshots
    def put_snapshot(
        self, project_id: UUID, snapshot: Snapshot, body: bytes, replace: bool = False
    ) -> SnapshotInfo: ...
    def get_snapshot(self, project_id: UUID, snapshot_id: UUID) -> Snapshot: ...
    def snapshot_info(self, project_id: UUID, snapshot_id: UUID) -> SnapshotInfo: ...
    def list_snapshots(self, query: SnapshotQuery) -> list[SnapshotInfo]: ...
    def delete_snapshot(self, project_id: UUID, snapshot_id: UUID) -> None: ...

    # datasets (Parquet bytes)
    def put_dataset(self, info: DatasetInfo, body: bytes) -> None: ...
    def get_dataset(self, dataset_id: UUID) -> tuple[DatasetInfo, bytes]: ...
    def dataset_info(self, dataset_id: UUID) -> DatasetInfo: ...
    def list_datasets(self, project_id: UUID) -> list[DatasetInfo]: ...
    def delete_dataset(self, dataset_id: UUID) -> None: ...

    # index queries (rows, not frames: the workspace builds DataFrames)
    def series(self, query: SeriesQuery) -> list[tuple[int, str, float, str]]: ...
    def test_statuses(self, query: TestStatusQuery) -> list[tuple[int, str, str, str, str, str]]: ...

    def reindex(self) -> ReindexReport: ...
    def close(self) -> None: ...
