"""Daily rollups of the index, kept in step with the rows they sum.

Points are rolled up per series, UTC day, tag and kind (``mf_rollup``: count, sum of the times
within the day, sum of the values), and test results per project, day, tag, test and status
(``mf_test_rollup``). A write only marks its day dirty (``mf_rollup_dirty``, one row); the project's
next write on another day, or a delete, recomputes the marked days from the rows of those days, in
the same transaction (so an hourly writer recomputes a day once, not one row per series and tag per
snapshot). A day with fewer than :data:`ROLLUP_MIN_SNAPSHOTS` snapshots gets no rollup rows and is
listed in ``mf_rollup_sparse``. :meth:`Rollups.rebuild_rollup` (and the version 2 migration) build
them from scratch. Dashboards read whole, clean days from them and the other days from the points.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any
from uuid import UUID

from monitorflow.storage.index.filters import in_list
from monitorflow.storage.runners import Runner, Tx

#: Width of a rollup bucket: one UTC day, in microseconds.
ROLLUP_US = 86_400_000_000
#: A day gets rollup rows when it holds at least this many snapshots of its project: a rollup row
#: is one more page write per series and tag, worth it only when it stands for several points.
ROLLUP_MIN_SNAPSHOTS = 4
#: PostgreSQL advisory lock namespace ("mflw"): schema creation, and compactions per project.
ADVISORY_LOCK_KEY = 0x6D666C77

#: One row per series, UTC day (``day``: its start in µs), tag (``''``: every snapshot) and kind
#: (``suite``: 1 for test suites): the number of points, the sum of their times after ``day`` and
#: the sum of their values. Keyed for range scans over days of one series, tag and kind (a report
#: panel never reads the test-suite rows).
ROLLUP_DDL = """CREATE TABLE IF NOT EXISTS mf_rollup (
        series_id BIGINT NOT NULL, tag TEXT NOT NULL, suite SMALLINT NOT NULL, day BIGINT NOT NULL,
        n BIGINT NOT NULL, sum_dt BIGINT NOT NULL, sum_value DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (series_id, tag, suite, day)){norowid}"""

#: Test results per project, tag (``''``: every run), UTC day, test and status: the number of
#: results, and the least type, name and snapshot id among them (a snapshot holding the test).
TEST_ROLLUP_DDL = """CREATE TABLE IF NOT EXISTS mf_test_rollup (
        project_id TEXT NOT NULL, tag TEXT NOT NULL, day BIGINT NOT NULL, test_fingerprint TEXT NOT NULL,
        status TEXT NOT NULL, test_type TEXT NOT NULL, name TEXT NOT NULL, n BIGINT NOT NULL,
        snapshot_id TEXT NOT NULL, PRIMARY KEY (project_id, tag, day, test_fingerprint, status)){norowid}"""

#: Days whose rollup rows may be stale, per project and tag (``''``: the whole day): a write marks
#: its day (instead of updating rollup rows: one row, not one per series and tag), a delete its day
#: and the snapshot's tags. Dashboards read these days from the points; a later write of the project
#: (or :meth:`Rollups.compact_rollup`) recomputes them and removes the marks.
DIRTY_DDL = """CREATE TABLE IF NOT EXISTS mf_rollup_dirty (
        project_id TEXT NOT NULL, day BIGINT NOT NULL, tag TEXT NOT NULL,
        PRIMARY KEY (project_id, day, tag)){norowid}"""

#: Days a compaction left out of the rollup (per project): fewer than ``ROLLUP_MIN_SNAPSHOTS``
#: snapshots. Dashboards read them (and the dirty days) from the points, every other day from the
#: rollup (a day without snapshots has neither points nor rollup rows).
SPARSE_DDL = """CREATE TABLE IF NOT EXISTS mf_rollup_sparse (
        project_id TEXT NOT NULL, day BIGINT NOT NULL, PRIMARY KEY (project_id, day)){norowid}"""


def day_sql(ts: str) -> str:
    """SQL for the start of the UTC day of ``ts`` (µs; floor, also before 1970) on SQLite and PostgreSQL."""
    return f"({ts} - ((({ts} % {ROLLUP_US}) + {ROLLUP_US}) % {ROLLUP_US}))"


def rollup_inserts(where: str, tag_where: str = "1 = 1") -> list[str]:
    """``INSERT ... SELECT`` statements that compute ``mf_rollup`` rows from the points matching
    ``where`` (over ``p``): the untagged rows (tag ``''``), then one row per (non-empty) tag ``g``
    matching ``tag_where``."""
    points = (
        f"SELECT p.series_id, p.ts, p.snapshot_id, p.value, p.suite, {day_sql('p.ts')} AS day "
        f"FROM mf_points p WHERE {where}"
    )
    head = "INSERT INTO mf_rollup (series_id, tag, suite, day, n, sum_dt, sum_value) "
    return [
        head + "SELECT x.series_id, '', x.suite, x.day, COUNT(*), SUM(x.ts - x.day), SUM(x.value) "
        f"FROM ({points}) x GROUP BY x.series_id, x.suite, x.day",
        head + "SELECT x.series_id, g.tag, x.suite, x.day, COUNT(*), SUM(x.ts - x.day), SUM(x.value) "
        f"FROM ({points}) x JOIN mf_snapshot_tags g ON g.snapshot_id = x.snapshot_id AND g.ts = x.ts "
        f"WHERE g.tag <> '' AND {tag_where} GROUP BY x.series_id, g.tag, x.suite, x.day",
    ]


def rollup_inserts_for_tests(where: str, tag_where: str = "1 = 1") -> list[str]:
    """``INSERT ... SELECT`` statements computing ``mf_test_rollup`` rows from the ``mf_tests`` rows
    ``r`` matching ``where``: untagged, then per (non-empty) tag ``g`` matching ``tag_where``."""
    tests = (
        f"SELECT r.project_id, r.snapshot_id, r.ts, r.test_fingerprint, r.status, r.test_type, r.name, "
        f"{day_sql('r.ts')} AS day FROM mf_tests r WHERE {where}"
    )
    head = (
        "INSERT INTO mf_test_rollup (project_id, tag, day, test_fingerprint, status, test_type, name, n, "
        "snapshot_id) "
    )
    agg = "x.day, x.test_fingerprint, x.status, MIN(x.test_type), MIN(x.name), COUNT(*), MIN(x.snapshot_id)"
    return [
        head + f"SELECT x.project_id, '', {agg} FROM ({tests}) x GROUP BY x.project_id, x.day, "
        "x.test_fingerprint, x.status",
        head + f"SELECT x.project_id, g.tag, {agg} FROM ({tests}) x JOIN mf_snapshot_tags g ON "
        f"g.snapshot_id = x.snapshot_id AND g.ts = x.ts WHERE g.tag <> '' AND {tag_where} "
        "GROUP BY x.project_id, g.tag, x.day, x.test_fingerprint, x.status",
    ]


_PROJECT_SERIES = "series_id IN (SELECT id FROM mf_series WHERE project_id = :pid)"


class Rollups:
    """Rollup maintenance of an :class:`~monitorflow.storage.index.Index` (mixed in; uses ``self.runner``)."""

    runner: Runner

    def mark_dirty(self, tx: Tx, pid: str, ts: int, tags: Sequence[str]) -> None:
        """Mark the UTC day of ``ts`` (for ``tags``; ``''``: the whole day) as pending."""
        # DO UPDATE (not NOTHING): on PostgreSQL it waits for a compaction holding the row, so a mark
        # is never lost to a compaction that could not see this transaction's rows
        tx.executemany(
            "INSERT INTO mf_rollup_dirty (project_id, day, tag) VALUES (:p, :d, :t) "
            "ON CONFLICT (project_id, day, tag) DO UPDATE SET tag = excluded.tag",
            [{"p": pid, "d": ts - ts % ROLLUP_US, "t": t} for t in sorted(set(tags))],
        )

    def compact(self, tx: Tx, pid: str, skip: int | None = None, only: int | None = None) -> None:
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
            tried = tx.fetchall(
                "SELECT pg_try_advisory_xact_lock(:k, hashtext(:pid))", {"k": ADVISORY_LOCK_KEY, "pid": pid}
            )
            if not tried[0][0]:
                return
            sql += " FOR UPDATE SKIP LOCKED"
        days: dict[int, set[str]] = {}
        for day, tag in tx.fetchall(sql, p):
            days.setdefault(int(day), set()).add(tag)
        for day, tags in sorted(days.items()):
            q: dict[str, Any] = {"pid": pid, "day": day, "next": day + ROLLUP_US}
            tx.execute(
                "DELETE FROM mf_rollup_dirty WHERE project_id = :pid AND day = :day AND tag IN "
                f"({in_list('t', sorted(tags), q)})",
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
            self._recompute(tx, pid, day, every, insert=dense, tests=False)
            self._recompute(tx, pid, day, every, insert=dense, tests=True)
            if dense:
                tx.execute("DELETE FROM mf_rollup_sparse WHERE project_id = :pid AND day = :day", q)
            else:
                tx.execute(
                    "INSERT INTO mf_rollup_sparse (project_id, day) VALUES (:pid, :day) ON CONFLICT DO "
                    "NOTHING",
                    q,
                )

    def _recompute(self, tx: Tx, pid: str, day: int, tags: Sequence[str], insert: bool, tests: bool) -> None:
        """Recompute the project's rollup rows (of points, or of ``tests``) of ``day`` and ``tags``
        from the rows of that day (or only delete them, without ``insert``)."""
        p: dict[str, Any] = {"pid": pid, "day": day, "next": day + ROLLUP_US}
        keys = in_list("tg", sorted(set(tags)), p)
        if tests:
            tx.execute(
                f"DELETE FROM mf_test_rollup WHERE project_id = :pid AND tag IN ({keys}) AND day = :day", p
            )
        else:
            tx.execute(
                f"DELETE FROM mf_rollup WHERE {_PROJECT_SERIES} AND tag IN ({keys}) AND suite IN (0, 1) "
                "AND day = :day",
                p,
            )
        if not insert:
            return
        named = [t for t in sorted(set(tags)) if t]
        tag_where = f"g.tag IN ({in_list('tn', named, p)})" if named else "1 = 0"
        if tests:
            untagged, tagged = rollup_inserts_for_tests(
                "r.project_id = :pid AND r.ts >= :day AND r.ts < :next", tag_where
            )
        else:
            untagged, tagged = rollup_inserts(
                f"p.{_PROJECT_SERIES} AND p.ts >= :day AND p.ts < :next", tag_where
            )
        if "" in tags:
            tx.execute(untagged, p)
        if named:
            tx.execute(tagged, p)

    def compact_rollup(self, project_id: UUID | str | None = None) -> None:
        """Recompute every dirty day (of one project or all) now."""
        sql, p = "SELECT DISTINCT project_id FROM mf_rollup_dirty", {}
        if project_id is not None:
            sql, p = sql + " WHERE project_id = :pid", {"pid": str(project_id)}
        for (pid,) in self.runner.read(lambda tx: tx.fetchall(sql, p)):
            self.runner.write(partial(self.compact, pid=pid))

    def rebuild_rollup(self, project_id: UUID | str | None = None) -> None:
        """Recompute ``mf_rollup`` and ``mf_test_rollup`` from the points and test results, for every
        day of one project or all (they are kept up to date by writes; this repairs a hand-edited
        index, or rolls up sparse days too)."""

        def rebuild(tx: Tx) -> None:
            if project_id is None:
                for table in ("mf_rollup", "mf_test_rollup", "mf_rollup_dirty", "mf_rollup_sparse"):
                    tx.execute(f"DELETE FROM {table}")
                for statement in [*rollup_inserts("1 = 1"), *rollup_inserts_for_tests("1 = 1")]:
                    tx.execute(statement)
                return
            p = {"pid": str(project_id)}
            tx.execute(f"DELETE FROM mf_rollup WHERE {_PROJECT_SERIES}", p)
            for table in ("mf_test_rollup", "mf_rollup_dirty", "mf_rollup_sparse"):
                tx.execute(f"DELETE FROM {table} WHERE project_id = :pid", p)
            for statement in [
                *rollup_inserts(f"p.{_PROJECT_SERIES}"),
                *rollup_inserts_for_tests("r.project_id = :pid"),
            ]:
                tx.execute(statement, p)

        self.runner.write(rebuild)
