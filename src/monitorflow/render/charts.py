"""Inline SVG drawings on numeric axes: curves, matrices, box plots, grouped bars, 2-D densities.

Every drawing has a fixed width and a height bounded by its input's labels (capped), draws at most
:data:`MAX_POINTS` points a line, and escapes every label. Colours come from the page's CSS
(``cur``/``ref`` for current and reference, ``s0``..``s5`` for several series).

>>> xy_svg([Series("current", [0, 0.5, 1], [0, 0.8, 1])], x_label="fpr", y_label="tpr").startswith("<svg")
True
>>> nice_ticks(0, 1)
[0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from typing_extensions import TypeIs

from monitorflow.render.format import esc, fmt_number

WIDTH, HEIGHT = 420, 250
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 10, 40
#: Points drawn per line at most (curves are thinned evenly, keeping both ends).
MAX_POINTS = 300
#: Labels of a matrix or bar chart drawn at most (the rest are named in a note).
MAX_LABELS = 30
MAX_LABEL_CHARS = 14
#: Category labels written along an axis at most (every n-th is labelled).
MAX_AXIS_LABELS = 8
PALETTE = ("s0", "s1", "s2", "s3", "s4", "s5")


@dataclass
class Series:
    """One line (or, with ``markers``, points): legend label, x and y values (None/NaN skipped), CSS class."""

    label: str
    xs: Sequence[float | None]
    ys: Sequence[float | None]
    css: str = "cur"
    dashed: bool = False
    markers: bool = False


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def svg(width: float, height: float, body: str, label: str) -> str:
    return (
        f'<svg class="chart" width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} '
        f'{height:.0f}" '
        f'role="img" aria-label="{esc(label)}">{body}</svg>'
    )


def text(x: float, y: float, value: str, anchor: str = "start", css: str = "", rotate: float = 0) -> str:
    attrs = f' class="{css}"' if css else ""
    if rotate:
        attrs += f' transform="rotate({rotate:.0f} {x:.1f} {y:.1f})"'
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{attrs}>{esc(value)}</text>'


def _finite(value: object) -> TypeIs[float]:
    """Whether ``value`` is a finite number (not a bool): the values drawn."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering ``[low, high]`` (about ``count`` of them)."""
    if not high > low:
        return [low]
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
    return [round(k * step, 12) for k in range(first, last + 1)]


def _extent(values: list[float], fixed: tuple[float, float] | None) -> tuple[float, float]:
    if fixed is not None:
        return fixed
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if not high - low > 0 or not math.isfinite(high - low):
        return (low - 0.5, low + 0.5) if math.isfinite(low) else (0.0, 1.0)
    pad = (high - low) * 0.04
    return low - pad, high + pad


def thin(points: list[tuple[float, float]], limit: int = MAX_POINTS) -> list[tuple[float, float]]:
    """At most ``limit`` points, evenly spaced by index, the first and last kept."""
    if len(points) <= limit:
        return points
    step = (len(points) - 1) / (limit - 1)
    return [points[round(i * step)] for i in range(limit)]


@dataclass
class Frame:
    """A plotting area: data ranges mapped onto pixels, with axes, ticks and titles."""

    x_range: tuple[float, float]
    y_range: tuple[float, float]
    width: float = WIDTH
    height: float = HEIGHT
    left: float = LEFT

    def x(self, value: float) -> float:
        lo, hi = self.x_range
        return self.left + (value - lo) / (hi - lo) * (self.width - self.left - RIGHT)

    def y(self, value: float) -> float:
        lo, hi = self.y_range
        return self.height - BOTTOM - (value - lo) / (hi - lo) * (self.height - TOP - BOTTOM)

    def axes(
        self,
        x_label: str,
        y_label: str,
        integer_y: bool = False,
        x_ticks: Sequence[tuple[float, str]] | None = None,
    ) -> str:
        bottom, right = self.height - BOTTOM, self.width - RIGHT
        parts = [
            f'<line class="axis" x1="{self.left}" y1="{bottom}" x2="{right}" y2="{bottom}"/>',
            f'<line class="axis" x1="{self.left}" y1="{TOP}" x2="{self.left}" y2="{bottom}"/>',
        ]
        labelled = x_ticks if x_ticks is not None else [(t, fmt_number(t)) for t in nice_ticks(*self.x_range)]
        for tick, label in labelled:
            x = self.x(tick)
            parts.append(f'<line class="tick" x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 4}"/>')
            parts.append(text(x, bottom + 15, label, "middle"))
        for tick in nice_ticks(*self.y_range):
            if integer_y and tick != int(tick):
                continue
            y = self.y(tick)
            parts.append(f'<line class="grid" x1="{self.left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}"/>')
            parts.append(text(self.left - 5, y + 4, fmt_number(tick), "end"))
        parts.append(text((self.left + right) / 2, self.height - 6, x_label, "middle", "title"))
        parts.append(text(12, (TOP + bottom) / 2, y_label, "middle", "title", rotate=-90))
        return "".join(parts)


