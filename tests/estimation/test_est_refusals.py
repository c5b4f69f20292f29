"""Each refusal is a MonitoringError subclass that names what is missing and the fix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitorflow import ColumnMapping, Report, TestSuite
from monitorflow.checks import TestEstimatedAccuracy
from monitorflow.errors import (
    EstimationError,
    InputDataError,
    LabelledReferenceRequired,
    MonitoringError,
    NoProbabilitiesError,
    NotProbabilitiesError,
    ReferenceTooSmall,
    UnseenClassError,
)
from monitorflow.metrics import EstimatedClassificationQuality, EstimatedRegressionQuality
from tests.estimation.est_helpers import binary_rows, multiclass_rows, regression_rows

BINARY = ColumnMapping(task="classification")
MULTI = ColumnMapping(prediction=["a", "b", "c"], task="classification")


def run(reference, current, mapping=BINARY, metric=None):
    Report(metrics=[metric or EstimatedClassificationQuality()]).run(
        reference_data=reference, current_data=current, column_mapping=mapping
    )


@pytest.fixture
def rows():
    return binary_rows(np.random.default_rng(0), 2000)


def test_predicted_labels_are_not_probabilities(rows):
    labels = rows.assign(prediction=(rows.prediction > 0.5).astype(int))
    with pytest.raises(
        NoProbabilitiesError,
        match=r"prediction column 'prediction' holds labels.*ColumnMapping\(prediction=\[",
    ):
        run(labels, labels.drop(columns="target"))
    without = rows.drop(columns="prediction")
    with pytest.raises(NoProbabilitiesError, match="no prediction column 'prediction' in current_data"):
        run(without, without)


def test_no_labelled_reference(rows):
    with pytest.raises(LabelledReferenceRequired, match="no reference_data"):
        run(None, rows.drop(columns="target"))
    with pytest.raises(LabelledReferenceRequired, match="reference_data has no target column 'target'"):
        run(rows.drop(columns="target"), rows.drop(columns="target"))
    with pytest.raises(LabelledReferenceRequired, match="has no label"):
        run(rows.assign(target=np.nan), rows.drop(columns="target"))


def test_reference_too_small(rows):
    with pytest.raises(ReferenceTooSmall, match="has 150 labelled rows.*at least 200"):
        run(rows.head(150), rows.drop(columns="target"))
    few_positives = pd.concat([rows[rows.target == 0].head(400), rows[rows.target == 1].head(10)])
    with pytest.raises(ReferenceTooSmall, match="class 1: 10; each class needs at least 25"):
        run(few_positives, rows.drop(columns="target"))
    with pytest.raises(ReferenceTooSmall, match="needs at least 200"):
        regression = regression_rows(np.random.default_rng(1), 100)
        run(regression, regression, ColumnMapping(task="regression"), EstimatedRegressionQuality())


def test_scores_that_are_not_probabilities(rows):
    logits = rows.assign(prediction=np.log(rows.prediction / (1 - rows.prediction)))
    with pytest.raises(
        NotProbabilitiesError,
        match=r"column 'prediction' in current_data holds \d+ values outside \[0, 1\].*sigmoid",
    ):
        run(rows, logits.drop(columns="target"))
    frame = multiclass_rows(np.random.default_rng(2), 1000)
    with pytest.raises(NotProbabilitiesError, match="do not sum to 1.*softmax"):
        run(frame, frame.assign(a=frame.a * 0.5).drop(columns="target"), MULTI)


def test_classes_unseen_in_the_reference():
    frame = multiclass_rows(np.random.default_rng(3), 3000)
    without_c = frame[frame.target != "c"]
    with pytest.raises(
        UnseenClassError, match=r"classes \['c'\] have a probability column but no labelled row"
    ):
        run(without_c, frame.drop(columns="target"), MULTI)
    with pytest.raises(UnseenClassError, match=r"classes \['d'\] without a probability column"):
        run(frame.assign(target=frame.target.replace("c", "d")), frame.drop(columns="target"), MULTI)
    single = binary_rows(np.random.default_rng(4), 1000).assign(target=0)
    with pytest.raises(UnseenClassError, match="single class"):
        run(single, single.drop(columns="target"))


def test_every_refusal_is_an_estimation_and_monitoring_error():
    for error in (
        NoProbabilitiesError,
        LabelledReferenceRequired,
        ReferenceTooSmall,
        NotProbabilitiesError,
        UnseenClassError,
    ):
        assert issubclass(error, EstimationError) and issubclass(error, MonitoringError)


def test_a_refusal_in_a_test_suite_is_an_error_status_with_the_reason(rows):
    suite = TestSuite(tests=[TestEstimatedAccuracy()])
    suite.run(reference_data=rows.head(100), current_data=rows.drop(columns="target"), column_mapping=BINARY)
    (result,) = suite.as_dict()["tests"]
    assert result["status"] == "ERROR"
    assert "at least 200" in result["description"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.lists(
        st.one_of(
            st.floats(allow_nan=True, allow_infinity=True), st.just(0.5), st.text(max_size=2), st.none()
        ),
        min_size=1,
        max_size=30,
    )
)
def test_hostile_current_scores_give_a_result_or_a_clear_refusal(values):
    reference = binary_rows(np.random.default_rng(5), 1000)
    current = pd.DataFrame({"prediction": pd.Series(values, dtype=object)})
    try:
        report = Report(metrics=[EstimatedClassificationQuality()])
        report.run(reference_data=reference, current_data=current, column_mapping=BINARY)
    except (InputDataError, EstimationError, MonitoringError) as exc:
        assert str(exc)
        return
    result = report.as_dict()["metrics"][0]
    if "error" in result:
        assert result["error"]
        return
    value = result["result"]["current"]["accuracy"]["value"]
    assert 0.0 <= value <= 1.0
