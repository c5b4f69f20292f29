"""Simulated classifiers and regressors whose true probabilities / error distributions are known."""

from __future__ import annotations

import numpy as np
import pandas as pd


def logistic(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def binary_rows(
    rng: np.random.Generator, n: int, shift: float = 0.0, overconfidence: float = 1.0
) -> pd.DataFrame:
    """x ~ N(shift, 1); P(y=1|x) = logistic(2x - 0.5); the model's score is logistic(overconfidence
    * logit p) (1: calibrated). Columns: x, true_p, prediction (the score), target."""
    x = rng.normal(shift, 1.0, n)
    p = logistic(2 * x - 0.5)
    score = logistic(overconfidence * (2 * x - 0.5))
    return pd.DataFrame({"x": x, "true_p": p, "prediction": score, "target": (rng.random(n) < p).astype(int)})


def multiclass_rows(
    rng: np.random.Generator, n: int, classes: tuple[str, ...] = ("a", "b", "c")
) -> pd.DataFrame:
    """Softmax probabilities of random logits (calibrated by construction) and labels drawn from them."""
    logits = rng.normal(size=(n, len(classes))) * 1.5
    p = np.exp(logits)
    p /= p.sum(axis=1, keepdims=True)
    cumulative = p.cumsum(axis=1)
    y = (rng.random((n, 1)) > cumulative).sum(axis=1)
    frame = pd.DataFrame(p, columns=list(classes))
    frame["target"] = np.array(classes)[np.minimum(y, len(classes) - 1)]
    return frame


def regression_rows(rng: np.random.Generator, n: int, shift: float = 0.0) -> pd.DataFrame:
    """y = prediction + N(0, sigma(x)) with sigma = 0.5 + |x1|: heteroscedastic, known error law."""
    x = rng.normal(shift, 1.0, (n, 3))
    prediction = x @ np.array([1.0, 0.5, 0.0])
    sigma = 0.5 + np.abs(x[:, 0])
    frame = pd.DataFrame(x, columns=["x1", "x2", "x3"])
    frame["prediction"] = prediction
    frame["sigma"] = sigma
    frame["target"] = prediction + rng.normal(0.0, sigma)
    return frame
