"""DLE: the stored trees score like scikit-learn, the error models learn the error law, bands cover."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.ensemble import HistGradientBoostingRegressor

from monitorflow import ColumnMapping, Report
from monitorflow.estimation import regression as dle
from monitorflow.estimation import states
from monitorflow.estimation.trees import from_sklearn
from monitorflow.metrics import EstimatedRegressionQuality
from tests.estimation.est_helpers import regression_rows

MAPPING = ColumnMapping(task="regression", numerical_features=["x1", "x2", "x3"])
#: E|N(0, s)| = s * sqrt(2 / pi)
HALF_NORMAL = np.sqrt(2 / np.pi)


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 1000), missing=st.floats(0, 0.3))
def test_stored_trees_predict_exactly_as_sklearn(seed, missing):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(1500, 4))
    X[rng.random(X.shape) < missing] = np.nan
    y = np.nan_to_num(X[:, 0]) ** 2 + rng.normal(size=1500)
    model = HistGradientBoostingRegressor(max_iter=20, max_leaf_nodes=9, random_state=0).fit(X, y)
    probe = rng.normal(size=(700, 4))
    probe[rng.random(probe.shape) < missing] = np.nan
    np.testing.assert_allclose(from_sklearn(model).predict(probe), model.predict(probe), atol=1e-10)


def fit_state(rng, n=15_000):
    frame = regression_rows(rng, n)
    X = frame[["x1", "x2", "x3", "prediction"]].to_numpy()
    return dle.fit_regressor_state(
        X, frame.target.to_numpy(), frame.prediction.to_numpy(), ["x1", "x2", "x3", "prediction"], {}
    )


def test_error_models_learn_the_error_law():
    rng = np.random.default_rng(0)
    state = fit_state(rng)
    # |N(0, s)| has variance / mean^2 = (1 - 2/pi) / (2/pi); N(0, s)^2 has variance / mean^2 = 2
    assert state.models["absolute"].noise_ratio == pytest.approx((1 - 2 / np.pi) / (2 / np.pi), rel=0.15)
    assert state.models["squared"].noise_ratio == pytest.approx(2.0, rel=0.2)
    probe = regression_rows(rng, 4000, shift=0.5)
    X = probe[["x1", "x2", "x3", "prediction"]].to_numpy()
    sums = dle.accumulate(state, X)
    estimates = dle.estimate(state, sums, 3.0)
    expected_mae = (probe.sigma * HALF_NORMAL).mean()  # the analytic expectation given the rows
    expected_rmse = np.sqrt((probe.sigma**2).mean())
    assert estimates["mae"].value == pytest.approx(expected_mae, rel=0.03)
    assert estimates["rmse"].value == pytest.approx(expected_rmse, rel=0.03)


def test_bands_cover_realized_errors_under_covariate_shift():
    rng = np.random.default_rng(1)
    reference = regression_rows(rng, 10_000)
    covered, windows = {"mean_abs_error": 0, "rmse": 0}, 30
    for i in range(windows):
        current = regression_rows(rng, 2000, shift=0.6 * np.sin(i / 4))
        report = Report(metrics=[EstimatedRegressionQuality()])
        report.run(
            reference_data=reference.drop(columns="sigma"),
            current_data=current.drop(columns=["sigma", "target"]),
            column_mapping=MAPPING,
        )
        result = report.as_dict()["metrics"][0]["result"]["current"]
        error = current.target - current.prediction
        realized = {"mean_abs_error": error.abs().mean(), "rmse": np.sqrt((error**2).mean())}
        for name in covered:
            covered[name] += result[name]["lower"] <= realized[name] <= result[name]["upper"]
    assert all(count >= 0.9 * windows for count in covered.values()), covered


def test_sums_merge_and_subsampling_widens_the_band():
    rng = np.random.default_rng(2)
    state = fit_state(rng, 5000)
    X = regression_rows(rng, 3000)[["x1", "x2", "x3", "prediction"]].to_numpy()
    whole = dle.accumulate(state, X)
    merged = dle.accumulate(state, X[:1234]) + dle.accumulate(state, X[1234:])
    assert merged.rows == whole.rows and merged.scored == whole.scored
    for kind in whole.total:
        assert merged.total[kind] == pytest.approx(whole.total[kind])
        assert merged.squares[kind] == pytest.approx(whole.squares[kind])
    full = dle.estimate(state, whole, 3.0)["mae"]
    sampled = dle.estimate(state, dle.accumulate(state, X, step=10), 3.0)["mae"]
    assert sampled.sampling_error > full.sampling_error
    assert sampled.value == pytest.approx(full.value, abs=3 * sampled.standard_error)


def test_state_json_round_trip_and_categorical_inputs():
    rng = np.random.default_rng(3)
    frame = regression_rows(rng, 3000)
    frame["channel"] = rng.choice(["web", "app", "shop"], 3000)
    frame["target"] += np.where(frame.channel == "shop", 2.0, 0.0) * rng.normal(size=3000)
    mapping = ColumnMapping(
        task="regression", numerical_features=["x1", "x2"], categorical_features=["channel"]
    )
    report = Report(metrics=[EstimatedRegressionQuality(columns=["x1", "x2", "channel"], metrics=["mae"])])
    current = frame.drop(columns=["target", "sigma", "x3"]).assign(
        channel=lambda f: f.channel.replace("app", "kiosk")
    )
    report.run(
        reference_data=frame.drop(columns=["sigma", "x3"]), current_data=current, column_mapping=mapping
    )
    result = report.as_dict()["metrics"][0]["result"]
    assert result["current"]["rmse"] is None
    state = states._CACHE[result["estimator"]]
    assert state.categories == {"channel": ["app", "shop", "web"]}
    assert states.from_json(states.to_json(state)) == state
    shop = current.channel == "shop"
    # rows of the noisy channel get larger predicted errors than the others
    X = pd.DataFrame(current)
    from monitorflow.estimation.inputs import encode

    predicted = state.models["absolute"].predict(encode(X, state.inputs, state.categories, "current_data"))
    assert predicted[shop].mean() > predicted[~shop].mean() + 0.5
