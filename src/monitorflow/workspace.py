"""Workspace and Project: projects of snapshots over time, their datasets and dashboard series.

The backend is chosen by URI (see :mod:`monitorflow.storage`): a folder path (the embedded default),
``sqlite:///ws.db``, ``postgresql+psycopg://user@host/db`` or ``s3://bucket/prefix``.

>>> import tempfile, pandas as pd
>>> from monitorflow import Report
>>> from monitorflow.metrics import DatasetSummaryMetric
>>> ws = Workspace(tempfile.mkdtemp())
>>> project = ws.create_project("churn")
>>> report = Report(metrics=[DatasetSummaryMetric()], tags=["daily"])
>>> report.run(reference_data=None, current_data=pd.DataFrame({"age": [31, 45, 27]}))
>>> info = ws.add_report(project.id, report, include_data=True)
>>> ws.series(project.id, "DatasetSummaryMetric", "current.number_of_rows")["value"].tolist()
[3.0]
>>> ws.load_dataset(project.id, info.id, "current")["age"].tolist()
[31, 45, 27]
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, TypeAlias
from uuid import UUID

import pandas as pd

from monitorflow.column_mapping import ColumnMapping, DataDefinition
from monitorflow.dashboards import DashboardConfig
from monitorflow.errors import (
    ConfigurationError,
    DatasetNotFound,
    ProjectNotFound,
    SnapshotError,
    SnapshotNotFound,
    SnapshotTooLarge,
)
from monitorflow.ids import uuid7
from monitorflow.project import IdLike, Project, WorkspaceBase, to_uuid
from monitorflow.snapshot import DatasetLinks, Snapshot
from monitorflow.storage import open_store, scheme_of
from monitorflow.storage.base import (
    DatasetInfo,
    ProjectRecord,
    ReindexResult,
    SnapshotInfo,
    SnapshotQuery,
    SnapshotStore,
)
from monitorflow.storage.parquet import ParquetData, parquet_to_frame
from monitorflow.timeutil import utc_now
from monitorflow.workspace_reads import WorkspaceReads, gc_paused

if TYPE_CHECKING:
    from monitorflow._suite import Suite

#: Default limit on the JSON size of one snapshot upload (50 MiB).
DEFAULT_MAX_SNAPSHOT_BYTES = 50 * 1024 * 1024


def as_snapshot(item: Any) -> Snapshot:
    """A Snapshot, or the snapshot of a Report/TestSuite; anything else is a ConfigurationError."""
    if isinstance(item, Snapshot):
        return item
    if hasattr(item, "to_snapshot"):
        return item.to_snapshot()
    raise ConfigurationError(
        f"expected a Snapshot, Report or TestSuite, got {type(item).__name__}", argument="snapshot"
    )


DataLike: TypeAlias = pd.DataFrame | ParquetData


def data_frames(current: DataLike | None, reference: DataLike | None) -> dict[str, DataLike]:
    """``{"current": ..., "reference": ...}`` of the frames (or Parquet) given (reference only with
    current)."""
    if reference is not None and current is None:
        raise ConfigurationError(
            "reference_data was given without current_data; pass both", argument="current_data"
        )
    return {
        role: frame for role, frame in (("current", current), ("reference", reference)) if frame is not None
    }


def _check_limit(max_snapshot_bytes: int) -> None:
    if max_snapshot_bytes <= 0:
        raise ConfigurationError(f"max_snapshot_bytes must be positive, got {max_snapshot_bytes}")


def _record(project: Project) -> ProjectRecord:
    return ProjectRecord(
        id=project.id,
        name=project.name,
        description=project.description,
        created_at=project.created_at,
        data=project.model_dump(mode="json"),
    )


class Workspace(WorkspaceReads):
    """Projects and their snapshots in one storage backend (``RemoteWorkspace``: a service's).

    ``Workspace(uri="workspace", max_snapshot_bytes=50 MiB, endpoint_url=None, index_uri=None,
    grace_period=600)``; ``endpoint_url`` and ``index_uri`` apply to ``s3://`` workspaces;
    ``grace_period`` (seconds) is how old what a crashed write left must be before it is removed.
    """

    def __init__(
        self,
        uri: str | os.PathLike[str] = "workspace",
        *,
        max_snapshot_bytes: int = DEFAULT_MAX_SNAPSHOT_BYTES,
        endpoint_url: str | None = None,
        index_uri: str | os.PathLike[str] | None = None,
        sync_interval: float | None = None,
        grace_period: float | None = None,
        _create: bool = False,
        **options: Any,
    ) -> None:
        _check_limit(max_snapshot_bytes)
        text = os.fspath(uri)
        if grace_period is not None:
            options["grace_period"] = grace_period
        if scheme_of(text) == "s3":
            options.update(endpoint_url=endpoint_url, index_uri=index_uri, create=_create)
            if sync_interval is not None:
                options["sync_interval"] = sync_interval
        elif endpoint_url is not None or index_uri is not None or sync_interval is not None:
            raise ConfigurationError(
                f"endpoint_url, index_uri and sync_interval apply to s3:// workspaces only, not {text!r}",
                argument="endpoint_url",
            )
        self._open(open_store(text, **options), text, max_snapshot_bytes)

    def _open(self, store: SnapshotStore, uri: str, max_snapshot_bytes: int) -> None:
        """Work on ``store`` (every constructor ends here: a local backend, or a service's)."""
        self.store, self.uri, self.max_snapshot_bytes = store, uri, max_snapshot_bytes

    @classmethod
    def create(cls, uri: str | os.PathLike[str] = "workspace", **kwargs: Any) -> Workspace:
        """Open ``uri``, creating the folder, schema or S3 bucket if needed."""
        return cls(uri, _create=True, **kwargs)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Workspace({self.store.uri!r})"

    # ------------------------------------------------------------------------------ projects

    def create_project(self, name: str, description: str | None = None) -> Project:
        return self.add_project(
            Project(name=name, description=description, dashboard=DashboardConfig(name=name))
        )

    def add_project(self, project: Project) -> Project:
        self.store.put_project(_record(project))
        return project.bind(self)

    def update_project(self, project: Project) -> Project:
        self.store.get_project(project.id)  # raises ProjectNotFound
        return self.add_project(project)

    def _project(self, record: ProjectRecord) -> Project:
        data = {
            **record.data,
            "id": record.id,
            "name": record.name,
            "description": record.description,
            "created_at": record.created_at,
        }
        return Project.model_validate(data).bind(self)

    def get_project(self, project_id: IdLike) -> Project:
        return self._project(self.store.get_project(to_uuid(project_id, ProjectNotFound)))

    def list_projects(self) -> list[Project]:
        """Newest first."""
        return [self._project(r) for r in self.store.list_projects()]

    def search_project(self, name: str) -> list[Project]:
        """Projects whose name equals ``name`` (exact match, like Evidently)."""
        return [self._project(r) for r in self.store.list_projects(name=name)]

    def delete_project(self, project_id: IdLike) -> None:
        """Delete the project with its snapshots, datasets and index rows."""
        self.store.delete_project(to_uuid(project_id, ProjectNotFound))

    # ----------------------------------------------------------------------------- snapshots

    def add_snapshot(
        self,
        project_id: IdLike,
        snapshot: Snapshot,
        replace: bool = False,
        current_data: DataLike | None = None,
        reference_data: DataLike | None = None,
    ) -> SnapshotInfo:
        """Store a snapshot (e.g. ``snapshot.load("file.json")``), optionally with the data it was
        computed on (DataFrames, or :class:`~monitorflow.storage.parquet.ParquetData`). The same snapshot
        again is no error (a retry is safe), and attaches data given now
        if none was stored; a different snapshot under an existing id raises SnapshotExists unless
        ``replace=True``, which swaps the snapshot and its datasets."""
        snapshot = as_snapshot(snapshot)
        frames = data_frames(current_data, reference_data)
        return self._add(to_uuid(project_id, ProjectNotFound), snapshot, frames, replace=replace)

    def add_report(
        self, project_id: IdLike, report: Suite, include_data: bool = False, replace: bool = False
    ) -> SnapshotInfo:
        """Store the report's snapshot; with ``include_data`` also its current/reference frames as
        Parquet. Adding the same run again is no error (with ``include_data`` it attaches the data if
        none was stored); another snapshot under its id raises SnapshotExists unless ``replace=True``."""
        return self._add_suite(project_id, report, include_data, replace)

    def add_test_suite(
        self, project_id: IdLike, test_suite: Suite, include_data: bool = False, replace: bool = False
    ) -> SnapshotInfo:
        """Store the test suite's snapshot, as :meth:`add_report`."""
        return self._add_suite(project_id, test_suite, include_data, replace)

    def _add_suite(self, project_id: IdLike, suite: Suite, include_data: bool, replace: bool) -> SnapshotInfo:
        if not hasattr(suite, "to_snapshot") or not hasattr(suite, "datasets"):
            raise ConfigurationError(f"expected a Report or TestSuite, got {type(suite).__name__}")
        current, reference = suite.datasets() if include_data else (None, None)
        if include_data and current is None:
            raise ConfigurationError(
                f"this {type(suite).__name__} holds no data (it was loaded from a snapshot); "
                "run it, or add it with include_data=False",
                argument="include_data",
            )
        return self.add_snapshot(
            project_id, suite.to_snapshot(), replace=replace, current_data=current, reference_data=reference
        )

    def _add(
        self, project_id: UUID, snapshot: Snapshot, frames: dict[str, DataLike], replace: bool
    ) -> SnapshotInfo:
        if not replace:
            stored = self._stored_same(project_id, snapshot)
            if stored is not None:  # the same content again: nothing to do, unless it now brings its data
                if not frames or stored.datasets != DatasetLinks():
                    return self.store.snapshot_info(project_id, snapshot.id)
                replace = True
        ids = {role: uuid7() for role in frames}
        if frames:
            links = DatasetLinks(**{role: str(i) for role, i in ids.items()})
            snapshot = snapshot.model_copy(update={"datasets": links})
        else:
            self._check_links(project_id, snapshot)
        body = snapshot.json_bytes()
        if len(body) > self.max_snapshot_bytes:
            raise SnapshotTooLarge(len(body), self.max_snapshot_bytes)
        definition = snapshot.data_definition.model_dump(mode="json") if snapshot.data_definition else None
        datasets = []
        for role, frame in frames.items():
            name = f"{role} data of snapshot {snapshot.id}"
            parquet = frame if isinstance(frame, ParquetData) else ParquetData.of_frame(frame, name)
            info = DatasetInfo(
                id=ids[role],
                project_id=project_id,
                name=name,
                created_at=utc_now(),
                snapshot_id=snapshot.id,
                role=role,
                size=parquet.size,
                rows=parquet.rows,
                columns=parquet.columns,
                data_definition=definition,
            )
            datasets.append((info, parquet.data))
        return self.store.put_snapshot(project_id, snapshot, body, replace=replace, datasets=datasets)

    def _stored_same(self, project_id: UUID, snapshot: Snapshot) -> Snapshot | None:
        """The stored snapshot of this id when its content (data links aside) is this one's, else None
        (absent, or different: storing then raises SnapshotExists)."""
        try:
            stored = self.store.get_snapshot(project_id, snapshot.id)
        except SnapshotNotFound:
            return None
        unlinked = {"datasets": DatasetLinks()}
        same = (
            stored.model_copy(update=unlinked).json_bytes()
            == snapshot.model_copy(update=unlinked).json_bytes()
        )
        return stored if same else None

    def _check_links(self, project_id: UUID, snapshot: Snapshot) -> None:
        """Dataset links sent with a snapshot must name datasets of its project (a link elsewhere could
        read, or on replace delete, another project's data)."""
        for role in ("current", "reference"):
            link = getattr(snapshot.datasets, role)
            if link is None:
                continue
            try:
                owner = self.store.dataset_info(to_uuid(link, DatasetNotFound)).project_id
            except DatasetNotFound:
                owner = None
            if owner != project_id:
                raise ConfigurationError(
                    f"snapshot {snapshot.id} links dataset {link} as its {role} data, but project "
                    f"{project_id} has no such dataset; add it without dataset links, or with its data "
                    "(current_data=...)",
                    argument="datasets",
                )

    def delete_snapshot(self, project_id: IdLike, snapshot_id: IdLike) -> None:
        """Delete a snapshot, its datasets and its index rows."""
        pid = to_uuid(project_id, ProjectNotFound)
        self.store.delete_snapshot(pid, to_uuid(snapshot_id, lambda v: SnapshotNotFound(v, pid)))

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
        """Snapshot metadata, newest first, filtered in the index: ``start <= timestamp < end``, all
        ``tags`` present, ``metadata`` values equal, one ``kind``; ``limit``/``offset`` paginate."""
        kinds = [k for k, on in (("report", include_reports), ("test_suite", include_test_suites)) if on]
        if kind is not None:
            kinds = [k for k in kinds if k == kind]
        query = SnapshotQuery(
            project_id=to_uuid(project_id, ProjectNotFound),
            start=start,
            end=end,
            tags=list(tags or []),
            metadata=dict(metadata or {}),
            kinds=kinds,
            limit=limit,
            offset=offset,
        )
        with gc_paused():
            return self.store.list_snapshots(query)

    def get_snapshot_metadata(self, project_id: IdLike, snapshot_id: IdLike) -> SnapshotInfo:
        pid = to_uuid(project_id, ProjectNotFound)
        return self.store.snapshot_info(pid, to_uuid(snapshot_id, lambda v: SnapshotNotFound(v, pid)))

    def load_snapshot(self, project_id: IdLike, snapshot_id: IdLike) -> Snapshot:
        """The stored snapshot; SnapshotError if what is stored under this id holds another id."""
        pid = to_uuid(project_id, ProjectNotFound)
        sid = to_uuid(snapshot_id, lambda v: SnapshotNotFound(v, pid))
        snapshot = self.store.get_snapshot(pid, sid)
        if snapshot.id != sid:
            raise SnapshotError(
                f"snapshot {sid} of project {pid} holds a snapshot with another id ({snapshot.id}); "
                "delete it, or re-add the right one with replace=True"
            )
        return snapshot

    # ------------------------------------------------------------------------------ datasets

    def add_dataset(
        self,
        project_id: IdLike,
        df: DataLike,
        name: str,
        description: str | None = None,
        column_mapping: ColumnMapping | None = None,
        *,
        dataset_id: IdLike | None = None,
    ) -> UUID:
        """Store ``df`` (a DataFrame, or :class:`~monitorflow.storage.parquet.ParquetData`) as Parquet in
        the project; returns the dataset id (``dataset_id`` if given: storing under an existing id
        replaces that dataset, so a retried upload does not duplicate)."""
        pid = to_uuid(project_id, ProjectNotFound)
        parquet = df if isinstance(df, ParquetData) else ParquetData.of_frame(df, f"dataset {name!r}")
        dataset_id = uuid7() if dataset_id is None else to_uuid(dataset_id, DatasetNotFound)
        self.store.put_dataset(
            DatasetInfo(
                id=dataset_id,
                project_id=pid,
                name=name,
                description=description,
                created_at=utc_now(),
                size=parquet.size,
                rows=parquet.rows,
                columns=parquet.columns,
                column_mapping=column_mapping.model_dump(mode="json") if column_mapping is not None else None,
            ),
            parquet.data,
        )
        return dataset_id

    def load_dataset(
        self,
        project_or_dataset_id: IdLike,
        snapshot_id: IdLike | None = None,
        which: Literal["current", "reference"] = "current",
    ) -> pd.DataFrame:
        """``load_dataset(dataset_id)`` or ``load_dataset(project_id, snapshot_id, "current"|"reference")``.

        The frame's ``attrs`` hold ``dataset_id``, ``column_mapping`` and ``data_definition``.
        """
        if snapshot_id is None:
            dataset_id = to_uuid(project_or_dataset_id, DatasetNotFound)
        else:
            if which not in ("current", "reference"):
                raise ConfigurationError(
                    f"which must be 'current' or 'reference', got {which!r}", argument="which"
                )
            info = self.get_snapshot_metadata(project_or_dataset_id, snapshot_id)
            link = getattr(info.datasets, which)
            if link is None:
                raise DatasetNotFound(
                    f"'{which}' of snapshot {info.id} (data is stored only with include_data=True)"
                )
            dataset_id = UUID(link)
        dataset, data = self.store.get_dataset(dataset_id)
        frame = parquet_to_frame(data, f"dataset {dataset_id}")
        frame.attrs["dataset_id"] = str(dataset.id)
        frame.attrs["column_mapping"] = (
            ColumnMapping.model_validate(dataset.column_mapping) if dataset.column_mapping else None
        )
        frame.attrs["data_definition"] = (
            DataDefinition.model_validate(dataset.data_definition) if dataset.data_definition else None
        )
        return frame

    def dataset_parquet(self, dataset_id: IdLike) -> bytes:
        """The dataset's Parquet bytes, as stored."""
        return self.store.get_dataset(to_uuid(dataset_id, DatasetNotFound))[1]

    def get_dataset_info(self, dataset_id: IdLike) -> DatasetInfo:
        return self.store.dataset_info(to_uuid(dataset_id, DatasetNotFound))

    def list_datasets(self, project_id: IdLike) -> list[DatasetInfo]:
        """Datasets of the project (added ones and those stored with snapshots), newest first."""
        return self.store.list_datasets(to_uuid(project_id, ProjectNotFound))

    def delete_dataset(self, dataset_id: IdLike) -> None:
        self.store.delete_dataset(to_uuid(dataset_id, DatasetNotFound))

    # ------------------------------------------------------------------------------ maintain

    def reindex(self) -> ReindexResult:
        """Rebuild the index from the stored snapshots and datasets (S3: from the bucket alone)."""
        return self.store.reindex()

    def problems(self) -> list[dict[str, str]]:
        """Stored files that cannot be read (``key`` relative to the workspace, ``reason``): left out of
        listings and logged; fix or delete them (they are looked at again when they change)."""
        return self.store.problems()


__all__ = ["DEFAULT_MAX_SNAPSHOT_BYTES", "IdLike", "Project", "Workspace", "WorkspaceBase"]
