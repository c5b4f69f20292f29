"""Drift methods for a set of embedding columns, with Evidently's names, defaults and rules.

``model``, ``ratio``, ``distance`` and ``mmd`` build a method; a method takes the current and the
reference embeddings (rows x dimensions) and returns ``(drift_score, drift_detected, method_name)``:

=========  ====================================================================  ================
method     drift score                                                           drift when
=========  ====================================================================  ================
model      ROC AUC of a classifier telling reference rows from current rows       score > 0.55
ratio      share of dimensions whose own stattest (wasserstein 0.1) drifted       score > 0.2
distance   distance between the mean reference and the mean current vector       score > 0.2
mmd        unbiased squared maximum mean discrepancy, RBF kernel (median rule)    score > 0.015
=========  ====================================================================  ================

With ``bootstrap=True``, ``model``, ``distance`` and ``mmd`` instead compare the score with the
``quantile_probability`` quantile of the same score under no drift (random scores for ``model``,
reference-vs-reference resamples for the others). ``pca_components`` first projects both sides on
the reference's principal components. Every random draw is seeded: results are deterministic.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> reference, current = rng.normal(0, 1, (300, 4)), rng.normal(1, 1, (300, 4))
>>> score, drifted, name = distance()(current, reference)
>>> round(score, 1), drifted, name
(2.0, True, 'distance')
"""

from __future__ import annotations

import warnings
from typing import Any, ClassVar, Literal

import numpy as np
import pandas as pd
from pydantic import Field, model_serializer

from monitorflow.config import Config
from monitorflow.errors import ConfigurationError, MetricError
from monitorflow.metrics.data_drift import StatTestSpec
from monitorflow.stattests import get_stattest

#: Resamples of the bootstrap (Evidently's N_BOOTSTRAP); resample ``i`` is seeded with ``i``.
N_BOOTSTRAP = 100
#: Rows sampled (seed 0) to choose the RBF kernel width of ``mmd``.
MMD_SIGMA_SAMPLE = 1000
#: Rows of a kernel block summed at once by ``mmd`` (bounds memory whatever the data size).
KERNEL_BLOCK_ROWS = 2048

#: Every drift method class by its stable type name (the class name), filled at import.
DRIFT_METHODS: dict[str, type[DriftMethod]] = {}


class DriftMethod(Config):
    """Base of the embeddings drift methods; subclasses set ``method_name`` and implement ``score``."""

    method_name: ClassVar[str] = ""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        DRIFT_METHODS[cls.__name__] = cls

    @model_serializer(mode="wrap")
    def _with_type(self, handler: Any) -> dict[str, Any]:
        """Stored as ``{"type": class name, **parameters}`` so that a snapshot can rebuild it."""
        return {"type": self.type_name, **handler(self)}

    def __call__(self, current: Any, reference: Any) -> tuple[float, bool, str]:
        """``(drift_score, drift_detected, method_name)`` of two matrices (rows x dimensions)."""
        cur, ref = _matrix(current), _matrix(reference)
        pca_components = getattr(self, "pca_components", None)
        if pca_components:
            ref, cur = _pca(ref, cur, pca_components)
        score, drifted = self.score(ref, cur)
        return float(score), bool(drifted), self.method_name

    def score(self, reference: np.ndarray, current: np.ndarray) -> tuple[float, bool]:
        raise NotImplementedError


def drift_method_of(value: Any) -> Any:
    """A DriftMethod from its stored form ``{"type": ..., **parameters}`` (other values pass through)."""
    if not isinstance(value, dict):
        return value
    params = dict(value)
    type_name = params.pop("type", None)
    if type_name not in DRIFT_METHODS:
        raise ConfigurationError(
            f"unknown embeddings drift method {type_name!r}; known: {sorted(DRIFT_METHODS)}",
            argument="drift_method",
        )
    return DRIFT_METHODS[type_name](**params)


def _matrix(frame: Any) -> np.ndarray:
    return np.asarray(frame, dtype="float64")


def _pca(reference: np.ndarray, current: np.ndarray, components: int) -> tuple[np.ndarray, np.ndarray]:
    """Both sides projected on the first principal components of the reference."""
    from sklearn.decomposition import PCA  # optional: scikit-learn (text extra)

    most = min(reference.shape)
    if components > most:
        raise ConfigurationError(
            f"pca_components={components}, but the embeddings have {reference.shape[1]} dimensions and "
            f"{reference.shape[0]} reference rows; pass pca_components <= {most}",
            argument="pca_components",
        )
    pca = PCA(n_components=components, random_state=0)
    return pca.fit_transform(reference), pca.transform(current)


def _above_null_quantile(score: float, null_scores: list[float], quantile_probability: float) -> bool:
    return bool(score > np.percentile(null_scores, 100 * quantile_probability))


