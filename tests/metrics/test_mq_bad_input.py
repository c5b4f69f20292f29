"""Bad inputs give a clear MonitoringError naming the column and the fix, or a result reporting the issue."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import metrics as skm

from monitorflow.checks.base import TestStatus
from monitorflow.checks.classification import TestPrecisionByClass, TestRocAuc, TestTPR
from monitorflow.checks.regression import TestValueMAE
from monitorflow.errors import (
    ColumnNotFoundError,
    ColumnTypeError,
    ConfigurationError,
    InputDataError,
    MonitoringError,
)
from monitorflow.metrics.classification import (
    ClassificationConfusionMatrix,
    ClassificationQualityByClass,
    ClassificationQualityMetric,
    ClassificationRocCurve,
)
from monitorflow.metrics.regression import RegressionQualityMetric
from tests.metrics.mq_helpers import (
    approx,
    binary_frame,
    multiclass_frame,
    regression_frame,
    result_of,
    run_report,
    run_test,
)

# --------------------------------------------------------------------------- missing columns


def test_missing_default_target_names_the_column_and_the_fix():
    frame = binary_frame()[["proba", "num"]]
    with pytest.raises(ColumnNotFoundError) as error:
        run_report([ClassificationQualityMetric()], frame, prediction="proba")
    message = str(error.value)
    assert "'target'" in message and "ColumnMapping(target=" in message and "'proba'" in message


def test_missing_default_prediction_names_the_column():
    frame = binary_frame()[["target", "num"]]
    with pytest.raises(ColumnNotFoundError, match=r"'prediction'.*ColumnMapping\(prediction="):
        run_report([ClassificationQualityMetric()], frame)
    with pytest.raises(ColumnNotFoundError, match="'prediction'"):
        run_report([RegressionQualityMetric()], regression_frame()[["target"]])


def test_explicit_target_absent_is_rejected_by_the_mapping():
    with pytest.raises(ColumnNotFoundError, match="'label'"):
        run_report([ClassificationQualityMetric()], binary_frame(), target="label", prediction="proba")


def test_target_only_in_current_points_at_reference_data():
    current = binary_frame(seed=1)
    reference = binary_frame(seed=2).drop(columns=["target"])
    with pytest.raises(ColumnNotFoundError, match="reference_data"):
        run_report([ClassificationQualityMetric()], current, reference, prediction="proba")


def test_probability_column_missing_in_reference():
    frame, labels = multiclass_frame()
    with pytest.raises(ColumnNotFoundError, match="class_2"):
        run_report([ClassificationQualityMetric()], frame, frame.drop(columns=["class_2"]), prediction=labels)


def test_a_test_with_missing_columns_is_an_error_not_a_crash():
    result = run_test(TestRocAuc(), binary_frame()[["proba", "num"]], prediction="proba")
    assert result.status == TestStatus.ERROR and "'target'" in result.description


# ----------------------------------------------------------------------------- probabilities


@pytest.mark.parametrize("bad", [1.5, -0.2, np.inf])
def test_probability_outside_0_1_names_the_column_and_value(bad):
    frame = binary_frame()
    frame.loc[3, "proba"] = bad
    with pytest.raises(InputDataError) as error:
        run_report([ClassificationQualityMetric()], frame, prediction="proba")
    assert "'proba'" in str(error.value) and "[0, 1]" in str(error.value) and "sigmoid" in str(error.value)


def test_probability_columns_not_summing_to_one():
    frame, labels = multiclass_frame()
    frame.loc[5, "class_0"] += 0.01
    with pytest.raises(InputDataError, match=r"do not sum to 1 in 1 rows.*div\(df\[cols\]\.sum"):
        run_report([ClassificationQualityMetric()], frame, prediction=labels)


def test_probability_rows_within_tolerance_are_accepted():
    frame, labels = multiclass_frame()
    frame.loc[5, "class_0"] += 5e-7
    quality = result_of(ClassificationQualityMetric(), frame, prediction=labels).current
    binarized = (frame["target"].to_numpy()[:, None] == np.array(labels)).astype(int)
    assert quality.roc_auc == approx(skm.roc_auc_score(binarized, frame[labels].to_numpy(), average="macro"))


def test_target_label_without_probability_column():
    frame, labels = multiclass_frame()
    frame.loc[0, "target"] = "class_9"
    with pytest.raises(InputDataError, match="'class_9'.*without a probability column"):
        run_report([ClassificationQualityMetric()], frame, prediction=labels)


def test_integer_target_matches_string_probability_columns():
    frame = binary_frame()
    result = result_of(ClassificationQualityMetric(), frame, prediction=["0", "1"], pos_label="1")
    assert result.current.roc_auc == approx(skm.roc_auc_score(frame["target"], frame["1"]))


def test_single_probability_column_in_a_list_is_rejected():
    with pytest.raises(ConfigurationError, match="one probability column"):
        run_report([ClassificationQualityMetric()], binary_frame(), prediction=["proba"])


def test_curves_need_probabilities_the_report_records_the_error():
    report = run_report(
        [ClassificationRocCurve(), ClassificationQualityMetric()], binary_frame(), prediction="label_pred"
    )
    entries = report.as_dict()["metrics"]
    assert "needs predicted probabilities" in entries[0]["error"]
    assert "result" in entries[1]


# --------------------------------------------------------------------------- labels and classes


def test_labels_in_current_unseen_in_reference_are_reported():
    reference = pd.DataFrame({"target": ["a", "b"] * 20, "prediction": ["a", "b"] * 20})
    current = pd.DataFrame(
        {"target": ["a", "b", "c"] * 10, "prediction": ["a", "b", "c"] * 9 + ["a", "a", "b"]}
    )
    quality = result_of(ClassificationQualityMetric(), current, reference)
    assert quality.labels_unseen_in_reference == ["c"]
    matrix = result_of(ClassificationConfusionMatrix(), current, reference)
    assert matrix.reference_matrix.labels == ["a", "b", "c"] and matrix.reference_matrix.values[2] == [
        0,
        0,
        0,
    ]
    by_class = result_of(ClassificationQualityByClass(), current, reference)
    assert by_class.labels_unseen_in_reference == ["c"] and by_class.reference.metrics["c"].support == 0
    result = run_test(TestPrecisionByClass(label="c"), current, reference)
    assert result.status == TestStatus.ERROR and "does not occur in reference_data" in result.description
    assert run_test(TestPrecisionByClass(label="a"), current, reference).status == TestStatus.SUCCESS


def test_a_single_class_everywhere_is_an_error():
    frame = pd.DataFrame({"target": ["a"] * 10, "prediction": ["a"] * 10})
    with pytest.raises(InputDataError, match="single class"):
        run_report([ClassificationQualityMetric()], frame)


def test_a_single_class_in_one_dataset_reports_undefined_roc_auc():
    reference = binary_frame(seed=3)
    current = binary_frame(seed=4)
    current = current[current["target"] == 1]
    result = result_of(ClassificationQualityMetric(), current, reference, prediction="proba")
    assert result.current.roc_auc is None
    assert result.reference.roc_auc == approx(skm.roc_auc_score(reference["target"], reference["proba"]))
    assert any("ROC AUC is undefined in current_data" in note for note in result.current.notes)
    assert result.current.recall == approx(skm.recall_score(current["target"], current["proba"] >= 0.5))
    test = run_test(TestRocAuc(), current, reference, prediction="proba")
    assert test.status == TestStatus.ERROR and "not available" in test.description


def test_single_class_with_the_other_from_pos_label():
    """Only negatives in the data: pos_label names the second class of a probability prediction."""
    frame = pd.DataFrame({"target": ["no"] * 20, "proba": np.linspace(0, 0.6, 20)})
    quality = result_of(ClassificationQualityMetric(), frame, prediction="proba", pos_label="yes").current
    assert quality.accuracy == approx(np.mean(frame["proba"] < 0.5)) and quality.roc_auc is None


def test_multiclass_label_absent_from_the_target_is_left_out_of_macro_roc_auc():
    frame, labels = multiclass_frame(n=600, k=4)
    frame = frame[frame["target"] != "class_3"]
    quality = result_of(ClassificationQualityMetric(), frame, prediction=labels).current
    binarized = (frame["target"].to_numpy()[:, None] == np.array(labels[:3])).astype(int)
    assert quality.roc_auc == approx(
        skm.roc_auc_score(binarized, frame[labels[:3]].to_numpy(), average="macro")
    )
    assert "class_3" in quality.notes[0]


def test_string_and_integer_labels_mixed_between_columns():
    frame = pd.DataFrame({"target": [0, 1] * 10, "prediction": ["0", "1"] * 10})
    with pytest.raises(ColumnTypeError) as error:
        run_report([ClassificationQualityMetric()], frame, task="classification")
    assert error.value.column == "prediction" and "astype" in str(error.value)


def test_string_and_integer_labels_mixed_in_one_column():
    frame = pd.DataFrame({"target": pd.Series([0, "1"] * 10, dtype=object), "prediction": [0, 1] * 10})
    with pytest.raises(ColumnTypeError, match=r"'target'.*mixes strings and numbers"):
        run_report([ClassificationQualityMetric()], frame, task="classification")


def test_pos_label_not_among_the_labels():
    with pytest.raises(ConfigurationError, match="pos_label 1 is not one of the labels"):
        run_report([ClassificationQualityMetric()], binary_frame(labels=("no", "yes")), prediction="proba")


def test_threshold_and_k_need_binary_probabilities():
    frame, labels = multiclass_frame()
    with pytest.raises(ConfigurationError, match="binary classification with probabilities"):
        run_report([ClassificationQualityMetric(probas_threshold=0.3)], frame, prediction=labels)
    result = run_test(TestTPR(k=3), frame, prediction=labels)
    assert result.status == TestStatus.ERROR


def test_threshold_and_k_together_are_rejected():
    with pytest.raises(ConfigurationError, match="not both"):
        ClassificationQualityMetric(probas_threshold=0.4, k=3)
    with pytest.raises(ConfigurationError, match="not both"):
        TestTPR(probas_threshold=0.4, k=3)
    with pytest.raises(ConfigurationError):
        ClassificationQualityMetric(k=0)


def test_binary_rates_on_multiclass_are_an_error():
    frame, labels = multiclass_frame()
    result = run_test(TestTPR(), frame, prediction=labels)
    assert result.status == TestStatus.ERROR and "binary classification only" in result.description


def test_regression_target_used_as_class_labels_is_refused():
    frame = regression_frame(n=1000)
    with pytest.raises(MonitoringError, match="Is this a regression target"):
        run_report([ClassificationQualityMetric()], frame, task="classification")


# ---------------------------------------------------------------------------------- missing values


def test_rows_with_missing_target_or_prediction_are_dropped_and_counted():
    reference, labels = multiclass_frame(seed=5)
    current, _ = multiclass_frame(seed=6)
    current.loc[[1, 2], "target"] = None
    current.loc[[2, 3, 4], "class_1"] = np.nan
    result = result_of(ClassificationQualityMetric(), current, reference, prediction=labels)
    assert result.current.number_of_dropped_rows == 4 and result.current.number_of_rows == len(current) - 4
    assert result.reference.number_of_dropped_rows == 0
    kept = current.drop(index=[1, 2, 3, 4])
    pred = np.array(labels)[kept[labels].to_numpy().argmax(axis=1)]
    assert result.current.accuracy == approx(skm.accuracy_score(kept["target"], pred))


def test_regression_drops_missing_and_infinite_rows():
    frame = regression_frame(n=300)
    frame.loc[[0, 1], "target"] = np.nan
    frame.loc[[5], "prediction"] = np.inf
    quality = result_of(RegressionQualityMetric(), frame).current
    kept = frame.drop(index=[0, 1, 5])
    assert quality.number_of_dropped_rows == 3 and quality.number_of_rows == 297
    assert quality.rmse == approx(skm.root_mean_squared_error(kept["target"], kept["prediction"]))


def test_all_rows_missing_is_an_error():
    frame = pd.DataFrame({"target": [np.nan, 1.0, np.nan], "prediction": [1.0, np.nan, 2.0]})
    with pytest.raises(InputDataError, match="no row with both a target"):
        run_report([RegressionQualityMetric()], frame, task="regression")


def test_regression_on_text_target_names_the_column():
    frame = pd.DataFrame({"target": ["a", "b", "c"] * 5, "prediction": np.arange(15.0)})
    with pytest.raises(ColumnTypeError) as error:
        run_report([RegressionQualityMetric()], frame)
    assert error.value.column == "target" and "pd.to_numeric" in str(error.value)


def test_regression_with_probability_columns_is_a_configuration_error():
    frame, labels = multiclass_frame()
    with pytest.raises(ConfigurationError, match="one prediction column"):
        run_report([RegressionQualityMetric()], frame, prediction=labels)
    assert run_test(TestValueMAE(), frame, prediction=labels).status == TestStatus.ERROR


@settings(max_examples=max(10, settings().max_examples * 3 // 4))
@given(missing=st.lists(st.integers(0, 199), max_size=40), column=st.sampled_from(["target", "proba"]))
def test_any_missing_rows_are_dropped_and_scores_match_sklearn(missing, column):
    frame = binary_frame(n=200, seed=7)[["target", "proba"]].astype({"target": "float64"})
    frame.loc[sorted(set(missing)), column] = np.nan
    kept = frame.dropna()
    if kept["target"].nunique() < 2:
        return
    quality = result_of(
        ClassificationQualityMetric(), frame, prediction="proba", task="classification"
    ).current
    assert quality.number_of_dropped_rows == len(set(missing))
    assert quality.roc_auc == approx(skm.roc_auc_score(kept["target"], kept["proba"]))
    assert quality.f1 == approx(skm.f1_score(kept["target"], kept["proba"] >= 0.5))


def test_one_probability_column_for_a_multiclass_target():
    frame, _ = multiclass_frame()
    frame["score"] = frame["class_0"]
    with pytest.raises(InputDataError, match="one probability column per label"):
        run_report([ClassificationQualityMetric()], frame, prediction="score")


def test_float_predicted_labels_of_a_multiclass_target():
    frame = pd.DataFrame({"target": [0, 1, 2] * 10, "prediction": [0.0, 1.0, 2.0] * 9 + [1.0, 2.0, 0.0]})
    quality = result_of(ClassificationQualityMetric(), frame, task="classification").current
    assert quality.accuracy == approx(0.9)
