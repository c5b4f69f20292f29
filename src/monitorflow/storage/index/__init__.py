"""The snapshot index: every numeric result flattened at ingest into points, in one portable SQL schema.

At ingest every numeric value of every metric result (bools as 0/1) becomes a **point**
``(series, timestamp, snapshot, value)``; a series is ``(project, metric fingerprint, field path)``
with the metric's type, and the metric's parameters are kept per metric, flattened to
``key -> canonical JSON`` rows so that ``metric_args`` filters run in SQL. Tags, metadata and test
results get their own tables, and daily rollups sum points and test results per day. A dashboard
query therefore never opens a snapshot blob.

The package is split by job:

=================  ======================================================================
``encoding``       times, canonical JSON, flattening, series ids
``schema``         the CREATE statements, :data:`SCHEMA_VERSION` and :data:`MIGRATIONS`
``writes``         a snapshot's rows, projects, datasets (in the caller's transaction)
``rollups``        the daily rollups: marks, compaction, rebuild
``catalog``        what stores read back: projects, listings, datasets, ETags
``filters``        the one filter builder (time, tags, metadata; metric and test matchers)
``queries``        :class:`SqlReads`, the read protocol (series, statuses, lookups) in SQL
``bucket_sql``     bucketed series (points and daily rollup) for ``SqlReads.buckets``
``status_sql``     test-status counts (results and daily rollup) for ``SqlReads.status_counts``
``days``           which days of a range the rollups answer
=================  ======================================================================

The SQL is written once, with ``:name`` parameters and ``ON CONFLICT`` clauses that SQLite
(>= 3.24) and PostgreSQL both accept; ``runners.py`` executes it through stdlib ``sqlite3`` (the
folder backend and the S3 cache, no SQLAlchemy needed) or SQLAlchemy Core (``sqlite:///``,
``postgresql+psycopg://``). Times are stored as integer microseconds since the epoch, UTC.

>>> from monitorflow.storage.runners import SqliteRunner
>>> Index(SqliteRunner(":memory:")).schema_version() == SCHEMA_VERSION
True
"""

from __future__ import annotations

from collections.abc import Sequence

from monitorflow.storage.index.catalog import Catalog
from monitorflow.storage.index.encoding import (
    canonical,
    flatten_numeric,
    flatten_params,
    from_micros,
    micros,
    series_key,
)
from monitorflow.storage.index.rollups import ROLLUP_MIN_SNAPSHOTS, ROLLUP_US, day_sql
from monitorflow.storage.index.schema import (
    BLOB_DDL,
    MIGRATIONS,
    SCHEMA_VERSION,
    ddl,
    ensure_schema,
    schema_version,
)
from monitorflow.storage.index.writes import Writes
from monitorflow.storage.runners import Runner


class Index(Writes, Catalog):
    """Index rows of one workspace in one database, through a :class:`Runner`: writes (with their
    rollup maintenance) and the catalog reads of its store; :class:`SqlReads` answers the queries."""

    def __init__(self, runner: Runner, extra_ddl: Sequence[str] = ()) -> None:
        self.runner = runner
        self._writes = 0
        ensure_schema(runner, extra_ddl)

    def schema_version(self) -> int | None:
        return schema_version(self.runner)

    def close(self) -> None:
        self.runner.close()


__all__ = [
    "BLOB_DDL",
    "MIGRATIONS",
    "ROLLUP_MIN_SNAPSHOTS",
    "ROLLUP_US",
    "SCHEMA_VERSION",
    "Index",
    "canonical",
    "day_sql",
    "ddl",
    "flatten_numeric",
    "flatten_params",
    "from_micros",
    "micros",
    "series_key",
]
