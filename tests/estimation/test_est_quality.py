"""Scores of (expected) confusion matrices and ROC AUC: values, gradients and variances checked
against scikit-learn and Monte-Carlo draws of the labels."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score

from monitorflow.estimation.quality import (
    confusion_scores,
    confusion_variance,
    histogram_auc,
    realized_auc,
    realized_scores,
)


def labels_of(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    k = matrix.shape[0]
    cells = [(a, b) for a in range(k) for b in range(k) for _ in range(int(matrix[a, b]))]
    y_true, y_pred = (np.array(side, dtype=int) for side in zip(*cells, strict=True))
    return y_true, y_pred


@settings(max_examples=80, deadline=None)
@given(k=st.integers(2, 4), seed=st.integers(0, 10_000), binary_pos=st.booleans())
def test_scores_equal_sklearn(k, seed, binary_pos):
    rng = np.random.default_rng(seed)
    matrix = rng.integers(0, 6, (k, k))
    matrix[0, 0] += 1
    y_true, y_pred = labels_of(matrix)
    pos = 1 if k == 2 and binary_pos else None
    scores = confusion_scores(matrix, pos)
    assert scores["accuracy"][0] == pytest.approx(accuracy_score(y_true, y_pred))
    common = {"labels": list(range(k)), "zero_division": 0}
    average = {"average": "binary", "pos_label": 1} if pos is not None else {"average": "macro"}
    for name, fn in (("precision", precision_score), ("recall", recall_score), ("f1", f1_score)):
        assert scores[name][0] == pytest.approx(fn(y_true, y_pred, **common, **average)), name


def test_gradients_match_finite_differences():
    rng = np.random.default_rng(4)
    matrix = rng.uniform(5, 50, (3, 3))
    for pos in (None,):
        scores = confusion_scores(matrix, pos)
        for name, (_, gradient) in scores.items():
            numeric = np.zeros_like(matrix)
            for a in range(3):
                for b in range(3):
                    step = np.zeros_like(matrix)
                    step[a, b] = 1e-5
                    up = confusion_scores(matrix + step, pos)[name][0]
                    down = confusion_scores(matrix - step, pos)[name][0]
                    numeric[a, b] = (up - down) / 2e-5
            np.testing.assert_allclose(gradient, numeric, atol=1e-8, err_msg=name)


def draw_labels(rng: np.random.Generator, q: np.ndarray, draws: int) -> np.ndarray:
    """(draws, rows) labels, each row's label drawn from its probabilities q (rows x classes)."""
    cumulative = q.cumsum(axis=1)
    u = rng.random((draws, q.shape[0], 1))
    return np.minimum((u > cumulative[None]).sum(axis=2), q.shape[1] - 1)


def test_confusion_variance_matches_monte_carlo():
    rng = np.random.default_rng(5)
    n, k = 1500, 3
    q = rng.dirichlet(np.ones(k) * 0.7, n)
    pred = rng.integers(0, k, n)
    expected = np.stack([np.bincount(pred, weights=q[:, a], minlength=k) for a in range(k)])
    second = np.stack([q[pred == b].T @ q[pred == b] for b in range(k)])
    labels = draw_labels(rng, q, 3000)
    for pos in (None,):
        scores = confusion_scores(expected, pos)
        realized = {name: [] for name in scores}
        for y in labels:
            matrix = np.bincount(y * k + pred, minlength=k * k).reshape(k, k)
            for name, (value, _) in confusion_scores(matrix, pos).items():
                realized[name].append(value)
        for name, (value, gradient) in scores.items():
            draws = np.array(realized[name])
            assert draws.mean() == pytest.approx(value, abs=4 * draws.std() / np.sqrt(draws.size) + 1e-3), (
                name
            )
            assert np.sqrt(confusion_variance(gradient, expected, second)) == pytest.approx(
                draws.std(), rel=0.08
            ), name


def test_realized_auc_equals_sklearn_with_ties():
    rng = np.random.default_rng(6)
    scores = np.round(rng.random(500), 1)
    positive = rng.random(500) < scores
    assert realized_auc(scores, positive) == pytest.approx(roc_auc_score(positive, scores))
    assert np.isnan(realized_auc(scores, np.zeros(500, bool)))


def test_histogram_auc_matches_monte_carlo_mean_and_spread():
    rng = np.random.default_rng(7)
    n = 3000
    raw = rng.beta(2, 2, n)
    q = np.clip(raw**1.5, 0, 1)  # calibrated probabilities, a monotone map of the raw score
    bins = np.minimum((raw * 2**14).astype(int), 2**14 - 1)
    count = np.bincount(bins, minlength=2**14).astype(float)
    auc, variance = histogram_auc(
        count,
        np.bincount(bins, weights=q, minlength=2**14),
        np.bincount(bins, weights=q * (1 - q), minlength=2**14),
    )
    draws = np.array([roc_auc_score(rng.random(n) < q, raw) for _ in range(1500)])
    assert auc == pytest.approx(draws.mean(), abs=4 * draws.std() / np.sqrt(draws.size) + 2e-4)
    assert np.sqrt(variance) == pytest.approx(draws.std(), rel=0.08)


def test_realized_scores_binary_and_multiclass_equal_sklearn():
    rng = np.random.default_rng(8)
    p = rng.random(400)
    raw = np.c_[1 - p, p]
    y = (rng.random(400) < p).astype(int)
    pred = (p >= 0.5).astype(int)
    scores = realized_scores(y, pred, raw, 1)
    assert scores["f1"] == pytest.approx(f1_score(y, pred))
    assert scores["roc_auc"] == pytest.approx(roc_auc_score(y, p))
    q = rng.dirichlet(np.ones(3), 400)
    y3 = rng.integers(0, 3, 400)
    scores = realized_scores(y3, q.argmax(axis=1), q, None)
    assert scores["roc_auc"] == pytest.approx(roc_auc_score(y3, q, multi_class="ovr", average="macro"))
    assert scores["recall"] == pytest.approx(recall_score(y3, q.argmax(axis=1), average="macro"))
