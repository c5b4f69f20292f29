"""The one storage protocol every backend implements, and the small models it speaks.

A store keeps three kinds of things per project: the project record, snapshot blobs and Parquet
datasets; plus an index (tags, metadata, flattened numeric points, test statuses) that answers
listings without opening blobs. Queries over the index for series and dashboards are the store's
``reads`` (:mod:`monitorflow.storage.reads`). ``Workspace`` builds the user API on top.

>>> from monitorflow.storage.base import SnapshotQuery
>>> SnapshotQuery(project_id="0190a6c2-5a4e-7b7c-8d2e-1f2a3b4c5d6e", tags=["a"]).tags
['a']
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Protocol, runtime_checkable
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from monitorflow.errors import DatasetNotFound, MonitoringError, SnapshotExists, SnapshotNotFound
from monitorflow.snapshot import DatasetLinks, Snapshot
from monitorflow.timeutil import to_utc

if TYPE_CHECKING:
    from monitorflow.storage.reads import IndexReads

SnapshotKind = Literal["report", "test_suite"]
#: A dataset's Parquet: bytes, or a file (an upload spooled to disk; stores copy it in pieces).
Payload = bytes | Path


def payload_bytes(payload: Payload) -> bytes:
    return payload if isinstance(payload, bytes) else payload.read_bytes()


DatasetRole = Literal["current", "reference"]


def _utc_or_none(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return to_utc(value)


def _bound(value: Any) -> datetime | None:
    """A filter bound in UTC; one at the ends of the calendar (no UTC equivalent) is clamped to it."""
    try:
        return _utc_or_none(value)
    except OverflowError:
        return datetime.min.replace(tzinfo=UTC) if value.year < 1970 else datetime.max.replace(tzinfo=UTC)


#: A stored time: an ISO string or a datetime, in UTC (naive input = local time).
UtcDatetime = Annotated[AwareDatetime, BeforeValidator(_utc_or_none)]


class StoredModel(BaseModel):
    """A frozen description of something stored; its datetimes are UTC (naive input = local time)."""

    model_config = ConfigDict(frozen=True)


class ProjectRecord(StoredModel):
    """A project as the store keeps it; ``data`` is the full JSON of the workspace's Project."""

    id: UUID
    name: str
    description: str | None = None
    created_at: UtcDatetime
    data: dict[str, Any] = {}


class SnapshotInfo(StoredModel):
    """What listings return about a snapshot (Evidently's ``SnapshotMetadata``), without the blob."""

    id: UUID
    project_id: UUID
    name: str | None = None
    kind: SnapshotKind
    timestamp: UtcDatetime
    created_at: UtcDatetime
    tags: list[str] = []
    metadata: dict[str, Any] = {}
    size: int = 0
    datasets: DatasetLinks = DatasetLinks()

    @property
    def is_report(self) -> bool:
        return self.kind == "report"


class DatasetInfo(StoredModel):
    """A Parquet dataset stored in a project: added directly, or beside a snapshot (``include_data``)."""

    id: UUID
    project_id: UUID
    name: str
    description: str | None = None
    created_at: UtcDatetime
    snapshot_id: UUID | None = None
    role: DatasetRole | None = None
    size: int = 0
    rows: int = 0
    columns: list[str] = []
    column_mapping: dict[str, Any] | None = None
    data_definition: dict[str, Any] | None = None


