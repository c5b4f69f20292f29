"""ClassificationPreset on SQL sources (PostgreSQL and DuckDB) equals the in-memory run on the same rows.

The database computes pass A; the classification statistics stream the target and prediction
columns (and the features, for the per-feature table) in ``id`` order.
"""

from __future__ import annotations

import numpy as np
import pytest

from monitorflow import ColumnMapping, Report, TestSuite
from monitorflow.metric_preset import ClassificationPreset
from monitorflow.metrics import ClassificationDummyMetric
from monitorflow.scale.sql import SQLTableSource
from monitorflow.test_preset import BinaryClassificationTestPreset, MulticlassClassificationTestPreset

from .sql_tables import read_back, write_table
from .test_scale_parity import assert_same
from .test_scale_sql import db_url  # noqa: F401 - the fixture

pytest.importorskip("sqlalchemy")


def classification_columns(n: int, seed: int) -> dict:
    """A 0/1 target with NULLs, its probability (rounded: ties; NULL and NaN), a text label and its
    prediction, a numerical feature."""
    rng = np.random.default_rng(seed)
    target = rng.integers(0, 2, n).astype(float)
    score = np.round(np.clip(0.4 * target + 0.6 * rng.random(n), 0, 1), 2)
    labels = np.array(["cat", "dog", "eel"], dtype=object)
    label = labels[rng.integers(0, 3, n)]
    guess = np.where(rng.random(n) < 0.7, label, labels[rng.integers(0, 3, n)])
    return {
        "target": ("float", [None if rng.random() < 0.05 else v for v in target]),
        "score": ("float", [float("nan") if rng.random() < 0.03 else v for v in score]),
        "label": ("text", [None if rng.random() < 0.05 else v for v in label]),
        "guess": ("text", list(guess)),
        "size": ("float", list(rng.normal(size=n))),
    }


def run_both(url: str, make, mapping: ColumnMapping):
    reference, current = read_back(url, "reference"), read_back(url, "current")
    outcomes = []
    for ref, cur in (
        (reference, current),
        (
            SQLTableSource(url, table="reference", order_by="id"),
            SQLTableSource(url, table="current", order_by="id"),
        ),
    ):
        suite = make()
        suite.run(reference_data=ref, current_data=cur, column_mapping=mapping)
        data = suite.as_dict()
        data.pop("timestamp", None)
        outcomes.append(data)
    return outcomes


@pytest.fixture
def tables(db_url):  # noqa: F811
    write_table(db_url, "reference", classification_columns(700, seed=1))
    write_table(db_url, "current", classification_columns(500, seed=2))
    return db_url


def test_binary_probabilities_equal_the_in_memory_run(tables):
    mapping = ColumnMapping(target="target", prediction="score", pos_label=1.0, task="classification")
    expected, got = run_both(
        tables,
        lambda: Report(metrics=[ClassificationPreset(columns=["size"]), ClassificationDummyMetric()]),
        ColumnMapping(**mapping.model_dump(exclude_unset=True), categorical_features=["label", "guess"]),
    )
    assert all("error" not in entry for entry in got["metrics"])
    assert_same(expected, got)
    expected, got = run_both(tables, lambda: TestSuite(tests=[BinaryClassificationTestPreset()]), mapping)
    assert_same(expected, got)


def test_multiclass_labels_equal_the_in_memory_run(tables):
    mapping = ColumnMapping(target="label", prediction="guess", task="classification")
    expected, got = run_both(tables, lambda: Report(metrics=[ClassificationPreset()]), mapping)
    assert all("error" not in entry for entry in got["metrics"])
    assert_same(expected, got)
    expected, got = run_both(tables, lambda: TestSuite(tests=[MulticlassClassificationTestPreset()]), mapping)
    assert_same(expected, got)
