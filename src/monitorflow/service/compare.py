"""Two snapshots side by side: every numeric result field, per-column drift, and test statuses.

>>> from datetime import UTC, datetime
>>> from monitorflow.snapshot import MetricEntry, Snapshot
>>> def snap(score):
...     result = {"column_name": "age", "drift_score": score, "drift_detected": score > 0.5}
...     entry = MetricEntry(id="m1", type="ColumnDriftMetric", params={"column_name": "age"}, result=result)
...     return Snapshot(kind="report", timestamp=datetime(2026, 1, 1, tzinfo=UTC), metrics=[entry])
>>> result = compare(snap(0.1), snap(0.7))
>>> [(d.column, d.a_score, d.b_score) for d in result.drift]
[('age', 0.1, 0.7)]
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from monitorflow.snapshot import MetricEntry, Snapshot
from monitorflow.storage.index import flatten_numeric


@dataclass
class MetricDiff:
    id: str
    type: str
    params: dict[str, Any]
    fields: list[tuple[str, float | None, float | None]] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(1 for _, a, b in self.fields if not same(a, b))


@dataclass
class DriftRow:
    column: str
    a_score: float | None = None
    a_drift: bool | None = None
    b_score: float | None = None
    b_drift: bool | None = None
    stattest: str | None = None


@dataclass
class Comparison:
    metrics: list[MetricDiff]
    drift: list[DriftRow]
    tests: list[tuple[str, str | None, str | None]]


def same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15)


def _metric_diffs(a: Snapshot, b: Snapshot) -> list[MetricDiff]:
    entries: dict[str, tuple[MetricEntry | None, MetricEntry | None]] = {}
    for side, snapshot in enumerate((a, b)):
        for entry in snapshot.metrics:
            pair = list(entries.get(entry.id, (None, None)))
            pair[side] = entry
            entries[entry.id] = (pair[0], pair[1])
    diffs = []
    for entry_id, (ea, eb) in entries.items():
        known = ea or eb
        assert known is not None
        fa = dict(flatten_numeric(ea.result or {})) if ea else {}
        fb = dict(flatten_numeric(eb.result or {})) if eb else {}
        paths = list(dict.fromkeys([*fa, *fb]))
        diff = MetricDiff(
            entry_id, known.type, known.params, [(p, fa.get(p), fb.get(p)) for p in sorted(paths)]
        )
        diffs.append(diff)
    return diffs


def _drift(snapshot: Snapshot) -> dict[str, tuple[float | None, bool | None, str | None]]:
    out: dict[str, tuple[float | None, bool | None, str | None]] = {}
    for entry in snapshot.metrics:
        result = entry.result or {}
        if entry.type == "ColumnDriftMetric" and "column_name" in result:
            out[str(result["column_name"])] = (
                result.get("drift_score"),
                result.get("drift_detected"),
                result.get("stattest_name"),
            )
        for column, item in (result.get("drift_by_columns") or {}).items():
            if isinstance(item, dict):
                out.setdefault(
                    str(column),
                    (item.get("drift_score"), item.get("drift_detected"), item.get("stattest_name")),
                )
    return out


def compare(a: Snapshot, b: Snapshot) -> Comparison:
    """Fields of metrics with the same id, drift per column (ColumnDriftMetric, DataDriftTable), tests by
    id."""
    da, db = _drift(a), _drift(b)
    drift = []
    for column in dict.fromkeys([*da, *db]):
        sa, sb = da.get(column, (None, None, None)), db.get(column, (None, None, None))
        drift.append(DriftRow(column, sa[0], sa[1], sb[0], sb[1], sa[2] or sb[2]))
    ta = {t.id: t for t in a.tests}
    tb = {t.id: t for t in b.tests}
    tests: list[tuple[str, str | None, str | None]] = []
    for fingerprint in dict.fromkeys([*ta, *tb]):
        known = ta.get(fingerprint) or tb[fingerprint]
        tested = known.parameters.get("column_name") if isinstance(known.parameters, dict) else None
        name = f"{known.name}: {tested}" if tested is not None else known.name
        ra, rb = ta.get(fingerprint), tb.get(fingerprint)
        tests.append((name, str(ra.status.value) if ra else None, str(rb.status.value) if rb else None))
    return Comparison(_metric_diffs(a, b), drift, tests)
