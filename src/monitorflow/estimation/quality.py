"""Scores of a confusion matrix with their gradients, ROC AUC from score histograms, and the
delta-method variances that turn both into standard errors.

Confusion matrices here are (actual, predicted): ``matrix[a, b]`` counts rows of class ``a``
predicted as ``b``. Scores follow scikit-learn: precision, recall and F1 of the positive class
(binary) or their unweighted mean over every class (multiclass); a division by zero gives 0.
"""

from __future__ import annotations

import numpy as np

#: Scores read from a confusion matrix, in the order results list them.
CONFUSION_SCORES = ("accuracy", "precision", "recall", "f1")


def _div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    num, den = np.broadcast_arrays(np.asarray(num, dtype=np.float64), np.asarray(den, dtype=np.float64))
    return np.divide(num, den, out=np.zeros(num.shape), where=den != 0)


def confusion_scores(matrix: np.ndarray, pos: int | None) -> dict[str, tuple[float, np.ndarray]]:
    """``{score: (value, gradient)}`` where the gradient has the matrix's shape (d score / d cell)."""
    matrix = np.asarray(matrix, dtype=np.float64)
    k = matrix.shape[0]
    total = matrix.sum()
    tp, predicted, actual = np.diagonal(matrix), matrix.sum(axis=0), matrix.sum(axis=1)
    eye = np.eye(k)
    unit = np.zeros((k, k, k))  # unit[c, a, b] = 1 when a == b == c
    unit[np.arange(k), np.arange(k), np.arange(k)] = 1.0
    in_column = eye[:, None, :]  # [c, a, b] = 1 when b == c
    in_row = eye[:, :, None]  # [c, a, b] = 1 when a == c

    precision = _div(tp, predicted)
    recall = _div(tp, actual)
    f1 = _div(2 * tp, predicted + actual)
    per_class = {
        "precision": (precision, _div(unit - precision[:, None, None] * in_column, predicted[:, None, None])),
        "recall": (recall, _div(unit - recall[:, None, None] * in_row, actual[:, None, None])),
        "f1": (
            f1,
            _div(2 * unit - f1[:, None, None] * (in_column + in_row), (predicted + actual)[:, None, None]),
        ),
    }
    accuracy = float(np.trace(matrix) / total) if total else float("nan")
    out = {"accuracy": (accuracy, _div(eye - accuracy, total))}
    for name, (values, gradients) in per_class.items():
        if pos is not None:
            out[name] = (float(values[pos]), gradients[pos])
        else:
            out[name] = (float(values.mean()), gradients.mean(axis=0))
    return out


def confusion_variance(gradient: np.ndarray, expected: np.ndarray, second: np.ndarray) -> float:
    """Variance of a score of the realized confusion matrix (delta method).

    Each row's label is drawn from its probabilities ``q`` (independently), so column ``b`` of the
    matrix (rows predicted ``b``) has covariance ``diag(expected[:, b]) - second[b]`` where
    ``second[b] = sum of q q^T`` over those rows.
    """
    first = float((gradient**2 * expected).sum())
    cross = float(np.einsum("ab,bac,cb->", gradient, second, gradient))
    return max(first - cross, 0.0)


def histogram_auc(count: np.ndarray, q: np.ndarray, qq: np.ndarray) -> tuple[float, float]:
    """Expected ROC AUC of one class and its variance, from ascending score bins.

    Per bin: ``count`` rows, ``q`` = sum of their probabilities of the class, ``qq`` = sum of
    q(1 - q). Labels are drawn independently; rows in one bin count as tied (half a pair each way).
    The value is E[pairs ranked right] / E[positives x negatives]; the variance comes from the
    Mann-Whitney form AUC = (sum of positive ranks - P(P+1)/2) / (P N), linearised in the labels.
    """
    negatives = count - q
    below_negatives = np.cumsum(negatives) - negatives
    pairs = float((q * below_negatives).sum() + 0.5 * (q * negatives - qq).sum())
    n = float(count.sum())
    p = float(q.sum())
    m = n - p
    product = p * m - float(qq.sum())
    if p <= 0 or m <= 0 or product <= 0:
        return float("nan"), float("nan")
    auc = pairs / product
    mid_rank = np.cumsum(count) - count + (count + 1) / 2
    gradient = (mid_rank - p - 0.5 - auc * (m - p)) / (p * m)
    return auc, float((gradient**2 * qq).sum())


def realized_auc(scores: np.ndarray, positive: np.ndarray) -> float:
    """ROC AUC of one class (ties count half), as scikit-learn's ``roc_auc_score``; NaN if one class is
    absent."""
    from scipy.stats import rankdata  # lazy: scipy is slow to import

    p = int(positive.sum())
    m = positive.size - p
    if p == 0 or m == 0:
        return float("nan")
    ranks = rankdata(scores)
    return float((ranks[positive].sum() - p * (p + 1) / 2) / (p * m))


def realized_scores(
    y_true: np.ndarray, y_pred: np.ndarray, raw: np.ndarray, pos: int | None
) -> dict[str, float]:
    """Accuracy, precision, recall, F1 and ROC AUC (one-vs-rest macro for multiclass) of labelled rows."""
    k = raw.shape[1]
    matrix = np.bincount(y_true * k + y_pred, minlength=k * k).reshape(k, k)
    out = {name: value for name, (value, _) in confusion_scores(matrix, pos).items()}
    classes = [pos] if pos is not None else range(k)
    out["roc_auc"] = float(np.mean([realized_auc(raw[:, c], y_true == c) for c in classes]))
    return out


__all__ = [
    "CONFUSION_SCORES",
    "confusion_scores",
    "confusion_variance",
    "histogram_auc",
    "realized_auc",
    "realized_scores",
]