def xy_svg(
    series: Sequence[Series],
    *,
    x_label: str,
    y_label: str,
    x_range: tuple[float, float] | None = None,
    y_range: tuple[float, float] | None = None,
    diagonal: bool = False,
    markers: bool = False,
    x_ticks: Sequence[tuple[float, str]] | None = None,
) -> str:
    """Lines (or markers) of ``series`` on numeric axes; ``diagonal`` adds the y = x reference line;
    ``x_ticks`` (position, label) replace the numbers along x (periods, bins)."""
    points = [
        [(float(x), float(y)) for x, y in zip(s.xs, s.ys, strict=False) if _finite(x) and _finite(y)]
        for s in series
    ]
    frame = Frame(
        _extent([p[0] for line in points for p in line], x_range),
        _extent([p[1] for line in points for p in line], y_range),
    )
    parts = [frame.axes(x_label, y_label, x_ticks=x_ticks)]
    if diagonal:
        lo = max(frame.x_range[0], frame.y_range[0])
        hi = min(frame.x_range[1], frame.y_range[1])
        parts.append(
            f'<line class="diagonal" x1="{frame.x(lo):.1f}" y1="{frame.y(lo):.1f}" '
            f'x2="{frame.x(hi):.1f}" y2="{frame.y(hi):.1f}"/>'
        )
    for s, line in zip(series, points, strict=True):
        line = thin(line)
        if not line:
            continue
        title = f"<title>{esc(s.label)}</title>"
        if markers or s.markers:
            dots = "".join(f'<circle cx="{frame.x(x):.1f}" cy="{frame.y(y):.1f}" r="2.5"/>' for x, y in line)
            parts.append(f'<g class="dots {s.css}">{title}{dots}</g>')
        else:
            path = " ".join(f"{frame.x(x):.1f},{frame.y(y):.1f}" for x, y in line)
            dash = " dashed" if s.dashed else ""
            parts.append(f'<polyline class="line {s.css}{dash}" points="{path}">{title}</polyline>')
    return svg(frame.width, frame.height, "".join(parts), f"{y_label} by {x_label}")


def matrix_svg(
    values: Sequence[Sequence[float]],
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    *,
    row_title: str = "actual",
    col_title: str = "predicted",
    css: str = "cur",
) -> str:
    """A labelled grid of counts, each cell shaded by its share of its row (a confusion matrix: the
    diagonal shade is each class's recall); counts are written in cells large enough to hold them."""
    n_rows, n_cols = min(len(row_labels), MAX_LABELS), min(len(col_labels), MAX_LABELS)
    label_w, top = 92, 30
    cell = max(10.0, min(56.0, (WIDTH - label_w - 8) / max(n_cols, 1), 300 / max(n_rows, 1)))
    parts = [text(label_w + cell * n_cols / 2, 12, col_title, "middle", "title")]
    parts += [
        text(label_w + (j + 0.5) * cell, top - 4, _short(str(col_labels[j])), "middle") for j in range(n_cols)
    ]
    for i in range(n_rows):
        row = [v if _finite(v) else 0 for v in values[i][:n_cols]]
        total = sum(values[i]) if all(_finite(v) for v in values[i]) else sum(row)
        y = top + i * cell
        parts.append(text(label_w - 6, y + cell / 2 + 4, _short(str(row_labels[i])), "end"))
        for j, count in enumerate(row):
            share = count / total if total else 0.0
            tip = (
                f"{row_title} {row_labels[i]}, {col_title} {col_labels[j]}: {fmt_number(count)}"
                f" ({share:.1%} of {row_title} {row_labels[i]})"
            )
            parts.append(
                f'<g class="cell"><title>{esc(tip)}</title><rect class="{css}" x="{label_w + j * cell:.1f}" '
                f'y="{y:.1f}" width="{cell - 1:.1f}" height="{cell - 1:.1f}" '
                f'fill-opacity="{0.06 + 0.9 * share:.2f}"/>'
            )
            if cell >= 26:
                ink = "on-dark" if share > 0.55 else ""
                parts.append(
                    text(label_w + (j + 0.5) * cell, y + cell / 2 + 4, fmt_number(count), "middle", ink)
                )
            parts.append("</g>")
    parts.append(text(14, top + n_rows * cell / 2, row_title, "middle", "title", rotate=-90))
    height = top + n_rows * cell + 8
    return svg(WIDTH, height, "".join(parts), f"{row_title} by {col_title} matrix")