def _resample_sizes(n_reference: int, n_current: int) -> tuple[int, int]:
    """Sizes of the two reference resamples of a bootstrap: the reference split in the sides' ratio."""
    total = n_reference + n_current
    return int(n_reference * n_reference / total), int(n_current * n_reference / total)


# ------------------------------------------------------------------------------------------- model


class ModelDriftMethod(DriftMethod):
    """ROC AUC of an SGD logistic classifier (seed 42) trained on half of the rows to tell the sides apart.

    Without bootstrap, drift when the AUC exceeds ``threshold``; with it, when the AUC exceeds the
    ``quantile_probability`` quantile of the AUCs of 100 random scorings of the same test half.
    """

    method_name: ClassVar[str] = "model"

    threshold: float = 0.55
    bootstrap: bool | None = None
    quantile_probability: float = Field(0.95, ge=0, le=1)
    pca_components: int | None = Field(None, ge=1)

    def score(self, reference: np.ndarray, current: np.ndarray) -> tuple[float, bool]:
        from sklearn.exceptions import ConvergenceWarning  # optional: scikit-learn (text extra)
        from sklearn.linear_model import SGDClassifier  # optional: scikit-learn (text extra)
        from sklearn.metrics import roc_auc_score  # optional: scikit-learn (text extra)
        from sklearn.model_selection import train_test_split  # optional: scikit-learn (text extra)

        features = np.vstack([reference, current])
        labels = np.concatenate([np.ones(len(reference), int), np.zeros(len(current), int)])
        x_train, x_test, y_train, y_test = train_test_split(
            features, labels, test_size=0.5, random_state=42, shuffle=True
        )
        if len(np.unique(y_test)) < 2 or len(np.unique(y_train)) < 2:
            raise MetricError(
                "the model method needs rows of both datasets in each half of a random split, but got "
                f"{len(reference)} reference and {len(current)} current rows; pass more rows or use "
                "distance()",
                metric="EmbeddingsDriftMetric",
            )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            classifier = SGDClassifier(loss="log_loss", random_state=42).fit(x_train, y_train)
        auc = float(roc_auc_score(y_test, classifier.predict_proba(x_test)[:, 1]))
        if not self.bootstrap:
            return auc, auc > self.threshold
        random_aucs = [
            roc_auc_score(y_test, np.random.RandomState(i).rand(len(y_test))) for i in range(N_BOOTSTRAP)
        ]
        return auc, _above_null_quantile(auc, random_aucs, self.quantile_probability)


# ------------------------------------------------------------------------------------------- ratio


class RatioDriftMethod(DriftMethod):
    """Share of dimensions that drifted by ``component_stattest`` at ``component_stattest_threshold``.

    Drift when the share exceeds ``threshold``. Any stattest for numerical columns can be used.
    """

    method_name: ClassVar[str] = "ratio"

    component_stattest: StatTestSpec = "wasserstein"
    component_stattest_threshold: float = 0.1
    threshold: float = 0.2
    pca_components: int | None = Field(None, ge=1)

    def score(self, reference: np.ndarray, current: np.ndarray) -> tuple[float, bool]:
        stattest = get_stattest(self.component_stattest, "num")
        drifted = sum(
            stattest(
                pd.Series(reference[:, i]), pd.Series(current[:, i]), "num", self.component_stattest_threshold
            ).drifted
            for i in range(reference.shape[1])
        )
        share = drifted / reference.shape[1]
        return share, share > self.threshold


# ---------------------------------------------------------------------------------------- distance

Distance = Literal["euclidean", "cosine", "cityblock", "chebyshev"]


def _distance(name: Distance, a: np.ndarray, b: np.ndarray) -> float:
    from scipy.spatial import distance  # lazy: scipy is slow to import

    return float(getattr(distance, name)(a, b))


class DistanceDriftMethod(DriftMethod):
    """Distance ``dist`` between the mean reference vector and the mean current vector.

    Without bootstrap, drift when it exceeds ``threshold``; with it, when it exceeds the
    ``quantile_probability`` quantile of the distances between the means of 100 pairs of reference
    resamples (drawn with replacement, sized in the ratio of the two sides).
    """

    method_name: ClassVar[str] = "distance"

    dist: Distance = "euclidean"
    threshold: float = 0.2
    bootstrap: bool | None = None
    quantile_probability: float = Field(0.95, ge=0, le=1)
    pca_components: int | None = Field(None, ge=1)

    def score(self, reference: np.ndarray, current: np.ndarray) -> tuple[float, bool]:
        observed = _distance(self.dist, reference.mean(axis=0), current.mean(axis=0))
        if not self.bootstrap:
            return observed, observed > self.threshold
        size_a, size_b = _resample_sizes(len(reference), len(current))
        null = []
        for i in range(N_BOOTSTRAP):
            rs = np.random.RandomState(i)
            a, b = rs.choice(len(reference), size_a), rs.choice(len(reference), size_b)
            null.append(_distance(self.dist, reference[a].mean(axis=0), reference[b].mean(axis=0)))
        return observed, _above_null_quantile(observed, null, self.quantile_probability)


