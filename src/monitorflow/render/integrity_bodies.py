"""Card bodies of ColumnRegExpMetric, DataQualityStabilityMetric and Comment (registered in RENDERERS).

Every value from the snapshot goes through :func:`~monitorflow.render.format.esc` or
:func:`~monitorflow.render.format.fmt_value`.

>>> from monitorflow.snapshot import MetricEntry, Snapshot
>>> from datetime import UTC, datetime
>>> snap = Snapshot(kind="report", timestamp=datetime(2026, 1, 1, tzinfo=UTC))
>>> comment_body(MetricEntry(id="c", type="Comment", result={"text": "<b>hi</b>"}), snap)
'<div class="comment"><p style="white-space: pre-wrap; margin: 0 0 8px">&lt;b&gt;hi&lt;/b&gt;</p></div>'
"""

from __future__ import annotations

import re
from typing import Any

from monitorflow.render.format import esc, fmt_value
from monitorflow.render.tables import tiles
from monitorflow.snapshot import MetricEntry, Snapshot

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")


def _percent(part: Any, whole: Any) -> str:
    if not isinstance(part, int) or not isinstance(whole, int) or whole == 0:
        return ""
    return f" ({part / whole:.1%})"


def _counts_table(title: str, counts: dict[str, Any]) -> str:
    if not counts:
        return f'<div class="scroll"><h4>{esc(title)}</h4><p class="muted">none</p></div>'
    rows = "".join(
        f'<tr><th scope="row" class="mono">{esc(value)}</th><td class="num">{fmt_value(count)}</td></tr>'
        for value, count in counts.items()
    )
    return (
        f'<div class="scroll"><h4>{esc(title)}</h4><table class="keyed">'
        f"<thead><tr><th>value</th><th>count</th></tr></thead><tbody>{rows}</tbody></table></div>"
    )


def reg_exp_body(entry: MetricEntry, snapshot: Snapshot) -> str:
    """ColumnRegExpMetric: rows, matched and mismatched counts; the most frequent mismatched values per
    side."""
    result = entry.result or {}
    current, reference = result.get("current") or {}, result.get("reference")
    sides = [("current", current)] + ([("reference", reference)] if reference else [])
    items = []
    for label, key in (
        ("rows", "number_of_rows"),
        ("matched", "number_of_matched"),
        ("mismatched", "number_of_not_matched"),
    ):
        items.append((label, current.get(key), reference.get(key) if reference else None))
    shares = "".join(
        f"<li>{esc(name)}: {fmt_value(side.get('number_of_not_matched'))} mismatched of "
        f"{fmt_value(side.get('number_of_rows'))} "
        f"rows{esc(_percent(side.get('number_of_not_matched'), side.get('number_of_rows')))}</li>"
        for name, side in sides
    )
    pattern = (
        f"<p>Values of column <b>{esc(result.get('column_name'))}</b> matched (at their start) by "
        f"<code>{esc(result.get('reg_exp'))}</code>; missing values are neither.</p>"
    )
    top = result.get("top")
    tables = "".join(
        _counts_table(f"{name}: top {top} mismatched values", side.get("table_of_not_matched") or {})
        for name, side in sides
    )
    return f'{pattern}{tiles(items)}<ul class="muted">{shares}</ul><div class="metric-body">{tables}</div>'


def stability_body(entry: MetricEntry, snapshot: Snapshot) -> str:
    """DataQualityStabilityMetric: the two counts of not-stable rows (— when the run has no such column)."""
    result = entry.result or {}
    items = [
        ("not stable target", result.get("number_not_stable_target"), None),
        ("not stable prediction", result.get("number_not_stable_prediction"), None),
    ]
    note = (
        '<p class="muted">Rows of the current data whose feature values equal another row\'s '
        "while their target (prediction) differs.</p>"
    )
    return tiles(items) + note


def comment_body(entry: MetricEntry, snapshot: Snapshot) -> str:
    """Comment: its text, escaped; blank lines separate paragraphs, line breaks are kept."""
    text = str((entry.result or {}).get("text", ""))
    paragraphs = [p for p in _PARAGRAPH_BREAK.split(text.strip()) if p.strip()] or [""]
    body = "".join(f'<p style="white-space: pre-wrap; margin: 0 0 8px">{esc(p)}</p>' for p in paragraphs)
    return f'<div class="comment">{body}</div>'


BODIES = {
    "ColumnRegExpMetric": reg_exp_body,
    "DataQualityStabilityMetric": stability_body,
    "Comment": comment_body,
}