@dataclass
class Box:
    """Quartiles of one group: min, lower quartile, median, upper quartile, max."""

    low: float
    q1: float
    median: float
    q3: float
    high: float


def boxes_svg(
    labels: Sequence[str],
    sides: dict[str, Sequence[Box | None]],
    *,
    x_label: str,
    x_range: tuple[float, float] | None = None,
) -> str:
    """Horizontal box plots, one row per label with one box per side (``ref`` above ``cur``)."""
    labels = list(labels)[:MAX_LABELS]
    row, left = 34, 96
    every = [v for boxes in sides.values() for b in boxes if b for v in (b.low, b.high) if _finite(v)]
    lo, hi = _extent(every, x_range)
    height = TOP + row * len(labels) + BOTTOM
    frame = Frame((lo, hi), (0.0, 1.0), height=height, left=left)
    inner = (row - 6) / max(len(sides), 1)
    parts = [
        f'<line class="axis" x1="{left}" y1="{height - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{height - BOTTOM}"/>'
    ]
    for tick in nice_ticks(lo, hi):
        parts.append(text(frame.x(tick), height - BOTTOM + 15, fmt_number(tick), "middle"))
    parts.append(text((left + WIDTH - RIGHT) / 2, height - 6, x_label, "middle", "title"))
    for i, label in enumerate(labels):
        y0 = TOP + i * row + 3
        parts.append(text(left - 6, y0 + row / 2, _short(str(label)), "end"))
        for k, (css, boxes) in enumerate(sides.items()):
            box = boxes[i] if i < len(boxes) else None
            if box is None or not all(_finite(v) for v in (box.low, box.q1, box.median, box.q3, box.high)):
                continue
            y, mid = y0 + k * inner, y0 + k * inner + inner / 2
            tip = (
                f"{label}: min {fmt_number(box.low)}, 25% {fmt_number(box.q1)}, median "
                f"{fmt_number(box.median)}, 75% {fmt_number(box.q3)}, max {fmt_number(box.high)}"
            )
            parts.append(
                f'<g class="box {css}"><title>{esc(tip)}</title>'
                f'<line x1="{frame.x(box.low):.1f}" y1="{mid:.1f}" x2="{frame.x(box.high):.1f}" '
                f'y2="{mid:.1f}"/>'
                f'<rect class="{css}" x="{frame.x(box.q1):.1f}" y="{y + 1:.1f}" '
                f'width="{max(frame.x(box.q3) - frame.x(box.q1), 1):.1f}" height="{inner - 2:.1f}"/>'
                f'<line class="median" x1="{frame.x(box.median):.1f}" y1="{y:.1f}" '
                f'x2="{frame.x(box.median):.1f}" '
                f'y2="{y + inner:.1f}"/></g>'
            )
    return svg(WIDTH, height, "".join(parts), f"box plots of {x_label}")


