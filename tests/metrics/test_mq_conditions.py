"""Default conditions of the model-quality tests, with and without reference (docs/tests.md).

With reference: scores fail only when worse than the reference by more than the tolerance (20% for
classification, 10% for regression); errors only when larger. Without: better than the dummy model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from monitorflow.checks.base import TestStatus
from monitorflow.checks.classification import (
    TestAccuracyScore,
    TestF1ByClass,
    TestF1Score,
    TestFNR,
    TestFPR,
    TestLogLoss,
    TestPrecisionByClass,
    TestPrecisionScore,
    TestRecallByClass,
    TestRecallScore,
    TestRocAuc,
    TestTNR,
    TestTPR,
)
from monitorflow.checks.regression import (
    TestValueAbsMaxError,
    TestValueMAE,
    TestValueMAPE,
    TestValueMeanError,
    TestValueR2Score,
    TestValueRMSE,
)
from monitorflow.metrics.classification import (
    ClassificationDummyMetric,
    ClassificationQualityByClass,
    ClassificationQualityMetric,
)
from monitorflow.metrics.regression import RegressionDummyMetric, RegressionQualityMetric
from tests.metrics.mq_helpers import (
    binary_frame,
    multiclass_frame,
    regression_frame,
    result_of,
    run_test,
    run_tests,
)

GOOD, BAD = 0.6, 3.0  # noise of a good and of a bad binary model

HIGHER_IS_BETTER = [
    (TestAccuracyScore, "accuracy"),
    (TestPrecisionScore, "precision"),
    (TestRecallScore, "recall"),
    (TestF1Score, "f1"),
    (TestTPR, "tpr"),
    (TestTNR, "tnr"),
    (TestRocAuc, "roc_auc"),
]
LOWER_IS_BETTER = [(TestFPR, "fpr"), (TestFNR, "fnr"), (TestLogLoss, "log_loss")]


def _frames(reference_noise: float, current_noise: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    return binary_frame(n=2000, seed=1, noise=reference_noise), binary_frame(
        n=2000, seed=2, noise=current_noise
    )


@pytest.mark.parametrize(("test_type", "field"), HIGHER_IS_BETTER + LOWER_IS_BETTER)
def test_classification_reference_rule_is_one_sided_20_percent(test_type, field):
    """With reference: ``gte approx(ref, 0.2)`` for scores, ``lte approx(ref, 0.2)`` for errors."""
    reference, current = _frames(GOOD, GOOD)
    result = run_test(test_type(), current, reference, prediction="proba")
    ref_value = getattr(
        result_of(ClassificationQualityMetric(), current, reference, prediction="proba").reference, field
    )
    operator = "gte" if (test_type, field) in HIGHER_IS_BETTER else "lte"
    assert result.parameters["condition"] == {
        operator: {"value": ref_value, "relative": 0.2, "absolute": 1e-12}
    }
    assert result.parameters["reference_value"] == ref_value
    assert result.status == TestStatus.SUCCESS


@pytest.mark.parametrize(("test_type", "field"), HIGHER_IS_BETTER + LOWER_IS_BETTER)
def test_improvement_never_fails_and_degradation_fails(test_type, field):
    bad, good = _frames(BAD, GOOD)[0], _frames(GOOD, GOOD)[1]
    assert (
        run_test(test_type(), good, bad, prediction="proba").status == TestStatus.SUCCESS
    )  # better than reference
    degraded = run_test(test_type(), bad, good, prediction="proba")
    assert degraded.status == TestStatus.FAIL, degraded.description


@pytest.mark.parametrize(
    ("test_type", "field", "operator"),
    [(t, f, "gt") for t, f in HIGHER_IS_BETTER if t is not TestRocAuc]
    + [(t, f, "lt") for t, f in LOWER_IS_BETTER],
)
def test_classification_without_reference_must_beat_the_dummy(test_type, field, operator):
    current = binary_frame(n=2000, seed=3, noise=GOOD)
    result = run_test(test_type(), current, prediction="proba")
    dummy = getattr(result_of(ClassificationDummyMetric(), current, prediction="proba").dummy, field)
    assert result.parameters["condition"] == {operator: dummy}
    assert result.status == TestStatus.SUCCESS


def test_roc_auc_without_reference_must_exceed_half():
    good = binary_frame(n=1000, seed=4, noise=GOOD)
    result = run_test(TestRocAuc(), good, prediction="proba")
    assert result.parameters["condition"] == {"gt": 0.5} and result.status == TestStatus.SUCCESS
    inverted = good.assign(proba=1 - good["proba"])
    assert run_test(TestRocAuc(), inverted, prediction="proba").status == TestStatus.FAIL


def test_a_random_model_fails_against_the_dummy():
    rng = np.random.default_rng(5)
    target = rng.integers(0, 2, 3000)
    frame = pd.DataFrame(
        {"target": target, "proba": 0.95 - 0.1 * target - 0.8 * rng.random(3000)}
    )  # slightly inverted
    results = run_tests([TestLogLoss(), TestRocAuc()], frame, prediction="proba")
    assert [r.status for r in results] == [TestStatus.FAIL, TestStatus.FAIL]


def test_threshold_and_k_reach_metric_and_dummy():
    current = binary_frame(n=2000, seed=6, noise=GOOD)
    result = run_test(TestRecallScore(k=100), current, prediction="proba")
    expected = result_of(ClassificationQualityMetric(k=100), current, prediction="proba").current.recall
    dummy = result_of(ClassificationDummyMetric(k=100), current, prediction="proba").dummy.recall
    assert result.parameters["value"] == expected and result.parameters["condition"] == {"gt": dummy}
    assert result.parameters["k"] == 100


def test_explicit_condition_wins_over_reference():
    reference, current = _frames(GOOD, BAD)
    result = run_test(TestAccuracyScore(gte=0.1), current, reference, prediction="proba")
    assert result.parameters["condition"] == {"gte": 0.1} and result.status == TestStatus.SUCCESS


def test_non_critical_failure_is_a_warning():
    reference, current = _frames(GOOD, BAD)
    assert (
        run_test(TestF1Score(is_critical=False), current, reference, prediction="proba").status
        == TestStatus.WARNING
    )


# ------------------------------------------------------------------------------------ by class


@pytest.mark.parametrize(
    ("test_type", "field"),
    [(TestPrecisionByClass, "precision"), (TestRecallByClass, "recall"), (TestF1ByClass, "f1")],
)
def test_by_class_rules(test_type, field):
    reference, labels = multiclass_frame(n=1500, seed=7, noise=0.8)
    current, _ = multiclass_frame(n=1500, seed=8, noise=0.8)
    with_ref = run_test(test_type("class_1"), current, reference, prediction=labels)
    by_class = result_of(ClassificationQualityByClass(), current, reference, prediction=labels)
    ref_value = getattr(by_class.reference.metrics["class_1"], field)
    assert with_ref.parameters["condition"] == {
        "gte": {"value": ref_value, "relative": 0.2, "absolute": 1e-12}
    }
    assert with_ref.parameters["value"] == getattr(by_class.current.metrics["class_1"], field)
    assert with_ref.status == TestStatus.SUCCESS

    without = run_test(test_type(label="class_1"), current, prediction=labels)
    dummy = result_of(ClassificationDummyMetric(), current, prediction=labels).metrics_matrix["class_1"]
    assert without.parameters["condition"] == {"gt": getattr(dummy, field)}
    assert without.status == TestStatus.SUCCESS
    assert without.parameters["label"] == "class_1"


def test_by_class_unknown_label_is_an_error_naming_the_labels():
    frame, labels = multiclass_frame(seed=9)
    result = run_test(TestPrecisionByClass(label="nope"), frame, prediction=labels)
    assert result.status == TestStatus.ERROR
    assert "'nope'" in result.description and "class_0" in result.description


def test_by_class_integer_label_matches_its_string_key():
    frame = pd.DataFrame({"target": [0, 1, 2] * 50, "prediction": [0, 1, 2] * 49 + [1, 2, 0]})
    result = run_test(TestRecallByClass(label=2), frame, task="classification")
    assert result.status == TestStatus.SUCCESS and result.parameters["value"] == pytest.approx(49 / 50)


# ---------------------------------------------------------------------------------- regression


@pytest.mark.parametrize(
    ("test_type", "field"),
    [
        (TestValueMAE, "mean_abs_error"),
        (TestValueRMSE, "rmse"),
        (TestValueMAPE, "mean_abs_perc_error"),
        (TestValueAbsMaxError, "abs_error_max"),
    ],
)
def test_regression_errors_with_reference_at_most_10_percent_worse(test_type, field):
    reference, current = regression_frame(seed=10, noise=0.1), regression_frame(seed=11, noise=0.1)
    result = run_test(test_type(), current, reference)
    ref_value = getattr(result_of(RegressionQualityMetric(), current, reference).reference, field)
    assert result.parameters["condition"] == {"lte": {"value": ref_value, "relative": 0.1, "absolute": 1e-12}}
    improved = run_test(test_type(), regression_frame(seed=12, noise=0.02), reference)
    assert improved.status == TestStatus.SUCCESS
    worse = run_test(test_type(), regression_frame(seed=12, noise=0.3), reference)
    assert worse.status == TestStatus.FAIL


@pytest.mark.parametrize(
    ("test_type", "default", "operator"),
    [
        (TestValueMAE, "mean_abs_error_default", "lt"),
        (TestValueRMSE, "rmse_default", "lt"),
        (TestValueMAPE, "mean_abs_perc_error_default", "lt"),
        (TestValueAbsMaxError, "abs_error_max_default", "lte"),
    ],
)
def test_regression_errors_without_reference_beat_constant_predictors(test_type, default, operator):
    current = regression_frame(seed=13)
    result = run_test(test_type(), current)
    dummy = getattr(result_of(RegressionDummyMetric(), current), default)
    assert result.parameters["condition"] == {operator: dummy}
    assert result.status == TestStatus.SUCCESS
    constant = current.assign(
        prediction=current["target"].min() - current["target"].std()
    )  # worse than any constant in range
    assert run_test(test_type(), constant).status == TestStatus.FAIL


def test_r2_rules():
    reference, current = regression_frame(seed=14), regression_frame(seed=15)
    with_ref = run_test(TestValueR2Score(), current, reference)
    ref_r2 = result_of(RegressionQualityMetric(), current, reference).reference.r2_score
    assert with_ref.parameters["condition"] == {"gte": {"value": ref_r2, "relative": 0.1, "absolute": 1e-12}}
    assert run_test(TestValueR2Score(), current).parameters["condition"] == {"gt": 0}
    assert (
        run_test(TestValueR2Score(), current.assign(prediction=current["target"].mean())).status
        == TestStatus.FAIL
    )


def test_mean_error_is_a_two_sided_bias_check_without_the_reference():
    current = regression_frame(seed=16)
    reference = regression_frame(seed=17, bias=0.5)
    sigma = result_of(RegressionQualityMetric(), current).me_default_sigma
    for ref in (None, reference):
        result = run_test(TestValueMeanError(), current, ref)
        assert result.parameters["condition"] == {
            "eq": {"value": 0.0, "relative": 1e-6, "absolute": pytest.approx(0.1 * sigma)}
        }
        assert result.status == TestStatus.SUCCESS
        assert "reference_value" not in result.parameters
    for bias in (-0.3, 0.3):
        assert run_test(TestValueMeanError(), regression_frame(seed=16, bias=bias)).status == TestStatus.FAIL
