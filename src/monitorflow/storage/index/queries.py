"""The read protocol answered inside the index database (SQLite and PostgreSQL: one SQL text with a
few dialect branches), for every backend with an SQL index.

Series and test statuses are one indexed range scan each, filtered by :mod:`.filters`; dashboards
get their buckets from :mod:`.bucket_sql` and status counts from :mod:`.status_sql`, which read whole
days from the daily rollups where the filters allow.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from monitorflow.errors import ProjectNotFound
from monitorflow.storage.base import SeriesQuery, TestStatusQuery
from monitorflow.storage.index.bucket_sql import bucket_traces
from monitorflow.storage.index.encoding import column_name, micros_or_none
from monitorflow.storage.index.filters import Bindings
from monitorflow.storage.index.status_sql import status_counts
from monitorflow.storage.reads import (
    BucketQuery,
    SeriesRow,
    Span,
    StatusCount,
    StatusCountQuery,
    StatusRow,
    Trace,
    path_matcher,
)
from monitorflow.storage.runners import Runner

Rows = list[tuple[Any, ...]]
Read = Callable[[str, dict[str, Any]], Rows]
T = TypeVar("T")


def _like_prefix(prefix: str) -> str:
    """A LIKE pattern (escape ``!``) for strings starting with ``prefix``."""
    return prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%"


class SqlReads:
    """:class:`~monitorflow.storage.reads.IndexReads` over an index database.

    ``fresh(project_id)`` runs before each read (S3: index what other writers added since the last
    sync); a read that finds nothing calls ``require_project(project_id)``, which raises
    ``ProjectNotFound`` when the project does not exist (default: no ``mf_projects`` row)."""

    def __init__(
        self,
        runner: Runner,
        fresh: Callable[[UUID], None] | None = None,
        require_project: Callable[[UUID], None] | None = None,
    ) -> None:
        self.runner = runner
        self._fresh = fresh or (lambda project_id: None)
        self._require = require_project or self._project_row
        # SQLite's queries are short and mostly Python-bound (threads only contend for the GIL,
        # measured slower); PostgreSQL's wait on the network
        self.concurrency = min(4, os.cpu_count() or 1) if runner.dialect == "postgresql" else 1

    def read(self, sql: str, params: dict[str, Any]) -> Rows:
        return self.runner.read(lambda tx: tx.fetchall(sql, params))

    def _one_read(self, fn: Callable[[Read], T]) -> T:
        """``fn(read)`` with every statement in one read transaction: one consistent view of the
        index, and one transaction's cost for a read of several statements."""
        return self.runner.read(lambda tx: fn(tx.fetchall))

    def _project_row(self, project_id: UUID) -> None:
        if not self.read("SELECT 1 FROM mf_projects WHERE id = :id", {"id": str(project_id)}):
            raise ProjectNotFound(project_id)

    def _answer(self, project_id: UUID, found: Any) -> Any:
        """``found``, after checking the project exists when it is empty."""
        if not len(found):
            self._require(project_id)
        return found

    # ------------------------------------------------------------------------- rows

    def series(self, query: SeriesQuery) -> list[SeriesRow]:
        """(ts µs, snapshot id, value, metric fingerprint) of one field path, ordered by time."""
        self._fresh(query.project_id)
        sql = Bindings({"pid": str(query.project_id)})
        where = [
            "s.project_id = :pid",
            f"s.field_path = {sql.bind(query.field_path)}",
            *sql.matches("s", "metric", query.metric_type, query.metric_fingerprint, query.metric_args),
            *sql.snapshot_filters(query, "p.snapshot_id", "p.ts"),
        ]
        if len(set(query.kinds)) == 1:
            where.append(f"p.suite = {int(query.kinds[0] == 'test_suite')}")
        elif not query.kinds:
            where.append("1 = 0")
        text = (
            "SELECT p.ts, p.snapshot_id, p.value, s.metric_fingerprint FROM mf_series s JOIN mf_points p "
            "ON p.series_id = s.id WHERE "
            + " AND ".join(where)
            + " ORDER BY p.ts, p.snapshot_id, s.metric_fingerprint"
        )
        return self._answer(query.project_id, self.read(text, sql.params))

    def test_statuses(self, query: TestStatusQuery) -> list[StatusRow]:
        """(ts µs, snapshot id, test fingerprint, type, name, status, column name or ""), ordered by time."""
        self._fresh(query.project_id)
        sql = Bindings({"pid": str(query.project_id)})
        where = [
            "r.project_id = :pid",
            *sql.matches("r", "test", query.test_type, query.test_fingerprint, query.test_args),
            *sql.snapshot_filters(query, "r.snapshot_id", "r.ts"),
        ]
        if query.statuses:
            where.append(f"r.status IN ({sql.binds([str(s) for s in query.statuses])})")
        column = (
            "(SELECT c.value FROM mf_test_params c WHERE c.snapshot_id = r.snapshot_id AND "
            "c.test_fingerprint = r.test_fingerprint AND c.key = 'column_name')"
        )
        text = (
            f"SELECT r.ts, r.snapshot_id, r.test_fingerprint, r.test_type, r.name, r.status, {column} "
            "FROM mf_tests r WHERE "
            + " AND ".join(where)
            + " ORDER BY r.ts, r.snapshot_id, r.test_fingerprint"
        )
        rows = [(*r[:6], column_name(r[6])) for r in self.read(text, sql.params)]
        return self._answer(query.project_id, rows)

    # ------------------------------------------------------------------------- lookups

    def tag_values(self, project_id: UUID, prefix: str = "") -> list[str]:
        """Distinct tags of the project's snapshots starting with ``prefix``, sorted."""
        self._fresh(project_id)
        found = self._one_read(lambda read: _tag_values(read, self.runner.dialect, project_id, prefix))
        return self._answer(project_id, found)

    def field_paths(
        self,
        project_id: UUID,
        metric_type: str | None = None,
        metric_fingerprint: str | None = None,
        pattern: str | None = None,
    ) -> list[str]:
        """Indexed field paths of the matching metrics that fit ``pattern`` (``*``: one path segment,
        ``"drift_by_columns.*.drift_score"``; None: every path), sorted."""
        self._fresh(project_id)
        sql = Bindings({"pid": str(project_id)})
        where = ["s.project_id = :pid", *sql.matches("s", "metric", metric_type, metric_fingerprint, {})]
        rows = self.read(
            "SELECT DISTINCT s.field_path FROM mf_series s WHERE " + " AND ".join(where), sql.params
        )
        fits = path_matcher(pattern)
        return self._answer(project_id, sorted(f for (f,) in rows if fits(f)))

    def span(
        self,
        project_id: UUID,
        start: datetime | None = None,
        end: datetime | None = None,
        cap: int | None = None,
    ) -> Span:
        """First and last time and number (up to ``cap`` + 1) of the project's snapshots in ``[start,
        end)``."""
        self._fresh(project_id)
        sql = Bindings({"pid": str(project_id)})
        where = " AND ".join(
            ["project_id = :pid", *sql.range("ts", micros_or_none(start), micros_or_none(end))]
        )
        limit = "" if cap is None else f" LIMIT {sql.bind(cap + 1)}"
        # two index seeks and at most cap index entries, however many snapshots there are
        text = (
            f"SELECT (SELECT MIN(ts) FROM mf_snapshots WHERE {where}), (SELECT MAX(ts) FROM mf_snapshots "
            f"WHERE {where}), (SELECT COUNT(*) FROM (SELECT 1 FROM mf_snapshots WHERE {where}{limit}) c)"
        )
        lo, hi, n = self.read(text, sql.params)[0]
        if not n:
            self._require(project_id)
        return Span(int(lo or 0), int(hi or 0), int(n or 0))

    # ------------------------------------------------------------------------- dashboards

    def buckets(self, query: BucketQuery) -> list[Trace]:
        self._fresh(query.project_id)

        def answer(read: Read) -> list[Trace]:
            splits = [_tag_values(read, self.runner.dialect, query.project_id, p) for p in query.split_by]
            return bucket_traces(read, query, [tags for tags in splits if tags])

        return self._answer(query.project_id, self._one_read(answer))

    def status_counts(self, query: StatusCountQuery) -> list[StatusCount]:
        self._fresh(query.project_id)
        return self._answer(query.project_id, self._one_read(lambda read: status_counts(read, query)))


def _tag_values(read: Read, dialect: str, project_id: UUID, prefix: str) -> list[str]:
    """Distinct tags of the project's snapshots starting with ``prefix``, sorted."""
    params = {"pid": str(project_id), "lo": prefix, "like": _like_prefix(prefix)}
    if dialect == "sqlite":  # a skip scan of (project_id, tag): one seek per distinct tag
        rows = read(
            "WITH RECURSIVE t(tag) AS (SELECT MIN(tag) FROM mf_snapshot_tags WHERE project_id = :pid AND "
            "tag >= :lo UNION ALL SELECT (SELECT MIN(g.tag) FROM mf_snapshot_tags g WHERE g.project_id = "
            ":pid AND g.tag > t.tag) FROM t WHERE t.tag LIKE :like ESCAPE '!') SELECT tag FROM t WHERE tag "
            "IS NOT NULL",
            params,
        )  # (binary order: the tags with the prefix are contiguous from it)
    else:
        rows = read("SELECT DISTINCT tag FROM mf_snapshot_tags WHERE project_id = :pid", params)
    return sorted(t for (t,) in rows if t.startswith(prefix))