class Filters(StoredModel):
    """Filters shared by listings, series and dashboards: time range [start, end), tags (all present),
    metadata (every key equal)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    project_id: UUID
    start: AwareDatetime | None = None
    end: AwareDatetime | None = None
    tags: list[str] = []
    metadata: dict[str, Any] = {}

    @field_validator("start", "end", mode="before")
    @classmethod
    def _utc(cls, value: Any) -> Any:
        return _bound(value)


#: The largest ``limit``/``offset``: within the 64-bit integers every index backend compares, and exact as
#: a JSON number read into a double (so a client's schema check agrees with ours).
MAX_ROWS = 2**62


class SnapshotQuery(Filters):
    """``list_snapshots`` filters; newest first, ``limit``/``offset`` paginate."""

    kinds: list[SnapshotKind] = ["report", "test_suite"]
    limit: int | None = Field(default=None, ge=0, le=MAX_ROWS)
    offset: int = Field(default=0, ge=0, le=MAX_ROWS)


class SeriesQuery(Filters):
    """One metric field over time: ``metric_type`` (class name) and/or ``metric_fingerprint`` (one
    configured metric), ``metric_args`` equal to the metric's parameters, ``field_path`` into its
    result; from snapshots of ``kinds``."""

    metric_type: str | None = None
    metric_fingerprint: str | None = None
    metric_args: dict[str, Any] = {}
    field_path: str
    kinds: list[SnapshotKind] = ["report", "test_suite"]


class TestStatusQuery(Filters):
    """Test statuses over time, optionally narrowed to a test type (class name), one configured test
    (``test_fingerprint``) or its parameters."""

    __test__ = False

    test_type: str | None = None
    test_fingerprint: str | None = None
    test_args: dict[str, Any] = {}
    statuses: list[str] = []


class ReindexResult(BaseModel):
    """What ``reindex`` (or a sync with the blobs) did: projects, snapshots and datasets indexed, rows
    removed, and ``errors`` mapping an unreadable snapshot or dataset id to the reason."""

    projects: int = 0
    snapshots: int = 0
    datasets: int = 0
    removed: int = 0
    errors: dict[str, str] = {}


#: The former name of :class:`ReindexResult` (kept for code that imports it).
ReindexReport = ReindexResult


@runtime_checkable
class SnapshotStore(Protocol):
    """Projects, snapshots and datasets: put, get, list with a query, delete; ``reads`` queries the index.

    Ids are UUIDs; times are aware (UTC). A miss raises ``ProjectNotFound``, ``SnapshotNotFound`` or
    ``DatasetNotFound``; backend failures raise ``StorageError`` with the cause chained.
    """

    uri: str

    @property
    def reads(self) -> IndexReads:
        """Queries over the index (an attribute of each store, read-only here: each has its own kind)."""

    # projects
    def put_project(self, record: ProjectRecord) -> None: ...
    def get_project(self, project_id: UUID) -> ProjectRecord: ...
    def list_projects(self, name: str | None = None) -> list[ProjectRecord]: ...
    def delete_project(self, project_id: UUID) -> None: ...

    # snapshots, with the datasets stored beside them (``include_data``)
    def put_snapshot(
        self,
        project_id: UUID,
        snapshot: Snapshot,
        body: bytes,
        replace: bool = False,
        datasets: Sequence[tuple[DatasetInfo, Payload]] = (),
    ) -> SnapshotInfo: ...
    def get_snapshot(self, project_id: UUID, snapshot_id: UUID) -> Snapshot: ...
    def snapshot_info(self, project_id: UUID, snapshot_id: UUID) -> SnapshotInfo: ...
    def list_snapshots(self, query: SnapshotQuery) -> list[SnapshotInfo]: ...
    def delete_snapshot(self, project_id: UUID, snapshot_id: UUID) -> None: ...

    # datasets (Parquet bytes)
    def put_dataset(self, info: DatasetInfo, body: Payload) -> None: ...
    def get_dataset(self, dataset_id: UUID) -> tuple[DatasetInfo, bytes]: ...
    def dataset_info(self, dataset_id: UUID) -> DatasetInfo: ...
    def list_datasets(self, project_id: UUID) -> list[DatasetInfo]: ...
    def delete_dataset(self, dataset_id: UUID) -> None: ...

    def reindex(self) -> ReindexResult: ...
    def problems(self) -> list[dict[str, str]]: ...
    def close(self) -> None: ...


def settle_existing(stored: Snapshot | None, snapshot: Snapshot, project_id: UUID, with_data: bool) -> str:
    """What adding ``snapshot`` (without ``replace``) does when ``stored`` already has its id: "same"
    (nothing to write: a retry, or the same run added again), or "attach" (the same run, whose data is
    given now and was not stored before); a different snapshot raises SnapshotExists."""
    if stored is None or not stored.same_content(snapshot):
        raise SnapshotExists(snapshot.id, project_id)
    return "attach" if with_data and not linked(stored.datasets) else "same"


def linked(links: DatasetLinks | None) -> set[str]:
    """The dataset ids of a snapshot's links (``snapshot.datasets``; None: none)."""
    if links is None:
        return set()
    return {link for link in (links.current, links.reference) if link is not None}


