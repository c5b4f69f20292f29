"""Child script of the embeddings parity test: runs in Evidently's interpreter, never in ours.

Usage: ``<evidently python> -m tests.metrics.data_drift.evidently_embeddings_child WORKDIR [WORKDIR ...]``.
Each WORKDIR holds ``reference.parquet``, ``current.parquet`` and ``config.json`` = ``{"embeddings": {set:
[columns]}, "methods": {key: null | {"type": "DistanceDriftMethod", **parameters}}}`` (the form monitorflow
stores a drift method in; Evidently's classes have the same names and parameters; null = the metric's
default). Runs one legacy ``EmbeddingsDriftMetric`` per key on the first set and writes ``result.json`` =
``{key: {drift_score, drift_detected, method_name}}``.

Evidently also draws a t-SNE picture of both sides, which takes most of a minute and does not enter
the drift score: it is replaced here by a 2-D PCA.
"""

from __future__ import annotations

from pathlib import Path

from evidently.legacy.metrics import EmbeddingsDriftMetric
from evidently.legacy.metrics.data_drift import embedding_drift_methods, embeddings_drift
from evidently.legacy.pipeline.column_mapping import ColumnMapping
from sklearn.decomposition import PCA

from tests.support.evidently_child_io import main, read_case, run_report


class _FastPicture(PCA):
    def __init__(self, n_components: int = 2):
        super().__init__(n_components=n_components)


embeddings_drift.TSNE = _FastPicture


def _method(spec: dict | None):
    if spec is None:
        return None
    params = dict(spec)
    return getattr(embedding_drift_methods, params.pop("type"))(**params)


def case(folder: Path) -> dict:
    config, current, reference = read_case(folder)
    name = next(iter(config["embeddings"]))
    metrics = {key: EmbeddingsDriftMetric(name, _method(spec)) for key, spec in config["methods"].items()}
    run_report(list(metrics.values()), current, reference, ColumnMapping(embeddings=config["embeddings"]))
    out = {}
    for key, metric in metrics.items():
        result = metric.get_result()
        out[key] = {
            "drift_score": float(result.drift_score),
            "drift_detected": bool(result.drift_detected),
            "method_name": result.method_name,
        }
    return out


if __name__ == "__main__":
    main(case)