def bars_svg(
    categories: Sequence[str],
    groups: Mapping[str, Sequence[float | None]],
    *,
    y_label: str,
    y_range: tuple[float, float] | None = None,
    marks: Mapping[str, Sequence[float | None]] | None = None,
) -> str:
    """Vertical bars grouped by category, one colour per group; ``marks`` (same groups) are drawn
    as a short line across each bar (e.g. the reference value)."""
    categories = list(categories)[:MAX_LABELS]
    values = [v for vs in groups.values() for v in vs if _finite(v)]
    values += [v for vs in (marks or {}).values() for v in vs if _finite(v)]
    lo, hi = y_range or (min(0.0, *values) if values else 0.0, (max(values) if values else 1.0) or 1.0)
    frame = Frame((0.0, float(len(categories))), (lo, hi))
    bottom = frame.height - BOTTOM
    slot = (frame.width - LEFT - RIGHT) / max(len(categories), 1)
    bar = (slot - 6) / max(len(groups), 1)
    parts = []
    for tick in nice_ticks(lo, hi):
        y = frame.y(tick)
        parts.append(f'<line class="grid" x1="{LEFT}" y1="{y:.1f}" x2="{frame.width - RIGHT}" y2="{y:.1f}"/>')
        parts.append(text(LEFT - 5, y + 4, fmt_number(tick), "end"))
    parts.append(f'<line class="axis" x1="{LEFT}" y1="{bottom}" x2="{frame.width - RIGHT}" y2="{bottom}"/>')
    every = math.ceil(len(categories) / MAX_AXIS_LABELS) or 1
    for i, category in enumerate(categories):
        x0 = LEFT + i * slot + 3
        if i % every == 0:
            parts.append(text(x0 + slot / 2 - 3, bottom + 15, _short(str(category)), "middle"))
        for k, (name, vs) in enumerate(groups.items()):
            value = vs[i] if i < len(vs) else None
            if not _finite(value):
                continue
            css = PALETTE[k % len(PALETTE)]
            x, top = x0 + k * bar, frame.y(max(value, lo))
            tip = f"{category} · {name}: {fmt_number(value)}"
            mark = (marks or {}).get(name)
            at = mark[i] if mark is not None and i < len(mark) else None
            extra = ""
            if _finite(at):
                tip += f" (reference {fmt_number(at)})"
                extra = (
                    f'<line class="mark" x1="{x:.1f}" y1="{frame.y(at):.1f}" x2="{x + bar - 1:.1f}" '
                    f'y2="{frame.y(at):.1f}"/>'
                )
            parts.append(
                f'<g><title>{esc(tip)}</title><rect class="{css}" x="{x:.1f}" y="{top:.1f}" '
                f'width="{bar - 1:.1f}" height="{max(bottom - top, 0):.1f}"/>{extra}</g>'
            )
    parts.append(text(12, (TOP + bottom) / 2, y_label, "middle", "title", rotate=-90))
    return svg(frame.width, frame.height, "".join(parts), f"{y_label} by category")


def density_svg(
    counts: Sequence[Sequence[float]], edges: Sequence[float], *, x_label: str, y_label: str, css: str = "cur"
) -> str:
    """A 2-D histogram on one square numeric scale (``counts[i][j]``: x in bin ``i``, y in bin ``j``),
    cells shaded by count, with the y = x line."""
    lo, hi = float(edges[0]), float(edges[-1])
    frame = Frame((lo, hi), (lo, hi), width=WIDTH, height=WIDTH - 40)
    top = max((c for row in counts for c in row if _finite(c)), default=0) or 1
    parts = [frame.axes(x_label, y_label)]
    for i, row in enumerate(counts):
        for j, count in enumerate(row):
            if not _finite(count) or not count:
                continue
            x0, x1 = frame.x(edges[i]), frame.x(edges[i + 1])
            y0, y1 = frame.y(edges[j + 1]), frame.y(edges[j])
            tip = (
                f"{x_label} [{fmt_number(edges[i])}, {fmt_number(edges[i + 1])}), {y_label} "
                f"[{fmt_number(edges[j])}, {fmt_number(edges[j + 1])}): {fmt_number(count)}"
            )
            parts.append(
                f"<g><title>{esc(tip)}</title>"
                f'<rect class="{css}" x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" '
                f'height="{y1 - y0:.1f}" fill-opacity="{0.15 + 0.85 * count / top:.2f}"/></g>'
            )
    parts.append(
        f'<line class="diagonal" x1="{frame.x(lo):.1f}" y1="{frame.y(lo):.1f}" x2="{frame.x(hi):.1f}" '
        f'y2="{frame.y(hi):.1f}"/>'
    )
    return svg(frame.width, frame.height, "".join(parts), f"{y_label} against {x_label}")


def spark_svg(values: Sequence[float | None], width: int = 120, height: int = 22) -> str:
    """A word-sized line of a list of numbers (its length, min and max in the tooltip)."""
    finite = [float(v) for v in values if _finite(v)]
    lo, hi = (min(finite), max(finite)) if finite else (0.0, 1.0)
    span = hi - lo if hi > lo else 1.0
    step = (width - 2) / max(len(values) - 1, 1)
    points = [
        (1 + i * step, height - 2 - (float(v) - lo) / span * (height - 4))
        for i, v in enumerate(values)
        if _finite(v)
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in thin(points))
    tip = (
        f"{len(values)} values from {fmt_number(lo)} to {fmt_number(hi)}"
        if finite
        else f"{len(values)} values"
    )
    return (
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{esc(tip)}"><title>{esc(tip)}</title><polyline points="{path}"/></svg>'
    )
