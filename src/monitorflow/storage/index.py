"""The snapshot index: flattening at ingest, one portable SQL schema, and the queries over it.

At ingest every numeric value of every metric result (bools as 0/1) becomes a **point**
``(series, timestamp, snapshot, value)``; a series is ``(project, metric id, field path)`` with
the metric's type, and the metric's parameters are kept per metric, flattened to
``key -> canonical JSON`` rows so that ``metric_args`` filters run in SQL. Tags, metadata and test
statuses get their own tables. A dashboard query therefore never opens a snapshot blob.

Points are also **rolled up** per series, UTC day, tag and kind (``mf_rollup``: count, sum of the
times within the day, sum of the values), and test results per project, day, tag, test and status
(``mf_test_rollup``). A write only marks its day dirty (``mf_rollup_dirty``, one row); the
project's next write on another day, or a delete, recomputes the marked days from the rows of
those days, in the same transaction (so an hourly writer recomputes a day once, not one row per
series and tag per snapshot). :meth:`Index.rebuild_rollup` (and the version 2 migration) build them
from scratch. Dashboards read whole, clean days from them and dirty days from the points, so an
"all time" view costs per day, not per snapshot.

The SQL is written once, with ``:name`` parameters and ``ON CONFLICT`` clauses that SQLite
(>= 3.24) and PostgreSQL both accept; ``runners.py`` executes it through stdlib ``sqlite3`` (the
folder backend and the S3 cache, no SQLAlchemy needed) or SQLAlchemy Core (``sqlite:///``,
``postgresql+psycopg://``). Times are stored as integer microseconds since the epoch, UTC.

>>> sorted(flatten_numeric({"current": {"number_of_rows": 3, "ok": True, "name": "x"}, "edges": [1, 2]}))
[('current.number_of_rows', 3.0), ('current.ok', 1.0)]
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from monitorflow.errors import SnapshotExists, StorageError
from monitorflow.snapshot import DatasetLinks, Snapshot
from monitorflow.storage.base import (
    DatasetInfo,
    ProjectRecord,
    SeriesQuery,
    SnapshotInfo,
    SnapshotQuery,
    TestStatusQuery,
    _Filters,
)
from monitorflow.storage.runners import Runner, Tx
from monitorflow.timeutil import utc_now

#: Version of the index schema below; see docs/workspace.md for the migration path.
SCHEMA_VERSION = 2
#: Width of a rollup bucket: one UTC day, in microseconds.
ROLLUP_US = 86_400_000_000
#: A day gets rollup rows when it holds at least this many snapshots of its project: a rollup row
#: is one more page write per series and tag, worth it only when it stands for several points.
ROLLUP_MIN_SNAPSHOTS = 4
_PG_LOCK_KEY = 0x6D666C77  # "mflw": serialises schema creation between processes on PostgreSQL
#: PostgreSQL: refresh planner statistics after this many snapshot writes of a process (then every
#: ``_ANALYZE_EVERY``): autovacuum lags behind a fast first ingest, and stale estimates pick bad plans.
_ANALYZE_AT = (100, 1000)
_ANALYZE_EVERY = 10_000
_ANALYZED_TABLES = "mf_snapshots, mf_snapshot_tags, mf_snapshot_metadata, mf_series, mf_points, mf_tests"
_MAX_LIMIT = 2**63 - 1

# ------------------------------------------------------------------------------------ values


def micros(value: datetime) -> int:
    """Aware datetime -> integer microseconds since the epoch (UTC)."""
    delta = value.astimezone(UTC) - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_micros(value: int) -> datetime:
    return datetime.fromtimestamp(value // 1_000_000, UTC).replace(microsecond=value % 1_000_000)


def _normalize(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str | int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dict):
        return {str(k): _normalize(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalize(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "model_dump"):
        return _normalize(value.model_dump(mode="json"))
    return str(value)


def canonical(value: Any) -> str:
    """Canonical JSON of a parameter or metadata value: equal values give equal text (1.0 == 1)."""
    return json.dumps(_normalize(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def flatten_numeric(result: dict[str, Any]) -> list[tuple[str, float]]:
    """Every finite number (bools as 0/1) under nested dicts, with its dotted path.

    Lists (histogram bins, quantile arrays) are distributions, not scalars over time: they stay in
    the snapshot and are not indexed.
    """
    out: list[tuple[str, float]] = []
    stack: list[tuple[str, dict[str, Any]]] = [("", result)]
    while stack:
        prefix, node = stack.pop()
        for key, value in node.items():
            if isinstance(value, dict):
                stack.append((f"{prefix}{key}.", value))
            elif isinstance(value, bool):
                out.append((f"{prefix}{key}", 1.0 if value else 0.0))
            elif isinstance(value, int | float):
                try:
                    number = float(value)
                except OverflowError:
                    continue
                if math.isfinite(number):
                    out.append((f"{prefix}{key}", number))
    return out


def flatten_params(params: dict[str, Any], scalars_only: bool = False) -> dict[str, str]:
    """``{"a": {"b": 1}, "c": [1, 2]}`` -> ``{"a.b": "1", "c": "[1,2]"}`` (values as canonical JSON).

    With ``scalars_only`` (test parameters), only strings, ints and bools are kept: floats there are
    measured values, not arguments.
    """
    out: dict[str, str] = {}
    stack: list[tuple[str, dict[str, Any]]] = [("", params)]
    while stack:
        prefix, node = stack.pop()
        for key, value in node.items():
            path = f"{prefix}{key}"
            if isinstance(value, dict):
                stack.append((path + ".", value))
            elif not scalars_only or isinstance(value, str | int):  # bool is an int
                out[path] = canonical(value)
    return out


def series_key(project_id: str, metric_id: str, field_path: str) -> int:
    """Deterministic signed 64-bit id of a series: concurrent writers agree without a sequence."""
    digest = hashlib.blake2b(f"{project_id}\0{metric_id}\0{field_path}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


# ------------------------------------------------------------------------------------ schema

#: One row per series, UTC day (``day``: its start in µs), tag (``''``: every snapshot) and kind
#: (``suite``: 1 for test suites): the number of points, the sum of their times after ``day`` and
#: the sum of their values. Keyed for range scans over days of one series, tag and kind (a report
#: panel never reads the test-suite rows).
_ROLLUP_DDL = """CREATE TABLE IF NOT EXISTS mf_rollup (
        series_id BIGINT NOT NULL, tag TEXT NOT NULL, suite SMALLINT NOT NULL, day BIGINT NOT NULL,
        n BIGINT NOT NULL, sum_dt BIGINT NOT NULL, sum_value DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (series_id, tag, suite, day)){norowid}"""


def day_sql(ts: str) -> str:
    """SQL for the start of the UTC day of ``ts`` (µs; floor, also before 1970) on SQLite and PostgreSQL."""
    return f"({ts} - ((({ts} % {ROLLUP_US}) + {ROLLUP_US}) % {ROLLUP_US}))"


def _rollup_inserts(where: str, tag_where: str = "1 = 1") -> list[str]:
    """``INSERT ... SELECT`` statements that compute ``mf_rollup`` rows from the points matching
    ``where`` (over ``p``): the untagged rows (tag ``''``), then one row per (non-empty) tag ``g``
    matching ``tag_where``."""
    points = (f"SELECT p.series_id, p.ts, p.snapshot_id, p.value, p.suite, {day_sql('p.ts')} AS day "
              f"FROM mf_points p WHERE {where}")  # fmt: skip
    head = "INSERT INTO mf_rollup (series_id, tag, suite, day, n, sum_dt, sum_value) "
    return [
        head + "SELECT x.series_id, '', x.suite, x.day, COUNT(*), SUM(x.ts - x.day), SUM(x.value) "
        f"FROM ({points}) x GROUP BY x.series_id, x.suite, x.day",
        head + "SELECT x.series_id, g.tag, x.suite, x.day, COUNT(*), SUM(x.ts - x.day), SUM(x.value) "
        f"FROM ({points}) x JOIN mf_snapshot_tags g ON g.snapshot_id = x.snapshot_id AND g.ts = x.ts "
        f"WHERE g.tag <> '' AND {tag_where} GROUP BY x.series_id, g.tag, x.suite, x.day",
    ]


#: Test results per project, tag (``''``: every run), UTC day, test and status: the number of
#: results, and the least type, name and snapshot id among them (a snapshot holding the test).
_TEST_ROLLUP_DDL = """CREATE TABLE IF NOT EXISTS mf_test_rollup (
        project_id TEXT NOT NULL, tag TEXT NOT NULL, day BIGINT NOT NULL, test_id TEXT NOT NULL,
        status TEXT NOT NULL, test_type TEXT NOT NULL, name TEXT NOT NULL, n BIGINT NOT NULL,
        snapshot_id TEXT NOT NULL, PRIMARY KEY (project_id, tag, day, test_id, status)){norowid}"""


def _test_rollup_inserts(where: str, tag_where: str = "1 = 1") -> list[str]:
    """``INSERT ... SELECT`` statements computing ``mf_test_rollup`` rows from the ``mf_tests`` rows
    ``r`` matching ``where``: untagged, then per (non-empty) tag ``g`` matching ``tag_where``."""
    tests = (f"SELECT r.project_id, r.snapshot_id, r.ts, r.test_id, r.status, r.test_type, r.name, "
             f"{day_sql('r.ts')} AS day FROM mf_tests r WHERE {where}")  # fmt: skip
    head = (
        "INSERT INTO mf_test_rollup (project_id, tag, day, test_id, status, test_type, name, n, snapshot_id) "
    )
    agg = "x.day, x.test_id, x.status, MIN(x.test_type), MIN(x.name), COUNT(*), MIN(x.snapshot_id)"
    return [
        head
        + f"SELECT x.project_id, '', {agg} FROM ({tests}) x GROUP BY x.project_id, x.day, x.test_id, x.status",
        head + f"SELECT x.project_id, g.tag, {agg} FROM ({tests}) x JOIN mf_snapshot_tags g ON "
        f"g.snapshot_id = x.snapshot_id AND g.ts = x.ts WHERE g.tag <> '' AND {tag_where} "
        "GROUP BY x.project_id, g.tag, x.day, x.test_id, x.status",
    ]


#: Days whose rollup rows may be stale, per project and tag (``''``: the whole day): a write marks
#: its day (instead of updating rollup rows: one row, not one per series and tag), a delete its day
#: and the snapshot's tags. Dashboards read these days from the points; a later write of the project
#: (or :meth:`Index.compact_rollup`) recomputes them and removes the marks.
_DIRTY_DDL = """CREATE TABLE IF NOT EXISTS mf_rollup_dirty (
        project_id TEXT NOT NULL, day BIGINT NOT NULL, tag TEXT NOT NULL,
        PRIMARY KEY (project_id, day, tag)){norowid}"""


#: Days a compaction left out of the rollup (per project): fewer than ``ROLLUP_MIN_SNAPSHOTS``
#: snapshots. Dashboards read them (and the dirty days) from the points, every other day from the
#: rollup (a day without snapshots has neither points nor rollup rows).
_SPARSE_DDL = """CREATE TABLE IF NOT EXISTS mf_rollup_sparse (
        project_id TEXT NOT NULL, day BIGINT NOT NULL, PRIMARY KEY (project_id, day)){norowid}"""


#: ``MIGRATIONS[v]`` upgrades a database at version ``v - 1`` to ``v`` (statements run in one
#: transaction, before the idempotent CREATE statements; ``{norowid}`` as in :func:`ddl`).
MIGRATIONS: dict[int, list[str]] = {
    # 2: points know whether they come from a test suite (no per-query lookup of the snapshot's
    # kind), the daily rollups of points and test results, a covering index on test results, and
    # the time in the tag and metadata indexes
    2: [
        "ALTER TABLE mf_points ADD COLUMN suite SMALLINT NOT NULL DEFAULT 0",
        "UPDATE mf_points SET suite = 1 WHERE snapshot_id IN (SELECT id FROM mf_snapshots WHERE kind = 'test_suite')",
        _ROLLUP_DDL,
        *_rollup_inserts("1 = 1"),
        _TEST_ROLLUP_DDL,
        *_test_rollup_inserts("1 = 1"),
        # replaced by indexes that start with the same columns (created by the DDL below)
        "DROP INDEX IF EXISTS mf_tests_project_ts",
        "DROP INDEX IF EXISTS mf_snapshot_tags_tag",
        "DROP INDEX IF EXISTS mf_snapshot_metadata_kv",
    ],
}

_DDL = [
    "CREATE TABLE IF NOT EXISTS mf_schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS mf_projects (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT, created_at BIGINT NOT NULL,
        data TEXT NOT NULL, etag TEXT)""",
    "CREATE INDEX IF NOT EXISTS mf_projects_name ON mf_projects (name)",
    """CREATE TABLE IF NOT EXISTS mf_snapshots (
        id TEXT PRIMARY KEY, project_id TEXT NOT NULL, kind TEXT NOT NULL, name TEXT,
        ts BIGINT NOT NULL, created_at BIGINT NOT NULL, tags TEXT NOT NULL, metadata TEXT NOT NULL,
        size BIGINT NOT NULL, etag TEXT, datasets TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS mf_snapshots_project_ts ON mf_snapshots (project_id, ts)",
    """CREATE TABLE IF NOT EXISTS mf_snapshot_tags (
        snapshot_id TEXT NOT NULL, tag TEXT NOT NULL, project_id TEXT NOT NULL, ts BIGINT NOT NULL,
        PRIMARY KEY (snapshot_id, tag)){norowid}""",
    # with ts: a dashboard reads the snapshots of a tag (or metadata value) in its time range in one range
    "CREATE INDEX IF NOT EXISTS mf_snapshot_tags_tag_ts ON mf_snapshot_tags (project_id, tag, ts)",
    """CREATE TABLE IF NOT EXISTS mf_snapshot_metadata (
        snapshot_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, project_id TEXT NOT NULL,
        ts BIGINT NOT NULL, PRIMARY KEY (snapshot_id, key)){norowid}""",
    "CREATE INDEX IF NOT EXISTS mf_snapshot_metadata_kvt ON mf_snapshot_metadata (project_id, key, value, ts)",
    """CREATE TABLE IF NOT EXISTS mf_metrics (
        project_id TEXT NOT NULL, metric_id TEXT NOT NULL, metric_type TEXT NOT NULL, params TEXT NOT NULL,
        PRIMARY KEY (project_id, metric_id)){norowid}""",
    """CREATE TABLE IF NOT EXISTS mf_metric_params (
        project_id TEXT NOT NULL, metric_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
        PRIMARY KEY (project_id, metric_id, key)){norowid}""",
    "CREATE INDEX IF NOT EXISTS mf_metric_params_kv ON mf_metric_params (project_id, key, value)",
    """CREATE TABLE IF NOT EXISTS mf_series (
        id BIGINT PRIMARY KEY, project_id TEXT NOT NULL, metric_id TEXT NOT NULL,
        metric_type TEXT NOT NULL, field_path TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS mf_series_type ON mf_series (project_id, metric_type, field_path)",
    "CREATE INDEX IF NOT EXISTS mf_series_metric ON mf_series (project_id, metric_id, field_path)",
    """CREATE TABLE IF NOT EXISTS mf_points (
        series_id BIGINT NOT NULL, ts BIGINT NOT NULL, snapshot_id TEXT NOT NULL, value DOUBLE PRECISION NOT NULL,
        suite SMALLINT NOT NULL DEFAULT 0, PRIMARY KEY (series_id, ts, snapshot_id)){norowid}""",
    _ROLLUP_DDL,
    _TEST_ROLLUP_DDL,
    _DIRTY_DDL,
    _SPARSE_DDL,
    """CREATE TABLE IF NOT EXISTS mf_tests (
        snapshot_id TEXT NOT NULL, test_id TEXT NOT NULL, project_id TEXT NOT NULL, ts BIGINT NOT NULL,
        test_type TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL, grp TEXT NOT NULL,
        PRIMARY KEY (snapshot_id, test_id)){norowid}""",
    # covering (with the key's snapshot_id, test_id) for test-suite panels: no lookup per test row
    "CREATE INDEX IF NOT EXISTS mf_tests_cover ON mf_tests (project_id, ts, status, test_type, name, snapshot_id, test_id)",
    """CREATE TABLE IF NOT EXISTS mf_test_params (
        snapshot_id TEXT NOT NULL, test_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
        PRIMARY KEY (snapshot_id, test_id, key)){norowid}""",
    """CREATE TABLE IF NOT EXISTS mf_datasets (
        id TEXT PRIMARY KEY, project_id TEXT NOT NULL, name TEXT NOT NULL, created_at BIGINT NOT NULL,
        snapshot_id TEXT, role TEXT, size BIGINT NOT NULL, info TEXT NOT NULL, etag TEXT)""",
    "CREATE INDEX IF NOT EXISTS mf_datasets_project ON mf_datasets (project_id, created_at)",
    "CREATE INDEX IF NOT EXISTS mf_datasets_snapshot ON mf_datasets (snapshot_id)",
    "CREATE TABLE IF NOT EXISTS mf_bad_blobs (key TEXT PRIMARY KEY, etag TEXT, error TEXT NOT NULL)",
]