class SnapshotsWithDatasets:
    """``put_snapshot`` for stores that keep datasets as objects of their own: the datasets first, then
    the snapshot that links them. Adding what is already stored is a no-op (or attaches data newly
    given); after a failed or uncertain attempt only datasets that no stored snapshot links to are
    removed (if even that cannot be read, they are left for the next reconcile); a replaced
    snapshot's datasets that the new one does not link are removed after it."""

    def put_snapshot(
        self,
        project_id: UUID,
        snapshot: Snapshot,
        body: bytes,
        replace: bool = False,
        datasets: Sequence[tuple[DatasetInfo, Payload]] = (),
    ) -> SnapshotInfo:
        if not replace:
            stored = self.existing_snapshot(project_id, snapshot.id, thorough=bool(datasets))
            if stored is not None:
                if settle_existing(stored, snapshot, project_id, bool(datasets)) == "same":
                    return self.stored_info(project_id, stored)
                replace = True  # attach the data: swap in the same snapshot with its links
        previous = None
        if replace:
            with contextlib.suppress(SnapshotNotFound):
                previous = self.snapshot_info(project_id, snapshot.id)
        written: list[UUID] = []
        try:
            for info, data in datasets:
                self.write_dataset(info, data)
                written.append(info.id)
            stored_info = self.put_snapshot_only(project_id, snapshot, body, replace)
        except SnapshotExists:  # another writer stored this id meanwhile
            stored = self._forget_unlinked(written, project_id, snapshot.id)
            if stored is None or not stored.same_content(snapshot):
                raise
            return self.stored_info(project_id, stored)
        except BaseException:
            self._forget_unlinked(written, project_id, snapshot.id)
            raise
        if previous is not None:
            for old in linked(previous.datasets) - linked(snapshot.datasets):
                self._forget_dataset(UUID(old), project_id, snapshot.id)
        return stored_info

    def _forget_unlinked(self, written: list[UUID], project_id: UUID, snapshot_id: UUID) -> Snapshot | None:
        """Remove the datasets of a failed attempt that the stored snapshot (if any) does not link;
        returns the stored snapshot. If the store cannot say, nothing is removed."""
        try:
            stored = self.existing_snapshot(project_id, snapshot_id, thorough=True)
        except MonitoringError:
            return None  # unknown: the next reconcile removes what no snapshot links
        for dataset_id in written:
            if str(dataset_id) not in linked(stored.datasets if stored else None):
                self._forget_dataset(dataset_id, project_id, snapshot_id)
        return stored

    def _forget_dataset(self, dataset_id: UUID, project_id: UUID, snapshot_id: UUID) -> None:
        """Delete a dataset stored with ``snapshot_id`` in ``project_id`` (never another's)."""
        with contextlib.suppress(DatasetNotFound):
            info = self.dataset_info(dataset_id)
            if info.project_id == project_id and info.snapshot_id == snapshot_id:
                self.delete_dataset(dataset_id)

    # what the store provides
    def put_snapshot_only(
        self, project_id: UUID, snapshot: Snapshot, body: bytes, replace: bool
    ) -> SnapshotInfo:
        raise NotImplementedError

    def existing_snapshot(self, project_id: UUID, snapshot_id: UUID, thorough: bool) -> Snapshot | None:
        """The snapshot stored under ``snapshot_id`` in the project, or None; SnapshotExists if another
        project holds the id. ``thorough``: also look past the index (costs a read of the blob store)."""
        raise NotImplementedError

    def stored_info(self, project_id: UUID, stored: Snapshot) -> SnapshotInfo:
        """The listing entry of a stored snapshot (indexing it if the index missed it)."""
        raise NotImplementedError

    def snapshot_info(self, project_id: UUID, snapshot_id: UUID) -> SnapshotInfo:
        raise NotImplementedError

    def write_dataset(self, info: DatasetInfo, body: Payload) -> None:
        """Store one dataset of a snapshot being written."""
        raise NotImplementedError

    def dataset_info(self, dataset_id: UUID) -> DatasetInfo:
        raise NotImplementedError

    def delete_dataset(self, dataset_id: UUID) -> None:
        raise NotImplementedError
