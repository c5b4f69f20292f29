"""Row writes of the index: projects, a snapshot's rows (metadata, tags, points, test results), datasets,
and the unreadable blobs a sync remembers. Each runs inside the caller's transaction (``tx``),
except :meth:`Writes.add_snapshot`, which is one transaction of its own.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from uuid import UUID

from monitorflow.errors import SnapshotExists
from monitorflow.snapshot import Snapshot
from monitorflow.storage.base import DatasetInfo, ProjectRecord, SnapshotInfo
from monitorflow.storage.index.encoding import canonical, flatten_numeric, flatten_params, micros, series_key
from monitorflow.storage.index.rollups import ROLLUP_US, Rollups
from monitorflow.storage.runners import Tx

#: PostgreSQL: refresh planner statistics after this many snapshot writes of a process (then every
#: ``_ANALYZE_EVERY``): autovacuum lags behind a fast first ingest, and stale estimates pick bad plans.
_ANALYZE_AT = (100, 1000)
_ANALYZE_EVERY = 10_000
_ANALYZED_TABLES = "mf_snapshots, mf_snapshot_tags, mf_snapshot_metadata, mf_series, mf_points, mf_tests"
#: Tables whose rows carry their project's id, emptied by ``delete_project`` (in this order).
_PROJECT_TABLES = (
    "mf_series",
    "mf_metric_params",
    "mf_metrics",
    "mf_tests",
    "mf_test_rollup",
    "mf_rollup_dirty",
    "mf_rollup_sparse",
    "mf_snapshot_tags",
    "mf_snapshot_metadata",
    "mf_datasets",
    "mf_snapshots",
)
SNAPSHOT_COLUMNS = (
    "id",
    "project_id",
    "kind",
    "name",
    "ts",
    "created_at",
    "tags",
    "metadata",
    "size",
    "etag",
    "datasets",
)


class Writes(Rollups):
    """Row writes of an :class:`~monitorflow.storage.index.Index` (mixed in; uses ``self.runner``)."""

    _writes: int = 0

    def upsert_project(self, tx: Tx, record: ProjectRecord, etag: str | None = None) -> None:
        tx.execute(
            "INSERT INTO mf_projects (id, name, description, created_at, data, etag) "
            "VALUES (:id, :name, :description, :created_at, :data, :etag) "
            "ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description, "
            "created_at = excluded.created_at, data = excluded.data, etag = excluded.etag",
            {
                "id": str(record.id),
                "name": record.name,
                "description": record.description,
                "created_at": micros(record.created_at),
                "data": json.dumps(record.data, default=str),
                "etag": etag,
            },
        )

    def delete_project(self, tx: Tx, project_id: UUID | str) -> None:
        """Every index row of the project: points, series, metrics, tests, tags, metadata, datasets."""
        p = {"pid": str(project_id)}
        for table in ("mf_rollup", "mf_points"):
            tx.execute(
                f"DELETE FROM {table} WHERE series_id IN (SELECT id FROM mf_series WHERE project_id = :pid)",
                p,
            )
        tx.execute(
            "DELETE FROM mf_test_params WHERE snapshot_id IN (SELECT id FROM mf_snapshots WHERE project_id "
            "= :pid)",
            p,
        )
        for table in _PROJECT_TABLES:
            tx.execute(f"DELETE FROM {table} WHERE project_id = :pid", p)
        tx.execute("DELETE FROM mf_projects WHERE id = :pid", p)

    # ----------------------------------------------------------------------------- snapshots

    def add_snapshot(
        self,
        project_id: UUID,
        snapshot: Snapshot,
        *,
        size: int,
        etag: str | None = None,
        mode: str = "insert",
        extra: Callable[[Tx], None] | None = None,
        before: Callable[[Tx], None] | None = None,
    ) -> SnapshotInfo:
        """Index ``snapshot`` in one transaction, between ``before(tx)`` and ``extra(tx)`` (e.g. the SQL
        backend's datasets and blob).

        ``mode``: "insert" raises :class:`SnapshotExists` if the id is indexed; "replace" replaces
        it within the same project; "upsert" (the blob was just written exclusively, so the blob
        store decided) replaces silently. An id indexed in another project always raises.
        """

        def write(tx: Tx) -> None:
            if before is not None:
                before(tx)
            self.write_snapshot(tx, project_id, snapshot, size=size, etag=etag, mode=mode)
            if extra is not None:
                extra(tx)

        self.runner.write(write)
        self._writes += 1
        if self.runner.dialect == "postgresql" and (
            self._writes in _ANALYZE_AT or self._writes % _ANALYZE_EVERY == 0
        ):
            self.runner.write(lambda tx: tx.execute(f"ANALYZE {_ANALYZED_TABLES}"))
        return SnapshotInfo(
            id=snapshot.id,
            project_id=project_id,
            name=snapshot.name,
            kind=snapshot.kind,
            timestamp=snapshot.timestamp,
            created_at=snapshot.created_at,
            tags=snapshot.tags,
            metadata=snapshot.metadata,
            size=size,
            datasets=snapshot.datasets,
        )

    def write_snapshot(
        self, tx: Tx, project_id: UUID, snapshot: Snapshot, *, size: int, etag: str | None, mode: str
    ) -> None:
        pid, sid = str(project_id), str(snapshot.id)
        ts = micros(snapshot.timestamp)
        # first: on PostgreSQL a compaction skips the days of writers in flight (their marks are
        # locked), and writers of one project and day queue here rather than deadlock later
        self.mark_dirty(tx, pid, ts, [""])
        row = {
            "id": sid,
            "project_id": pid,
            "kind": snapshot.kind,
            "name": snapshot.name,
            "ts": ts,
            "created_at": micros(snapshot.created_at),
            "tags": json.dumps(list(snapshot.tags)),
            "metadata": json.dumps(snapshot.metadata, default=str),
            "size": size,
            "etag": etag,
            "datasets": snapshot.datasets.model_dump_json(),
        }
        columns = ", ".join(SNAPSHOT_COLUMNS)
        values = ", ".join(f":{c}" for c in SNAPSHOT_COLUMNS)
        inserted = tx.execute(
            f"INSERT INTO mf_snapshots ({columns}) VALUES ({values}) ON CONFLICT (id) DO NOTHING", row
        )
        if not inserted:
            existing = tx.fetchall("SELECT project_id, ts FROM mf_snapshots WHERE id = :id", {"id": sid})
            owner, old_ts = existing[0] if existing else (pid, None)
            if mode == "insert" or owner != pid:
                raise SnapshotExists(snapshot.id, owner)
            if old_ts is not None:
                self._delete_snapshot_rows(tx, pid, sid, old_ts, keep_row=True)
            assignments = ", ".join(f"{c} = :{c}" for c in SNAPSHOT_COLUMNS if c != "id")
            if not tx.execute(f"UPDATE mf_snapshots SET {assignments} WHERE id = :id", row):
                tx.execute(f"INSERT INTO mf_snapshots ({columns}) VALUES ({values})", row)
        self._write_children(tx, pid, sid, ts, snapshot)
        self.compact(tx, pid, skip=ts - ts % ROLLUP_US)  # the other days' marks: at most once a day

    def _write_children(self, tx: Tx, pid: str, sid: str, ts: int, snapshot: Snapshot) -> None:
        tx.executemany(
            "INSERT INTO mf_snapshot_tags (snapshot_id, tag, project_id, ts) VALUES (:s, :t, :p, :ts) ON "
            "CONFLICT DO NOTHING",
            [{"s": sid, "t": tag, "p": pid, "ts": ts} for tag in dict.fromkeys(snapshot.tags)],
        )
        tx.executemany(
            "INSERT INTO mf_snapshot_metadata (snapshot_id, key, value, project_id, ts) VALUES (:s, :k, "
            ":v, :p, :ts)",
            [
                {"s": sid, "k": str(k), "v": canonical(v), "p": pid, "ts": ts}
                for k, v in snapshot.metadata.items()
            ],
        )
        suite = 1 if snapshot.kind == "test_suite" else 0
        metrics: list[dict[str, Any]] = []
        params: list[dict[str, Any]] = []
        series: dict[int, dict[str, Any]] = {}
        points: dict[int, dict[str, Any]] = {}
        for entry in {e.id: e for e in snapshot.metrics}.values():
            metrics.append({"p": pid, "m": entry.id, "t": entry.type, "params": canonical(entry.params)})
            params.extend(
                {"p": pid, "m": entry.id, "k": k, "v": v} for k, v in flatten_params(entry.params).items()
            )
            for path, value in flatten_numeric(entry.result) if entry.result else ():
                key = series_key(pid, entry.id, path)
                series[key] = {"id": key, "p": pid, "m": entry.id, "t": entry.type, "f": path}
                points[key] = {"id": key, "ts": ts, "s": sid, "v": value, "k": suite}
        # sorted inserts: concurrent writers lock shared rows in the same order (no deadlocks)
        tx.executemany(
            "INSERT INTO mf_metrics (project_id, metric_fingerprint, metric_type, params) "
            "VALUES (:p, :m, :t, :params) ON CONFLICT DO NOTHING",
            sorted(metrics, key=lambda r: r["m"]),
        )
        tx.executemany(
            "INSERT INTO mf_metric_params (project_id, metric_fingerprint, key, value) "
            "VALUES (:p, :m, :k, :v) ON CONFLICT DO NOTHING",
            sorted(params, key=lambda r: (r["m"], r["k"])),
        )
        tx.executemany(
            "INSERT INTO mf_series (id, project_id, metric_fingerprint, metric_type, field_path) "
            "VALUES (:id, :p, :m, :t, :f) ON CONFLICT DO NOTHING",
            [series[k] for k in sorted(series)],
        )
        ordered = [points[k] for k in sorted(points)]
        tx.executemany(
            "INSERT INTO mf_points (series_id, ts, snapshot_id, value, suite) VALUES (:id, :ts, :s, :v, :k)",
            ordered,
        )
        tests = {r.id: r for r in snapshot.tests}.values()
        tx.executemany(
            "INSERT INTO mf_tests (snapshot_id, test_fingerprint, project_id, ts, test_type, name, status, "
            "grp) VALUES (:s, :i, :p, :ts, :t, :n, :st, :g)",
            [
                {
                    "s": sid,
                    "i": r.id,
                    "p": pid,
                    "ts": ts,
                    "t": r.type,
                    "n": r.name,
                    "st": str(r.status),
                    "g": r.group,
                }
                for r in tests
            ],
        )
        tx.executemany(
            "INSERT INTO mf_test_params (snapshot_id, test_fingerprint, key, value) VALUES (:s, :i, :k, :v)",
            [
                {"s": sid, "i": r.id, "k": k, "v": v}
                for r in tests
                for k, v in flatten_params(r.parameters, True).items()
            ],
        )

    def _delete_snapshot_rows(self, tx: Tx, pid: str, sid: str, ts: int, keep_row: bool = False) -> None:
        p = {"pid": pid, "sid": sid, "ts": ts}
        tags = [t for (t,) in tx.fetchall("SELECT tag FROM mf_snapshot_tags WHERE snapshot_id = :sid", p)]
        # points have no snapshot index: seek (series, ts) for each series of the project instead
        deleted = tx.execute(
            "DELETE FROM mf_points WHERE series_id IN (SELECT id FROM mf_series WHERE project_id = :pid) "
            "AND ts = :ts AND snapshot_id = :sid",
            p,
        )
        removed = {
            table: tx.execute(f"DELETE FROM {table} WHERE snapshot_id = :sid", p)
            for table in ("mf_snapshot_tags", "mf_snapshot_metadata", "mf_tests", "mf_test_params")
        }
        if not keep_row:
            tx.execute("DELETE FROM mf_snapshots WHERE id = :sid", p)
        if deleted or removed["mf_tests"]:
            self.mark_dirty(tx, pid, ts, ["", *tags])

    def delete_snapshot(self, tx: Tx, snapshot_id: UUID | str) -> bool:
        """Remove the snapshot's rows (not its datasets); False if it was not indexed."""
        rows = tx.fetchall("SELECT project_id, ts FROM mf_snapshots WHERE id = :id", {"id": str(snapshot_id)})
        if not rows:
            return False
        pid, ts = rows[0]
        self._delete_snapshot_rows(tx, pid, str(snapshot_id), ts)
        self.compact(tx, pid, only=ts - ts % ROLLUP_US)
        return True

    # ------------------------------------------------------------------------------ datasets

    def upsert_dataset(self, tx: Tx, info: DatasetInfo, etag: str | None = None) -> None:
        tx.execute(
            "INSERT INTO mf_datasets (id, project_id, name, created_at, snapshot_id, role, size, info, etag) "
            "VALUES (:id, :p, :n, :c, :s, :r, :size, :info, :etag) ON CONFLICT (id) DO UPDATE SET "
            "project_id = excluded.project_id, name = excluded.name, created_at = excluded.created_at, "
            "snapshot_id = excluded.snapshot_id, role = excluded.role, size = excluded.size, "
            "info = excluded.info, etag = excluded.etag",
            {
                "id": str(info.id),
                "p": str(info.project_id),
                "n": info.name,
                "c": micros(info.created_at),
                "s": None if info.snapshot_id is None else str(info.snapshot_id),
                "r": info.role,
                "size": info.size,
                "info": info.model_dump_json(),
                "etag": etag,
            },
        )

    def delete_dataset(self, tx: Tx, dataset_id: UUID | str) -> None:
        tx.execute("DELETE FROM mf_datasets WHERE id = :id", {"id": str(dataset_id)})

    # ----------------------------------------------------------------------------- bad blobs

    def mark_bad(self, tx: Tx, key: str, etag: str | None, error: str) -> None:
        tx.execute(
            "INSERT INTO mf_bad_blobs (key, etag, error) VALUES (:k, :e, :m) "
            "ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, error = excluded.error",
            {"k": key, "e": etag, "m": error},
        )

    def clear_bad(self, tx: Tx, key: str) -> None:
        tx.execute("DELETE FROM mf_bad_blobs WHERE key = :k", {"k": key})

    # ------------------------------------------------------------------------- write journal

    def begin_intents(self, tx: Tx, keys: list[str], project_id: UUID | str, since: int) -> None:
        """Blob keys a write is about to change (settled by recovery if the writer dies)."""
        tx.executemany(
            "INSERT INTO mf_pending (key, project_id, since) VALUES (:k, :p, :s) "
            "ON CONFLICT (key) DO UPDATE SET since = excluded.since",
            [{"k": key, "p": str(project_id), "s": since} for key in keys],
        )

    def end_intents(self, tx: Tx, keys: list[str]) -> None:
        tx.executemany("DELETE FROM mf_pending WHERE key = :k", [{"k": key} for key in keys])
