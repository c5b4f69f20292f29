"""Bodies of the plot metrics (TargetByFeaturesTable, ColumnValuePlot, ColumnInteractionPlot).

Drawn from the stored aggregates as inline SVG: 2-D counts as heat maps (one per dataset, cell shade
= share of the dataset's rows, count in the tooltip), per-bin means as lines (reference and current on
one x axis). Every label goes through :func:`esc`.

>>> heatmap_svg([[1, 0], [0, 3]], ["a", "b"], ["x", "y"], "cur").startswith("<svg")
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from monitorflow.render.charts import svg, text
from monitorflow.render.format import esc, fmt_number, fmt_text, fmt_value
from monitorflow.render.layout import Row
from monitorflow.render.tables import rows_table

WIDTH = 420
LEFT, RIGHT, TOP = 96, WIDTH - 8, 8
CELL_MIN, CELL_MAX = 4, 22
LINE_HEIGHT, LINE_TOP, LINE_BOTTOM = 170, 10, 146
MAX_LABEL_CHARS = 14
#: At most about this many tick labels per heat map axis (every n-th bucket is labelled).
MAX_AXIS_LABELS = 12
SIDE_NAMES = {"cur": "current", "ref": "reference"}
COLOURS = {"cur": "var(--cur)", "ref": "var(--ref)"}


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def _text(x: float, y: float, value: str, anchor: str = "start", rotate: bool = False) -> str:
    return text(x, y, value, anchor, rotate=-60 if rotate else 0)


def bucket_labels(
    edges: Sequence[float] | None, categories: Sequence[Any] | None, missing: bool = True
) -> list[str]:
    """Display labels of buckets: ``[a, b)`` bins (then "(missing)"), or categories, "(other)",
    "(missing)"."""
    if edges is not None:
        labels = [f"[{fmt_number(a)}, {fmt_number(b)})" for a, b in zip(edges[:-1], edges[1:], strict=True)]
        if labels:
            labels[-1] = labels[-1][:-1] + "]"
        return labels + (["(missing)"] if missing else [])
    return [fmt_text(c) if not isinstance(c, str) else c for c in categories or []] + ["(other)", "(missing)"]


def heatmap_svg(
    counts: Sequence[Sequence[int]], row_labels: Sequence[str], col_labels: Sequence[str], css: str
) -> str:
    """Cells ``counts[row][col]`` shaded by their share of all counted pairs; rows on the y axis."""
    total = sum(sum(r) for r in counts) or 1
    top = max((c for r in counts for c in r), default=0) or 1
    n_rows, n_cols = len(counts), len(col_labels)
    cell_w = max(CELL_MIN, min(CELL_MAX, (RIGHT - LEFT) / max(n_cols, 1)))
    cell_h = max(CELL_MIN, min(CELL_MAX, 260 / max(n_rows, 1)))
    row_every, col_every = math.ceil(n_rows / MAX_AXIS_LABELS), math.ceil(n_cols / MAX_AXIS_LABELS)
    parts = []
    for i, row in enumerate(counts):
        y = TOP + i * cell_h
        if i % row_every == 0 or i == n_rows - 1:
            parts.append(_text(LEFT - 4, y + cell_h / 2 + 4, _short(row_labels[i]), "end"))
        for j, count in enumerate(row):
            if not count:
                continue
            tip = (
                f"{row_labels[i]} × {col_labels[j]}\n{SIDE_NAMES[css]}: {count:,} "
                f"({100 * count / total:.1f}%)"
            )
            parts.append(
                f"<g><title>{esc(tip)}</title>"
                f'<rect class="{css}" x="{LEFT + j * cell_w:.1f}" y="{y:.1f}" width="{cell_w - 0.5:.1f}" '
                f'height="{cell_h - 0.5:.1f}" fill-opacity="{0.12 + 0.88 * count / top:.2f}"/></g>'
            )
    bottom = TOP + n_rows * cell_h
    parts += [
        _text(LEFT + (j + 0.5) * cell_w, bottom + 10, _short(label), "end", rotate=True)
        for j, label in enumerate(col_labels)
        if j % col_every == 0 or j == n_cols - 1
    ]
    axes = (
        f'<line class="axis" x1="{LEFT}" y1="{bottom:.1f}" x2="{LEFT + n_cols * cell_w:.1f}" '
        f'y2="{bottom:.1f}"/>'
        f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom:.1f}"/>'
    )
    return svg(WIDTH, bottom + 80, "".join(parts) + axes, "heat map")


def xy_heatmap_svg(
    counts: Sequence[Sequence[int]], x_labels: Sequence[str], y_labels: Sequence[str], css: str
) -> str:
    """``counts[x][y]`` drawn with x along the bottom and y upwards (the first y bucket at the bottom)."""
    columns = list(zip(*counts, strict=True)) if counts else []
    return heatmap_svg([list(r) for r in reversed(columns)], list(reversed(y_labels)), x_labels, css)


def lines_svg(x_labels: Sequence[str], sides: Mapping[str, Sequence[float | None]]) -> str:
    """One line per side (``cur``/``ref``) of values over the shared ``x_labels`` (None: no point)."""
    values = [v for line in sides.values() for v in line if v is not None and math.isfinite(v)]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if not high - low > 0 or not math.isfinite(high - low):  # one value, or a range floats cannot hold
        low, high = (low, low + 1.0) if high - low == 0 else (-1.0, 1.0)
    if high - low == 0:  # |low| so large that low + 1 == low
        low, high = low * (1 - 1e-9) - 1e-9, high * (1 + 1e-9) + 1e-9
    n = max(len(x_labels), 2)
    step = (RIGHT - LEFT) / (n - 1)

    def y_of(v: float) -> float:
        return LINE_BOTTOM - (v - low) / (high - low) * (LINE_BOTTOM - LINE_TOP)

    parts = []
    for css, line in sides.items():
        points = [
            (LEFT + i * step, y_of(v)) for i, v in enumerate(line) if v is not None and math.isfinite(v)
        ]
        if points:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" style="fill:none;stroke:{COLOURS[css]};stroke-width:1.5"/>'
            )
    axes = (
        f'<line class="axis" x1="{LEFT}" y1="{LINE_BOTTOM}" x2="{RIGHT}" y2="{LINE_BOTTOM}"/>'
        + _text(LEFT - 4, LINE_TOP + 8, fmt_number(high), "end")
        + _text(LEFT - 4, LINE_BOTTOM, fmt_number(low), "end")
    )
    if x_labels:
        axes += _text(LEFT, LINE_BOTTOM + 16, _short(x_labels[0])) + _text(
            RIGHT, LINE_BOTTOM + 16, _short(x_labels[-1]), "end"
        )
    return svg(WIDTH, LINE_HEIGHT, "".join(parts) + axes, "line chart")


def _figure(caption: str, svg: str, sides: Sequence[str] = ("ref", "cur")) -> str:
    legend = "".join(f'<span class="key {css}"></span>{SIDE_NAMES[css]} ' for css in sides)
    return (
        f'<figure><figcaption>{esc(caption)}<span class="legend">{legend}</span></figcaption>{svg}</figure>'
    )


def _merged_lines(
    current: dict[str, Any], reference: dict[str, Any] | None, key: str
) -> tuple[list[str], dict[str, list]]:
    """Lines of ``key`` over the union of both sides' ``x`` labels (periods), in order."""
    xs = sorted(set(current.get("x") or []) | set((reference or {}).get("x") or []))
    out: dict[str, list] = {}
    for css, side in (("ref", reference), ("cur", current)):
        if side is None:
            continue
        by_x = dict(zip(side.get("x") or [], side[key], strict=True))
        out[css] = [by_x.get(x) for x in xs]
    return xs, out


