"""ConflictTargetMetric, ConflictPredictionMetric and their tests, against a pandas groupby.

The count is every row of a group of equal feature values (missing equal to missing) whose target
(prediction) takes more than one distinct value, a missing target counting as a value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import monitorflow.metrics.conflicts as conflicts_module
from monitorflow.checks.base import TestStatus
from monitorflow.checks.correlations import TestConflictPrediction, TestConflictTarget
from monitorflow.column_mapping import ColumnMapping
from monitorflow.errors import ConfigurationError
from monitorflow.metrics.conflicts import ConflictPredictionMetric, ConflictTargetMetric, count_conflicts
from tests.metrics.metric_runs import run_metric, run_test

S, F, E = TestStatus.SUCCESS, TestStatus.FAIL, TestStatus.ERROR


def pandas_conflicts(frame: pd.DataFrame, features: list, outcome) -> int:
    """Independent definition: groupby on the features, distinct outcomes (missing included) per group."""
    key = frame[outcome].astype(str).agg("|".join, axis=1) if isinstance(outcome, list) else frame[outcome]
    distinct = key.groupby([frame[f] for f in features], dropna=False).transform(
        lambda s: s.nunique(dropna=False)
    )
    return int((distinct > 1).sum())


def labelled(seed: int, n: int = 400, missing: bool = True) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "age": rng.integers(20, 24, n).astype(float),
            "plan": rng.choice(["basic", "pro", None], n, p=[0.5, 0.4, 0.1]).astype(object),
            "score": rng.choice([0.5, 1.5], n),
            "target": rng.choice([0, 1], n, p=[0.8, 0.2]).astype(float),
            "prediction": rng.choice(["no", "yes"], n, p=[0.9, 0.1]).astype(object),
        }
    )
    if missing:
        frame.loc[rng.random(n) < 0.1, "age"] = np.nan
        frame.loc[rng.random(n) < 0.05, "target"] = np.nan
        frame.loc[rng.random(n) < 0.05, "prediction"] = None
    return frame


FEATURES = ["age", "plan", "score"]


def test_target_conflicts_equal_pandas_groupby_with_full_precision_share():
    current, reference = labelled(0), labelled(1, n=250)
    result = run_metric(ConflictTargetMetric(), current, reference)
    expected = pandas_conflicts(current, FEATURES, "target")
    expected_ref = pandas_conflicts(reference, FEATURES, "target")
    assert 0 < expected < len(current)
    assert result.number_not_stable_target == expected
    assert result.share_not_stable_target == expected / len(current)  # not rounded
    assert result.number_not_stable_target_ref == expected_ref
    assert result.share_not_stable_target_ref == expected_ref / len(reference)


def test_prediction_conflicts_equal_pandas_groupby():
    current, reference = labelled(2), labelled(3)
    result = run_metric(ConflictPredictionMetric(), current, reference)
    expected = pandas_conflicts(current, FEATURES, "prediction")
    assert result.current.number_not_stable_prediction == expected
    assert result.current.share_not_stable_prediction == expected / len(current)
    assert result.reference.number_not_stable_prediction == pandas_conflicts(
        reference, FEATURES, "prediction"
    )
    assert (result.number_not_stable_prediction, result.number_not_stable_prediction_ref) == (
        expected,
        result.reference.number_not_stable_prediction,
    )
    assert run_metric(ConflictPredictionMetric(), current).reference is None


def test_definition_on_a_small_example():
    frame = pd.DataFrame(
        {
            "f": [1.0, 1.0, 1.0, 1.0, np.nan, np.nan, 2.0, 2.0, 3.0],
            "target": [0.0, 0.0, 1.0, np.nan, 5.0, 6.0, 7.0, 7.0, 8.0],
        }
    )
    result = run_metric(ConflictTargetMetric(), frame, mapping=ColumnMapping(prediction=None))
    # f=1: targets {0, 1, NaN} -> 4 rows; f=NaN: {5, 6} -> 2 rows; f=2: {7} -> 0; f=3 alone -> 0
    assert result.number_not_stable_target == 6
    assert result.share_not_stable_target == 6 / 9


@settings(max_examples=settings().max_examples * 3 // 2)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([0.0, 1.0, np.nan]),
            st.sampled_from(["a", "b", None]),
            st.sampled_from([0, 1, 2]),
            st.sampled_from([0.0, 1.0, np.nan]),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_count_conflicts_property(rows):
    frame = pd.DataFrame(rows, columns=["x", "y", 3, "t"])
    assert count_conflicts(frame, ["x", "y", 3], ["t"]) == pandas_conflicts(frame, ["x", "y", 3], "t")


def test_hash_collisions_cannot_merge_different_feature_rows(monkeypatch):
    frame = labelled(4)

    def colliding(obj, index=True):
        return pd.Series(np.zeros(len(obj), dtype=np.uint64))  # every row gets the same hash

    monkeypatch.setattr(conflicts_module.pd.util, "hash_pandas_object", colliding)
    assert count_conflicts(frame, FEATURES, ["target"]) == pandas_conflicts(frame, FEATURES, "target")


def test_integer_column_names_and_probability_predictions():
    rng = np.random.default_rng(5)
    n = 300
    p = rng.choice([0.2, 0.7], n)
    frame = pd.DataFrame(
        {
            0: rng.integers(0, 3, n),
            1: rng.choice(["u", "v"], n),
            7: rng.integers(0, 2, n),
            "p_no": 1 - p,
            "p_yes": p,
        }
    )
    mapping = ColumnMapping(target=7, prediction=["p_no", "p_yes"])
    target = run_metric(ConflictTargetMetric(), frame, mapping=mapping)
    assert target.number_not_stable_target == pandas_conflicts(frame, [0, 1], 7)
    prediction = run_metric(ConflictPredictionMetric(), frame, mapping=mapping)
    assert prediction.current.number_not_stable_prediction == pandas_conflicts(
        frame, [0, 1], ["p_no", "p_yes"]
    )


def test_large_frame_is_vectorised_and_exact():
    rng = np.random.default_rng(6)
    n = 100_000
    frame = pd.DataFrame({f"f{i}": rng.integers(0, 5, n) for i in range(5)})
    frame["target"] = rng.choice([0, 1], n, p=[0.99, 0.01])
    assert count_conflicts(frame, [f"f{i}" for i in range(5)], ["target"]) == pandas_conflicts(
        frame, [f"f{i}" for i in range(5)], "target"
    )


def test_missing_target_or_prediction_raises_naming_the_mapping_field():
    frame = labelled(0).drop(columns=["target", "prediction"])
    with pytest.raises(ConfigurationError, match=r"ColumnMapping\(target=") as info:
        run_metric(ConflictTargetMetric(), frame)
    assert info.value.argument == "column_mapping.target"
    with pytest.raises(ConfigurationError, match=r"ColumnMapping\(prediction=") as info:
        run_metric(ConflictPredictionMetric(), frame)
    assert info.value.argument == "column_mapping.prediction"


def test_no_feature_columns_raises():
    frame = pd.DataFrame({"target": [0, 1, 0], "prediction": [1, 1, 0]})
    with pytest.raises(ConfigurationError, match="feature"):
        run_metric(ConflictTargetMetric(), frame)


# ------------------------------------------------------------------------------------- tests


def stable(n: int = 200, seed: int = 0) -> pd.DataFrame:
    """No conflicts: the target and prediction are functions of the features."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 10, n)
    return pd.DataFrame({"x": x, "target": x % 2, "prediction": (x > 4).astype(int)})


