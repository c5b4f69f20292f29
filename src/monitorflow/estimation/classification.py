"""Confidence-based estimation of classification quality (CBPE) on probabilities, without labels.

Fitted once on a labelled reference (:func:`fit_classifier_state`), the state calibrates each
window's probabilities; every row then adds its calibrated probabilities to an *expected* confusion
matrix (``expected[a, b]`` = sum over rows predicted ``b`` of P(actual = a)), from which accuracy,
precision, recall and F1 follow, and to per-class score histograms, from which ROC AUC follows.

Everything a window contributes is a sum (:class:`ClassificationSums`): windows split in parts
(Parquet row groups, Dask partitions) merge exactly with ``+``. Standard errors have two parts:

- sampling: the labels are random given the probabilities, so the realized score scatters around
  the expected one (delta method on the sums, see :mod:`monitorflow.estimation.quality`);
- calibration: the calibrator comes from a finite reference; bootstrap replicates of it, applied to
  a subsample of the window, show how much the estimate moves.

Bands are ``value ± band_z x standard error``, clipped to [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from monitorflow.errors import ReferenceTooSmall
from monitorflow.estimation.band import Estimated
from monitorflow.estimation.calibration import (
    REPLICATES,
    Curve,
    bootstrap_curves,
    calibration_gain,
    fit_curve,
    quantile_grid,
)
from monitorflow.estimation.quality import (
    CONFUSION_SCORES,
    confusion_scores,
    confusion_variance,
    histogram_auc,
    realized_scores,
)

#: State format version (a stored state of another version is refitted).
STATE_VERSION: Final = 1
#: Fewest labelled reference rows, and rows per class, for calibration, its check and the bands.
MIN_REFERENCE_ROWS = 200
MIN_CLASS_ROWS = 25
#: Bins of the raw-score histograms behind ROC AUC (and the coarser ones of its replicates).
AUC_BINS = 2**14
REPLICATE_AUC_BINS = 256
#: Window rows the calibration replicates are applied to (every ``step``-th row up to about this).
REPLICATE_ROWS = 20_000
SCORES = (*CONFUSION_SCORES, "roc_auc")

Calibration = Literal["auto", "isotonic", "none"]


class ClassCalibration(BaseModel):
    """How one class's probability is calibrated: the curve (None: used as given) and why."""

    model_config = ConfigDict(frozen=True)

    curve: Curve | None
    ece_raw: float
    ece_calibrated: float
    #: Score quantiles and the bootstrap replicates of the calibrator on them (replicates x grid).
    grid: list[float]
    replicates: list[list[float]]


class ClassifierState(BaseModel):
    """Everything fitted on the reference; JSON-serialisable, reused by every window."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["classification"] = "classification"
    version: Literal[1] = STATE_VERSION
    labels: list[Any]
    #: Index of the positive label (binary), None for multiclass.
    pos: int | None
    threshold: float | None
    calibration: Calibration
    classes: list[ClassCalibration]
    reference_rows: int
    reference_class_counts: list[int]
    #: Realized scores of the reference (raw probabilities and the same predicted labels).
    reference_scores: dict[str, float]
    fingerprint: str = ""

    @property
    def k(self) -> int:
        return len(self.labels)

    def predict(self, raw: np.ndarray) -> np.ndarray:
        """Predicted class codes: ``p(pos) >= threshold`` (binary) or the most probable class."""
        if self.pos is not None:
            return np.where(raw[:, self.pos] >= self.threshold, self.pos, 1 - self.pos)
        return np.argmax(raw, axis=1)

    def calibrate(self, raw: np.ndarray, replicate: int | None = None) -> np.ndarray:
        """Calibrated probabilities (rows sum to 1); with ``replicate``, that bootstrap replicate's."""
        out = np.empty_like(raw)
        classes = [self.pos] if self.pos is not None else range(self.k)
        for c in classes:
            spec = self.classes[c]
            if replicate is not None:
                out[:, c] = np.interp(raw[:, c], spec.grid, spec.replicates[replicate])
            elif spec.curve is not None:
                out[:, c] = spec.curve.apply(raw[:, c])
            else:
                out[:, c] = raw[:, c]
        if self.pos is not None:
            out[:, 1 - self.pos] = 1.0 - out[:, self.pos]
            return out
        sums = out.sum(axis=1, keepdims=True)
        return np.divide(out, sums, out=np.full_like(out, 1.0 / self.k), where=sums > 0)

    @property
    def curve_classes(self) -> list[int]:
        """Classes with a ROC curve: the positive one (binary) or each (one-vs-rest)."""
        return [self.pos] if self.pos is not None else list(range(self.k))

    @property
    def replicates(self) -> int:
        return len(self.classes[self.curve_classes[0]].replicates)