def _body(figures: list[str], rows: list[Row]) -> str:
    table = rows_table(rows) if rows else ""
    return (
        f'<div class="metric-body"><div class="tables">{table}</div>'
        f'<div class="charts">{"".join(figures)}</div></div>'
    )


def column_value_plot_body(entry: Any, snapshot: Any) -> str:
    """ColumnValuePlot: the mean per period (or index bin) of reference and current."""
    result = entry.result or {}
    current, reference = result.get("current") or {}, result.get("reference") or {}
    if result.get("x_axis") == "datetime":
        xs, lines = _merged_lines(current, reference, "mean")
        axis = f"{result.get('datetime_column_name') or 'index'} ({result.get('prefix')})"
    else:
        edges = result.get("index_edges") or []
        xs = [fmt_number(e) for e in edges[:-1]]
        lines = {"ref": reference.get("mean", []), "cur": current.get("mean", [])}
        axis = "index (binned)"
    caption = f"{fmt_text(result.get('column_name'))}: mean by {axis}"
    rows = [
        Row(("column",), result.get("column_name")),
        Row(("x axis",), axis),
        Row(("reference mean",), result.get("reference_mean")),
        Row(("reference std",), result.get("reference_std")),
        Row(("rows left out",), current.get("dropped_rows"), reference.get("dropped_rows")),
    ]
    return _body([_figure(caption, lines_svg(xs, lines))], rows)


def _heatmaps(caption: str, current: Any, reference: Any, rows: list[str], cols: list[str]) -> list[str]:
    """Heat maps of ``counts[row bucket][col bucket]`` per dataset, rows along x."""
    figures = []
    for css, side in (("ref", reference), ("cur", current)):
        if side is not None and side.get("counts") is not None:
            figures.append(
                _figure(
                    f"{caption} · {SIDE_NAMES[css]}", xy_heatmap_svg(side["counts"], rows, cols, css), (css,)
                )
            )
    return figures


