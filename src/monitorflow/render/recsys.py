"""Card bodies of the top-k recommender metrics: the value at k as tiles, the curve over k as lines.

>>> from monitorflow.snapshot import MetricEntry, Snapshot
>>> from datetime import UTC, datetime
>>> snap = Snapshot(kind="report", timestamp=datetime(2026, 1, 1, tzinfo=UTC))
>>> entry = MetricEntry(id="p", type="PrecisionTopKMetric", params={"k": 2},
...                     result={"k": 2, "current": {"1": 0.5, "2": 0.25}, "current_value": 0.25})
>>> "precision@k" in top_k_body(entry, snap)
True
"""

from __future__ import annotations

from typing import Any

from monitorflow.render.format import esc
from monitorflow.render.plots import SIDE_NAMES, lines_svg
from monitorflow.render.tables import tiles
from monitorflow.snapshot import MetricEntry, Snapshot

#: Name of the curve of each top-k metric type.
CURVE_NAMES = {
    "PrecisionTopKMetric": "precision@k",
    "RecallTopKMetric": "recall@k",
    "FBetaTopKMetric": "f_beta@k",
    "MAPKMetric": "map@k",
    "MARKMetric": "mar@k",
    "NDCGKMetric": "ndcg@k",
    "MRRKMetric": "mrr@k",
    "HitRateKMetric": "hit_rate@k",
}


def _line(curve: dict[str, Any] | None, ks: list[str]) -> list[float | None]:
    return [(curve or {}).get(k) for k in ks]


def top_k_body(entry: MetricEntry, snapshot: Snapshot) -> str:
    """Value at k (current, reference) and the curve for every k from 1."""
    result = entry.result or {}
    name = CURVE_NAMES.get(entry.type, "value@k")
    current, reference = result.get("current") or {}, result.get("reference")
    ks = sorted({*current, *(reference or {})}, key=int)
    sides = {"ref": _line(reference, ks)} if reference is not None else {}
    sides["cur"] = _line(current, ks)
    users = "included" if entry.params.get("no_feedback_users") else "excluded"
    legend = "".join(f'<span class="key {css}"></span>{SIDE_NAMES[css]} ' for css in sides)
    figure = (
        f"<figure><figcaption>{esc(name)} for k = 1 .. {esc(ks[-1] if ks else '')}"
        f'<span class="legend">{legend}</span></figcaption>{lines_svg(ks, sides)}</figure>'
    )
    head = tiles(
        [(f"{name} (k = {result.get('k')})", result.get("current_value"), result.get("reference_value"))]
    )
    note = f'<p class="muted">Users without feedback {users}.</p>'
    return (
        f'<div class="metric-body"><div class="tables">{head}{note}</div><div class="charts">{figure}'
        "</div></div>"
    )


#: Registered in :data:`monitorflow.render.metrics.RENDERERS`.
BODIES = {metric_type: top_k_body for metric_type in CURVE_NAMES}
