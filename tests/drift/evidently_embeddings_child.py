"""Child script of the embeddings parity test: runs in Evidently's interpreter, never in ours.

Usage: ``<evidently python> evidently_embeddings_child.py WORKDIR [WORKDIR ...]``. Each WORKDIR holds
``reference.parquet``, ``current.parquet`` and ``config.json`` = ``{"embeddings": {set: [columns]},
"methods": {key: null | {"type": "DistanceDriftMethod", **parameters}}}`` (the form monitorflow stores a
drift method in; Evidently's classes have the same names and parameters; null = the metric's default).
Runs one legacy ``EmbeddingsDriftMetric`` per key on the first set and writes ``result.json`` =
``{key: {drift_score, drift_detected, method_name}}``.

Evidently also draws a t-SNE picture of both sides, which takes most of a minute and does not enter
the drift score: it is replaced here by a 2-D PCA.
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import pandas as pd
from evidently.legacy.metrics import EmbeddingsDriftMetric
from evidently.legacy.metrics.data_drift import embedding_drift_methods, embeddings_drift
from evidently.legacy.pipeline.column_mapping import ColumnMapping
from evidently.legacy.report import Report
from sklearn.decomposition import PCA


class _FastPicture(PCA):
    def __init__(self, n_components: int = 2):
        super().__init__(n_components=n_components)


embeddings_drift.TSNE = _FastPicture


def _method(spec: dict | None):
    if spec is None:
        return None
    params = dict(spec)
    return getattr(embedding_drift_methods, params.pop("type"))(**params)


def main(workdir: Path) -> None:
    config = json.loads((workdir / "config.json").read_text())
    reference = pd.read_parquet(workdir / "reference.parquet")
    current = pd.read_parquet(workdir / "current.parquet")
    name = next(iter(config["embeddings"]))
    metrics = {key: EmbeddingsDriftMetric(name, _method(spec)) for key, spec in config["methods"].items()}
    report = Report(metrics=list(metrics.values()))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report.run(
            reference_data=reference,
            current_data=current,
            column_mapping=ColumnMapping(embeddings=config["embeddings"]),
        )
    out = {}
    for key, metric in metrics.items():
        result = metric.get_result()
        out[key] = {
            "drift_score": float(result.drift_score),
            "drift_detected": bool(result.drift_detected),
            "method_name": result.method_name,
        }
    (workdir / "result.json").write_text(json.dumps(out))


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        main(Path(arg))