def _boxes_table(categories: list[str], current: Any, reference: Any) -> str:
    header = (
        "<tr><th>category</th><th>dataset</th><th>rows</th><th>min</th><th>25%</th><th>median</th>"
        "<th>75%</th><th>max</th></tr>"
    )
    body = []
    for i, label in enumerate(categories):
        for name, side in (("current", current), ("reference", reference)):
            boxes = (side or {}).get("boxes")
            if not boxes or not boxes["count"][i]:
                continue
            cells = "".join(
                f'<td class="num">{fmt_value(boxes[k][i])}</td>'
                for k in ("count", "mins", "lowers", "means", "uppers", "maxs")
            )
            body.append(f'<tr><th scope="row">{esc(label)}</th><td>{name}</td>{cells}</tr>')
    return (
        f'<div class="scroll"><table class="keyed"><thead>{header}</thead><tbody>{"".join(body)}'
        "</tbody></table></div>"
    )


def column_interaction_plot_body(entry: Any, snapshot: Any) -> str:
    """ColumnInteractionPlot: heat maps of pair counts, quartiles per category, or means per period."""
    result = entry.result or {}
    current, reference = result.get("current") or {}, result.get("reference")
    x, y, kind = fmt_text(result.get("x_column")), fmt_text(result.get("y_column")), result.get("kind")
    caption = f"{x} × {y}"
    x_labels = bucket_labels(result.get("x_edges"), result.get("x_categories"), missing=False)
    y_labels = bucket_labels(result.get("y_edges"), result.get("y_categories"), missing=False)
    rows = [
        Row(("x",), f"{x} ({result.get('x_type')})"),
        Row(("y",), f"{y} ({result.get('y_type')})"),
        Row(("rows left out",), current.get("dropped_rows"), (reference or {}).get("dropped_rows")),
    ]
    if kind in ("num_num", "cat_cat"):
        if kind == "cat_cat":
            x_labels = bucket_labels(None, result.get("x_categories"))
            y_labels = bucket_labels(None, result.get("y_categories"))
        return _body(_heatmaps(caption, current, reference, x_labels, y_labels), rows)
    if kind == "cat_num":
        categories = bucket_labels(None, result.get("x_categories") or result.get("y_categories"))
        return _body([], rows) + _boxes_table(categories, current, reference)
    sides = {"cur": current, "ref": reference}
    xs = sorted(set(current.get("periods") or []) | set((reference or {}).get("periods") or []))
    if kind == "datetime_num":
        lines = {}
        for css, side in sides.items():
            if side is not None:
                by = dict(zip(side["periods"], side["mean"], strict=True))
                lines[css] = [by.get(p) for p in xs]
        prefix = result.get("prefix")
        return _body(
            [
                _figure(
                    f"{caption}: mean by {prefix}", lines_svg(xs, dict(sorted(lines.items(), reverse=True)))
                )
            ],
            rows,
        )
    categories = bucket_labels(None, result.get("x_categories") or result.get("y_categories"))
    figures = []
    for css, side in (("ref", reference), ("cur", current)):
        if side is not None:
            figures.append(
                _figure(
                    f"{caption} · {SIDE_NAMES[css]}",
                    xy_heatmap_svg(side["counts"], side["periods"], categories, css),
                    (css,),
                )
            )
    return _body(figures, rows)


def target_by_features_body(entry: Any, snapshot: Any) -> str:
    """TargetByFeaturesTable: per feature, folded, heat maps of feature bucket × target / prediction."""
    result = entry.result or {}
    current, reference = result.get("current") or {}, result.get("reference") or {}
    task = result.get("task")
    if task == "regression":
        value_labels = bucket_labels(result.get("value_edges"), None, missing=False)
    else:
        value_labels = [fmt_text(v) if not isinstance(v, str) else v for v in result.get("labels") or []] + [
            "(other)"
        ]
    roles = [
        (r, result.get(f"{r}_name")) for r in ("target", "prediction") if result.get(f"{r}_name") is not None
    ]
    sections = []
    for key in result.get("columns") or []:
        cur, ref = current.get(key) or {}, reference.get(key)
        buckets = bucket_labels(cur.get("edges"), cur.get("categories"))
        figures = []
        for role, name in roles:
            if cur.get(role) is None:
                continue
            label = f"{role} ({fmt_text(name)}) by {key}"
            figures += _heatmaps(label, cur.get(role), (ref or {}).get(role), buckets, value_labels)
            if task == "regression":
                means = {
                    "ref": ((ref or {}).get(role) or {}).get("mean") or [],
                    "cur": cur[role].get("mean") or [],
                }
                figures.append(_figure(f"mean {label}", lines_svg(buckets, means)))
        sections.append(
            f'<details class="feature"><summary>{esc(key)}</summary>'
            f'<div style="display:flex;flex-wrap:wrap;gap:0 16px">{"".join(figures)}</div></details>'
        )
    rows = [
        Row(("task",), task),
        Row(("target",), result.get("target_name")),
        Row(("prediction",), result.get("prediction_name")),
        Row(("features",), len(result.get("columns") or [])),
    ]
    return _body([], rows) + "".join(sections)


#: Registered in :data:`monitorflow.render.metrics.RENDERERS`.
PLOT_RENDERERS = {
    "ColumnInteractionPlot": column_interaction_plot_body,
    "ColumnValuePlot": column_value_plot_body,
    "TargetByFeaturesTable": target_by_features_body,
}
