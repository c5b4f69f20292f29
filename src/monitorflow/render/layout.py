"""Generic decomposition of a metric result (its JSON dict) into rows, keyed tables and charts.

The rules, which make any result model readable without a renderer of its own:

- keys ``X`` / ``Y`` where ``Y`` is ``X`` with "current" replaced by "reference" are a pair: their
  contents are shown side by side (current | reference);
- an object shaped like ``Histogram {edges, current, reference}`` or ``ValueCounts {values, counts,
  other}`` becomes a chart;
- sibling mappings with the same keys (e.g. several dicts keyed by column), a mapping of
  same-kind objects (e.g. per-column results) and long mappings become tables with one row per key;
- everything else is flattened into rows labelled by its path.

>>> layout = decompose({"column_name": "age", "current": {"mean": 1.5}, "reference": {"mean": 2.0}})
>>> [(r.path, r.current, r.reference) for r in layout.rows]
[(('column_name',), 'age', <no side>), (('mean',), 1.5, 2.0)]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, TypeGuard


class _NoSide:
    def __repr__(self) -> str:
        return "<no side>"


#: ``Row.reference`` of a value that has no current/reference split (a parameter, a threshold).
NO_SIDE: Any = _NoSide()
#: Mappings with more keys than this become a table even when alone.
MAX_INLINE_KEYS = 8

Path = tuple[str, ...]


@dataclass
class Row:
    """One scalar (or short list) of the result; ``reference`` is NO_SIDE outside a pair."""

    path: Path
    current: Any
    reference: Any = NO_SIDE

    @property
    def paired(self) -> bool:
        return self.reference is not NO_SIDE


@dataclass
class KeyedTable:
    """Mappings sharing their keys, as one table: one row per key, one column per value path."""

    path: Path
    keys: list[str]
    columns: list[Path]
    #: (key, column) -> Row (its path is the column path).
    cells: dict[tuple[str, Path], Row]


#: Kinds of chart a result object can be drawn as (see :func:`shape_of`).
ChartKind = Literal[
    "histogram", "counts", "curve", "boxes", "label_counts", "matrix", "density", "label_histogram"
]


@dataclass
class Chart:
    """A drawable part of a result: a histogram (``edges`` + count lists), value counts, or (kinds
    ``curve``, ``boxes``, ``label_counts``, ``matrix``, ``density``) each side's object as stored."""

    path: Path
    kind: ChartKind
    current: Any
    reference: Any = None
    edges: list[float] | None = None


@dataclass
class Layout:
    rows: list[Row] = field(default_factory=list)
    tables: list[KeyedTable] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.rows or self.tables or self.charts)


def is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _is_number_list(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in value
    )


def _has_keys(value: Any, required: set[str], optional: set[str]) -> bool:
    return isinstance(value, dict) and required <= value.keys() <= required | optional


def is_histogram(value: Any) -> TypeGuard[dict[str, Any]]:
    """``{edges, current[, reference]}`` with one count per bin."""
    if not _has_keys(value, {"edges", "current"}, {"reference"}) or not _is_number_list(value["edges"]):
        return False
    bins = len(value["edges"]) - 1
    counts = [value["current"], value.get("reference") or value["current"]]
    return bins > 0 and all(_is_number_list(c) and len(c) == bins for c in counts)


def is_value_counts(value: Any) -> TypeGuard[dict[str, Any]]:
    """``{values, counts[, other]}`` with one count per value."""
    if not _has_keys(value, {"values", "counts"}, {"other"}):
        return False
    values, counts = value["values"], value["counts"]
    return isinstance(values, list) and _is_number_list(counts) and len(values) == len(counts)


def _is_number_matrix(value: Any, rows: int, cols: int) -> bool:
    return (
        isinstance(value, list)
        and len(value) == rows
        and all(_is_number_list(row) and len(row) == cols for row in value)
    )


def _is_nullable_number_list(value: Any) -> bool:
    return isinstance(value, list) and all(
        v is None or (isinstance(v, int | float) and not isinstance(v, bool)) for v in value
    )


