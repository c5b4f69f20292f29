"""Test-suite panels in the index database: test results counted per time key (and test) and status.

The time key is the run's time, or the start of its bucket. Whole UTC days come from the daily
``mf_test_rollup`` where the filters allow (no metadata, at most one tag, no ``test_args``: those are
per result); the rest from ``mf_tests``. Parts are merged by
:func:`~monitorflow.storage.reads.merge_status_counts`, the same merge Python backends use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from monitorflow.storage.index.days import skipped_days, split_days
from monitorflow.storage.index.encoding import column_name, micros_or_none
from monitorflow.storage.index.filters import Bindings, Interval
from monitorflow.storage.reads import StatusCount, StatusCountQuery, merge_status_counts

Read = Callable[[str, dict[str, Any]], list[tuple[Any, ...]]]
#: Detailed panels name the column of at most this many tests.
_MAX_LABELLED = 200


class _StatusSql(Bindings):
    """SELECTs over ``mf_tests`` (``r``) or the daily ``mf_test_rollup`` (``t``) for one query;
    parameters shared by all parts."""

    def __init__(self, query: StatusCountQuery) -> None:
        super().__init__({"pid": str(query.project_id)})
        self.query = query
        self.lo, self.hi = micros_or_none(query.start), micros_or_none(query.end)
        self.raw_match = self._match("r")
        self.rolled_match = None if any(t.test_args for t in query.tests) else self._match("t")
        self.filters = self.snapshot_filters(query, "r.snapshot_id", "r.ts")

    def _match(self, alias: str) -> list[str]:
        """The query's test selectors OR-ed over ``alias``."""
        alternatives = [
            " AND ".join(self.matches(alias, "test", t.test_type, t.test_fingerprint, t.test_args)) or "1 = 1"
            for t in self.query.tests
        ]
        return ["(" + " OR ".join(f"({a})" for a in alternatives) + ")"] if alternatives else []

    def rollup_tag(self) -> str | None:
        """The rollup tag that answers (``''``: all runs), or None: only ``mf_tests`` can."""
        tags = list(dict.fromkeys(self.query.tags))
        if not self.query.use_rollup or self.rolled_match is None or self.query.metadata:
            return None
        if len(tags) > 1 or (tags and not tags[0]):
            return None
        return tags[0] if tags else ""

    def raw(self, select: str, lo: int | None, hi: int | None) -> str:
        where = ["r.project_id = :pid", *self.raw_match, *self.filters, *self.range("r.ts", lo, hi)]
        return f"SELECT {select} FROM mf_tests r WHERE " + " AND ".join(where)

    def rolled(self, select: str, tag: str, runs: list[Interval]) -> str:
        where = [
            "t.project_id = :pid",
            f"t.tag = {self.bind(tag)}",
            *(self.rolled_match or []),
            self.any_range("t.day", runs),
        ]
        return f"SELECT {select} FROM mf_test_rollup t WHERE " + " AND ".join(where)


def status_counts(read: Read, query: StatusCountQuery) -> list[StatusCount]:
    sql = _StatusSql(query)
    lo, hi = sql.lo, sql.hi
    if query.newest_run:
        newest = read(sql.raw("MAX(r.ts)", lo, hi), sql.params)[0][0]
        if newest is None:
            return []
        lo, hi = int(newest), int(newest) + 1
    grid = query.buckets
    if grid is None or query.newest_run:
        key, daily = "{c}", False
    else:
        o = sql.bind(grid.origin)
        key = (
            o
            if grid.width is None
            else f"{o} + (({{c}} - {o}) / {sql.bind(grid.width)}) * {sql.bind(grid.width)}"
        )
        daily = grid.daily
    if query.per_test and key == "{c}":  # one row per run and test already: grouping would only cost
        select, group = "r.ts, r.test_fingerprint, r.test_type, r.name, r.status, 1, r.snapshot_id", ""
    elif query.per_test:
        select = (
            f"{key} AS k, {{a}}.test_fingerprint, MIN({{a}}.test_type), MIN({{a}}.name), {{a}}.status, "
            "SUM({n}), MIN({a}.snapshot_id)"
        )
        group = " GROUP BY k, {a}.test_fingerprint, {a}.status"
    else:
        select, group = f"{key} AS k, '', '', '', {{a}}.status, SUM({{n}}), ''", " GROUP BY k, {a}.status"
    tag = sql.rollup_tag() if daily else None
    skip = skipped_days(read, str(query.project_id)) if tag is not None else []
    runs, edges = split_days(lo, hi, skip) if tag is not None else ([], [(lo, hi)])
    parts = [sql.raw(select.format(c="r.ts", n="1", a="r"), a, z) + group.format(a="r") for a, z in edges]
    if runs and tag is not None:
        parts.append(sql.rolled(select.format(c="t.day", n="t.n", a="t"), tag, runs) + group.format(a="t"))
    rows = read(" UNION ALL ".join(parts), sql.params)
    counts = [StatusCount(int(r[0]), r[1], r[2], r[3], r[4], int(r[5]), r[6], "") for r in rows]
    merged = merge_status_counts(counts)
    return _with_columns(read, merged) if query.per_test else merged


def _with_columns(read: Read, rows: list[StatusCount]) -> list[StatusCount]:
    """``rows`` with the ``column_name`` parameter of their tests. The test id is a fingerprint of its
    configuration, so any snapshot holding it will do: the one of its newest row (tests run together
    share it, so this is a lookup or two)."""
    holder = {row.test_fingerprint: row.snapshot_id for row in rows if row.snapshot_id}
    wanted: dict[str, set[str]] = {}
    for fingerprint, sid in sorted(holder.items())[:_MAX_LABELLED]:
        wanted.setdefault(sid, set()).add(fingerprint)
    found: dict[str, str] = {}
    for sid, tests in wanted.items():
        sql = (
            "SELECT test_fingerprint, value FROM mf_test_params WHERE snapshot_id = :sid AND "
            "key = 'column_name'"
        )
        found.update((fp, column_name(value)) for fp, value in read(sql, {"sid": sid}) if fp in tests)
    return [row._replace(column=found.get(row.test_fingerprint, "")) for row in rows]
