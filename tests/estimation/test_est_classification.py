"""CBPE on simulated data whose calibrated probabilities are known: expected confusion matrices equal
their analytic expectation, bands match Monte-Carlo draws, sums merge, states round-trip."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import rankdata
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

from monitorflow import ColumnMapping, Report
from monitorflow.estimation import classification as cbpe
from monitorflow.estimation import states
from monitorflow.metrics import EstimatedClassificationQuality
from tests.estimation.est_helpers import binary_rows, multiclass_rows

BINARY = ColumnMapping(task="classification")
MULTI = ColumnMapping(prediction=["a", "b", "c"], task="classification")


def estimated(reference, current, mapping=BINARY, **params) -> dict:
    report = Report(metrics=[EstimatedClassificationQuality(**params)])
    report.run(reference_data=reference, current_data=current, column_mapping=mapping)
    return report.as_dict()["metrics"][0]["result"]


def test_expected_confusion_matrix_equals_the_analytic_expectation_binary():
    rng = np.random.default_rng(0)
    reference = binary_rows(rng, 5000).assign(prediction=lambda f: f.true_p)
    current = binary_rows(rng, 3000, shift=0.7).assign(prediction=lambda f: f.true_p).drop(columns="target")
    result = estimated(reference, current, calibration="none", probas_threshold=0.3)
    predicted = current.true_p >= 0.3
    by_hand = [
        [(1 - current.true_p[~predicted]).sum(), (1 - current.true_p[predicted]).sum()],
        [current.true_p[~predicted].sum(), current.true_p[predicted].sum()],
    ]
    matrix = result["current"]["expected_confusion_matrix"]
    assert matrix["labels"] == ["0", "1"]
    np.testing.assert_allclose(matrix["matrix"], by_hand, rtol=1e-12)
    accuracy = (by_hand[0][0] + by_hand[1][1]) / len(current)
    precision = by_hand[1][1] / (by_hand[1][1] + by_hand[0][1])
    assert result["current"]["accuracy"]["value"] == pytest.approx(accuracy)
    assert result["current"]["precision"]["value"] == pytest.approx(precision)
    assert result["calibration"]["1"]["calibrated"] is False


def test_expected_confusion_matrix_equals_the_analytic_expectation_multiclass():
    rng = np.random.default_rng(1)
    reference, current = multiclass_rows(rng, 4000), multiclass_rows(rng, 2000).drop(columns="target")
    result = estimated(reference, current, MULTI, calibration="none")
    predicted = current[["a", "b", "c"]].idxmax(axis=1)
    by_hand = current[["a", "b", "c"]].groupby(predicted).sum().reindex(["a", "b", "c"]).fillna(0.0).T
    np.testing.assert_allclose(
        result["current"]["expected_confusion_matrix"]["matrix"], by_hand.to_numpy(), rtol=1e-12
    )


def monte_carlo(rng, q_pos: np.ndarray, predicted: np.ndarray, draws: int = 2000) -> dict[str, np.ndarray]:
    """Accuracy, F1 and ROC AUC of ``draws`` label sets drawn from ``q_pos`` (vectorised; the first
    draw is checked against scikit-learn)."""
    y = rng.random((draws, q_pos.size)) < q_pos
    tp = (y & (predicted == 1)).sum(axis=1)
    positives = y.sum(axis=1)
    accuracy = (y == (predicted == 1)).mean(axis=1)
    f1 = 2 * tp / (positives + predicted.sum())
    ranks = rankdata(q_pos)
    auc = (y @ ranks - positives * (positives + 1) / 2) / (positives * (q_pos.size - positives))
    assert accuracy[0] == pytest.approx(accuracy_score(y[0], predicted))
    assert f1[0] == pytest.approx(f1_score(y[0], predicted))
    assert auc[0] == pytest.approx(roc_auc_score(y[0], q_pos))
    return {"accuracy": accuracy, "f1": f1, "roc_auc": auc}


def test_estimates_and_sampling_errors_match_monte_carlo_of_the_labels():
    rng = np.random.default_rng(2)
    reference = binary_rows(rng, 5000).assign(prediction=lambda f: f.true_p)
    current = binary_rows(rng, 2000, shift=-0.4).assign(prediction=lambda f: f.true_p)
    result = estimated(reference, current.drop(columns="target"), calibration="none")["current"]
    draws = monte_carlo(rng, current.true_p.to_numpy(), (current.true_p >= 0.5).astype(int).to_numpy())
    for name, realized in draws.items():
        mc_error = realized.std() / np.sqrt(realized.size)
        assert result[name]["value"] == pytest.approx(realized.mean(), abs=4 * mc_error + 5e-4), name
        assert result[name]["sampling_error"] == pytest.approx(realized.std(), rel=0.12), name
        assert result[name]["reference_error"] == pytest.approx(
            0.0, abs=1e-12
        )  # no calibration: nothing fitted to be unsure of


def test_bands_cover_the_realized_scores_under_covariate_shift():
    rng = np.random.default_rng(3)
    reference = binary_rows(rng, 10_000, overconfidence=2.0)
    covered = {name: 0 for name in cbpe.SCORES}
    windows = 40
    for i in range(windows):
        current = binary_rows(rng, 3000, shift=0.8 * np.sin(i / 5), overconfidence=2.0)
        result = estimated(reference, current.drop(columns="target"))["current"]
        predicted = (current.prediction >= 0.5).astype(int)
        realized = {
            "accuracy": accuracy_score(current.target, predicted),
            "precision": (current.target[predicted == 1] == 1).mean(),
            "recall": predicted[current.target == 1].mean(),
            "f1": f1_score(current.target, predicted),
            "roc_auc": roc_auc_score(current.target, current.prediction),
        }
        for name in covered:
            covered[name] += result[name]["lower"] <= realized[name] <= result[name]["upper"]
    assert all(count >= 0.9 * windows for count in covered.values()), covered


@settings(max_examples=25, deadline=None)
@given(split=st.integers(1, 1999), multiclass=st.booleans())
def test_sums_of_parts_merge_into_the_sums_of_the_whole(split, multiclass):
    rng = np.random.default_rng(split)
    if multiclass:
        frame = multiclass_rows(rng, 2000)
        raw = frame[["a", "b", "c"]].to_numpy()
        y = frame.target.map({"a": 0, "b": 1, "c": 2}).to_numpy()
        state = cbpe.fit_classifier_state(y, raw, ["a", "b", "c"], None, None)
    else:
        frame = binary_rows(rng, 2000, overconfidence=1.5)
        raw = np.c_[1 - frame.prediction, frame.prediction]
        state = cbpe.fit_classifier_state(frame.target.to_numpy(), raw, [0, 1], 1, 0.5)
    whole = cbpe.accumulate(state, raw)
    merged = cbpe.accumulate(state, raw[:split]) + cbpe.accumulate(state, raw[split:])
    for name in whole.__dataclass_fields__:
        np.testing.assert_allclose(
            getattr(merged, name), getattr(whole, name), rtol=1e-9, atol=1e-9, err_msg=name
        )


def test_state_round_trips_through_json_and_gives_the_same_estimate():
    rng = np.random.default_rng(4)
    frame = multiclass_rows(rng, 3000)
    raw = frame[["a", "b", "c"]].to_numpy()
    y = frame.target.map({"a": 0, "b": 1, "c": 2}).to_numpy()
    state = cbpe.fit_classifier_state(y, raw, ["a", "b", "c"], None, None, calibration="isotonic")
    state = state.model_copy(update={"fingerprint": "x"})
    again = states.from_json(states.to_json(state))
    assert again == state
    sums_a, sums_b = cbpe.accumulate(state, raw), cbpe.accumulate(again, raw)
    a, b = cbpe.estimate(state, sums_a, 3.0), cbpe.estimate(again, sums_b, 3.0)
    assert a == b


def test_the_state_is_fitted_once_per_reference_and_settings(monkeypatch):
    calls = []
    original = cbpe.fit_classifier_state
    monkeypatch.setattr(cbpe, "fit_classifier_state", lambda *a, **k: calls.append(1) or original(*a, **k))
    rng = np.random.default_rng(5)
    reference = binary_rows(rng, 3000, overconfidence=1.7).assign(x=lambda f: f.x + 1e-9 * rng.random())
    for shift in (0.0, 0.5, 1.0):
        estimated(reference, binary_rows(rng, 500, shift=shift).drop(columns="target"))
    assert len(calls) == 1
    estimated(reference, binary_rows(rng, 500).drop(columns="target"), band_z=2.0)  # the band: same state
    assert len(calls) == 1
    estimated(reference, binary_rows(rng, 500).drop(columns="target"), probas_threshold=0.4)
    assert len(calls) == 2


def test_two_probability_columns_and_string_labels():
    rng = np.random.default_rng(6)
    rows = binary_rows(rng, 3000)
    frame = pd.DataFrame(
        {"no": 1 - rows.true_p, "yes": rows.true_p, "churn": np.where(rows.target == 1, "yes", "no")}
    )
    mapping = ColumnMapping(target="churn", prediction=["no", "yes"], pos_label="yes")
    result = estimated(frame, frame.drop(columns="churn"), mapping, calibration="none")
    single = estimated(
        rows.assign(prediction=rows.true_p),
        rows.drop(columns="target").assign(prediction=rows.true_p),
        calibration="none",
    )
    assert result["current"]["accuracy"]["value"] == pytest.approx(single["current"]["accuracy"]["value"])
    assert result["current"]["expected_confusion_matrix"]["labels"] == ["no", "yes"]
    assert result["reference_scores"]["accuracy"] == pytest.approx(
        accuracy_score(frame.churn, np.where(frame.yes >= 0.5, "yes", "no"))
    )
