"""Column profiles computed by the database: the queries behind ``SQLTableSource.profile``.

The result equals :func:`~monitorflow.scale.profile.profile_series` on the same rows read into
pandas (counts exactly; moments to rounding), in at most four scans whatever the number of columns:

1. one aggregate scan: rows, nulls, NaN and infinity counts, finite count, min, max and ``AVG``;
2. one scan of sums of deviations from that average, ``SUM(x - a)`` and ``SUM((x - a)^2)``: the
   corrected two-pass moments, accurate where ``SUM(x^2)`` is not (large means, e.g. timestamps);
3. a probe of the first 262,144 rows (``COUNT(DISTINCT)``) to find numerical columns with more
   distinct values than profiles track, as the engine does on rows;
4. one ``GROUP BY GROUPING SETS`` scan for the value counts of every other column (with the row
   number of each value's first row when the source has an ``order_by``).

NaN, infinities and NULL are told apart once, in a projection (:mod:`~monitorflow.scale.sql_dialect`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa

from monitorflow import frame_checks
from monitorflow.errors import ColumnTypeError
from monitorflow.scale.profile import (
    MAX_TRACKED_VALUES,
    ColumnProfile,
    FixedHistogram,
    Kind,
    Moments,
    ValueCounts,
)
from monitorflow.scale.side_profile import SideProfile
from monitorflow.scale.source import pandas_dtype

if TYPE_CHECKING:
    from monitorflow.scale.sql import SQLTableSource

#: Columns per aggregate query (PostgreSQL allows 1,664 result columns).
COLUMNS_PER_QUERY = 100
#: Rows probed for the distinct-value limit, as the engine probes rows (``4 * MAX_TRACKED_VALUES``).
PROBE_ROWS = 4 * MAX_TRACKED_VALUES
#: Edge comparisons per histogram query.
EDGES_PER_QUERY = 1000


def _numeric(kind: pa.DataType) -> bool:
    return pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_boolean(kind)


def _projection(source: SQLTableSource, kinds: dict[str, Kind], with_rank: bool = False) -> tuple[str, dict]:
    """``(SELECT v0, f0, v1, ... FROM relation)``: each column as read (``v``) and, for numerical
    columns, its finite value or NULL (``f``); ``mf_rn``: the 0-based row number in ``order_by``."""
    schema = source.schema()
    relation, params = source.relation()
    inner, outer = [], []
    for i, (column, kind) in enumerate(kinds.items()):
        arrow = schema.field(column).type
        if kind == "num":
            if not _numeric(arrow):
                raise ColumnTypeError(
                    column,
                    source.name,
                    "numerical",
                    None,
                    fix=f"it is {arrow} in the database: profile it as categorical, or cast it in the query",
                )
            inner.append(f"{source.dialect.as_double(source.quote(column), arrow)} AS v{i}")
            outer.append(f"v{i}, {source.dialect.finite(f'v{i}')} AS f{i}")
        else:
            inner.append(f"{source.selected(column)} AS v{i}")
            outer.append(f"v{i}")
    if with_rank:
        order = ", ".join(source.quote(c) for c in source.order_by)
        inner.append(f"ROW_NUMBER() OVER (ORDER BY {order}) - 1 AS mf_rn")
        outer.append("mf_rn")
    sql = f"(SELECT {', '.join(outer)} FROM (SELECT {', '.join(inner)} FROM {relation} AS mf_r) AS mf_v)"
    return sql, params


def _groups(kinds: Mapping[str, Kind], size: int = COLUMNS_PER_QUERY) -> list[dict[str, Kind]]:
    items = list(kinds.items())
    return [dict(items[i : i + size]) for i in range(0, len(items), size)]


def profile_columns(source: SQLTableSource, kinds: dict[str, Kind]) -> dict[str, ColumnProfile]:
    """Profiles of ``kinds``' columns (``"num"`` or ``"cat"``) of the source's rows."""
    return _profiles(source, kinds)[0]


def profile_side(source: SQLTableSource, kinds: dict[str, Kind], coercions: dict[str, str]) -> SideProfile:
    """What the engine's pass A gives for these rows (:class:`~monitorflow.scale.side.SideProfile`):
    every column's profile, the rows, the empty rows and the counts of the default missing values
    (NULL, NaN, ``""``, infinities) per column and per row."""
    _check_coercions(source, coercions)
    profiles, counts = _profiles(source, kinds)
    empty, with_any = _row_counts(source, list(kinds))
    missing = frame_checks.MissingCounts(rows=_rows(counts, source), rows_with_any=with_any)
    for column, entry in counts.items():
        by_value = {
            "null": entry["nulls"] + entry["nan"],
            "": entry["empty"],
            "Infinity": entry["pos"],
            "-Infinity": entry["neg"],
        }
        missing.by_value[column] = by_value
        missing.by_column[column] = sum(by_value.values())
    return SideProfile(profiles, missing.rows, empty, missing)


def _rows(counts: dict[str, dict[str, Any]], source: SQLTableSource) -> int:
    return next(iter(counts.values()))["rows"] if counts else source.rows()


def _check_coercions(source: SQLTableSource, coercions: dict[str, str]) -> None:
    """Declared types the database already has pass; a conversion would need the rows, so it is refused."""
    schema = source.schema()
    for column, kind in coercions.items():
        arrow = schema.field(column).type
        fits = _numeric(arrow) if kind == "num" else pa.types.is_timestamp(arrow) or pa.types.is_date(arrow)
        if not fits:
            expected = "numerical" if kind == "num" else "datetime"
            raise ColumnTypeError(
                column,
                source.name,
                expected,
                None,
                fix=f"it is {arrow} in the database: cast it in the source's query (CAST(... AS ...)), "
                "or declare it as categorical",
            )


def _profiles(
    source: SQLTableSource, kinds: dict[str, Kind]
) -> tuple[dict[str, ColumnProfile], dict[str, dict[str, Any]]]:
    counts: dict[str, dict[str, Any]] = {}
    for group in _groups(kinds):
        counts.update(_counts(source, group))
    numeric = {c: k for c, k in kinds.items() if k == "num" and counts[c]["finite"]}
    moments = {}
    for group in _groups(numeric):
        moments.update(_moments(source, group, counts))
    tracked = _tracked(source, kinds)
    values = _value_counts(source, {c: kinds[c] for c in tracked}, counts) if tracked else {}
    schema = source.schema()
    profiles = {
        column: _assemble(
            kind, schema.field(column).type, counts[column], moments.get(column), values.get(column)
        )
        for column, kind in kinds.items()
    }
    return profiles, counts


def _aggregates(dialect: Any, i: int, kind: Kind, arrow: pa.DataType) -> dict[str, str]:
    """The aggregates query 1 computes for column ``i`` (``v``: as read, ``f``: finite or NULL)."""
    v, f = f"v{i}", f"f{i}"

    def count(condition: str) -> str:
        return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"

    wanted = {"present": f"COUNT({v})"}
    if kind == "num" or pa.types.is_floating(arrow):
        wanted.update(
            nan=count(dialect.is_nan(v)),
            pos=count(dialect.is_positive_infinite(v)),
            neg=count(dialect.is_negative_infinite(v)),
        )
    if kind == "num":
        wanted.update(finite=f"COUNT({f})", min=f"MIN({f})", max=f"MAX({f})", avg=f"AVG({f})")
    if pa.types.is_string(arrow):
        wanted["empty"] = count(f"{v} = ''")
    return wanted


def _counts(source: SQLTableSource, kinds: dict[str, Kind]) -> dict[str, dict[str, Any]]:
    """Query 1: counts, min, max and the average of the finite values."""
    schema = source.schema()
    planned = {
        c: _aggregates(source.dialect, i, k, schema.field(c).type) for i, (c, k) in enumerate(kinds.items())
    }
    listed = ["COUNT(*)"] + [sql for wanted in planned.values() for sql in wanted.values()]
    projection, params = _projection(source, kinds)
    row = iter(source.query.rows(f"SELECT {', '.join(listed)} FROM {projection} AS mf_p", params)[0])
    rows = int(next(row))
    out = {}
    for column, wanted in planned.items():
        got = dict(zip(wanted, row, strict=False))
        entry: dict[str, Any] = {"rows": rows, "nulls": rows - int(got["present"])}
        for name in ("nan", "pos", "neg", "empty", "finite"):
            entry[name] = int(got.get(name) or 0)
        for name in ("min", "max", "avg"):
            entry[name] = _float(got.get(name))
        out[column] = entry
    return out


def _row_counts(source: SQLTableSource, columns: list[str]) -> tuple[int, int]:
    """Rows whose every value is missing (NULL or NaN), and rows holding any default missing value."""
    if not columns:
        return 0, 0
    schema = source.schema()
    dialect = source.dialect
    relation, params = source.relation()
    missing, default = [], []
    for column in columns:
        arrow = schema.field(column).type
        v = source.selected(column)
        gone = f"{v} IS NULL"
        if pa.types.is_floating(arrow):
            gone = f"({gone} OR {dialect.is_nan(v)})"
            default.append(
                f"({gone} OR {dialect.is_positive_infinite(v)} OR {dialect.is_negative_infinite(v)})"
            )
        elif pa.types.is_string(arrow):
            default.append(f"({gone} OR {v} = '')")
        else:
            default.append(gone)
        missing.append(gone)
    sql = (
        f"SELECT SUM(CASE WHEN {' AND '.join(missing)} THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {' OR '.join(default)} THEN 1 ELSE 0 END) FROM {relation} AS mf_r"
    )
    empty, with_any = source.query.rows(sql, params)[0]
    return int(empty or 0), int(with_any or 0)


def _float(value: Any) -> float:
    return math.nan if value is None else float(value)


def _moments(
    source: SQLTableSource, kinds: dict[str, Kind], counts: dict[str, dict[str, Any]]
) -> dict[str, Moments]:
    """Query 2: sums of deviations from the average (corrected two-pass moments)."""
    projection, params = _projection(source, kinds)
    aggregates = []
    for i, column in enumerate(kinds):
        params[f"mf_a{i}"] = counts[column]["avg"]
        aggregates += [f"SUM(f{i} - :mf_a{i})", f"SUM({source.dialect.square(f'(f{i} - :mf_a{i})')})"]
    row = source.query.rows(f"SELECT {', '.join(aggregates)} FROM {projection} AS mf_p", params)[0]
    out = {}
    for i, column in enumerate(kinds):
        n, shift = counts[column]["finite"], counts[column]["avg"]
        first, second = _float(row[2 * i]), _float(row[2 * i + 1])
        with np.errstate(over="ignore", invalid="ignore"):
            mean = shift + first / n
            m2 = max(second - first * first / n, 0.0) if n > 1 else 0.0
        out[column] = Moments(n, float(mean), float(m2))
    return out


def _tracked(source: SQLTableSource, kinds: dict[str, Kind]) -> list[str]:
    """Columns that get value counts: every categorical one, and numerical ones whose first
    ``PROBE_ROWS`` rows have at most ``MAX_TRACKED_VALUES`` distinct finite values."""
    numeric = {c: k for c, k in kinds.items() if k == "num"}
    keep = [c for c, k in kinds.items() if k == "cat"]
    for group in _groups(numeric):
        projection, params = _projection(source, group)
        listed = ", ".join(f"COUNT(DISTINCT f{i})" for i in range(len(group)))
        sql = f"SELECT {listed} FROM (SELECT * FROM {projection} AS mf_p LIMIT {PROBE_ROWS}) AS mf_probe"
        row = source.query.rows(sql, params)[0]
        keep += [c for c, distinct in zip(group, row, strict=True) if int(distinct) <= MAX_TRACKED_VALUES]
    return [c for c in kinds if c in keep]


def _value_counts(
    source: SQLTableSource, kinds: dict[str, Kind], counts: dict[str, dict[str, Any]]
) -> dict[str, ValueCounts | None]:
    """Query 4: every column's value counts in one ``GROUPING SETS`` scan."""
    ranked = bool(source.order_by)
    projection, params = _projection(source, kinds, with_rank=ranked)
    schema = source.schema()
    keys = []
    for i, (column, kind) in enumerate(kinds.items()):
        if kind == "num":
            keys.append(f"f{i}")
        elif pa.types.is_floating(schema.field(column).type):
            keys.append(source.dialect.not_nan(f"v{i}"))
        else:
            keys.append(f"v{i}")
    select = [f"{k} AS k{i}" for i, k in enumerate(keys)]
    select += [f"GROUPING(k{i})" for i in range(len(keys))]
    select.append("COUNT(*)")
    if ranked:
        select.append("MIN(mf_rn)")
    sets = ", ".join(f"(k{i})" for i in range(len(keys)))
    # GROUPING SETS over the key aliases: computed in a subquery so every dialect can group by them
    inner = f"SELECT {', '.join(f'{k} AS k{i}' for i, k in enumerate(keys))}{', mf_rn' if ranked else ''}"
    outer = [f"k{i}" for i in range(len(keys))] + select[len(keys) :]
    sql = (
        f"SELECT {', '.join(outer)} FROM ({inner} FROM {projection} AS mf_p) AS mf_k "
        f"GROUP BY GROUPING SETS ({sets})"
    )
    found: dict[int, list[tuple[Any, int, int]]] = {i: [] for i in range(len(keys))}
    width = len(keys)
    capped = [kind == "num" for kind in kinds.values()]
    for chunk in source.query.stream(sql, params, source.chunk_rows):
        for row in chunk:
            flags = row[width : 2 * width]
            i = next(j for j, flag in enumerate(flags) if int(flag) == 0)
            if row[i] is None or (capped[i] and len(found[i]) > MAX_TRACKED_VALUES):
                continue  # missing values are counted apart; a column past the limit keeps no counts
            found[i].append((row[i], int(row[2 * width]), int(row[2 * width + 1]) if ranked else 0))
    out: dict[str, ValueCounts | None] = {}
    for i, (column, kind) in enumerate(kinds.items()):
        entries = found[i]
        if kind == "num":
            out[column] = None if len(entries) > MAX_TRACKED_VALUES else _numeric_counts(entries)
        else:
            has_nulls = counts[column]["nulls"] + counts[column]["nan"] > 0
            out[column] = _category_counts(entries, schema.field(column).type, has_nulls, ranked)
    return out


