"""Test statuses for test-suite panels, counted per time key (and test) inside the index database.

Rows are ``(time key µs, test id, test type, test name, status, count, a snapshot id)``: the time
key is the run's time, or its floor to ``width`` µs. :class:`IndexStatuses` groups in SQL (the
WHERE clause is ``Index.test_statuses``'s, with several test filters OR-ed);
:class:`StoreStatuses` does the same in Python from ``SnapshotStore.test_statuses`` rows.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from monitorflow.panels import TestFilter
from monitorflow.service.aggregates import DAY, bounds, layout, snapshot_filters, split_days
from monitorflow.service.lookups import index_reader
from monitorflow.service.sqlparts import Bindings
from monitorflow.storage.base import TestStatusQuery
from monitorflow.storage.index import flatten_params

Row = tuple[int, str, str, str, str, int, str]


def _match(tests: list[TestFilter], params: dict[str, Any], alias: str) -> list[str]:
    """The test filters OR-ed over ``alias`` (``mf_tests`` or ``mf_test_rollup``); ``test_args``
    need ``mf_tests`` (its parameters are per result)."""
    alternatives = []
    for j, t in enumerate(tests):
        parts = []
        if t.test_id is not None:
            parts.append(f"{alias}.test_type = :tt{j}")
            params[f"tt{j}"] = t.test_id
        if t.test_fingerprint is not None:
            parts.append(f"{alias}.test_id = :tid{j}")
            params[f"tid{j}"] = t.test_fingerprint
        for i, (key, value) in enumerate(flatten_params(t.test_args).items()):
            a = f"a{j}_{i}"
            params[f"{a}k"], params[f"{a}v"] = key, value
            parts.append(f"EXISTS (SELECT 1 FROM mf_test_params {a} WHERE {a}.snapshot_id = {alias}.snapshot_id "
                         f"AND {a}.test_id = {alias}.test_id AND {a}.key = :{a}k AND {a}.value = :{a}v)")  # fmt: skip
        alternatives.append("(" + (" AND ".join(parts) or "1 = 1") + ")")
    return ["(" + " OR ".join(alternatives) + ")"] if alternatives else []


class _StatusSql(Bindings):
    """SELECTs over ``mf_tests`` (``r``) or the daily ``mf_test_rollup`` (``t``) for one status query;
    parameters shared by all parts."""

    def __init__(self, base: TestStatusQuery, tests: list[TestFilter]) -> None:
        self.base = base
        super().__init__({"pid": str(base.project_id)})
        self.raw_match = _match(tests, self.params, "r")
        self.roll_match = None if any(t.test_args for t in tests) else _match(tests, self.params, "t")
        self.filters = snapshot_filters(base, self.params, "r.snapshot_id")

    def rollup_tag(self) -> str | None:
        """The rollup tag that answers (``''``: all runs), or None: only ``mf_tests`` can."""
        tags = list(dict.fromkeys(self.base.tags))
        if self.roll_match is None or self.base.metadata or len(tags) > 1 or (tags and not tags[0]):
            return None
        return tags[0] if tags else ""

    def raw(self, select: str, lo: int | None, hi: int | None) -> str:
        where = ["r.project_id = :pid", *self.raw_match, *self.filters, *self.range("r.ts", lo, hi)]
        return f"SELECT {select} FROM mf_tests r WHERE " + " AND ".join(where)

    def rollup(self, select: str, tag: str, runs: list[tuple[int | None, int | None]]) -> str:
        where = ["t.project_id = :pid", f"t.tag = {self.bind(tag)}", *(self.roll_match or []),
                 self.any_range("t.day", runs)]  # fmt: skip
        return f"SELECT {select} FROM mf_test_rollup t WHERE " + " AND ".join(where)

    def parts(self, select: str, group: str, skip: list[int] | None) -> list[str]:
        """``select`` (``{a}``: the table alias, ``{c}``: its time column, ``{n}``: its count of
        results) over ``mf_tests``, and over ``mf_test_rollup`` for whole days but ``skip`` (None:
        no rollup) when the filters allow."""
        start, end = bounds(self.base)
        tag = self.rollup_tag() if skip is not None else None
        runs, edges = split_days(start, end, skip or []) if tag is not None else ([], [(start, end)])
        out = [
            self.raw(select.format(c="r.ts", n="1", a="r"), lo, hi) + group.format(a="r") for lo, hi in edges
        ]
        if runs and tag is not None:
            out.append(self.rollup(select.format(c="t.day", n="t.n", a="t"), tag, runs) + group.format(a="t"))
        return out


class IndexStatuses:
    def __init__(self, read: Any, span: Any, skip_days: Any = None) -> None:
        """``span(query)`` and ``skip_days(project id)`` as ``IndexAggregates``' (no ``skip_days``:
        every result is read from ``mf_tests``)."""
        self.read, self.span = read, span
        self.skip_days = skip_days or (lambda project_id: None)

    def rows(self, base: TestStatusQuery, tests: list[TestFilter], width: int | None, per_test: bool,
             limit: int) -> list[Row]:  # fmt: skip
        """Status counts per time key: the run time floored to ``width``; without a width, the run
        time, or the start of its bucket (``aggregates.layout``) when the range holds more than
        ``limit`` runs. Whole days come from the daily rollup when the keys are whole days."""
        sql = _StatusSql(base, tests)
        if width:
            w = sql.bind(width)
            key, daily = f"({{c}} / {w}) * {w}", width % DAY == 0
        else:
            lo, hi, runs = self.span(base)
            if runs <= limit:
                if per_test:  # one row per run and test already: grouping would only cost
                    rows = self.read(sql.raw("r.ts, r.test_id, r.test_type, r.name, r.status, 1, r.snapshot_id",
                                             *bounds(base)) + " ORDER BY r.ts", sql.params)  # fmt: skip
                    return [(int(r[0]), r[1], r[2], r[3], r[4], 1, r[6]) for r in rows]
                key, daily = "{c}", False
            else:
                grid = layout(lo, hi, limit)
                o, bw = sql.bind(grid.origin), sql.bind(grid.width)
                key, daily = f"{o} + (({{c}} - {o}) / {bw}) * {bw}", grid.daily
        if per_test:
            select = (f"{key} AS k, {{a}}.test_id AS tid, MIN({{a}}.test_type) AS ty, MIN({{a}}.name) AS nm, "
                      "{a}.status AS st, SUM({n}) AS n, MIN({a}.snapshot_id) AS sid")  # fmt: skip
            group, outer = (
                " GROUP BY k, {a}.test_id, {a}.status",
                "k, tid, MIN(ty), MIN(nm), st, SUM(n), MIN(sid)",
            )
            regroup = "k, tid, st"
        else:
            select = (
                f"{key} AS k, '' AS tid, '' AS ty, '' AS nm, {{a}}.status AS st, SUM({{n}}) AS n, '' AS sid"
            )
            group, outer, regroup = " GROUP BY k, {a}.status", "k, '', '', '', st, SUM(n), ''", "k, st"
        parts = sql.parts(select, group, self.skip_days(base.project_id) if daily else None)
        if len(parts) == 1:
            text = parts[0] + " ORDER BY k"
        else:
            text = f"SELECT {outer} FROM ({' UNION ALL '.join(parts)}) u GROUP BY {regroup} ORDER BY k"
        return [(int(r[0]), r[1], r[2], r[3], r[4], int(r[5]), r[6]) for r in self.read(text, sql.params)]

    def count(
        self, base: TestStatusQuery, tests: list[TestFilter], statuses: list[str], last: bool
    ) -> tuple[int, int]:
        """(tests with one of ``statuses``, all tests) over the range, or in the newest run only."""
        sql = _StatusSql(base, tests)
        keys = ", ".join(sql.bind(s) for s in statuses) or "NULL"
        if last:
            start, end = bounds(base)
            newest = self.read(sql.raw("MAX(r.ts)", start, end), sql.params)[0][0]
            if newest is None:
                return 0, 0
            select = f"SUM(CASE WHEN r.status IN ({keys}) THEN 1 ELSE 0 END), COUNT(*)"
            hits, total = self.read(sql.raw(select, newest, newest + 1), sql.params)[0]
            return int(hits or 0), int(total or 0)
        select = f"SUM(CASE WHEN {{a}}.status IN ({keys}) THEN {{n}} ELSE 0 END) AS hits, SUM({{n}}) AS n"
        parts = sql.parts(select, "", self.skip_days(base.project_id))
        rows = self.read(" UNION ALL ".join(parts), sql.params)
        return int(sum(int(r[0] or 0) for r in rows)), int(sum(int(r[1] or 0) for r in rows))


class StoreStatuses:
    def __init__(self, ws: Any) -> None:
        self.ws = ws

    def _raw(self, base: TestStatusQuery, tests: list[TestFilter]) -> list[tuple[Any, ...]]:
        if not tests:
            return self.ws.store.test_statuses(base)
        seen: dict[tuple[str, str], tuple[Any, ...]] = {}
        for t in tests:
            query = base.model_copy(
                update={"test_type": t.test_id, "test_id": t.test_fingerprint, "test_args": t.test_args}
            )
            for row in self.ws.store.test_statuses(query):
                seen[(row[1], row[2])] = row
        return sorted(seen.values(), key=lambda r: (r[0], r[1], r[2]))

    def rows(self, base: TestStatusQuery, tests: list[TestFilter], width: int | None, per_test: bool,
             limit: int) -> list[Row]:  # fmt: skip
        counts: Counter[tuple[int, str, str, str, str]] = Counter()
        snapshot: dict[str, str] = {}
        for ts, sid, test_id, test_type, name, status in self._raw(base, tests):
            key = ts // width * width if width else ts
            test = (test_id, test_type, name) if per_test else ("", "", "")
            counts[(key, *test, status)] += 1
            snapshot.setdefault(test_id, sid)
        return [(k[0], k[1], k[2], k[3], k[4], n, snapshot.get(k[1], "")) for k, n in sorted(counts.items())]

    def count(
        self, base: TestStatusQuery, tests: list[TestFilter], statuses: list[str], last: bool
    ) -> tuple[int, int]:
        rows = self._raw(base, tests)
        if last and rows:
            rows = [r for r in rows if r[0] == rows[-1][0]]
        return sum(1 for r in rows if r[5] in statuses), len(rows)


def for_workspace(
    ws: Any, span: Any, use_index: bool = True, skip_days: Any = None
) -> IndexStatuses | StoreStatuses:
    """``span(query) -> (first µs, last µs, runs)`` of the project's snapshots in the query's range;
    ``skip_days(project id)``: the days the daily rollup does not answer (None: no rollup)."""
    read = index_reader(ws) if use_index else None
    return IndexStatuses(read, span, skip_days) if read is not None else StoreStatuses(ws)
