"""Body of EmbeddingsDriftMetric: the verdict, then heat maps of both sides in the 2-D projection."""

from __future__ import annotations

from typing import Any

from monitorflow.render.layout import Row
from monitorflow.render.plots import _body, _heatmaps, bucket_labels


def embeddings_drift_body(entry: Any, snapshot: Any) -> str:
    """Drift verdict, method and score; reference and current rows on the first two principal components."""
    result = entry.result or {}
    verdict = "detected" if result.get("drift_detected") else "not detected"
    rows = [
        Row(("embedding set",), result.get("embeddings_name")),
        Row(("data drift",), verdict),
        Row(("drift detection method",), result.get("method_name")),
        Row(("drift score",), result.get("drift_score")),
    ]
    x_labels = bucket_labels(result.get("x_edges"), None, missing=False)
    y_labels = bucket_labels(result.get("y_edges"), None, missing=False)
    caption = "component 1 × component 2"
    return _body(_heatmaps(caption, result.get("current"), result.get("reference"), x_labels, y_labels), rows)


#: Registered in :data:`monitorflow.render.metrics.RENDERERS`.
BODIES = {"EmbeddingsDriftMetric": embeddings_drift_body}