def is_curve(value: Any) -> bool:
    """Two or more equally long lists of numbers (nulls allowed) and nothing else: ``{fpr, tpr, thrs}``."""
    if not isinstance(value, dict) or len(value) < 2:
        return False
    lists = list(value.values())
    return (
        all(_is_nullable_number_list(v) for v in lists)
        and len({len(v) for v in lists}) == 1
        and len(lists[0]) >= 2
    )


QUARTILE_KEYS = {"mins", "lowers", "means", "uppers", "maxs"}


def box_labels(value: dict[str, Any]) -> list[Any]:
    """The groups of a box plot object (``labels``, or ``values`` in class separation plots)."""
    return value["labels"] if "labels" in value else value["values"]


def is_boxes(value: Any) -> bool:
    """Quartiles per group: ``{labels | values, mins, lowers, means (medians), uppers, maxs}``."""
    if not (
        _has_keys(value, QUARTILE_KEYS | {"labels"}, set())
        or _has_keys(value, QUARTILE_KEYS | {"values"}, set())
    ):
        return False
    groups = box_labels(value)
    return isinstance(groups, list) and all(
        _is_nullable_number_list(value[k]) and len(value[k]) == len(groups) for k in QUARTILE_KEYS
    )


def is_label_histogram(value: Any) -> bool:
    """A score's histogram on the rows of one label and on the others: ``{edges, label, other}``."""
    if not _has_keys(value, {"edges", "label", "other"}, set()) or not _is_number_list(value["edges"]):
        return False
    bins = len(value["edges"]) - 1
    return bins > 0 and all(_is_number_list(value[k]) and len(value[k]) == bins for k in ("label", "other"))


def is_label_counts(value: Any) -> bool:
    """Counts per label of both sides in one object: ``{labels, current[, reference]}``."""
    if not _has_keys(value, {"labels", "current"}, {"reference"}) or not isinstance(value["labels"], list):
        return False
    n = len(value["labels"])
    sides = [value["current"]] + ([value["reference"]] if value.get("reference") is not None else [])
    return all(_is_number_list(side) and len(side) == n for side in sides)


def is_matrix(value: Any) -> bool:
    """A square matrix over labels: ``{labels, values}`` (a confusion matrix)."""
    if not _has_keys(value, {"labels", "values"}, set()) or not isinstance(value["labels"], list):
        return False
    n = len(value["labels"])
    return n > 0 and _is_number_matrix(value["values"], n, n)


def is_bins(value: Any) -> TypeGuard[dict[str, Any]]:
    """One side's histogram: ``{edges, count}``."""
    return (
        _has_keys(value, {"edges", "count"}, set())
        and _is_number_list(value["edges"])
        and _is_number_list(value["count"])
        and len(value["count"]) == len(value["edges"]) - 1 > 0
    )


def is_xy_distribution(value: Any) -> TypeGuard[dict[str, Any]]:
    """One side's distribution as ``{x, y, other}``: bin edges (one more than the counts ``y``) or
    the values counted."""
    if not _has_keys(value, {"x", "y", "other"}, set()) or not isinstance(value["x"], list):
        return False
    return _is_number_list(value["y"]) and len(value["x"]) in (len(value["y"]), len(value["y"]) + 1)


def is_density(value: Any) -> bool:
    """A 2-D histogram on shared edges: ``{edges, counts[i][j]}`` (predicted against actual)."""
    if not _has_keys(value, {"edges", "counts"}, set()) or not _is_number_list(value["edges"]):
        return False
    bins = len(value["edges"]) - 1
    return bins > 0 and _is_number_matrix(value["counts"], bins, bins)


def shape_of(value: Any) -> str | None:
    """The chart kind ``value`` is drawn as, or None (order matters: a box plot is also a curve)."""
    for kind, test in _SHAPES:
        if test(value):
            return kind
    return None


_SHAPES = (
    ("histogram", is_histogram),
    ("counts", is_value_counts),
    ("bins", is_bins),
    ("xy", is_xy_distribution),
    ("density", is_density),
    ("matrix", is_matrix),
    ("label_histogram", is_label_histogram),
    ("boxes", is_boxes),
    ("label_counts", is_label_counts),
    ("curve", is_curve),
)


def _is_chart(value: Any) -> bool:
    return shape_of(value) is not None


