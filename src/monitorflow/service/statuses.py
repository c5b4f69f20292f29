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
from monitorflow.service.lookups import index_reader
from monitorflow.storage.base import TestStatusQuery
from monitorflow.storage.index import _filters, flatten_params

Row = tuple[int, str, str, str, str, int, str]


def _where(base: TestStatusQuery, tests: list[TestFilter]) -> tuple[str, dict[str, Any]]:
    params: dict[str, Any] = {"pid": str(base.project_id)}
    clauses = ["r.project_id = :pid"]
    alternatives = []
    for j, t in enumerate(tests):
        parts = []
        if t.test_id is not None:
            parts.append(f"r.test_type = :tt{j}")
            params[f"tt{j}"] = t.test_id
        if t.test_fingerprint is not None:
            parts.append(f"r.test_id = :tid{j}")
            params[f"tid{j}"] = t.test_fingerprint
        for i, (key, value) in enumerate(flatten_params(t.test_args).items()):
            a = f"a{j}_{i}"
            params[f"{a}k"], params[f"{a}v"] = key, value
            parts.append(f"EXISTS (SELECT 1 FROM mf_test_params {a} WHERE {a}.snapshot_id = r.snapshot_id "
                         f"AND {a}.test_id = r.test_id AND {a}.key = :{a}k AND {a}.value = :{a}v)")  # fmt: skip
        alternatives.append("(" + (" AND ".join(parts) or "1 = 1") + ")")
    if alternatives:
        clauses.append("(" + " OR ".join(alternatives) + ")")
    clauses += _filters(base, params, "r.snapshot_id", "r.ts")
    return "FROM mf_tests r WHERE " + " AND ".join(clauses), params


class IndexStatuses:
    def __init__(self, read: Any, span: Any) -> None:
        self.read, self.span = read, span

    def rows(self, base: TestStatusQuery, tests: list[TestFilter], width: int | None, per_test: bool,
             limit: int) -> list[Row]:  # fmt: skip
        """Status counts per time key: the run time floored to ``width``; without a width, the run
        time, or the start of one of ``limit`` equal buckets when the range holds more runs."""
        frm, params = _where(base, tests)
        key = "r.ts"
        if width:
            key, params["w"] = "(r.ts / :w) * :w", width
        else:
            lo, hi, runs = self.span(base)
            if runs > limit:
                key = ":lo + ((((r.ts - :lo) * :buckets) / :span) * :span) / :buckets"
                params.update(lo=lo, buckets=limit, span=hi - lo + 1)
        if per_test and key == "r.ts":  # one row per run and test already: grouping would only cost
            sql = (
                f"SELECT r.ts, r.test_id, r.test_type, r.name, r.status, 1, r.snapshot_id {frm} ORDER BY r.ts"
            )
        elif per_test:
            sql = (f"SELECT {key} AS k, r.test_id, MIN(r.test_type), MIN(r.name), r.status, COUNT(*), MIN(r.snapshot_id) "
                   f"{frm} GROUP BY k, r.test_id, r.status ORDER BY k")  # fmt: skip
        else:
            sql = (
                f"SELECT {key} AS k, '', '', '', r.status, COUNT(*), '' {frm} GROUP BY k, r.status ORDER BY k"
            )
        return [(int(r[0]), r[1], r[2], r[3], r[4], int(r[5]), r[6]) for r in self.read(sql, params)]

    def count(
        self, base: TestStatusQuery, tests: list[TestFilter], statuses: list[str], last: bool
    ) -> tuple[int, int]:
        """(tests with one of ``statuses``, all tests) over the range, or in the newest run only."""
        frm, params = _where(base, tests)
        if last:
            newest = self.read(f"SELECT MAX(r.ts) {frm}", params)[0][0]
            if newest is None:
                return 0, 0
            frm, params["newest"] = frm + " AND r.ts = :newest", newest
        keys = ", ".join(f":st{i}" for i in range(len(statuses))) or "NULL"
        params.update({f"st{i}": s for i, s in enumerate(statuses)})
        hits, total = self.read(
            f"SELECT SUM(CASE WHEN r.status IN ({keys}) THEN 1 ELSE 0 END), COUNT(*) {frm}", params
        )[0]
        return int(hits or 0), int(total or 0)


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


def for_workspace(ws: Any, span: Any, use_index: bool = True) -> IndexStatuses | StoreStatuses:
    """``span(query) -> (first µs, last µs, runs)`` of the project's snapshots in the query's range."""
    read = index_reader(ws) if use_index else None
    return IndexStatuses(read, span) if read is not None else StoreStatuses(ws)
