"""The one filter builder of the index: parameters bound by name, the snapshot filters every query
shares (time range, tags all present, metadata all equal) and the metric and test matchers.

>>> b = Bindings({"pid": "p1"})
>>> b.range("p.ts", 10, None), b.params
(['p.ts >= :x0'], {'pid': 'p1', 'x0': 10})
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from monitorflow.storage.base import Filters
from monitorflow.storage.index.encoding import canonical, flatten_params, micros_or_none

Interval = tuple[int | None, int | None]  # [lo, hi) in µs; None: unbounded on that side


def in_list(name: str, values: Sequence[Any], params: dict[str, Any]) -> str:
    """``:name0, :name1, ...`` bound to ``values``, for ``col IN (...)``."""
    keys = []
    for i, value in enumerate(values):
        params[f"{name}{i}"] = value
        keys.append(f":{name}{i}")
    return ", ".join(keys)


class Bindings:
    """Named parameters of one statement (``:pid`` and fresh ``:x<n>``) and clauses built from them."""

    def __init__(self, params: dict[str, Any]) -> None:
        self.params = params
        self._n = 0

    def bind(self, value: Any) -> str:
        """A fresh parameter holding ``value``; returns its placeholder."""
        name = f"x{self._n}"
        self._n += 1
        self.params[name] = value
        return f":{name}"

    def binds(self, values: Sequence[Any]) -> str:
        return ", ".join(self.bind(v) for v in values)

    def range(self, col: str, lo: int | None, hi: int | None) -> list[str]:
        """Conditions for ``lo <= col < hi`` (none for an unbounded side)."""
        return ([f"{col} >= {self.bind(lo)}"] if lo is not None else []) + (
            [f"{col} < {self.bind(hi)}"] if hi is not None else []
        )

    def any_range(self, col: str, intervals: list[Interval]) -> str:
        """One condition: ``col`` in one of ``intervals``."""
        ranges = [" AND ".join(self.range(col, lo, hi)) or "1 = 1" for lo, hi in intervals]
        return "(" + " OR ".join(f"({r})" for r in ranges) + ")"

    def snapshot_filters(
        self, query: Filters, snapshot_col: str, ts_col: str, style: Literal["in", "exists"] = "in"
    ) -> list[str]:
        """The query's time range on ``ts_col`` and its tag and metadata filters on the snapshot in
        ``snapshot_col`` (tag and metadata rows carry the snapshot's time).

        ``"in"``: each filter is the set of the project's matching snapshots in the time range, one
        range of the (project, tag, ts) or (project, key, value, ts) index, read once: for scans
        over many rows (series, dashboards). ``"exists"``: one key lookup per row, for listings
        that stop after a page.
        """
        lo, hi = micros_or_none(query.start), micros_or_none(query.end)
        clauses = self.range(ts_col, lo, hi)
        conditions = [("mf_snapshot_tags", {"tag": self.bind(tag)}) for tag in dict.fromkeys(query.tags)]
        conditions += [
            ("mf_snapshot_metadata", {"key": self.bind(key), "value": self.bind(canonical(value))})
            for key, value in query.metadata.items()
        ]
        for i, (table, match) in enumerate(conditions):
            alias = f"f{i}"
            where = [f"{alias}.{column} = {placeholder}" for column, placeholder in match.items()]
            if style == "exists":
                where = [f"{alias}.snapshot_id = {snapshot_col}", f"{alias}.ts = {ts_col}", *where]
                clauses.append(f"EXISTS (SELECT 1 FROM {table} {alias} WHERE {' AND '.join(where)})")
            else:
                where = [f"{alias}.project_id = :pid", *where, *self.range(f"{alias}.ts", lo, hi)]
                clauses.append(
                    f"{snapshot_col} IN (SELECT {alias}.snapshot_id FROM {table} {alias} WHERE "
                    f"{' AND '.join(where)})"
                )
        return clauses

    def matches(
        self,
        rows: str,
        kind: Literal["metric", "test"],
        type_name: str | None,
        fingerprint: str | None,
        args: dict[str, Any],
    ) -> list[str]:
        """Conditions on ``rows`` of metrics (``mf_series``) or test results (``mf_tests``,
        ``mf_test_rollup``): the class name (``<kind>_type``), the fingerprint (``<kind>_fingerprint``), and
        ``args`` equal to the flattened parameters (a metric's per project; a test's per result, so
        ``mf_tests`` only)."""
        where = [
            f"{rows}.{column} = {self.bind(value)}"
            for column, value in ((f"{kind}_type", type_name), (f"{kind}_fingerprint", fingerprint))
            if value is not None
        ]
        for i, (key, value) in enumerate(flatten_params(args).items()):
            a, k, v = f"{rows}a{i}", self.bind(key), self.bind(value)
            if kind == "metric":
                where.append(
                    f"{rows}.metric_fingerprint IN (SELECT {a}.metric_fingerprint FROM mf_metric_params {a} "
                    f"WHERE {a}.project_id = :pid AND {a}.key = {k} AND {a}.value = {v})"
                )
            else:
                where.append(
                    f"EXISTS (SELECT 1 FROM mf_test_params {a} WHERE {a}.snapshot_id = {rows}.snapshot_id "
                    f"AND {a}.test_fingerprint = {rows}.test_fingerprint AND {a}.key = {k} "
                    f"AND {a}.value = {v})"
                )
        return where
