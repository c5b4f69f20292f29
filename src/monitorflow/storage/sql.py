"""A workspace in one SQL database through SQLAlchemy 2: ``sqlite:///path.db`` or
``postgresql+psycopg://...``.

Snapshot JSON and dataset Parquet live in blob tables next to the index rows and are written in
the same transaction, so a snapshot is visible with all its points or not at all. Needs
``pip install 'monitorflow[postgres]'`` (SQLAlchemy; psycopg for PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import methodcaller
from typing import Any
from uuid import UUID

from monitorflow.errors import (
    DatasetNotFound,
    ProjectNotFound,
    SnapshotError,
    SnapshotExists,
    SnapshotNotFound,
)
from monitorflow.snapshot import DatasetLinks, Snapshot
from monitorflow.storage.base import (
    DatasetInfo,
    Payload,
    ProjectRecord,
    ReindexResult,
    SnapshotInfo,
    SnapshotQuery,
    linked,
    payload_bytes,
    settle_existing,
)
from monitorflow.storage.index import BLOB_DDL, Index
from monitorflow.storage.index.queries import SqlReads
from monitorflow.storage.runners import SqlAlchemyRunner, Tx, redact

_REINDEX_BATCH = 200


def _exists_project(tx: Tx, project_id: UUID) -> None:
    if not tx.fetchall("SELECT 1 FROM mf_projects WHERE id = :id", {"id": str(project_id)}):
        raise ProjectNotFound(project_id)


class SQLStore:
    """``SnapshotStore`` in one database (blobs and index together)."""

    def __init__(self, url: str, *, grace_period: float | None = None, **engine_options: Any) -> None:
        """``grace_period`` is accepted for every backend's sake: one transaction leaves nothing behind."""
        self.uri = redact(url)
        self.index = Index(SqlAlchemyRunner(url, **engine_options), extra_ddl=BLOB_DDL)
        self.runner = self.index.runner
        self.reads = SqlReads(self.runner)

    # ------------------------------------------------------------------------------ projects

    def put_project(self, record: ProjectRecord) -> None:
        self.runner.write(lambda tx: self.index.upsert_project(tx, record))

    def get_project(self, project_id: UUID) -> ProjectRecord:
        record = self.index.get_project(project_id)
        if record is None:
            raise ProjectNotFound(project_id)
        return record

    def list_projects(self, name: str | None = None) -> list[ProjectRecord]:
        return self.index.list_projects(name)

    def delete_project(self, project_id: UUID) -> None:
        def delete(tx: Tx) -> None:
            _exists_project(tx, project_id)
            p = {"pid": str(project_id)}
            tx.execute(
                "DELETE FROM mf_snapshot_blobs WHERE snapshot_id IN (SELECT id FROM mf_snapshots WHERE "
                "project_id = :pid)",
                p,
            )
            tx.execute(
                "DELETE FROM mf_dataset_blobs WHERE dataset_id IN (SELECT id FROM mf_datasets WHERE "
                "project_id = :pid)",
                p,
            )
            self.index.delete_project(tx, project_id)

        self.runner.write(delete)

    # ----------------------------------------------------------------------------- snapshots

    def put_snapshot(
        self,
        project_id: UUID,
        snapshot: Snapshot,
        body: bytes,
        replace: bool = False,
        datasets: Sequence[tuple[DatasetInfo, Payload]] = (),
    ) -> SnapshotInfo:
        """The snapshot, its index rows and its datasets in one transaction (a replaced snapshot's
        datasets that the new one does not link go in it too); the same snapshot again is a no-op,
        or attaches data newly given."""
        if not replace:
            stored = self.existing_snapshot(project_id, snapshot.id)
            if stored is not None:
                if settle_existing(stored, snapshot, project_id, bool(datasets)) == "same":
                    return self.snapshot_info(project_id, snapshot.id)
                replace = True
        sid = str(snapshot.id)
        old_links: set[str] = set()

        def datasets_first(tx: Tx) -> None:
            _exists_project(tx, project_id)
            rows = tx.fetchall(
                "SELECT datasets FROM mf_snapshots WHERE id = :s AND project_id = :p",
                {"s": sid, "p": str(project_id)},
            )
            if rows:
                old_links.update(linked(DatasetLinks.model_validate_json(rows[0][0])))
            for info, data in datasets:
                self._write_dataset(tx, info, data)

        def blob_then_old_datasets(tx: Tx) -> None:
            tx.execute(
                "INSERT INTO mf_snapshot_blobs (snapshot_id, body) VALUES (:s, :b) "
                "ON CONFLICT (snapshot_id) DO UPDATE SET body = excluded.body",
                {"s": sid, "b": body},
            )
            for old in old_links - linked(snapshot.datasets):
                if tx.fetchall(
                    "SELECT 1 FROM mf_datasets WHERE id = :d AND snapshot_id = :s AND project_id = :p",
                    {"d": old, "s": sid, "p": str(project_id)},
                ):
                    tx.execute("DELETE FROM mf_dataset_blobs WHERE dataset_id = :d", {"d": old})
                    self.index.delete_dataset(tx, old)

        try:
            return self.index.add_snapshot(
                project_id,
                snapshot,
                size=len(body),
                mode="replace" if replace else "insert",
                before=datasets_first,
                extra=blob_then_old_datasets,
            )
        except SnapshotExists:  # another writer stored it meanwhile (or our own commit whose answer was lost)
            stored = self.existing_snapshot(project_id, snapshot.id)
            if stored is None or not stored.same_content(snapshot):
                raise
            return self.snapshot_info(project_id, snapshot.id)

    def existing_snapshot(self, project_id: UUID, snapshot_id: UUID) -> Snapshot | None:
        """The snapshot stored under this id, or None; SnapshotExists if another project holds it."""
        rows = self.runner.read(
            lambda tx: tx.fetchall(
                "SELECT s.project_id, b.body FROM mf_snapshots s LEFT JOIN mf_snapshot_blobs b "
                "ON b.snapshot_id = s.id WHERE s.id = :sid",
                {"sid": str(snapshot_id)},
            )
        )
        if not rows:
            return None
        owner, body = rows[0]
        if owner != str(project_id) or body is None:
            raise SnapshotExists(snapshot_id, owner)
        try:
            return Snapshot.loads(bytes(body), source=f"snapshot {snapshot_id} ({self.uri})")
        except SnapshotError:
            raise SnapshotExists(snapshot_id, owner) from None

    def get_snapshot(self, project_id: UUID, snapshot_id: UUID) -> Snapshot:
        rows = self.runner.read(
            lambda tx: tx.fetchall(
                "SELECT b.body FROM mf_snapshots s JOIN mf_snapshot_blobs b ON b.snapshot_id = s.id "
                "WHERE s.id = :sid AND s.project_id = :pid",
                {"sid": str(snapshot_id), "pid": str(project_id)},
            )
        )
        if not rows:
            self.get_project(project_id)
            raise SnapshotNotFound(snapshot_id, project_id)
        return Snapshot.loads(
            bytes(rows[0][0]), source=f"snapshot {snapshot_id} of project {project_id} ({self.uri})"
        )

    def snapshot_info(self, project_id: UUID, snapshot_id: UUID) -> SnapshotInfo:
        info = self.index.snapshot_info(snapshot_id)
        if info is None or info.project_id != project_id:
            self.get_project(project_id)
            raise SnapshotNotFound(snapshot_id, project_id)
        return info

    def list_snapshots(self, query: SnapshotQuery) -> list[SnapshotInfo]:
        self.get_project(query.project_id)
        return self.index.list_snapshots(query)

    def delete_snapshot(self, project_id: UUID, snapshot_id: UUID) -> None:
        def delete(tx: Tx) -> None:
            sid = str(snapshot_id)
            owner = tx.fetchall("SELECT project_id FROM mf_snapshots WHERE id = :s", {"s": sid})
            if not owner or owner[0][0] != str(project_id):
                _exists_project(tx, project_id)
                raise SnapshotNotFound(snapshot_id, project_id)
            tx.execute(
                "DELETE FROM mf_dataset_blobs WHERE dataset_id IN (SELECT id FROM mf_datasets WHERE "
                "snapshot_id = :s)",
                {"s": sid},
            )
            tx.execute("DELETE FROM mf_datasets WHERE snapshot_id = :s", {"s": sid})
            tx.execute("DELETE FROM mf_snapshot_blobs WHERE snapshot_id = :s", {"s": sid})
            self.index.delete_snapshot(tx, snapshot_id)

        self.runner.write(delete)

    # ------------------------------------------------------------------------------ datasets

    def put_dataset(self, info: DatasetInfo, body: Payload) -> None:
        def put(tx: Tx) -> None:
            _exists_project(tx, info.project_id)
            self._write_dataset(tx, info, body)

        self.runner.write(put)

    def _write_dataset(self, tx: Tx, info: DatasetInfo, body: Payload) -> None:
        """A file is read whole: a database column takes its value in one piece."""
        tx.execute(
            "INSERT INTO mf_dataset_blobs (dataset_id, body) VALUES (:d, :b) "
            "ON CONFLICT (dataset_id) DO UPDATE SET body = excluded.body",
            {"d": str(info.id), "b": payload_bytes(body)},
        )
        self.index.upsert_dataset(tx, info)

    def dataset_info(self, dataset_id: UUID) -> DatasetInfo:
        info = self.index.dataset_info(dataset_id)
        if info is None:
            raise DatasetNotFound(dataset_id)
        return info

    def get_dataset(self, dataset_id: UUID) -> tuple[DatasetInfo, bytes]:
        def get(tx: Tx) -> tuple[DatasetInfo, bytes]:
            rows = tx.fetchall(
                "SELECT d.info, b.body FROM mf_datasets d JOIN mf_dataset_blobs b ON b.dataset_id = d.id "
                "WHERE d.id = :d",
                {"d": str(dataset_id)},
            )
            if not rows:
                raise DatasetNotFound(dataset_id)
            return DatasetInfo.model_validate_json(rows[0][0]), bytes(rows[0][1])

        return self.runner.read(get)

    def list_datasets(self, project_id: UUID) -> list[DatasetInfo]:
        self.get_project(project_id)
        return self.index.list_datasets(project_id)

    def delete_dataset(self, dataset_id: UUID) -> None:
        def delete(tx: Tx) -> None:
            if not tx.fetchall("SELECT 1 FROM mf_datasets WHERE id = :d", {"d": str(dataset_id)}):
                raise DatasetNotFound(dataset_id)
            tx.execute("DELETE FROM mf_dataset_blobs WHERE dataset_id = :d", {"d": str(dataset_id)})
            self.index.delete_dataset(tx, dataset_id)

        self.runner.write(delete)

    # ------------------------------------------------------------------------------- rebuild

    def reindex(self) -> ReindexResult:
        """Rebuild every snapshot's index rows from its stored JSON (e.g. after a flattening change)."""
        report = ReindexResult(projects=len(self.index.list_projects()))
        ids = self.runner.read(
            lambda tx: tx.fetchall(
                "SELECT s.id, s.project_id FROM mf_snapshots s ORDER BY s.project_id, s.ts"
            )
        )
        for start in range(0, len(ids), _REINDEX_BATCH):
            batch = ids[start : start + _REINDEX_BATCH]
            params = {f"s{i}": sid for i, (sid, _) in enumerate(batch)}
            placeholders = ", ".join(f":s{i}" for i in range(len(batch)))
            bodies = dict(
                self.runner.read(
                    methodcaller(
                        "fetchall",
                        "SELECT snapshot_id, body FROM mf_snapshot_blobs WHERE snapshot_id IN "
                        f"({placeholders})",
                        params,
                    )
                )
            )
            for sid, pid in batch:
                body = bodies.get(sid)
                if body is None:
                    report.errors[sid] = f"snapshot {sid} has index rows but no stored JSON"
                    continue
                try:
                    snapshot = Snapshot.loads(
                        bytes(body), source=f"snapshot {sid} of project {pid} ({self.uri})"
                    )
                    self.index.add_snapshot(UUID(pid), snapshot, size=len(body), mode="replace")
                    report.snapshots += 1
                except (SnapshotError, SnapshotExists) as exc:
                    report.errors[sid] = str(exc)
        report.datasets = len(self.runner.read(lambda tx: tx.fetchall("SELECT id FROM mf_datasets")))
        return report

    def problems(self) -> list[dict[str, str]]:
        """Nothing to report: the database checks every write as a whole."""
        return []

    def close(self) -> None:
        self.index.close()
