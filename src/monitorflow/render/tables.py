"""HTML tables of decomposed results (field rows; keyed tables) and number tiles.

Every value goes through :func:`fmt_value` (rounded for display, escaped); every label through
:func:`esc`.
"""

from __future__ import annotations

from typing import Any

from monitorflow.render.charts import spark_svg
from monitorflow.render.format import esc, fmt_value, humanize
from monitorflow.render.layout import KeyedTable, Path, Row


def path_label(path: Path) -> str:
    """A field path for display (unescaped): ``current_characteristics.missing`` -> ``… › missing``."""
    return " › ".join(humanize(part) for part in path)


def _has_reference(rows: list[Row]) -> bool:
    return any(r.paired and r.reference is not None for r in rows)


#: Lists of numbers longer than this are drawn (a sparkline), never printed as text.
MAX_TEXT_NUMBERS = 4
#: Rows of a list of lists shown as a table (the rest are counted).
MAX_NESTED_ROWS = 40


def _is_number(value: Any) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))


def cell_html(value: Any) -> str:
    """A value for a table cell: long number lists as a sparkline, lists of lists as a folded table."""
    if isinstance(value, list) and value and all(isinstance(row, list) for row in value):
        head = f"{len(value)} rows × {max(len(r) for r in value)}"
        rows = "".join(
            "<tr>" + "".join(f'<td class="num">{fmt_value(v)}</td>' for v in row) + "</tr>"
            for row in value[:MAX_NESTED_ROWS]
        )
        more = (
            f'<p class="muted">… {len(value) - MAX_NESTED_ROWS} more rows</p>'
            if len(value) > MAX_NESTED_ROWS
            else ""
        )
        return (
            f'<details><summary>{head}</summary><table class="keyed"><tbody>{rows}</tbody>'
            f"</table>{more}</details>"
        )
    if isinstance(value, list) and len(value) > MAX_TEXT_NUMBERS and all(_is_number(v) for v in value):
        return spark_svg(value)
    return fmt_value(value)


def _cell(value: Any, span: int = 1) -> str:
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    attrs = (' class="num"' if numeric else "") + (f' colspan="{span}"' if span > 1 else "")
    return f"<td{attrs}>{cell_html(value)}</td>"


def _sides(row: Row | None, with_reference: bool) -> str:
    """The current (and reference) cells of a row; an unpaired value spans both."""
    if row is None:
        return _cell(None) + (_cell(None) if with_reference else "")
    if not row.paired:
        return _cell(row.current, 2 if with_reference else 1)
    return _cell(row.current) + (_cell(row.reference) if with_reference else "")


def rows_table(rows: list[Row]) -> str:
    """Field | current | reference (the reference column only when some reference value exists)."""
    with_reference = _has_reference(rows)
    value_header = "current" if any(r.paired for r in rows) else "value"
    header = f"<tr><th>field</th><th>{value_header}</th>{'<th>reference</th>' if with_reference else ''}</tr>"
    body = "".join(
        f'<tr><th scope="row" title="{esc(".".join(r.path))}">{esc(path_label(r.path)) or "value"}</th>'
        f"{_sides(r, with_reference)}</tr>"
        for r in rows
    )
    return f'<table class="fields"><thead>{header}</thead><tbody>{body}</tbody></table>'


def keyed_table(table: KeyedTable, key_label: str = "key") -> str:
    """One row per key; columns split into current | reference where a reference exists."""
    split = {
        column: _has_reference([r for (_, c), r in table.cells.items() if c == column])
        for column in table.columns
    }
    two_rows = any(split.values())
    rowspan = ' rowspan="2"' if two_rows else ""
    top = [f"<th{rowspan}>{esc(key_label)}</th>"]
    sub = []
    for column in table.columns:
        title = esc(path_label(column)) or "value"
        if split[column]:
            top.append(f'<th colspan="2">{title}</th>')
            sub.append("<th>current</th><th>reference</th>")
        else:
            top.append(f"<th{rowspan}>{title}</th>")
    header = f"<tr>{''.join(top)}</tr>" + (f"<tr>{''.join(sub)}</tr>" if two_rows else "")
    body = "".join(
        f'<tr><th scope="row">{esc(key)}</th>'
        + "".join(_sides(table.cells.get((key, column)), split[column]) for column in table.columns)
        + "</tr>"
        for key in table.keys
    )
    return f'<table class="keyed"><thead>{header}</thead><tbody>{body}</tbody></table>'


def tiles(items: list[tuple[str, Any, Any]]) -> str:
    """Big numbers from (label, current, reference); a reference of None gets no "reference" line."""
    out = []
    for label, current, reference in items:
        ref = f'<div class="tile-ref">reference {fmt_value(reference)}</div>' if reference is not None else ""
        out.append(
            f'<div class="tile"><div class="tile-value">{fmt_value(current)}</div>'
            f'<div class="tile-label">{esc(label)}</div>{ref}</div>'
        )
    return f'<div class="tiles">{"".join(out)}</div>'
