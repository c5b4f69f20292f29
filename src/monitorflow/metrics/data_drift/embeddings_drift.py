"""EmbeddingsDriftMetric: drift of one set of embedding columns (``ColumnMapping.embeddings``).

The default method is Evidently's: ``model(bootstrap=True)`` when the reference has fewer than 1000
rows, else ``model()`` (see :mod:`~monitorflow.metrics.data_drift.embedding_drift_methods`). Besides the
score, the result holds a picture of both sides: 2-D histograms of up to 2500 sampled rows per side
projected on the reference's first two principal components (Evidently draws t-SNE density contours).

>>> import numpy as np, pandas as pd
>>> from monitorflow import ColumnMapping, Report
>>> rng = np.random.default_rng(1)
>>> cols = ["e0", "e1", "e2"]
>>> ref, cur = (pd.DataFrame(rng.normal(s, 1, (400, 3)), columns=cols) for s in (0, 1))
>>> metric = EmbeddingsDriftMetric("small")
>>> report = Report(metrics=[metric])
>>> report.run(reference_data=ref, current_data=cur, column_mapping=ColumnMapping(embeddings={"small": cols}))
>>> report.result(metric).drift_detected, report.result(metric).method_name
(True, 'model')
"""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
from pydantic import BeforeValidator, SerializeAsAny

from monitorflow._types import Float
from monitorflow.column_mapping import DataDefinition
from monitorflow.context import RunContext, Side
from monitorflow.errors import ConfigurationError, MetricError
from monitorflow.metrics.base import Metric, MetricResult
from monitorflow.metrics.data_drift.embedding_drift_methods import (
    DriftMethod,
    drift_method_of,
    model,
    sample_rows,
)

#: A drift method, or its stored form ``{"type": "DistanceDriftMethod", ...}`` (dumped with its own fields).
DriftMethodSpec = Annotated[SerializeAsAny[DriftMethod], BeforeValidator(drift_method_of)]
#: Below this many reference rows the default model method bootstraps its threshold (as Evidently).
BOOTSTRAP_BELOW_ROWS = 1000
#: Rows per side drawn (seed 24) for the picture, and its bins per axis.
PICTURE_ROWS, PICTURE_BINS = 2500, 20


class ProjectedCounts(MetricResult):
    """``counts[x bin][y bin]`` of one side's rows in the 2-D projection."""

    counts: list[list[int]]


class EmbeddingsDriftResult(MetricResult):
    """Evidently's fields (``embeddings_name``, ``drift_score``, ``drift_detected``, ``method_name``) and a
    picture."""

    embeddings_name: str
    drift_score: Float
    drift_detected: bool
    method_name: str
    x_edges: list[float]
    y_edges: list[float]
    reference: ProjectedCounts
    current: ProjectedCounts


def embedding_matrix(ctx: RunContext, name: str, side: Side) -> np.ndarray:
    """The set's columns of one side as a float matrix; MetricError naming a column with missing values."""
    columns = embedding_columns(ctx.definition, name)
    matrix = ctx.data(side)[columns].to_numpy(dtype="float64")
    bad = ~np.isfinite(matrix)
    if bad.any():
        j = int(bad.any(axis=0).argmax())
        raise MetricError(
            f"embedding column {columns[j]!r} (set {name!r}) has {int(bad[:, j].sum())} missing or "
            f"infinite values in {side}_data; drift needs complete vectors: drop those rows or fill them",
            metric="EmbeddingsDriftMetric",
            column=columns[j],
        )
    return matrix


def embedding_columns(definition: DataDefinition, name: str) -> list[Any]:
    """The columns of one embedding set; ConfigurationError naming the known sets when it is unknown."""
    sets = definition.embeddings or {}
    if name not in sets:
        known = f"the sets are {sorted(sets)}" if sets else "it has none"
        raise ConfigurationError(
            f"embedding set {name!r} is not in column_mapping.embeddings ({known}); "
            f"pass ColumnMapping(embeddings={{{name!r}: [...embedding columns]}})",
            argument="embeddings_name",
        )
    return sets[name]


def _picture(reference: np.ndarray, current: np.ndarray) -> dict[str, Any]:
    """Shared-edge 2-D histograms of samples of both sides on the reference's two main components."""
    from sklearn.decomposition import PCA  # optional: scikit-learn (text extra)

    ref, cur = sample_rows(reference, PICTURE_ROWS, seed=24), sample_rows(current, PICTURE_ROWS, seed=24)
    pca = PCA(n_components=min(2, *ref.shape), random_state=0).fit(ref)

    def project(side: np.ndarray) -> np.ndarray:
        points = pca.transform(side)
        return np.hstack([points, np.zeros((len(points), 2 - points.shape[1]))])

    ref2, cur2 = project(ref), project(cur)
    both = np.vstack([ref2, cur2])
    x_edges, y_edges = (np.histogram_bin_edges(both[:, k], PICTURE_BINS) for k in (0, 1))

    def counts(points: np.ndarray) -> ProjectedCounts:
        grid = np.histogram2d(points[:, 0], points[:, 1], bins=[x_edges, y_edges])[0]
        return ProjectedCounts(counts=grid.astype(int).tolist())

    return {
        "x_edges": x_edges.tolist(),
        "y_edges": y_edges.tolist(),
        "reference": counts(ref2),
        "current": counts(cur2),
    }


EmbeddingsDriftMetricResults = EmbeddingsDriftResult  # Evidently's name of the result


class EmbeddingsDriftMetric(Metric[EmbeddingsDriftResult]):
    """Drift of the embedding set ``embeddings_name`` by ``drift_method`` (default: the model method)."""

    result_type = EmbeddingsDriftResult
    group = "data drift"

    embeddings_name: str
    drift_method: DriftMethodSpec | None = None

    def calculate(self, ctx: RunContext) -> EmbeddingsDriftResult:
        embedding_columns(
            ctx.definition, self.embeddings_name
        )  # a clear error before asking for the reference
        reference = embedding_matrix(ctx, self.embeddings_name, "reference")
        current = embedding_matrix(ctx, self.embeddings_name, "current")
        method = self.drift_method or model(bootstrap=len(reference) < BOOTSTRAP_BELOW_ROWS)
        score, drifted, method_name = method(current, reference)
        return EmbeddingsDriftResult(
            embeddings_name=self.embeddings_name,
            drift_score=score,
            drift_detected=drifted,
            method_name=method_name,
            **_picture(reference, current),
        )


def embedding_sets(
    definition: DataDefinition, embeddings: list[str] | None, methods: dict[str, DriftMethod] | None
) -> list[tuple[str, DriftMethod | None]]:
    """(set, its method or None) for each set a preset covers: ``embeddings``, or every set when None.

    Presets call it; a name that is not a set of the mapping raises instead of being skipped.
    """
    available = list(definition.embeddings or {})
    named = [*(embeddings or []), *(methods or {})]
    unknown = [n for n in named if n not in available]
    if unknown:
        raise ConfigurationError(
            f"embedding set {unknown[0]!r} is given to a preset (embeddings / embeddings_drift_method) but "
            f"column_mapping.embeddings has {available or 'no sets'}; name sets of the mapping",
            argument="embeddings",
        )
    chosen = available if embeddings is None else [n for n in available if n in embeddings]
    return [(name, (methods or {}).get(name)) for name in chosen]
