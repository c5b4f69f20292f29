"""What the stores read back from the index: projects, snapshot listings and descriptions, datasets,
the ETags a sync compares with the blobs, and the blobs it found unreadable. A miss returns None:
the store decides which ``*NotFound`` to raise."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from monitorflow.snapshot import DatasetLinks
from monitorflow.storage.base import DatasetInfo, ProjectRecord, SnapshotInfo, SnapshotQuery
from monitorflow.storage.index.encoding import from_micros
from monitorflow.storage.index.filters import Bindings
from monitorflow.storage.runners import Runner

_MAX_LIMIT = 2**63 - 1
_PROJECT_SELECT = "SELECT id, name, description, created_at, data FROM mf_projects"
_SNAPSHOT_SELECT = (
    "SELECT s.id, s.project_id, s.kind, s.name, s.ts, s.created_at, s.tags, s.metadata, s.size, s.datasets "
    "FROM mf_snapshots s"
)


def _snapshot_info(row: Sequence[Any]) -> SnapshotInfo:
    """A listing row as SnapshotInfo; the index holds validated values, so validation is skipped
    (it cost 45% of a 10,000-row listing)."""
    sid, pid, kind, name, ts, created, tags, metadata, size, datasets = row
    return SnapshotInfo.model_construct(
        id=UUID(sid),
        project_id=UUID(pid),
        kind=kind,
        name=name,
        timestamp=from_micros(ts),
        created_at=from_micros(created),
        tags=json.loads(tags),
        metadata=json.loads(metadata),
        size=size,
        datasets=DatasetLinks.model_validate_json(datasets),
    )


def _project(row: Sequence[Any]) -> ProjectRecord:
    pid, name, description, created, data = row
    return ProjectRecord(
        id=UUID(pid),
        name=name,
        description=description,
        created_at=from_micros(created),
        data=json.loads(data),
    )


class Catalog:
    """Reads of an :class:`~monitorflow.storage.index.Index` for its store (mixed in; uses
    ``self.runner``)."""

    runner: Runner

    def _rows(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        return self.runner.read(lambda tx: tx.fetchall(sql, params or {}))

    def get_project(self, project_id: UUID | str) -> ProjectRecord | None:
        rows = self._rows(_PROJECT_SELECT + " WHERE id = :id", {"id": str(project_id)})
        return _project(rows[0]) if rows else None

    def project_etags(self) -> dict[str, str | None]:
        return dict(self._rows("SELECT id, etag FROM mf_projects"))

    def list_projects(self, name: str | None = None) -> list[ProjectRecord]:
        where, params = ("", {}) if name is None else (" WHERE name = :name", {"name": name})
        return [
            _project(r)
            for r in self._rows(_PROJECT_SELECT + where + " ORDER BY created_at DESC, id DESC", params)
        ]

    def snapshot_info(self, snapshot_id: UUID | str) -> SnapshotInfo | None:
        rows = self._rows(_SNAPSHOT_SELECT + " WHERE s.id = :id", {"id": str(snapshot_id)})
        return _snapshot_info(rows[0]) if rows else None

    def snapshot_etags(self, project_id: UUID | str) -> dict[str, str | None]:
        return dict(
            self._rows("SELECT id, etag FROM mf_snapshots WHERE project_id = :pid", {"pid": str(project_id)})
        )

    def list_snapshots(self, query: SnapshotQuery) -> list[SnapshotInfo]:
        sql = Bindings({"pid": str(query.project_id)})
        where = ["s.project_id = :pid"]
        kinds = sorted(set(query.kinds))
        if kinds != ["report", "test_suite"]:
            where.append(f"s.kind IN ({sql.binds(kinds)})" if kinds else "1 = 0")
        where += sql.snapshot_filters(query, "s.id", "s.ts", style="exists")
        text = _SNAPSHOT_SELECT + " WHERE " + " AND ".join(where) + " ORDER BY s.ts DESC, s.id DESC"
        if query.limit is not None or query.offset:
            limit = _MAX_LIMIT if query.limit is None else query.limit
            text += f" LIMIT {sql.bind(limit)} OFFSET {sql.bind(query.offset)}"
        return [_snapshot_info(r) for r in self._rows(text, sql.params)]

    def dataset_info(self, dataset_id: UUID | str) -> DatasetInfo | None:
        rows = self._rows("SELECT info FROM mf_datasets WHERE id = :id", {"id": str(dataset_id)})
        return DatasetInfo.model_validate_json(rows[0][0]) if rows else None

    def list_datasets(
        self, project_id: UUID | str, snapshot_id: UUID | str | None = None
    ) -> list[DatasetInfo]:
        sql, params = "SELECT info FROM mf_datasets WHERE project_id = :p", {"p": str(project_id)}
        if snapshot_id is not None:
            sql, params["s"] = sql + " AND snapshot_id = :s", str(snapshot_id)
        return [
            DatasetInfo.model_validate_json(r[0])
            for r in self._rows(sql + " ORDER BY created_at DESC, id DESC", params)
        ]

    def dataset_etags(self, project_id: UUID | str) -> dict[str, str | None]:
        return dict(
            self._rows("SELECT id, etag FROM mf_datasets WHERE project_id = :pid", {"pid": str(project_id)})
        )

    def bad_blobs(self) -> dict[str, tuple[str | None, str]]:
        return {
            key: (etag, error) for key, etag, error in self._rows("SELECT key, etag, error FROM mf_bad_blobs")
        }

    def pending(self, before: int, project_id: UUID | str | None = None) -> list[tuple[str, str]]:
        """``(key, project_id)`` of journal entries begun before ``before`` (µs)."""
        sql = "SELECT key, project_id FROM mf_pending WHERE since < :b"
        params: dict[str, object] = {"b": before}
        if project_id is not None:
            sql, params["p"] = sql + " AND project_id = :p", str(project_id)
        return [(key, pid) for key, pid in self._rows(sql + " ORDER BY key", params)]