def with_conflicts(rows: int, n: int = 200, seed: int = 0, column: str = "target") -> pd.DataFrame:
    """``rows`` rows in conflicting groups: pairs of rows with a unique feature value and different labels."""
    frame = stable(n, seed)
    pairs = rows // 2
    frame.loc[: 2 * pairs - 1, "x"] = np.repeat(np.arange(100, 100 + pairs), 2)
    frame.loc[: 2 * pairs - 1, column] = np.tile([0, 1], pairs)
    return frame


@pytest.mark.parametrize(
    ("test_class", "column"), [(TestConflictTarget, "target"), (TestConflictPrediction, "prediction")]
)
def test_conflict_tests_without_reference_allow_none(test_class, column):
    clean = run_test(test_class(), stable())
    assert (clean.status, clean.parameters["value"], clean.parameters["condition"]) == (S, 0, {"lte": 0})
    dirty = run_test(test_class(), with_conflicts(4, column=column))
    assert (dirty.status, dirty.parameters["value"]) == (F, 4)


@pytest.mark.parametrize(
    ("test_class", "column"), [(TestConflictTarget, "target"), (TestConflictPrediction, "prediction")]
)
def test_conflict_tests_with_reference_at_most_reference_per_row_plus_ten_percent(test_class, column):
    reference = with_conflicts(20, n=200, column=column)  # 20 conflicting rows per 200
    # 400 current rows: the bound is 20 * 2 = 40, + 10% = 44
    inside = run_test(test_class(), with_conflicts(44, n=400, seed=1, column=column), reference)
    assert inside.status == S
    assert inside.parameters["condition"] == {"lte": {"value": 40.0, "relative": 0.1, "absolute": 1e-12}}
    assert inside.parameters["reference_value"] == 20
    outside = run_test(test_class(), with_conflicts(46, n=400, seed=1, column=column), reference)
    assert (outside.status, outside.parameters["value"]) == (F, 46)
    assert run_test(test_class(), stable(400), reference).status == S  # an improvement never fails
    # a clean reference: lte 0
    assert run_test(test_class(), with_conflicts(2, column=column), stable()).status == F


def test_conflict_tests_error_without_target_or_prediction():
    frame = stable().drop(columns=["target", "prediction"])
    for test in (TestConflictTarget(), TestConflictPrediction()):
        result = run_test(test, frame)
        assert result.status == E
        assert "ColumnMapping(" in result.description
