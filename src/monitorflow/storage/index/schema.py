"""The index schema: one portable SQL text for SQLite and PostgreSQL, its version, and migrations.

Tables are prefixed ``mf_`` so that they can share a database. ``{norowid}`` and ``{blob}`` in a
statement are filled per dialect (:func:`for_dialect`). To change the schema: bump
:data:`SCHEMA_VERSION` to ``N``, add ``MIGRATIONS[N]`` (statements valid on both dialects), update the
CREATE statements for new databases, and test opening a version ``N - 1`` database (see
``docs/workspace.md``). ``metric_fingerprint`` and ``test_fingerprint`` columns hold the ids in a
snapshot's ``metrics`` and ``tests`` (hashes of a class and its parameters); ``metric_type`` and
``test_type`` the class names. Before version 4 the fingerprint columns were ``metric_id`` and
``test_id``, the name panels use for a class name.
"""

from __future__ import annotations

from collections.abc import Iterable

from monitorflow.errors import StorageError
from monitorflow.storage.index.encoding import micros
from monitorflow.storage.index.rollups import (
    ADVISORY_LOCK_KEY,
    DIRTY_DDL,
    ROLLUP_DDL,
    SPARSE_DDL,
    TEST_ROLLUP_DDL,
    rollup_inserts,
    rollup_inserts_for_tests,
)
from monitorflow.storage.runners import Runner, Tx
from monitorflow.timeutil import utc_now

#: Version of the index schema below; see docs/workspace.md for the migration path.
SCHEMA_VERSION = 4

PENDING_DDL = (
    "CREATE TABLE IF NOT EXISTS mf_pending (key TEXT PRIMARY KEY, project_id TEXT NOT NULL, "
    "since BIGINT NOT NULL)"
)

#: Fingerprint columns renamed by version 4: (table, name before, name since).
FINGERPRINT_COLUMNS = [
    ("mf_metrics", "metric_id", "metric_fingerprint"),
    ("mf_metric_params", "metric_id", "metric_fingerprint"),
    ("mf_series", "metric_id", "metric_fingerprint"),
    ("mf_tests", "test_id", "test_fingerprint"),
    ("mf_test_params", "test_id", "test_fingerprint"),
    ("mf_test_rollup", "test_id", "test_fingerprint"),
]


def _before_v4(statement: str) -> str:
    """``statement`` with the fingerprint columns under their names before version 4: migrations
    written for older versions run against those names (version 4 renames them afterwards)."""
    return statement.replace("metric_fingerprint", "metric_id").replace("test_fingerprint", "test_id")