def _is_mapping(value: Any) -> bool:
    """A dict that may be keyed by data (columns, labels): all scalar values, or same-shaped records."""
    if not isinstance(value, dict) or not value or _is_chart(value):
        return False
    items = list(value.values())
    if all(is_scalar(v) for v in items):
        return True
    records = len(items) >= 2 and all(isinstance(v, dict) and v.keys() == items[0].keys() for v in items)
    return records and not _partners(value) and not any(_is_chart(v) for v in items)


def _pair_label(key: str) -> str:
    """``current_characteristics`` -> ``characteristics``; ``current`` -> ``""``."""
    return "_".join(part.strip("_") for part in key.split("current") if part.strip("_"))


def _partners(obj: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Each key of a current/reference pair -> (current key, reference key)."""
    pairs: dict[str, tuple[str, str]] = {}
    for key in obj:
        if "current" in key and (partner := key.replace("current", "reference")) in obj:
            pairs[key] = pairs[partner] = (key, partner)
    return pairs


def _keyed_groups(children: dict[str, Any]) -> dict[str, list[str]]:
    """Each child shown in a keyed table -> all members of that table (the first member leads)."""
    by_keys: dict[frozenset[str], list[str]] = {}
    for name, value in children.items():
        if _is_mapping(value):
            by_keys.setdefault(frozenset(value), []).append(name)
    groups: dict[str, list[str]] = {}
    for keys, members in by_keys.items():
        records = any(isinstance(next(iter(children[m].values())), dict) for m in members)
        if len(members) >= 2 or records or len(keys) > MAX_INLINE_KEYS:
            groups.update({m: members for m in members})
    return groups


def _get(obj: Any, key: str) -> Any:
    return obj.get(key) if isinstance(obj, dict) else None


def _chart(path: Path, current: Any, reference: Any, out: Layout) -> None:
    kind = shape_of(current) or shape_of(reference)
    if kind == "xy":  # {x, y, other}: as a histogram (x holds edges) or value counts (x holds values)
        current, reference = (
            _from_xy(side) if is_xy_distribution(side) else None for side in (current, reference)
        )
        kind = "histogram" if is_histogram(current or {}) else "counts"
        if kind == "histogram":
            same = reference is not None and reference["edges"] == current["edges"]
            merged = {**current, "reference": reference["current"]} if same else current
            out.charts.append(
                Chart(path, "histogram", merged["current"], merged.get("reference"), merged["edges"])
            )
            if reference is not None and not same:
                out.charts.append(
                    Chart(path + ("reference",), "histogram", reference["current"], None, reference["edges"])
                )
            return
    if kind == "bins":  # one histogram per side: as {edges, current, reference} when edges agree
        current, reference = (
            {"edges": side["edges"], "current": side["count"]} if is_bins(side) else None
            for side in (current, reference)
        )
        kind = "histogram"
    if kind not in ("histogram", "counts"):
        shaped = [side if shape_of(side) == kind else None for side in (current, reference)]
        out.charts.append(Chart(path, kind, shaped[0], shaped[1]))  # type: ignore[arg-type]  # not bins, xy or None here
        return
    if is_value_counts(current) or is_value_counts(reference):
        counts = [side if is_value_counts(side) else None for side in (current, reference)]
        out.charts.append(Chart(path, "counts", counts[0], counts[1]))
        return
    sides: list[tuple[Any, tuple[str, ...]]] = [(current, ()), (reference, ("reference",))]
    if is_histogram(current) and is_histogram(reference) and current["edges"] == reference["edges"]:
        sides = [({**current, "reference": reference["current"]}, ())]
    for hist, suffix in sides:
        if is_histogram(hist):
            out.charts.append(
                Chart(path + suffix, "histogram", hist["current"], hist.get("reference"), hist["edges"])
            )


def _from_xy(side: dict[str, Any]) -> dict[str, Any]:
    """``{x, y, other}`` as a histogram ``{edges, current}`` or value counts ``{values, counts, other}``."""
    if len(side["x"]) == len(side["y"]) + 1 and _is_number_list(side["x"]):
        return {"edges": side["x"], "current": side["y"]}
    return {"values": side["x"], "counts": side["y"], "other": side.get("other", 0)}


def _walk(current: Any, reference: Any, path: Path, paired: bool, out: Layout) -> None:
    if _is_chart(current) or (paired and current is None and _is_chart(reference)):
        _chart(path, current, reference, out)
    elif isinstance(current, dict) or (paired and current is None and isinstance(reference, dict)):
        _walk_object(current or {}, reference if isinstance(reference, dict) else None, path, paired, out)
    elif isinstance(current, list) and current and all(isinstance(item, dict) for item in current):
        items = {str(i): item for i, item in enumerate(current)}
        ref_items = (
            {str(i): item for i, item in enumerate(reference)} if isinstance(reference, list) else None
        )
        _keyed_table(path, {"": items}, {"": ref_items} if ref_items else None, [""], paired, out)
    else:
        out.rows.append(Row(path, current, reference if paired else NO_SIDE))


def _walk_object(
    current: dict[str, Any], reference: dict[str, Any] | None, path: Path, paired: bool, out: Layout
) -> None:
    keys = list(current) + [k for k in (reference or {}) if k not in current]
    merged = {k: current.get(k, _get(reference, k)) for k in keys}
    pairs = _partners(merged)
    groups = _keyed_groups({k: v for k, v in merged.items() if k not in pairs})
    done: set[str] = set()
    if any(_is_chart(v) for v in merged.values()):  # plot data: absent charts are not values
        done.update(k for k in keys if current.get(k) is None and _get(reference, k) is None)
    for key in keys:
        if key in done:
            continue
        if key in pairs:
            cur_key, ref_key = pairs[key]
            done.update(pairs[key])
            label = _pair_label(cur_key)
            _walk(merged.get(cur_key), merged.get(ref_key), path + (label,) if label else path, True, out)
        elif key in groups:
            members = groups[key]
            done.update(members)
            ref_members = {m: _get(reference, m) for m in members} if paired else None
            _keyed_table(path, {m: current.get(m) or {} for m in members}, ref_members, members, paired, out)
        else:
            done.add(key)
            _walk(current.get(key), _get(reference, key), path + (key,), paired, out)


def _keyed_table(
    path: Path,
    members: dict[str, Any],
    ref_members: dict[str, Any] | None,
    names: list[str],
    paired: bool,
    out: Layout,
) -> None:
    """One table for mappings sharing their keys; charts found inside go to ``out`` under their key."""
    keys: list[str] = []
    for mapping in [*members.values(), *(ref_members or {}).values()]:
        keys.extend(k for k in (mapping or {}) if k not in keys)
    table = KeyedTable(path + (names[0],) if len(names) == 1 and names[0] else path, keys, [], {})
    for key in keys:
        for name in names:
            base: Path = (name,) if len(names) > 1 else ()
            inner = Layout()
            _walk(_get(members[name], key), _get((ref_members or {}).get(name), key), base, paired, inner)
            for row in inner.rows:
                if row.path not in table.columns:
                    table.columns.append(row.path)
                table.cells[(key, row.path)] = row
            prefix = path + ((name,) if name else ()) + (key,)
            out.charts.extend(
                Chart(prefix + c.path[len(base) :], c.kind, c.current, c.reference, c.edges)
                for c in inner.charts
            )
            out.tables.extend(
                KeyedTable(prefix + t.path[len(base) :], t.keys, t.columns, t.cells) for t in inner.tables
            )
    table.columns = [c for c in table.columns if not _redundant(table, c)]
    out.tables.append(table)


def _redundant(table: KeyedTable, column: Path) -> bool:
    """A column with no value in any row, or repeating the key (``column_name`` in per-column results)."""
    cells = [(key, table.cells.get((key, column))) for key in table.keys]
    values = [
        (key, v)
        for key, row in cells
        if row
        for v in (row.current, row.reference)
        if v is not None and v is not NO_SIDE
    ]
    return all(str(v) == key for key, v in values)


def decompose(result: dict[str, Any]) -> Layout:
    """Rows, keyed tables and charts of a result dict (see the module docstring)."""
    out = Layout()
    _walk(result, None, (), False, out)
    return out