def _check_size(y: np.ndarray, labels: list[Any]) -> np.ndarray:
    counts = np.bincount(y, minlength=len(labels))
    if y.size < MIN_REFERENCE_ROWS:
        raise ReferenceTooSmall(
            f"reference_data has {y.size} labelled rows with probabilities; estimating quality needs at "
            f"least {MIN_REFERENCE_ROWS} (to calibrate, cross-validate the calibration and size the "
            "bands): pass a larger labelled reference"
        )
    small = [(label, int(n)) for label, n in zip(labels, counts, strict=True) if n < MIN_CLASS_ROWS]
    if small:
        shown = ", ".join(f"{label!r}: {n}" for label, n in small)
        raise ReferenceTooSmall(
            f"reference_data has too few labelled rows of class {shown}; each class needs at least "
            f"{MIN_CLASS_ROWS}: add reference rows of these classes"
        )
    return counts


def fit_classifier_state(
    y: np.ndarray,
    raw: np.ndarray,
    labels: list[Any],
    pos: int | None,
    threshold: float | None,
    calibration: Calibration = "auto",
    seed: int = 0,
) -> ClassifierState:
    """Fit calibrators (and their bootstrap replicates) on labelled reference rows.

    ``y``: class codes into ``labels``; ``raw``: (rows, classes) probabilities whose rows sum to 1.
    """
    counts = _check_size(y, labels)
    classes = []
    curve_classes = [pos] if pos is not None else range(len(labels))
    for c in range(len(labels)):
        if c not in curve_classes:
            classes.append(
                ClassCalibration(curve=None, ece_raw=0.0, ece_calibrated=0.0, grid=[], replicates=[])
            )
            continue
        scores, hits = raw[:, c], (y == c).astype(np.float64)
        ece_raw, ece_calibrated = calibration_gain(scores, hits, seed=seed + c)
        apply = calibration == "isotonic" or (calibration == "auto" and ece_calibrated < ece_raw)
        grid = quantile_grid(scores)
        replicates = (
            bootstrap_curves(scores, hits, grid, REPLICATES, seed=seed + 100 + c)
            if apply
            else np.tile(grid, (REPLICATES, 1))
        )
        classes.append(
            ClassCalibration(
                curve=fit_curve(scores, hits) if apply else None,
                ece_raw=ece_raw,
                ece_calibrated=ece_calibrated,
                grid=grid.tolist(),
                replicates=replicates.tolist(),
            )
        )
    state = ClassifierState(
        labels=labels,
        pos=pos,
        threshold=threshold,
        calibration=calibration,
        classes=classes,
        reference_rows=int(y.size),
        reference_class_counts=counts.tolist(),
        reference_scores={},
    )
    realized = realized_scores(y, state.predict(raw), raw, pos)
    return state.model_copy(update={"reference_scores": realized})


# ------------------------------------------------------------------------------------ sums


@dataclass
class ClassificationSums:
    """What a set of rows contributes to the estimate; ``a + b`` is the sums of both sets."""

    rows: int
    expected: np.ndarray  # (K, K): actual x predicted, expected counts
    second: np.ndarray  # (K, K, K): second[b] = sum of q q^T over rows predicted b
    auc_count: np.ndarray  # (C, AUC_BINS) rows per raw-score bin of each curve class
    auc_q: np.ndarray  # (C, AUC_BINS) sum of calibrated probabilities of the class
    auc_qq: np.ndarray  # (C, AUC_BINS) sum of q (1 - q)
    replicate_expected: np.ndarray  # (R, K, K) on the replicate subsample
    replicate_count: np.ndarray  # (C, REPLICATE_AUC_BINS)
    replicate_q: np.ndarray  # (R, C, REPLICATE_AUC_BINS)

    def __add__(self, other: ClassificationSums) -> ClassificationSums:
        return ClassificationSums(
            **{name: getattr(self, name) + getattr(other, name) for name in self.__dataclass_fields__}
        )


def _bins(scores: np.ndarray, bins: int) -> np.ndarray:
    return np.minimum((scores * bins).astype(np.int64), bins - 1)


def _expected(pred: np.ndarray, q: np.ndarray, k: int) -> np.ndarray:
    return np.stack([np.bincount(pred, weights=q[:, a], minlength=k) for a in range(k)])


