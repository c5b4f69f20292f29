"""Inline SVG charts drawn from stored aggregates: histograms and value counts, reference vs current.

Bars are shares of each side's values, so a month of reference and a week of current compare
directly; exact counts are in each bar's tooltip. Colours come from the page's CSS classes
``cur`` and ``ref``.

>>> histogram_svg([0.0, 1.0, 2.0], [3, 1], [2, 2]).startswith("<svg")
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from monitorflow.render.format import esc, fmt_number, fmt_text

WIDTH = 420
PLOT_LEFT, PLOT_RIGHT = 42, WIDTH - 8
HIST_HEIGHT, HIST_TOP, HIST_BOTTOM = 170, 10, 146
LABEL_WIDTH, BAR_RIGHT, ROW_HEIGHT = 132, WIDTH - 52, 18
MAX_LABEL_CHARS = 20


def _shares(counts: Sequence[int], total: int | None = None) -> list[float]:
    whole = total if total is not None else sum(counts)
    return [c / whole if whole else 0.0 for c in counts]


def _pct(share: float) -> str:
    return f"{share * 100:.1f}%"


def _svg(height: int, body: str, label: str) -> str:
    return (
        f'<svg class="chart" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{esc(label)}">{body}</svg>'
    )


def _rect(css: str, x: float, y: float, w: float, h: float) -> str:
    return f'<rect class="{css}" x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{max(h, 0):.1f}"/>'


def _text(x: float, y: float, text: str, anchor: str = "start") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{esc(text)}</text>'


def histogram_svg(
    edges: Sequence[float], current: Sequence[int], reference: Sequence[int] | None = None
) -> str:
    """Bars per bin (reference left, current right), as shares of each side's counted values."""
    sides = [("ref", _shares(reference), reference)] if reference is not None else []
    sides.append(("cur", _shares(current), current))
    top = max((s for _, shares, _ in sides for s in shares), default=0.0) or 1.0
    span = PLOT_RIGHT - PLOT_LEFT
    bin_width = span / len(current)
    bar_width = (bin_width - 1) / len(sides)
    scale = (HIST_BOTTOM - HIST_TOP) / top
    parts = []
    for i, (low, high) in enumerate(zip(edges[:-1], edges[1:], strict=True)):
        tip = f"[{fmt_number(low)}, {fmt_number(high)}" + ("]" if i == len(current) - 1 else ")")
        bars = []
        for j, (css, shares, counts) in enumerate(sides):
            height = shares[i] * scale
            x = PLOT_LEFT + i * bin_width + 0.5 + j * bar_width
            bars.append(_rect(css, x, HIST_BOTTOM - height, bar_width, height))
            tip += f"\n{'current' if css == 'cur' else 'reference'}: {counts[i]:,} ({_pct(shares[i])})"
        parts.append(f"<g><title>{esc(tip)}</title>{''.join(bars)}</g>")
    axes = (
        f'<line class="axis" x1="{PLOT_LEFT}" y1="{HIST_BOTTOM}" x2="{PLOT_RIGHT}" y2="{HIST_BOTTOM}"/>'
        + _text(PLOT_LEFT - 4, HIST_TOP + 8, _pct(top), "end")
        + _text(PLOT_LEFT - 4, HIST_BOTTOM, "0%", "end")
        + _text(PLOT_LEFT, HIST_BOTTOM + 16, fmt_number(edges[0]), "start")
        + _text((PLOT_LEFT + PLOT_RIGHT) / 2, HIST_BOTTOM + 16, fmt_number(edges[len(edges) // 2]), "middle")
        + _text(PLOT_RIGHT, HIST_BOTTOM + 16, fmt_number(edges[-1]), "end")
    )
    return _svg(HIST_HEIGHT, "".join(parts) + axes, "histogram")


class _Other:
    """The key of the "other values" bar."""

    def __repr__(self) -> str:
        return "<other>"


_OTHER = _Other()


def _label(value: Any) -> str:
    return value if isinstance(value, str) else fmt_text(value)


def _hashable(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | None) else repr(value)


def counts_svg(current: dict[str, Any] | None, reference: dict[str, Any] | None = None) -> str:
    """Horizontal bars per value (plus "other"), as shares of each side's rows with a value."""
    sides = [(css, vc) for css, vc in (("ref", reference), ("cur", current)) if vc is not None]
    tables: dict[str, dict[Any, float]] = {}
    counts: dict[str, dict[Any, int]] = {}
    order: dict[Any, str] = {}
    for css, vc in sides:
        total = sum(vc["counts"]) + vc.get("other", 0)
        keys = [_hashable(v) for v in vc["values"]]
        counts[css] = dict(zip(keys, vc["counts"], strict=True))
        for key, value in zip(keys, vc["values"], strict=True):
            order.setdefault(key, _label(value))
        if vc.get("other"):
            counts[css][_OTHER] = vc["other"]
        tables[css] = {k: c / total if total else 0.0 for k, c in counts[css].items()}
    if any(_OTHER in c for c in counts.values()):
        order[_OTHER] = "(other values)"
    top = max((s for t in tables.values() for s in t.values()), default=0.0) or 1.0
    scale = (BAR_RIGHT - LABEL_WIDTH) / top
    bar_height = (ROW_HEIGHT - 4) / len(sides)
    parts = []
    for row, (key, label) in enumerate(order.items()):
        y = 4 + row * ROW_HEIGHT
        tip = label
        bars = []
        for j, (css, _) in enumerate(sides):
            share = tables[css].get(key, 0.0)
            bars.append(_rect(css, LABEL_WIDTH, y + j * bar_height, share * scale, bar_height - 1))
            tip += (
                f"\n{'current' if css == 'cur' else 'reference'}: {counts[css].get(key, 0):,} ({_pct(share)})"
            )
        shown = label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"
        last = tables[sides[-1][0]].get(key, 0.0)
        parts.append(
            f"<g><title>{esc(tip)}</title>{_text(LABEL_WIDTH - 6, y + 12, shown, 'end')}{''.join(bars)}"
            f"{_text(LABEL_WIDTH + last * scale + 4, y + 12, _pct(last))}</g>"
        )
    height = 8 + len(order) * ROW_HEIGHT
    axis = f'<line class="axis" x1="{LABEL_WIDTH}" y1="2" x2="{LABEL_WIDTH}" y2="{height - 2}"/>'
    return _svg(height, "".join(parts) + axis, "value counts")