def _numeric_counts(entries: list[tuple[Any, int, int]]) -> ValueCounts:
    """Keys ascending; first rows from ``order_by`` (else 0: equally frequent values order by value)."""
    keys = np.array([float(e[0]) for e in entries], dtype=np.float64)
    counts = np.array([e[1] for e in entries], dtype=np.int64)
    first = np.array([e[2] for e in entries], dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    return ValueCounts(keys[order], counts[order], first[order])


def _category_counts(
    entries: list[tuple[Any, int, int]], arrow: pa.DataType, has_nulls: bool, ranked: bool
) -> ValueCounts:
    """Keys as pandas reads the whole column (its dtype with or without nulls), in order of first
    appearance (``ranked``), else ascending (SQL rows have no order: ties ordered by value)."""
    raw = [e[0] for e in entries]
    if pa.types.is_floating(arrow):
        raw = [float(v) for v in raw]
    series = pa.array(raw, type=arrow).to_pandas()
    dtype = pandas_dtype(arrow, has_nulls)
    if series.dtype != dtype:
        series = series.astype(dtype)
    counts = np.array([e[1] for e in entries], dtype=np.int64)
    if ranked:
        first = np.array([e[2] for e in entries], dtype=np.int64)
    else:
        first = np.empty(len(entries), dtype=np.int64)
        first[np.argsort(series.to_numpy(), kind="stable")] = np.arange(len(entries))
    order = np.argsort(first, kind="stable")
    uniques = pd.factorize(series)[1]
    keys = np.empty(len(entries), dtype=object)
    keys[:] = list(uniques)
    return ValueCounts(keys[order], counts[order], first[order])


def _assemble(
    kind: Kind,
    arrow: pa.DataType,
    counts: dict[str, Any],
    moments: Moments | None,
    values: ValueCounts | None,
) -> ColumnProfile:
    """The profile from the queries' numbers; ``missing`` is NULL and NaN (as pandas reads them)."""
    missing = counts["nulls"] + counts["nan"]
    if kind == "num":
        return ColumnProfile(
            kind="num",
            rows=counts["rows"],
            missing=missing,
            nan=missing,
            positive_infinite=counts["pos"],
            negative_infinite=counts["neg"],
            minimum=counts["min"],
            maximum=counts["max"],
            moments=moments or Moments(),
            values=values,
        )
    if values is None:  # a categorical column with no value present
        values = ColumnProfile.empty("cat").values
    as_float = pd.api.types.is_float_dtype(pandas_dtype(arrow, missing > 0))
    return ColumnProfile(
        kind="cat", rows=counts["rows"], missing=missing, nan=missing if as_float else 0, values=values
    )


def histograms(source: SQLTableSource, edges: dict[str, np.ndarray]) -> dict[str, FixedHistogram]:
    """Counts of finite values per bin, ``np.histogram``'s way: ``[e_k, e_k+1)``, the last bin closed.

    Counted as ``#(x < e_k)`` for every edge but the last and ``#(x <= e_last)``; bins are the
    differences. Edges are bound as doubles, so the database compares the very same numbers.
    """
    kinds: dict[str, Kind] = {c: "num" for c in edges}
    projection, params = _projection(source, kinds)
    comparisons = []
    for i, column in enumerate(edges):
        bounds = np.asarray(edges[column], dtype=np.float64)
        for j, edge in enumerate(bounds):
            params[f"mf_h{i}_{j}"] = float(edge)
            op = "<=" if j == bounds.size - 1 else "<"
            comparisons.append(f"COUNT(CASE WHEN f{i} {op} :mf_h{i}_{j} THEN 1 END)")
    results: list[int] = []
    for start in range(0, len(comparisons), EDGES_PER_QUERY):
        listed = ", ".join(comparisons[start : start + EDGES_PER_QUERY])
        results += [
            int(x) for x in source.query.rows(f"SELECT {listed} FROM {projection} AS mf_p", params)[0]
        ]
    out, at = {}, 0
    for column in edges:
        bounds = np.asarray(edges[column], dtype=np.float64)
        cumulative = np.array(results[at : at + bounds.size], dtype=np.int64)
        at += bounds.size
        out[column] = FixedHistogram(bounds, np.diff(cumulative))
    return out