# --------------------------------------------------------------------------------------------- mmd


def sample_rows(matrix: np.ndarray, limit: int, seed: int = 0) -> np.ndarray:
    """At most ``limit`` rows, drawn without replacement as ``DataFrame.sample(random_state=seed)`` does."""
    picked = np.random.RandomState(seed).choice(len(matrix), min(len(matrix), limit), replace=False)
    return matrix[picked]


def _median_gamma(a: np.ndarray, b: np.ndarray | None) -> float:
    """``1 / median(pairwise distance)**2`` over row samples of ``a`` and ``b`` (the median heuristic)."""
    from sklearn.metrics import pairwise_distances  # optional: scikit-learn (text extra)

    sample_a = sample_rows(a, MMD_SIGMA_SAMPLE)
    sample_b = None if b is None else sample_rows(b, MMD_SIGMA_SAMPLE)
    median = float(np.median(pairwise_distances(sample_a, sample_b, metric="euclidean")))
    if median == 0:
        raise MetricError(
            "the mmd method cannot choose a kernel width: the median distance between embeddings is 0 "
            "(most vectors are identical); use distance() or model()",
            metric="EmbeddingsDriftMetric",
        )
    return 1.0 / median**2


def _kernel_sum(a: np.ndarray, b: np.ndarray, gamma: float) -> float:
    """Sum of the RBF kernel over every pair of rows of ``a`` and ``b``, a block of rows at a time."""
    from sklearn.metrics.pairwise import rbf_kernel  # optional: scikit-learn (text extra)

    return float(
        sum(
            rbf_kernel(a[i : i + KERNEL_BLOCK_ROWS], b, gamma=gamma).sum()
            for i in range(0, len(a), KERNEL_BLOCK_ROWS)
        )
    )


def _mmd2_unbiased(x: np.ndarray, y: np.ndarray, gamma: float) -> float:
    """Unbiased MMD² (the kernel's diagonal, all ones, left out of the within-sample means)."""
    m, n = len(x), len(y)
    if m < 2 or n < 2:
        raise MetricError(
            f"the mmd method needs at least 2 rows per sample, got {m} and {n}; pass more rows or use "
            "distance()",
            metric="EmbeddingsDriftMetric",
        )
    within_x = (_kernel_sum(x, x, gamma) - m) / (m * (m - 1.0))
    within_y = (_kernel_sum(y, y, gamma) - n) / (n * (n - 1.0))
    return within_x + within_y - 2.0 * _kernel_sum(x, y, gamma) / (m * n)


class MMDDriftMethod(DriftMethod):
    """Unbiased squared maximum mean discrepancy with an RBF kernel; the score is clipped at 0.

    Without bootstrap, drift when MMD² exceeds ``threshold``; with it, when it exceeds the
    ``quantile_probability`` quantile of MMD² between 100 pairs of reference resamples.
    """

    method_name: ClassVar[str] = "mmd"

    threshold: float = 0.015
    bootstrap: bool | None = None
    quantile_probability: float = Field(0.05, ge=0, le=1)
    pca_components: int | None = Field(None, ge=1)

    def score(self, reference: np.ndarray, current: np.ndarray) -> tuple[float, bool]:
        mmd2 = _mmd2_unbiased(reference, current, _median_gamma(reference, current))
        if not self.bootstrap:
            return max(mmd2, 0.0), mmd2 > self.threshold
        gamma = _median_gamma(reference, None)
        size_a, size_b = (max(size, 1) for size in _resample_sizes(len(reference), len(current)))
        null = []
        for i in range(N_BOOTSTRAP):
            rs = np.random.RandomState(i)
            a, b = rs.choice(len(reference), size_a), rs.choice(len(reference), size_b)
            null.append(_mmd2_unbiased(reference[a], reference[b], gamma))
        return max(mmd2, 0.0), _above_null_quantile(mmd2, null, self.quantile_probability)


#: Evidently's factory names: ``model(bootstrap=True)``, ``distance(dist="cosine")``, ...
model = ModelDriftMethod
ratio = RatioDriftMethod
distance = DistanceDriftMethod
mmd = MMDDriftMethod

__all__ = [
    "DRIFT_METHODS",
    "DistanceDriftMethod",
    "DriftMethod",
    "MMDDriftMethod",
    "ModelDriftMethod",
    "RatioDriftMethod",
    "distance",
    "mmd",
    "model",
    "ratio",
]