#: ``MIGRATIONS[v]`` upgrades a database at version ``v - 1`` to ``v`` (statements run in one
#: transaction, before the idempotent CREATE statements; ``{norowid}`` as in :func:`for_dialect`).
MIGRATIONS: dict[int, list[str]] = {
    # 2: points know whether they come from a test suite (no per-query lookup of the snapshot's
    # kind), the daily rollups of points and test results, a covering index on test results, and
    # the time in the tag and metadata indexes
    2: [
        _before_v4(statement)
        for statement in [
            "ALTER TABLE mf_points ADD COLUMN suite SMALLINT NOT NULL DEFAULT 0",
            "UPDATE mf_points SET suite = 1 WHERE snapshot_id IN (SELECT id FROM mf_snapshots WHERE kind = "
            "'test_suite')",
            ROLLUP_DDL,
            *rollup_inserts("1 = 1"),
            TEST_ROLLUP_DDL,
            *rollup_inserts_for_tests("1 = 1"),
            # replaced by indexes that start with the same columns (created by the DDL below)
            "DROP INDEX IF EXISTS mf_tests_project_ts",
            "DROP INDEX IF EXISTS mf_snapshot_tags_tag",
            "DROP INDEX IF EXISTS mf_snapshot_metadata_kv",
        ]
    ],
    # 3: the write journal of blob stores: keys a write is changing, settled by the next open if the
    # writer died (see storage/recovery.py)
    3: [PENDING_DDL],
    # 4: fingerprint columns say so (``metric_id``/``test_id`` named a class in panels); indexes and
    # primary keys follow a renamed column on both dialects
    4: [f"ALTER TABLE {table} RENAME COLUMN {old} TO {new}" for table, old, new in FINGERPRINT_COLUMNS],
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
    "CREATE INDEX IF NOT EXISTS mf_snapshot_metadata_kvt ON mf_snapshot_metadata (project_id, key, value, "
    "ts)",
    """CREATE TABLE IF NOT EXISTS mf_metrics (
        project_id TEXT NOT NULL, metric_fingerprint TEXT NOT NULL, metric_type TEXT NOT NULL,
        params TEXT NOT NULL,
        PRIMARY KEY (project_id, metric_fingerprint)){norowid}""",
    """CREATE TABLE IF NOT EXISTS mf_metric_params (
        project_id TEXT NOT NULL, metric_fingerprint TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
        PRIMARY KEY (project_id, metric_fingerprint, key)){norowid}""",
    "CREATE INDEX IF NOT EXISTS mf_metric_params_kv ON mf_metric_params (project_id, key, value)",
    """CREATE TABLE IF NOT EXISTS mf_series (
        id BIGINT PRIMARY KEY, project_id TEXT NOT NULL, metric_fingerprint TEXT NOT NULL,
        metric_type TEXT NOT NULL, field_path TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS mf_series_type ON mf_series (project_id, metric_type, field_path)",
    "CREATE INDEX IF NOT EXISTS mf_series_metric ON mf_series (project_id, metric_fingerprint, field_path)",
    """CREATE TABLE IF NOT EXISTS mf_points (
        series_id BIGINT NOT NULL, ts BIGINT NOT NULL, snapshot_id TEXT NOT NULL,
        value DOUBLE PRECISION NOT NULL, suite SMALLINT NOT NULL DEFAULT 0,
        PRIMARY KEY (series_id, ts, snapshot_id)){norowid}""",
    ROLLUP_DDL,
    TEST_ROLLUP_DDL,
    DIRTY_DDL,
    SPARSE_DDL,
    """CREATE TABLE IF NOT EXISTS mf_tests (
        snapshot_id TEXT NOT NULL, test_fingerprint TEXT NOT NULL, project_id TEXT NOT NULL,
        ts BIGINT NOT NULL, test_type TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL,
        grp TEXT NOT NULL,
        PRIMARY KEY (snapshot_id, test_fingerprint)){norowid}""",
    # covering (with the key's snapshot_id, test_fingerprint) for test-suite panels: no lookup per test row
    "CREATE INDEX IF NOT EXISTS mf_tests_cover ON mf_tests (project_id, ts, status, test_type, name, "
    "snapshot_id, test_fingerprint)",
    """CREATE TABLE IF NOT EXISTS mf_test_params (
        snapshot_id TEXT NOT NULL, test_fingerprint TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
        PRIMARY KEY (snapshot_id, test_fingerprint, key)){norowid}""",
    """CREATE TABLE IF NOT EXISTS mf_datasets (
        id TEXT PRIMARY KEY, project_id TEXT NOT NULL, name TEXT NOT NULL, created_at BIGINT NOT NULL,
        snapshot_id TEXT, role TEXT, size BIGINT NOT NULL, info TEXT NOT NULL, etag TEXT)""",
    "CREATE INDEX IF NOT EXISTS mf_datasets_project ON mf_datasets (project_id, created_at)",
    "CREATE INDEX IF NOT EXISTS mf_datasets_snapshot ON mf_datasets (snapshot_id)",
    "CREATE TABLE IF NOT EXISTS mf_bad_blobs (key TEXT PRIMARY KEY, etag TEXT, error TEXT NOT NULL)",
    PENDING_DDL,
]

#: Blob tables, used only by the SQL backend (the blob lives in the same transaction as its index rows).
BLOB_DDL = [
    "CREATE TABLE IF NOT EXISTS mf_snapshot_blobs (snapshot_id TEXT PRIMARY KEY, body {blob} NOT NULL)",
    "CREATE TABLE IF NOT EXISTS mf_dataset_blobs (dataset_id TEXT PRIMARY KEY, body {blob} NOT NULL)",
]


def for_dialect(statement: str, dialect: str) -> str:
    norowid = " WITHOUT ROWID" if dialect == "sqlite" else ""
    blob = "BLOB" if dialect == "sqlite" else "BYTEA"
    return statement.replace("{norowid}", norowid).replace("{blob}", blob)


def ddl(dialect: str, extra: Iterable[str] = ()) -> list[str]:
    """The CREATE statements for ``dialect`` ("sqlite" or "postgresql")."""
    return [for_dialect(s, dialect) for s in [*_DDL, *extra]]


def schema_version(runner: Runner) -> int | None:
    """The highest version recorded in the database; None before the schema exists."""
    try:
        rows = runner.read(lambda tx: tx.fetchall("SELECT MAX(version) FROM mf_schema_version"))
    except StorageError:
        return None  # no table yet
    return rows[0][0]


def ensure_schema(runner: Runner, extra: Iterable[str] = ()) -> None:
    """Create the tables (idempotent, safe between processes) and apply pending migrations."""
    if schema_version(runner) == SCHEMA_VERSION:
        return
    statements = ddl(runner.dialect, extra)

    def create(tx: Tx) -> None:
        if runner.dialect == "postgresql":
            tx.execute("SELECT pg_advisory_xact_lock(:k)", {"k": ADVISORY_LOCK_KEY})
        tx.execute(statements[0])  # mf_schema_version
        current = tx.fetchall("SELECT MAX(version) FROM mf_schema_version")[0][0]
        if current is not None and current > SCHEMA_VERSION:
            raise StorageError(
                f"{runner.description} has index schema version {current}, newer than this "
                f"monitorflow ({SCHEMA_VERSION}); upgrade monitorflow"
            )
        pending = [SCHEMA_VERSION] if current is None else list(range(current + 1, SCHEMA_VERSION + 1))
        for version in pending if current is not None else []:
            for statement in MIGRATIONS.get(version, []):
                tx.execute(for_dialect(statement, runner.dialect))
        for statement in statements[1:]:
            tx.execute(statement)
        for version in pending:
            tx.execute(
                "INSERT INTO mf_schema_version (version, applied_at) VALUES (:v, :at) ON CONFLICT "
                "(version) DO NOTHING",
                {"v": version, "at": micros(utc_now())},
            )

    runner.write(create)