#: Blob tables, used only by the SQL backend (the blob lives in the same transaction as its index rows).
BLOB_DDL = [
    "CREATE TABLE IF NOT EXISTS mf_snapshot_blobs (snapshot_id TEXT PRIMARY KEY, body {blob} NOT NULL)",
    "CREATE TABLE IF NOT EXISTS mf_dataset_blobs (dataset_id TEXT PRIMARY KEY, body {blob} NOT NULL)",
]


def _for_dialect(statement: str, dialect: str) -> str:
    norowid = " WITHOUT ROWID" if dialect == "sqlite" else ""
    blob = "BLOB" if dialect == "sqlite" else "BYTEA"
    return statement.replace("{norowid}", norowid).replace("{blob}", blob)


def ddl(dialect: str, extra: Iterable[str] = ()) -> list[str]:
    """The CREATE statements for ``dialect`` ("sqlite" or "postgresql")."""
    return [_for_dialect(s, dialect) for s in [*_DDL, *extra]]


_SNAPSHOT_COLUMNS = (
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
_SNAPSHOT_SELECT = (
    "SELECT id, project_id, kind, name, ts, created_at, tags, metadata, size, datasets FROM mf_snapshots"
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


def _filters(query: _Filters, params: dict[str, Any], snapshot_col: str, ts_col: str) -> list[str]:
    """WHERE clauses for the time range, tags (all present) and metadata (all equal).

    Tag and metadata rows carry the snapshot's timestamp too, so that the correlation also matches
    ``ts``: joined to points, every plan is then a lookup on the points key (series, ts, snapshot).
    """
    clauses = []
    if query.start is not None:
        clauses.append(f"{ts_col} >= :start")
        params["start"] = micros(query.start)
    if query.end is not None:
        clauses.append(f"{ts_col} < :end")
        params["end"] = micros(query.end)
    for i, tag in enumerate(dict.fromkeys(query.tags)):
        params[f"tag{i}"] = tag
        clauses.append(
            f"EXISTS (SELECT 1 FROM mf_snapshot_tags t{i} WHERE t{i}.snapshot_id = {snapshot_col} "
            f"AND t{i}.ts = {ts_col} AND t{i}.tag = :tag{i})"
        )
    for i, (key, value) in enumerate(query.metadata.items()):
        params[f"mk{i}"], params[f"mv{i}"] = key, canonical(value)
        clauses.append(
            f"EXISTS (SELECT 1 FROM mf_snapshot_metadata m{i} WHERE m{i}.snapshot_id = {snapshot_col} "
            f"AND m{i}.ts = {ts_col} AND m{i}.key = :mk{i} AND m{i}.value = :mv{i})"
        )
    return clauses


def _in(name: str, values: Sequence[Any], params: dict[str, Any]) -> str:
    keys = []
    for i, value in enumerate(values):
        params[f"{name}{i}"] = value
        keys.append(f":{name}{i}")
    return ", ".join(keys)


class Index:
    """Index rows of one workspace in one database, through a :class:`Runner`."""

    def __init__(self, runner: Runner, extra_ddl: Sequence[str] = ()) -> None:
        self.runner = runner
        self._extra_ddl = list(extra_ddl)
        self._writes = 0
        self.ensure_schema()

    # -------------------------------------------------------------------------------- schema

    def schema_version(self) -> int | None:
        try:
            rows = self.runner.read(lambda tx: tx.fetchall("SELECT MAX(version) FROM mf_schema_version"))
        except StorageError:
            return None  # no table yet
        return rows[0][0]

    def ensure_schema(self) -> None:
        """Create the tables (idempotent, safe between processes) and apply pending migrations."""
        if self.schema_version() == SCHEMA_VERSION:
            return

        def create(tx: Tx) -> None:
            if self.runner.dialect == "postgresql":
                tx.execute("SELECT pg_advisory_xact_lock(:k)", {"k": _PG_LOCK_KEY})
            statements = ddl(self.runner.dialect, self._extra_ddl)
            tx.execute(statements[0])  # mf_schema_version
            current = tx.fetchall("SELECT MAX(version) FROM mf_schema_version")[0][0]
            if current is not None and current > SCHEMA_VERSION:
                raise StorageError(
                    f"{self.runner.description} has index schema version {current}, newer than this "
                    f"monitorflow ({SCHEMA_VERSION}); upgrade monitorflow"
                )
            pending = [SCHEMA_VERSION] if current is None else list(range(current + 1, SCHEMA_VERSION + 1))
            for version in pending if current is not None else []:
                for statement in MIGRATIONS.get(version, []):
                    tx.execute(_for_dialect(statement, self.runner.dialect))
            for statement in statements[1:]:
                tx.execute(statement)
            for version in pending:
                tx.execute(
                    "INSERT INTO mf_schema_version (version, applied_at) VALUES (:v, :at) ON CONFLICT (version) DO NOTHING",
                    {"v": version, "at": micros(utc_now())},
                )

        self.runner.write(create)

    # ------------------------------------------------------------------------------ projects

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

    def get_project(self, project_id: UUID) -> ProjectRecord | None:
        rows = self.runner.read(
            lambda tx: tx.fetchall(
                "SELECT id, name, description, created_at, data FROM mf_projects WHERE id = :id",
                {"id": str(project_id)},
            )
        )
        return _project(rows[0]) if rows else None

    def project_etags(self) -> dict[str, str | None]:
        return dict(self.runner.read(lambda tx: tx.fetchall("SELECT id, etag FROM mf_projects")))

    def list_projects(self, name: str | None = None) -> list[ProjectRecord]:
        sql = "SELECT id, name, description, created_at, data FROM mf_projects"
        params: dict[str, Any] = {}
        if name is not None:
            sql += " WHERE name = :name"
            params["name"] = name
        rows = self.runner.read(lambda tx: tx.fetchall(sql + " ORDER BY created_at DESC, id DESC", params))
        return [_project(r) for r in rows]

    def delete_project(self, tx: Tx, project_id: UUID | str) -> None:
        """Every index row of the project: points, series, metrics, tests, tags, metadata, datasets."""
        p = {"pid": str(project_id)}
        for table in ("mf_rollup", "mf_points"):
            tx.execute(
                f"DELETE FROM {table} WHERE series_id IN (SELECT id FROM mf_series WHERE project_id = :pid)",
                p,
            )
        tx.execute(
            "DELETE FROM mf_test_params WHERE snapshot_id IN (SELECT id FROM mf_snapshots WHERE project_id = :pid)",
            p,
        )
        for table in ("mf_series", "mf_metric_params", "mf_metrics", "mf_tests", "mf_test_rollup", "mf_rollup_dirty", "mf_rollup_sparse", "mf_snapshot_tags",
                      "mf_snapshot_metadata", "mf_datasets", "mf_snapshots"):  # fmt: skip
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
    ) -> SnapshotInfo:
        """Index ``snapshot`` in one transaction (with ``extra(tx)``, e.g. the SQL blob insert).

        ``mode``: "insert" raises :class:`SnapshotExists` if the id is indexed; "replace" replaces
        it within the same project; "upsert" (the blob was just written exclusively, so the blob
        store decided) replaces silently. An id indexed in another project always raises.
        """

        def write(tx: Tx) -> None:
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
        self._mark_dirty(tx, pid, ts, [""])
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
        columns = ", ".join(_SNAPSHOT_COLUMNS)
        values = ", ".join(f":{c}" for c in _SNAPSHOT_COLUMNS)
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
            assignments = ", ".join(f"{c} = :{c}" for c in _SNAPSHOT_COLUMNS if c != "id")
            if not tx.execute(f"UPDATE mf_snapshots SET {assignments} WHERE id = :id", row):
                tx.execute(f"INSERT INTO mf_snapshots ({columns}) VALUES ({values})", row)
        self._write_children(tx, pid, sid, ts, snapshot)
        self._compact(tx, pid, skip=ts - ts % ROLLUP_US)  # the other days' marks: at most once a day

    def _write_children(self, tx: Tx, pid: str, sid: str, ts: int, snapshot: Snapshot) -> None:
        tx.executemany(
            "INSERT INTO mf_snapshot_tags (snapshot_id, tag, project_id, ts) VALUES (:s, :t, :p, :ts) ON CONFLICT DO NOTHING",
            [{"s": sid, "t": tag, "p": pid, "ts": ts} for tag in dict.fromkeys(snapshot.tags)],
        )
        tx.executemany(
            "INSERT INTO mf_snapshot_metadata (snapshot_id, key, value, project_id, ts) VALUES (:s, :k, :v, :p, :ts)",
            [
                {"s": sid, "k": str(k), "v": canonical(v), "p": pid, "ts": ts}
                for k, v in snapshot.metadata.items()
            ],
        )
        suite = 1 if snapshot.kind == "test_suite" else 0
        metrics, params, series, points = [], [], {}, {}
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
            "INSERT INTO mf_metrics (project_id, metric_id, metric_type, params) VALUES (:p, :m, :t, :params) "
            "ON CONFLICT DO NOTHING",
            sorted(metrics, key=lambda r: r["m"]),
        )
        tx.executemany(
            "INSERT INTO mf_metric_params (project_id, metric_id, key, value) VALUES (:p, :m, :k, :v) ON CONFLICT DO NOTHING",
            sorted(params, key=lambda r: (r["m"], r["k"])),
        )
        tx.executemany(
            "INSERT INTO mf_series (id, project_id, metric_id, metric_type, field_path) VALUES (:id, :p, :m, :t, :f) "
            "ON CONFLICT DO NOTHING",
            [series[k] for k in sorted(series)],
        )
        ordered = [points[k] for k in sorted(points)]
        tx.executemany(
            "INSERT INTO mf_points (series_id, ts, snapshot_id, value, suite) VALUES (:id, :ts, :s, :v, :k)",
            ordered,
        )
        tests = {r.id: r for r in snapshot.tests}.values()
        tx.executemany(
            "INSERT INTO mf_tests (snapshot_id, test_id, project_id, ts, test_type, name, status, grp) "
            "VALUES (:s, :i, :p, :ts, :t, :n, :st, :g)",
            [{"s": sid, "i": r.id, "p": pid, "ts": ts, "t": r.type, "n": r.name, "st": str(r.status), "g": r.group}
             for r in tests],
        )  # fmt: skip
        tx.executemany(
            "INSERT INTO mf_test_params (snapshot_id, test_id, key, value) VALUES (:s, :i, :k, :v)",
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
        removed = {table: tx.execute(f"DELETE FROM {table} WHERE snapshot_id = :sid", p)
                   for table in ("mf_snapshot_tags", "mf_snapshot_metadata", "mf_tests", "mf_test_params")}  # fmt: skip
        if not keep_row:
            tx.execute("DELETE FROM mf_snapshots WHERE id = :sid", p)
        if deleted or removed["mf_tests"]:
            self._mark_dirty(tx, pid, ts, ["", *tags])

    def _mark_dirty(self, tx: Tx, pid: str, ts: int, tags: Sequence[str]) -> None:
        # DO UPDATE (not NOTHING): on PostgreSQL it waits for a compaction holding the row, so a mark
        # is never lost to a compaction that could not see this transaction's rows
        tx.executemany(
            "INSERT INTO mf_rollup_dirty (project_id, day, tag) VALUES (:p, :d, :t) "
            "ON CONFLICT (project_id, day, tag) DO UPDATE SET tag = excluded.tag",
            [{"p": pid, "d": ts - ts % ROLLUP_US, "t": t} for t in sorted(set(tags))],
        )

    def _compact(self, tx: Tx, pid: str, skip: int | None = None, only: int | None = None) -> None:
        """Recompute the project's dirty days (but ``skip``, or only ``only``) and clear their marks.

        On PostgreSQL a compaction never waits: it runs only if no other transaction is compacting
        the project (a per-project advisory lock, tried), and leaves the days whose marks other
        writers hold (``SKIP LOCKED``) for later; their marks stay, so readers use the points."""
        p: dict[str, Any] = {"pid": pid}
        sql = "SELECT day, tag FROM mf_rollup_dirty WHERE project_id = :pid"
        if skip is not None:
            sql, p["skip"] = sql + " AND day <> :skip", skip
        if only is not None:
            sql, p["only"] = sql + " AND day = :only", only
        if self.runner.dialect == "postgresql":
            if not tx.fetchall(
                "SELECT pg_try_advisory_xact_lock(:k, hashtext(:pid))", {"k": _PG_LOCK_KEY, "pid": pid}
            )[0][0]:
                return
            sql += " FOR UPDATE SKIP LOCKED"
        rows = tx.fetchall(sql, p)
        days: dict[int, set[str]] = {}
        for day, tag in rows:
            days.setdefault(int(day), set()).add(tag)
        for day, tags in sorted(days.items()):
            q: dict[str, Any] = {"pid": pid, "day": day, "next": day + ROLLUP_US}
            tx.execute(
                f"DELETE FROM mf_rollup_dirty WHERE project_id = :pid AND day = :day AND tag IN ({_in('t', sorted(tags), q)})",
                q,
            )
            present = tx.fetchall(
                "SELECT DISTINCT g.tag FROM mf_snapshots s JOIN mf_snapshot_tags g ON g.snapshot_id = s.id "
                "WHERE s.project_id = :pid AND s.ts >= :day AND s.ts < :next",
                q,
            )
            every = sorted({"", *tags, *(t for (t,) in present)})
            count = tx.fetchall(
                "SELECT COUNT(*) FROM mf_snapshots WHERE project_id = :pid AND ts >= :day AND ts < :next", q
            )[0][0]
            dense = count >= ROLLUP_MIN_SNAPSHOTS
            self._recompute_rollup(tx, pid, day, every, insert=dense)
            self._recompute_test_rollup(tx, pid, day, every, insert=dense)
            if dense:
                tx.execute("DELETE FROM mf_rollup_sparse WHERE project_id = :pid AND day = :day", q)
            else:
                tx.execute(
                    "INSERT INTO mf_rollup_sparse (project_id, day) VALUES (:pid, :day) ON CONFLICT DO NOTHING",
                    q,
                )

    def compact_rollup(self, project_id: UUID | str | None = None) -> None:
        """Recompute every dirty day (of one project or all) now."""
        sql, p = "SELECT DISTINCT project_id FROM mf_rollup_dirty", {}
        if project_id is not None:
            sql, p = sql + " WHERE project_id = :pid", {"pid": str(project_id)}
        for (pid,) in self.runner.read(lambda tx: tx.fetchall(sql, p)):
            self.runner.write(lambda tx, pid=pid: self._compact(tx, pid))

    def _recompute_rollup(self, tx: Tx, pid: str, day: int, tags: Sequence[str], insert: bool = True) -> None:
        """Recompute the project's rollup rows of ``day`` and ``tags`` from the points (or only
        delete them, without ``insert``)."""
        p: dict[str, Any] = {"pid": pid, "day": day, "next": day + ROLLUP_US}
        keys = _in("tg", sorted(set(tags)), p)
        series = "series_id IN (SELECT id FROM mf_series WHERE project_id = :pid)"
        tx.execute(
            f"DELETE FROM mf_rollup WHERE {series} AND tag IN ({keys}) AND suite IN (0, 1) AND day = :day", p
        )
        if not insert:
            return
        named = [t for t in sorted(set(tags)) if t]
        untagged, tagged = _rollup_inserts(
            f"p.{series} AND p.ts >= :day AND p.ts < :next",
            f"g.tag IN ({_in('tn', named, p)})" if named else "1 = 0",
        )
        if "" in tags:
            tx.execute(untagged, p)
        if named:
            tx.execute(tagged, p)

    def _recompute_test_rollup(
        self, tx: Tx, pid: str, day: int, tags: Sequence[str], insert: bool = True
    ) -> None:
        p: dict[str, Any] = {"pid": pid, "day": day, "next": day + ROLLUP_US}
        keys = _in("tg", sorted(set(tags)), p)
        tx.execute(
            f"DELETE FROM mf_test_rollup WHERE project_id = :pid AND tag IN ({keys}) AND day = :day", p
        )
        if not insert:
            return
        named = [t for t in sorted(set(tags)) if t]
        untagged, tagged = _test_rollup_inserts(
            "r.project_id = :pid AND r.ts >= :day AND r.ts < :next",
            f"g.tag IN ({_in('tn', named, p)})" if named else "1 = 0",
        )
        if "" in tags:
            tx.execute(untagged, p)
        if named:
            tx.execute(tagged, p)

    def rebuild_rollup(self, project_id: UUID | str | None = None) -> None:
        """Recompute ``mf_rollup`` and ``mf_test_rollup`` from the points and test results, for every
        day of one project or all (they are kept up to date by writes; this repairs a hand-edited
        index, or rolls up sparse days too)."""

        def rebuild(tx: Tx) -> None:
            if project_id is None:
                for table in ("mf_rollup", "mf_test_rollup", "mf_rollup_dirty", "mf_rollup_sparse"):
                    tx.execute(f"DELETE FROM {table}")
                for statement in [*_rollup_inserts("1 = 1"), *_test_rollup_inserts("1 = 1")]:
                    tx.execute(statement)
                return
            p = {"pid": str(project_id)}
            series = "series_id IN (SELECT id FROM mf_series WHERE project_id = :pid)"
            tx.execute(f"DELETE FROM mf_rollup WHERE {series}", p)
            tx.execute("DELETE FROM mf_test_rollup WHERE project_id = :pid", p)
            tx.execute("DELETE FROM mf_rollup_dirty WHERE project_id = :pid", p)
            tx.execute("DELETE FROM mf_rollup_sparse WHERE project_id = :pid", p)
            for statement in [*_rollup_inserts(f"p.{series}"), *_test_rollup_inserts("r.project_id = :pid")]:
                tx.execute(statement, p)

        self.runner.write(rebuild)

    def delete_snapshot(self, tx: Tx, snapshot_id: UUID | str) -> bool:
        """Remove the snapshot's rows (not its datasets); False if it was not indexed."""
        rows = tx.fetchall("SELECT project_id, ts FROM mf_snapshots WHERE id = :id", {"id": str(snapshot_id)})
        if not rows:
            return False
        pid, ts = rows[0]
        self._delete_snapshot_rows(tx, pid, str(snapshot_id), ts)
        self._compact(tx, pid, only=ts - ts % ROLLUP_US)
        return True

    def snapshot_info(self, snapshot_id: UUID) -> SnapshotInfo | None:
        rows = self.runner.read(
            lambda tx: tx.fetchall(_SNAPSHOT_SELECT + " WHERE id = :id", {"id": str(snapshot_id)})
        )
        return _snapshot_info(rows[0]) if rows else None

    def snapshot_etags(self, project_id: UUID | str) -> dict[str, str | None]:
        sql = "SELECT id, etag FROM mf_snapshots WHERE project_id = :pid"
        return dict(self.runner.read(lambda tx: tx.fetchall(sql, {"pid": str(project_id)})))

    def list_snapshots(self, query: SnapshotQuery) -> list[SnapshotInfo]:
        params: dict[str, Any] = {"pid": str(query.project_id)}
        where = ["s.project_id = :pid"]
        kinds = sorted(set(query.kinds))
        if kinds != ["report", "test_suite"]:
            where.append(f"s.kind IN ({_in('kind', kinds, params)})" if kinds else "1 = 0")
        where += _filters(query, params, "s.id", "s.ts")
        sql = _SNAPSHOT_SELECT + " s WHERE " + " AND ".join(where) + " ORDER BY s.ts DESC, s.id DESC"
        if query.limit is not None or query.offset:
            sql += " LIMIT :limit OFFSET :offset"
            params["limit"] = _MAX_LIMIT if query.limit is None else query.limit
            params["offset"] = query.offset
        return [_snapshot_info(r) for r in self.runner.read(lambda tx: tx.fetchall(sql, params))]

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

    def dataset_info(self, dataset_id: UUID) -> DatasetInfo | None:
        rows = self.runner.read(
            lambda tx: tx.fetchall("SELECT info FROM mf_datasets WHERE id = :id", {"id": str(dataset_id)})
        )
        return DatasetInfo.model_validate_json(rows[0][0]) if rows else None

    def list_datasets(self, project_id: UUID, snapshot_id: UUID | None = None) -> list[DatasetInfo]:
        sql, params = "SELECT info FROM mf_datasets WHERE project_id = :p", {"p": str(project_id)}
        if snapshot_id is not None:
            sql += " AND snapshot_id = :s"
            params["s"] = str(snapshot_id)
        rows = self.runner.read(lambda tx: tx.fetchall(sql + " ORDER BY created_at DESC, id DESC", params))
        return [DatasetInfo.model_validate_json(r[0]) for r in rows]

    def dataset_etags(self, project_id: UUID | str) -> dict[str, str | None]:
        sql = "SELECT id, etag FROM mf_datasets WHERE project_id = :pid"
        return dict(self.runner.read(lambda tx: tx.fetchall(sql, {"pid": str(project_id)})))

    def delete_dataset(self, tx: Tx, dataset_id: UUID | str) -> None:
        tx.execute("DELETE FROM mf_datasets WHERE id = :id", {"id": str(dataset_id)})

    # ----------------------------------------------------------------------------- bad blobs

    def bad_blobs(self) -> dict[str, tuple[str | None, str]]:
        rows = self.runner.read(lambda tx: tx.fetchall("SELECT key, etag, error FROM mf_bad_blobs"))
        return {key: (etag, error) for key, etag, error in rows}

    def mark_bad(self, tx: Tx, key: str, etag: str | None, error: str) -> None:
        tx.execute(
            "INSERT INTO mf_bad_blobs (key, etag, error) VALUES (:k, :e, :m) "
            "ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, error = excluded.error",
            {"k": key, "e": etag, "m": error},
        )

    def clear_bad(self, tx: Tx, key: str) -> None:
        tx.execute("DELETE FROM mf_bad_blobs WHERE key = :k", {"k": key})

    # ------------------------------------------------------------------------------- queries

    def series(self, query: SeriesQuery) -> list[tuple[int, str, float, str]]:
        """(ts micros, snapshot id, value, metric id) of one field path, ordered by time."""
        params: dict[str, Any] = {"pid": str(query.project_id), "fp": query.field_path}
        where = ["s.project_id = :pid", "s.field_path = :fp"]
        if query.metric_type is not None:
            where.append("s.metric_type = :mt")
            params["mt"] = query.metric_type
        if query.metric_id is not None:
            where.append("s.metric_id = :mid")
            params["mid"] = query.metric_id
        for i, (key, value) in enumerate(flatten_params(query.metric_args).items()):
            params[f"ak{i}"], params[f"av{i}"] = key, value
            where.append(
                f"s.metric_id IN (SELECT a{i}.metric_id FROM mf_metric_params a{i} "
                f"WHERE a{i}.project_id = :pid AND a{i}.key = :ak{i} AND a{i}.value = :av{i})"
            )
        where += _filters(query, params, "p.snapshot_id", "p.ts")
        sql = (
            "SELECT p.ts, p.snapshot_id, p.value, s.metric_id FROM mf_series s JOIN mf_points p ON p.series_id = s.id "
            "WHERE " + " AND ".join(where) + " ORDER BY p.ts, p.snapshot_id, s.metric_id"
        )
        return self.runner.read(lambda tx: tx.fetchall(sql, params))

    def test_statuses(self, query: TestStatusQuery) -> list[tuple[int, str, str, str, str, str]]:
        """(ts micros, snapshot id, test id, test type, test name, status), ordered by time."""
        params: dict[str, Any] = {"pid": str(query.project_id)}
        where = ["r.project_id = :pid"]
        if query.test_type is not None:
            where.append("r.test_type = :tt")
            params["tt"] = query.test_type
        if query.test_id is not None:
            where.append("r.test_id = :tid")
            params["tid"] = query.test_id
        if query.statuses:
            where.append(f"r.status IN ({_in('st', [str(s) for s in query.statuses], params)})")
        for i, (key, value) in enumerate(flatten_params(query.test_args).items()):
            params[f"ak{i}"], params[f"av{i}"] = key, value
            where.append(
                f"EXISTS (SELECT 1 FROM mf_test_params a{i} WHERE a{i}.snapshot_id = r.snapshot_id "
                f"AND a{i}.test_id = r.test_id AND a{i}.key = :ak{i} AND a{i}.value = :av{i})"
            )
        where += _filters(query, params, "r.snapshot_id", "r.ts")
        sql = (
            "SELECT r.ts, r.snapshot_id, r.test_id, r.test_type, r.name, r.status FROM mf_tests r WHERE "
            + " AND ".join(where)
            + " ORDER BY r.ts, r.snapshot_id, r.test_id"
        )
        return self.runner.read(lambda tx: tx.fetchall(sql, params))

    def close(self) -> None:
        self.runner.close()