def accumulate(state: ClassifierState, raw: np.ndarray, replicate_step: int = 1) -> ClassificationSums:
    """The sums of rows with probabilities ``raw`` (rows x classes, validated).

    Replicates use every ``replicate_step``-th row (:func:`replicate_step` picks it per window).
    """
    k = state.k
    pred = state.predict(raw)
    q = state.calibrate(raw)
    second = np.zeros((k, k, k))
    for b in range(k):
        rows = q[pred == b]
        second[b] = rows.T @ rows
    curves = state.curve_classes
    count, q_sum, qq_sum = (np.zeros((len(curves), AUC_BINS)) for _ in range(3))
    for i, c in enumerate(curves):
        bins = _bins(raw[:, c], AUC_BINS)
        count[i] = np.bincount(bins, minlength=AUC_BINS)
        q_sum[i] = np.bincount(bins, weights=q[:, c], minlength=AUC_BINS)
        qq_sum[i] = np.bincount(bins, weights=q[:, c] * (1.0 - q[:, c]), minlength=AUC_BINS)

    sample, sample_pred = raw[::replicate_step], pred[::replicate_step]
    replicates = state.replicates
    replicate_expected = np.zeros((replicates, k, k))
    replicate_count = np.zeros((len(curves), REPLICATE_AUC_BINS))
    replicate_q = np.zeros((replicates, len(curves), REPLICATE_AUC_BINS))
    coarse = [_bins(sample[:, c], REPLICATE_AUC_BINS) for c in curves]
    for i, _ in enumerate(curves):
        replicate_count[i] = np.bincount(coarse[i], minlength=REPLICATE_AUC_BINS)
    for r in range(replicates):
        q_r = state.calibrate(sample, replicate=r)
        replicate_expected[r] = _expected(sample_pred, q_r, k)
        for i, c in enumerate(curves):
            replicate_q[r, i] = np.bincount(coarse[i], weights=q_r[:, c], minlength=REPLICATE_AUC_BINS)
    return ClassificationSums(
        rows=int(raw.shape[0]),
        expected=_expected(pred, q, k),
        second=second,
        auc_count=count,
        auc_q=q_sum,
        auc_qq=qq_sum,
        replicate_expected=replicate_expected,
        replicate_count=replicate_count,
        replicate_q=replicate_q,
    )


def replicate_step(rows: int) -> int:
    """Every how many window rows the calibration replicates look at (about REPLICATE_ROWS rows)."""
    return max(1, -(-rows // REPLICATE_ROWS))


# -------------------------------------------------------------------------------- estimate


def _auc(count: np.ndarray, q: np.ndarray, qq: np.ndarray) -> tuple[float, float]:
    """Macro ROC AUC over curve classes and a standard error: the mean of the per-class ones (an
    upper bound for a mean of correlated estimates)."""
    pairs = [histogram_auc(count[i], q[i], qq[i]) for i in range(count.shape[0])]
    return float(np.mean([a for a, _ in pairs])), float(np.mean([np.sqrt(v) for _, v in pairs]))


def estimate(state: ClassifierState, sums: ClassificationSums, band_z: float) -> dict[str, Estimated]:
    """Estimated accuracy, precision, recall, F1 and ROC AUC of the rows behind ``sums``."""
    values = confusion_scores(sums.expected, state.pos)
    replicate_values = [confusion_scores(m, state.pos) for m in sums.replicate_expected]
    out = {}
    for name in CONFUSION_SCORES:
        value, gradient = values[name]
        sampling = np.sqrt(confusion_variance(gradient, sums.expected, sums.second))
        spread = float(np.std([v[name][0] for v in replicate_values], ddof=1))
        out[name] = Estimated(value, float(sampling), spread, band_z)
    auc, auc_error = _auc(sums.auc_count, sums.auc_q, sums.auc_qq)
    replicate_auc = []
    for r in range(sums.replicate_q.shape[0]):
        q_r = sums.replicate_q[r]
        qq_r = q_r - np.divide(
            q_r**2, sums.replicate_count, out=np.zeros_like(q_r), where=sums.replicate_count > 0
        )
        replicate_auc.append(_auc(sums.replicate_count, q_r, qq_r)[0])
    out["roc_auc"] = Estimated(auc, auc_error, float(np.std(replicate_auc, ddof=1)), band_z)
    return out


__all__ = [
    "MIN_CLASS_ROWS",
    "MIN_REFERENCE_ROWS",
    "SCORES",
    "ClassCalibration",
    "ClassificationSums",
    "ClassifierState",
    "accumulate",
    "estimate",
    "fit_classifier_state",
    "replicate_step",
]
