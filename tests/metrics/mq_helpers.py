"""Data builders and helpers for the model-quality tests (classification and regression)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from monitorflow import ColumnMapping, Report, TestSuite


def binary_frame(
    n: int = 600, seed: int = 0, noise: float = 1.0, labels: tuple[Any, Any] = (0, 1)
) -> pd.DataFrame:
    """Binary target, a probability of ``labels[1]`` (``proba``), its complement, a thresholded
    label prediction, one numerical and one categorical feature."""
    rng = np.random.default_rng(seed)
    y = rng.random(n) < 0.4
    logit = np.where(y, 1.0, -1.0) + rng.normal(0, noise, n)
    p = 1 / (1 + np.exp(-logit))
    neg, pos = labels
    target = np.where(y, pos, neg)
    frame = pd.DataFrame(
        {
            "target": pd.Series(target).astype(type(pos))
            if not isinstance(pos, str)
            else target.astype(object),
            "proba": p,
            "label_pred": np.where(p >= 0.5, pos, neg),
            "num": rng.normal(0, 1, n),
            "cat": rng.choice(["a", "b", "c"], n),
        }
    )
    frame[str(neg)] = 1.0 - p
    frame[str(pos)] = p
    return frame


def multiclass_frame(
    n: int = 900, k: int = 3, seed: int = 0, noise: float = 1.0
) -> tuple[pd.DataFrame, list[str]]:
    """String target ``class_i``, one softmax probability column per label, the arg-max label."""
    rng = np.random.default_rng(seed)
    labels = [f"class_{i}" for i in range(k)]
    y = rng.choice(k, n, p=np.linspace(1, 2, k) / np.linspace(1, 2, k).sum())
    logits = rng.normal(0, noise, (n, k))
    logits[np.arange(n), y] += 1.5
    probas = np.exp(logits - logits.max(axis=1, keepdims=True))
    probas /= probas.sum(axis=1, keepdims=True)
    frame = pd.DataFrame(probas, columns=labels)
    frame["target"] = np.array(labels, dtype=object)[y]
    frame["prediction"] = np.array(labels, dtype=object)[probas.argmax(axis=1)]
    frame["num"] = rng.normal(0, 1, n) + y
    frame["cat"] = rng.choice(["u", "v"], n)
    return frame, labels


def regression_frame(n: int = 800, seed: int = 0, bias: float = 0.0, noise: float = 0.1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    y = rng.lognormal(3, 0.5, n)
    frame = pd.DataFrame(
        {
            "target": y,
            "prediction": y * rng.normal(1 + bias, noise, n),
            "num": rng.normal(0, 1, n),
            "cat": rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2]),
        }
    )
    return frame


def run_report(
    metrics: list[Any], current: pd.DataFrame, reference: pd.DataFrame | None = None, **mapping: Any
) -> Report:
    report = Report(metrics=metrics)
    report.run(reference_data=reference, current_data=current, column_mapping=ColumnMapping(**mapping))
    return report


def result_of(
    metric: Any, current: pd.DataFrame, reference: pd.DataFrame | None = None, **mapping: Any
) -> Any:
    return run_report([metric], current, reference, **mapping).result(metric)


def run_tests(
    tests: list[Any], current: pd.DataFrame, reference: pd.DataFrame | None = None, **mapping: Any
) -> list[Any]:
    suite = TestSuite(tests=tests)
    suite.run(reference_data=reference, current_data=current, column_mapping=ColumnMapping(**mapping))
    return suite.results


def run_test(test: Any, current: pd.DataFrame, reference: pd.DataFrame | None = None, **mapping: Any) -> Any:
    return run_tests([test], current, reference, **mapping)[0]


def approx(value: float, rel: float = 1e-9, abs: float = 1e-12) -> Any:
    return pytest.approx(value, rel=rel, abs=abs, nan_ok=True)


def log_loss_sklearn(y_true: Any, probas: Any, labels: Any = None) -> float:
    """scikit-learn's log_loss across its argument rename (``y_pred`` -> ``y_proba`` in 1.9)."""
    from sklearn.metrics import log_loss

    try:
        return float(log_loss(y_true, y_proba=probas, labels=labels))
    except TypeError:
        return float(log_loss(y_true, probas, labels=labels))
