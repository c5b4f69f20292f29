"""Index databases as older monitorflow versions left them, to test the migrations on every backend."""

from __future__ import annotations

from typing import Any

#: The fingerprint columns before schema version 4 (written out here, not taken from the code under
#: test): (table, column since version 4, column before).
VERSION_3_COLUMNS = [
    ("mf_metrics", "metric_fingerprint", "metric_id"),
    ("mf_metric_params", "metric_fingerprint", "metric_id"),
    ("mf_series", "metric_fingerprint", "metric_id"),
    ("mf_tests", "test_fingerprint", "test_id"),
    ("mf_test_params", "test_fingerprint", "test_id"),
    ("mf_test_rollup", "test_fingerprint", "test_id"),
]


def to_version_3_names(tx: Any) -> None:
    """Give the fingerprint columns their names before version 4 (``metric_id``, ``test_id``)."""
    for table, now, before in VERSION_3_COLUMNS:
        tx.execute(f"ALTER TABLE {table} RENAME COLUMN {now} TO {before}")


def downgrade_to_v3(ws: Any) -> None:
    """What a version 3 index looked like: the same tables, fingerprints under the old names."""

    def down(tx: Any) -> None:
        to_version_3_names(tx)
        tx.execute("DELETE FROM mf_schema_version")
        tx.execute("INSERT INTO mf_schema_version (version, applied_at) VALUES (3, 0)")

    ws.store.index.runner.write(down)


def columns_of(ws: Any, table: str) -> set[str]:
    """The column names of ``table`` (SQLite or PostgreSQL)."""
    runner = ws.store.index.runner
    if runner.dialect == "sqlite":
        rows = runner.read(lambda tx: tx.fetchall(f"SELECT name FROM pragma_table_info('{table}')"))
    else:
        sql = "SELECT column_name FROM information_schema.columns WHERE table_name = :t"
        rows = runner.read(lambda tx: tx.fetchall(sql, {"t": table}))
    return {name for (name,) in rows}
