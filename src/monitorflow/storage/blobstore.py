"""A store made of blobs (the source of truth) plus an SQL index: the folder and S3 backends.

The key layout and the blob protocol are in :mod:`monitorflow.storage.blobs`.

A write puts the blob first (atomically: rename / single PUT), then indexes it; a failed index
write removes the new blob, so a snapshot is fully visible or absent. The index can always be
rebuilt from the blobs (``reindex``), and ``sync_project`` brings it up to date with blobs written
by other processes (compares the blob listing and ETags with the index).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Sequence
from functools import partial
from uuid import UUID

from monitorflow.errors import (
    DatasetNotFound,
    MonitoringError,
    ProjectNotFound,
    SnapshotError,
    SnapshotExists,
    SnapshotNotFound,
    StorageError,
)
from monitorflow.snapshot import Snapshot
from monitorflow.storage.base import (
    DatasetInfo,
    Payload,
    ProjectRecord,
    ReindexResult,
    SnapshotInfo,
    SnapshotQuery,
    SnapshotsWithDatasets,
)
from monitorflow.storage.blobs import (  # also importable from here, as before
    BlobExists,
    BlobMissing,
    Blobs,
    dataset_keys,
    project_key,
    snapshot_key,
)
from monitorflow.storage.index import Index
from monitorflow.storage.index.queries import SqlReads
from monitorflow.storage.recovery import GRACE_PERIOD_S, Journal, snapshot_file
from monitorflow.storage.runners import Runner, SqliteRunner, Tx

log = logging.getLogger("monitorflow.storage")


def _uuid(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None


def _project_record(data: bytes, source: str) -> ProjectRecord:
    try:
        body = json.loads(data)
        return ProjectRecord(
            id=body["id"],
            name=body["name"],
            description=body.get("description"),
            created_at=body["created_at"],
            data=body,
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise StorageError(f"project file {source} is not a monitorflow project: {exc}") from exc


def _open_index(runner: Runner) -> tuple[Index, str | None]:
    """The index, and where a damaged index file was moved (None: it was fine): a SQLite file that is
    no database, or a malformed one, is set aside and started afresh (the blobs rebuild it)."""
    try:
        return Index(runner), None
    except StorageError as exc:
        cause = exc.__cause__
        damaged = isinstance(cause, sqlite3.DatabaseError) and not isinstance(cause, sqlite3.OperationalError)
        if not damaged or not isinstance(runner, SqliteRunner):
            raise
        aside = runner.discard()
        log.warning(
            "the index %s is damaged (%s); moved to %s and rebuilt from the stored files",
            runner.path,
            cause,
            aside,
        )
        return Index(runner), aside


class BlobIndexStore(Journal, SnapshotsWithDatasets):
    """``SnapshotStore`` over :class:`Blobs` and an :class:`Index`. Opening it settles what crashed
    writers left (:mod:`monitorflow.storage.recovery`) and rebuilds a damaged index."""

    def __init__(
        self,
        uri: str,
        blobs: Blobs,
        runner: Runner,
        *,
        sync_on_read: bool = False,
        sync_interval: float = 1.0,
        grace_period: float = GRACE_PERIOD_S,
        rebuild: bool = False,
    ) -> None:
        self.uri = uri
        self.blobs = blobs
        self.grace_period = grace_period
        self.index, damaged = _open_index(runner)
        #: S3: other processes may write the bucket with their own index, so listings and series
        #: first sync the project with the bucket, at most once per ``sync_interval`` seconds.
        self.sync_on_read = sync_on_read
        self.sync_interval = sync_interval
        self._synced_at: dict[str, tuple[float, float]] = {}  # project -> (finished, duration)
        self.reads = SqlReads(runner, fresh=self._sync_if_due, require_project=self._require_project)
        if damaged or rebuild:
            self.reindex()
        else:
            self.recover()

    # ------------------------------------------------------------------------------ projects

    def put_project(self, record: ProjectRecord) -> None:
        body = {
            **record.data,
            "id": str(record.id),
            "name": record.name,
            "description": record.description,
            "created_at": record.created_at.isoformat(),
        }
        etag = self.blobs.put(project_key(record.id), json.dumps(body, indent=2, default=str).encode())
        self.index.runner.write(lambda tx: self.index.upsert_project(tx, record, etag))

    def get_project(self, project_id: UUID) -> ProjectRecord:
        """Read from the blob (the truth); refresh the index row when the blob changed."""
        key = project_key(project_id)
        try:
            data, etag = self.blobs.get(key)
        except BlobMissing:
            if self.index.get_project(project_id) is not None:  # deleted by another process
                self.index.runner.write(lambda tx: self.index.delete_project(tx, project_id))
            raise ProjectNotFound(project_id) from None
        record = _project_record(data, self.blobs.where(key))
        if self.index.project_etags().get(str(project_id), "") != etag:
            self.index.runner.write(lambda tx: self.index.upsert_project(tx, record, etag))
        return record

    def _require_project(self, project_id: UUID) -> None:
        if self.index.get_project(project_id) is None:
            self.get_project(project_id)

    def list_projects(self, name: str | None = None) -> list[ProjectRecord]:
        self.sync_projects()
        return self.index.list_projects(name)

    def sync_projects(self, report: ReindexResult | None = None) -> ReindexResult:
        """Add projects found in the blobs, drop index rows of projects whose blobs are gone."""
        report = report or ReindexResult()
        indexed = self.index.project_etags()  # read before listing: see module docstring
        present = {c for c in self.blobs.children() if _uuid(c) is not None}
        for pid in sorted(present - set(indexed)):
            try:
                self.get_project(UUID(pid))
                report.projects += 1
            except ProjectNotFound:
                pass  # a folder without metadata.json: not a project
            except StorageError as exc:
                report.errors[pid] = str(exc)
        for pid in set(indexed) - present:
            self.index.runner.write(partial(self.index.delete_project, project_id=pid))
            report.removed += 1
        return report

    def delete_project(self, project_id: UUID) -> None:
        self._require_project(project_id)
        self.blobs.delete_prefix(f"{project_id}/")
        self.index.runner.write(lambda tx: self.index.delete_project(tx, project_id))
        self._synced_at.pop(str(project_id), None)

    # ----------------------------------------------------------------------------- snapshots

    def put_snapshot_only(
        self, project_id: UUID, snapshot: Snapshot, body: bytes, replace: bool
    ) -> SnapshotInfo:
        self._require_project(project_id)
        owner = self.index.snapshot_info(snapshot.id)
        if owner is not None and owner.project_id != project_id:  # ids are unique across projects
            raise SnapshotExists(snapshot.id, owner.project_id)
        key = snapshot_key(project_id, snapshot.id)
        try:
            etag = self.blobs.put(key, body, overwrite=replace)
        except BlobExists:
            etag = self._own_earlier_write(key, body)
            if etag is None:
                raise SnapshotExists(snapshot.id, project_id) from None
        try:
            # the exclusive blob write decided existence: a stale index row is replaced
            return self.index.add_snapshot(project_id, snapshot, size=len(body), etag=etag, mode="upsert")
        except BaseException:
            if not replace:
                self.blobs.delete(key)
            raise

    def _own_earlier_write(self, key: str, body: bytes) -> str | None:
        """The ETag of the blob at ``key`` if it holds exactly ``body``: a write whose answer was lost
        (the client retried it and found its own bytes), else None."""
        try:
            data, etag = self.blobs.get(key)
        except BlobMissing:
            return None
        return etag if data == body else None

    def existing_snapshot(self, project_id: UUID, snapshot_id: UUID, thorough: bool) -> Snapshot | None:
        info = self.index.snapshot_info(snapshot_id)
        if info is not None and info.project_id != project_id:
            raise SnapshotExists(snapshot_id, info.project_id)
        if info is None and not thorough:
            return None
        try:
            return self.get_snapshot(project_id, snapshot_id)
        except SnapshotNotFound:
            return None
        except SnapshotError:
            raise SnapshotExists(snapshot_id, project_id) from None  # something unreadable holds the id

    def stored_info(self, project_id: UUID, stored: Snapshot) -> SnapshotInfo:
        info = self.index.snapshot_info(stored.id)
        if info is not None:
            return info
        key = snapshot_key(project_id, stored.id)  # stored but not indexed (a crash between the two)
        data, etag = self.blobs.get(key)
        return self.index.add_snapshot(project_id, stored, size=len(data), etag=etag, mode="upsert")

    def put_snapshot(
        self,
        project_id: UUID,
        snapshot: Snapshot,
        body: bytes,
        replace: bool = False,
        datasets: Sequence[tuple[DatasetInfo, Payload]] = (),
    ) -> SnapshotInfo:
        """As :class:`SnapshotsWithDatasets`, inside the write journal (the snapshot and its datasets)."""
        keys = [snapshot_key(project_id, snapshot.id)] + [
            dataset_keys(project_id, i.id)[1] for i, _ in datasets
        ]
        with self.journaled(keys, project_id):
            return super().put_snapshot(project_id, snapshot, body, replace, datasets)

    def get_snapshot(self, project_id: UUID, snapshot_id: UUID) -> Snapshot:
        key = snapshot_key(project_id, snapshot_id)
        try:
            data, _ = self.blobs.get(key)
        except BlobMissing:
            self._require_project(project_id)
            raise SnapshotNotFound(snapshot_id, project_id) from None
        return Snapshot.loads(
            data, source=f"snapshot {snapshot_id} of project {project_id} ({self.blobs.where(key)})"
        )

    def snapshot_info(self, project_id: UUID, snapshot_id: UUID) -> SnapshotInfo:
        info = self.index.snapshot_info(snapshot_id)
        if (info is None or info.project_id != project_id) and self.sync_on_read:
            self.sync_project(project_id)
            info = self.index.snapshot_info(snapshot_id)
        if info is None or info.project_id != project_id:
            self._require_project(project_id)
            raise SnapshotNotFound(snapshot_id, project_id)
        return info

    def list_snapshots(self, query: SnapshotQuery) -> list[SnapshotInfo]:
        self._fresh(query.project_id)
        return self.index.list_snapshots(query)

    def delete_snapshot(self, project_id: UUID, snapshot_id: UUID) -> None:
        if self.sync_on_read:
            self.sync_project(project_id)
        key = snapshot_key(project_id, snapshot_id)
        info = self.index.snapshot_info(snapshot_id)
        if (info is None or info.project_id != project_id) and not self.blobs.exists(key):
            self._require_project(project_id)
            raise SnapshotNotFound(snapshot_id, project_id)
        datasets = self.index.list_datasets(project_id, snapshot_id=snapshot_id)
        keys = [key] + [dataset_keys(project_id, ds.id)[1] for ds in datasets]
        with self.journaled(keys, project_id):
            self.blobs.delete(key)  # blob first: a concurrent sync never re-adds a deleted snapshot
            for ds in datasets:
                self._delete_dataset_blobs(ds)

            def unindex(tx: Tx) -> None:
                self.index.delete_snapshot(tx, snapshot_id)
                for ds in datasets:
                    self.index.delete_dataset(tx, ds.id)

            self.index.runner.write(unindex)

    # ------------------------------------------------------------------------------ datasets

    def put_dataset(self, info: DatasetInfo, body: Payload) -> None:
        with self.journaled([dataset_keys(info.project_id, info.id)[1]], info.project_id):
            self.write_dataset(info, body)

    def write_dataset(self, info: DatasetInfo, body: Payload) -> None:
        self._require_project(info.project_id)
        data_key, info_key = dataset_keys(info.project_id, info.id)
        self.blobs.put(data_key, body)
        try:
            etag = self.blobs.put(info_key, info.model_dump_json(indent=2).encode())
            self.index.runner.write(lambda tx: self.index.upsert_dataset(tx, info, etag))
        except BaseException:
            self._delete_dataset_blobs(info)
            raise

    def dataset_info(self, dataset_id: UUID) -> DatasetInfo:
        info = self.index.dataset_info(dataset_id)
        if info is None and self.sync_on_read:
            for record in self.list_projects():
                self._sync_datasets(record.id, ReindexResult())
            info = self.index.dataset_info(dataset_id)
        if info is None:
            raise DatasetNotFound(dataset_id)
        return info

    def get_dataset(self, dataset_id: UUID) -> tuple[DatasetInfo, bytes]:
        info = self.dataset_info(dataset_id)
        try:
            data, _ = self.blobs.get(dataset_keys(info.project_id, info.id)[0])
        except BlobMissing:
            raise DatasetNotFound(dataset_id) from None
        return info, data

    def list_datasets(self, project_id: UUID) -> list[DatasetInfo]:
        self._require_project(project_id)
        if self.sync_on_read:
            self._sync_datasets(project_id, ReindexResult())
        return self.index.list_datasets(project_id)

    def delete_dataset(self, dataset_id: UUID) -> None:
        info = self.dataset_info(dataset_id)
        with self.journaled([dataset_keys(info.project_id, info.id)[1]], info.project_id):
            self._delete_dataset_blobs(info)
            self.index.runner.write(lambda tx: self.index.delete_dataset(tx, dataset_id))

    def _delete_dataset_blobs(self, info: DatasetInfo) -> None:
        data_key, info_key = dataset_keys(info.project_id, info.id)
        self.blobs.delete(info_key)  # the description marks the dataset: remove it first
        self.blobs.delete(data_key)

    # ------------------------------------------------------------------------------- queries

    def _sync_if_due(self, project_id: UUID) -> None:
        """Sync the project with the blobs first, unless it was synced recently: within
        ``sync_interval`` seconds, or within 5x the last sync's duration (a large bucket listing
        then costs at most ~20% of the time spent reading). ``sync_interval=0``: always sync."""
        if not self.sync_on_read:
            return
        finished, took = self._synced_at.get(str(project_id), (-1e9, 0.0))
        wait = max(self.sync_interval, 5 * took) if self.sync_interval > 0 else 0.0
        if time.monotonic() - finished >= wait:
            self.sync_project(project_id)

    def _fresh(self, project_id: UUID) -> None:
        self._require_project(project_id)
        self._sync_if_due(project_id)

    # ---------------------------------------------------------------------------------- sync

    def sync_project(
        self, project_id: UUID, force: bool = False, report: ReindexResult | None = None
    ) -> ReindexResult:
        """Index snapshots and datasets whose blobs are new or changed; drop rows whose blobs are gone.

        ``force`` re-reads every blob (a rebuild). Unreadable blobs are reported in ``errors`` by id
        and remembered (by ETag) so that they are not fetched again until they change.
        """
        report = report or ReindexResult()
        started = time.monotonic()
        self.recover(project_id=project_id)
        self._sync_snapshots(project_id, report, force)
        self._sync_datasets(project_id, report, force)
        finished = time.monotonic()
        self._synced_at[str(project_id)] = (finished, finished - started)
        return report

    def _sync_snapshots(self, project_id: UUID, report: ReindexResult, force: bool = False) -> None:
        indexed = self.index.snapshot_etags(project_id)  # read before listing
        bad = self.index.bad_blobs()
        prefix = f"{project_id}/snapshots/"
        found: dict[str, tuple[str, str]] = {}
        for key, etag, _size in self.blobs.list(prefix):
            name = key[len(prefix) :]
            if name.endswith(".json") and _uuid(name[:-5]) is not None:
                found[name[:-5]] = (key, etag)
        for sid, (key, etag) in found.items():
            if not force and indexed.get(sid, "") == etag:
                continue
            if not force and key in bad and bad[key][0] == etag:
                report.errors[sid] = bad[key][1]
                continue
            try:
                data, etag = self.blobs.get(key)
                self.index_file(project_id, key, snapshot_file(key, data, sid), data, etag)
                report.snapshots += 1
            except BlobMissing:
                continue  # deleted meanwhile
            except (SnapshotError, SnapshotExists) as exc:
                report.errors[sid] = str(exc)
                self.unreadable(
                    key, etag, str(exc), sid if sid in indexed else None
                )  # listed only while readable
        gone = set(indexed) - set(found)
        if gone:

            def unindex(tx: Tx) -> None:
                for sid in gone:
                    self.index.delete_snapshot(tx, sid)

            self.index.runner.write(unindex)
            report.removed += len(gone)

    def _sync_datasets(self, project_id: UUID, report: ReindexResult, force: bool = False) -> None:
        indexed = self.index.dataset_etags(project_id)
        prefix = f"{project_id}/datasets/"
        found: dict[str, tuple[str, str]] = {}
        for key, etag, _size in self.blobs.list(prefix):
            name = key[len(prefix) :]
            if name.endswith(".json") and _uuid(name[:-5]) is not None:
                found[name[:-5]] = (key, etag)
        for did, (key, etag) in found.items():
            if not force and indexed.get(did, "") == etag:
                continue
            try:
                data, etag = self.blobs.get(key)
                info = DatasetInfo.model_validate_json(data)
            except BlobMissing:
                continue
            except ValueError as exc:
                report.errors[did] = f"dataset description {key} is unreadable: {exc}"
                self.unreadable(key, etag, report.errors[did])
                continue
            self.index.runner.write(partial(self.index.upsert_dataset, info=info, etag=etag))
            report.datasets += 1
        gone = set(indexed) - set(found)
        if gone:

            def unindex(tx: Tx) -> None:
                for did in gone:
                    self.index.delete_dataset(tx, did)

            self.index.runner.write(unindex)
            report.removed += len(gone)

    def reindex(self) -> ReindexResult:
        """Rebuild the index from the blobs alone (every project, snapshot and dataset re-read)."""
        report = self.sync_projects()
        for pid in self.index.project_etags():
            try:
                self.get_project(UUID(pid))  # refresh project rows
            except MonitoringError as exc:
                report.errors[pid] = str(exc)
                continue
            self.sync_project(UUID(pid), force=True, report=report)
        report.projects = len(self.index.project_etags())
        return report

    def close(self) -> None:
        self.index.close()
