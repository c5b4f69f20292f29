"""DatasetCorrelationsMetric, ColumnCorrelationsMetric and the correlation tests.

Every number is checked against pandas ``DataFrame.corr`` / ``Series.corr`` (pearson, spearman, kendall)
or ``scipy.stats.contingency.association`` (Cramér's V) computed here, independently of the engine.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import kendalltau
from scipy.stats.contingency import association

from monitorflow import Report
from monitorflow.checks.base import TestStatus
from monitorflow.checks.correlations import (
    TestCorrelationChanges,
    TestHighlyCorrelatedColumns,
    TestPredictionFeaturesCorrelations,
    TestTargetFeaturesCorrelations,
    TestTargetPredictionCorrelation,
)
from monitorflow.column_mapping import ColumnMapping
from monitorflow.errors import ColumnNotFoundError, ConfigurationError
from monitorflow.metrics.correlations import (
    ColumnCorrelationsMetric,
    DatasetCorrelationsMetric,
    DatasetCorrelationsMetricResult,
)
from tests.metrics.metric_runs import run_metric, run_test

S, F, E = TestStatus.SUCCESS, TestStatus.FAIL, TestStatus.ERROR
NUMERICAL = ("pearson", "spearman", "kendall")


def mixed_frame(seed: int = 0, n: int = 400) -> pd.DataFrame:
    """Numerical columns with NaN, ties, infinities, a constant and a nearly empty column; categoricals."""
    rng = np.random.default_rng(seed)
    a = rng.normal(size=n)
    frame = pd.DataFrame(
        {
            "a": a,
            "b": 0.6 * a + rng.normal(size=n),
            "ties": rng.integers(0, 7, n).astype(float),
            "constant": np.full(n, 0.1),
            "sparse": np.nan,
            "target": a + rng.normal(scale=0.5, size=n),
            "prediction": a + rng.normal(scale=0.7, size=n),
            "colour": rng.choice(["red", "green", "blue"], n).astype(object),
            "size": rng.choice(["S", "M", "L", "XL"], n, p=[0.1, 0.4, 0.3, 0.2]).astype(object),
            "flag": rng.random(n) < 0.3,
            "one": ["same"] * n,
        }
    )
    frame.loc[rng.random(n) < 0.1, "a"] = np.nan
    frame.loc[rng.random(n) < 0.15, "b"] = np.nan
    frame.loc[rng.random(n) < 0.05, "ties"] = np.nan
    frame.loc[[3, 4], "b"] = [np.inf, -np.inf]
    frame.loc[[7], "sparse"] = 1.0
    frame.loc[rng.random(n) < 0.1, "colour"] = None
    return frame


def pandas_matrix(frame: pd.DataFrame, columns: list, method: str) -> np.ndarray:
    data = frame[columns].astype(float).replace([np.inf, -np.inf], np.nan)
    return data.corr(method=method).to_numpy(copy=True)


def scipy_cramer(x: pd.Series, y: pd.Series) -> float:
    both = pd.DataFrame({"x": x, "y": y}).dropna()
    table = pd.crosstab(both["x"], both["y"]).to_numpy()
    if min(table.shape) < 2:
        return math.nan
    return float(association(table, method="cramer"))


# ----------------------------------------------------------------------------------- dataset


def test_numerical_matrices_equal_pandas_with_pairwise_complete_rows():
    frame = mixed_frame()
    result = run_metric(DatasetCorrelationsMetric(), frame)
    for method in NUMERICAL:
        matrix = result.current.correlation[method]
        assert matrix.column_names == ["a", "b", "ties", "constant", "sparse", "target", "prediction"]
        expected = pandas_matrix(frame, matrix.column_names, method)
        ours = np.array(matrix.values, dtype=float)
        if method == "kendall":  # pandas puts 1 on the diagonal of constant columns with kendall only
            for i, name in enumerate(matrix.column_names):
                if name in ("constant", "sparse"):
                    expected[i, i] = np.nan
        np.testing.assert_allclose(ours, expected, rtol=1e-10, atol=1e-12, equal_nan=True)


def test_constant_and_empty_columns_give_nan_not_errors():
    frame = mixed_frame()
    result = run_metric(DatasetCorrelationsMetric(), frame)
    for method in NUMERICAL:
        matrix = result.current.correlation[method]
        for name in ("constant", "sparse"):
            assert all(math.isnan(matrix.value(name, other)) for other in matrix.column_names)
        assert matrix.value("a", "a") == 1.0
    cramer = result.current.correlation["cramer_v"]
    assert all(math.isnan(cramer.value("one", other)) for other in cramer.column_names)
    assert cramer.value("colour", "colour") == 1.0


def test_all_constant_numerical_columns():
    frame = pd.DataFrame({"x": [1.0] * 10, "y": [2.0] * 10, "c": list("ab") * 5})
    result = run_metric(DatasetCorrelationsMetric(), frame)
    for method in NUMERICAL:
        assert np.isnan(np.array(result.current.correlation[method].values, dtype=float)).all()
        assert math.isnan(result.current.correlation[method].stats.abs_max_correlation)


def test_cramer_v_equals_scipy_association_on_pairwise_complete_rows():
    frame = mixed_frame(1)
    matrix = run_metric(DatasetCorrelationsMetric(), frame).current.correlation["cramer_v"]
    assert matrix.column_names == ["colour", "size", "flag", "one"]
    for a in ["colour", "size", "flag"]:
        for b in ["colour", "size", "flag"]:
            expected = 1.0 if a == b else scipy_cramer(frame[a], frame[b])
            assert matrix.value(a, b) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_cramer_v_with_many_categories_uses_observed_cells_and_equals_scipy():
    rng = np.random.default_rng(3)
    n = 3000
    a = rng.integers(0, 1500, n)
    frame = pd.DataFrame(
        {
            "u": a.astype(str),
            "v": (a // 3 + rng.integers(0, 2, n)).astype(str),
            "w": rng.choice(list("xyz"), n),
        }
    )
    matrix = run_metric(DatasetCorrelationsMetric(methods=["cramer_v"]), frame).current.correlation[
        "cramer_v"
    ]
    for a_name, b_name in [("u", "v"), ("u", "w"), ("v", "w")]:
        assert matrix.value(a_name, b_name) == pytest.approx(
            scipy_cramer(frame[a_name], frame[b_name]), rel=1e-9
        )


def test_kendall_is_tau_b_on_large_data():
    rng = np.random.default_rng(5)
    n = 30_000
    x = rng.normal(size=n)
    frame = pd.DataFrame(
        {"x": x, "y": np.round(x + rng.normal(size=n), 1), "z": rng.integers(0, 100_000, n).astype(float)}
    )
    frame.loc[rng.random(n) < 0.05, "y"] = np.nan
    matrix = run_metric(DatasetCorrelationsMetric(methods=["kendall"]), frame).current.correlation["kendall"]
    for a, b in [("x", "y"), ("x", "z"), ("y", "z")]:
        both = frame[[a, b]].dropna()
        assert matrix.value(a, b) == pytest.approx(kendalltau(both[a], both[b]).statistic, rel=1e-12)


def test_column_selection_features_target_prediction_only():
    rng = np.random.default_rng(2)
    n = 50
    frame = pd.DataFrame(
        {
            "id": np.arange(n, dtype=float),
            "when": pd.date_range("2026-01-01", periods=n, freq="h"),
            "x": rng.normal(size=n),
            "label": rng.choice(["a", "b"], n),
            "target": rng.choice(["yes", "no"], n),
            "prediction": rng.choice(["yes", "no"], n),
            "notes": rng.choice(["some text", "other text"], n),
            "y": rng.normal(size=n),
        }
    )
    mapping = ColumnMapping(id="id", datetime="when", text_features=["notes"])
    result = run_metric(DatasetCorrelationsMetric(), frame, mapping=mapping)
    assert result.target_correlation == "cramer_v"
    assert result.current.correlation["pearson"].column_names == ["x", "y"]
    assert result.current.correlation["cramer_v"].column_names == ["label", "target", "prediction"]
    stats = result.current.correlation["cramer_v"].stats
    assert stats.target_prediction_correlation == pytest.approx(
        scipy_cramer(frame["target"], frame["prediction"])
    )
    assert stats.abs_max_target_features_correlation == pytest.approx(
        scipy_cramer(frame["target"], frame["label"])
    )
    assert math.isnan(stats.abs_max_features_correlation)  # one categorical feature: no feature pair
    assert math.isnan(result.current.correlation["pearson"].stats.target_prediction_correlation)


def test_stats_match_pandas_matrix():
    frame = mixed_frame(4)
    result = run_metric(DatasetCorrelationsMetric(), frame, reference=mixed_frame(5))
    assert result.target_correlation == "pearson"
    for side, data in (("current", frame), ("reference", mixed_frame(5))):
        for method in NUMERICAL:
            matrix = getattr(result, side).correlation[method]
            corr = data[matrix.column_names].replace([np.inf, -np.inf], np.nan).corr(method=method)
            corr = corr.mask(np.eye(len(corr), dtype=bool))
            features = ["a", "b", "ties", "constant", "sparse"]
            stats = matrix.stats
            assert stats.target_prediction_correlation == pytest.approx(corr.loc["target", "prediction"])
            assert stats.abs_max_target_features_correlation == pytest.approx(
                corr.loc["target", features].abs().max()
            )
            assert stats.abs_max_prediction_features_correlation == pytest.approx(
                corr.loc["prediction", features].abs().max()
            )
            assert stats.abs_max_correlation == pytest.approx(corr.abs().max().max())
            assert stats.abs_max_features_correlation == pytest.approx(
                corr.loc[features, features].abs().max().max()
            )


def test_reference_lists_the_same_columns_even_when_constant_there():
    current = mixed_frame(6)
    reference = mixed_frame(7)
    reference["a"] = 3.0
    result = run_metric(DatasetCorrelationsMetric(), current, reference)
    assert result.reference is not None
    for method in ("pearson", "cramer_v"):
        assert (
            result.reference.correlation[method].column_names
            == result.current.correlation[method].column_names
        )
    assert math.isnan(result.reference.correlation["pearson"].value("a", "b"))
    assert not math.isnan(result.current.correlation["pearson"].value("a", "b"))


def test_integer_column_names_and_json_round_trip():
    rng = np.random.default_rng(8)
    n = 200
    x = rng.normal(size=n)
    frame = pd.DataFrame(
        {
            0: x,
            1: -x + rng.normal(size=n),
            2: np.ones(n),
            3: rng.choice(["p", "q"], n),
            4: rng.choice(["r", "s", "t"], n),
        }
    )
    result = run_metric(DatasetCorrelationsMetric(), frame)
    pearson = result.current.correlation["pearson"]
    assert pearson.column_names == [0, 1, 2]
    assert pearson.value(0, 1) == pytest.approx(frame[0].corr(frame[1]))
    assert result.current.correlation["cramer_v"].value(3, 4) == pytest.approx(
        scipy_cramer(frame[3], frame[4])
    )
    payload = json.loads(result.model_dump_json())
    assert payload["current"]["correlation"]["pearson"]["values"][0][2] is None  # NaN -> null
    assert payload["current"]["stats"]["pearson"]["target_prediction_correlation"] is None
    reloaded = DatasetCorrelationsMetricResult.model_validate_json(result.model_dump_json())
    assert reloaded.current.correlation["pearson"].column_names == [0, 1, 2]
    assert math.isnan(reloaded.current.correlation["pearson"].values[0][2])


def test_methods_argument_limits_the_computation():
    frame = mixed_frame()
    result = run_metric(DatasetCorrelationsMetric(methods=["spearman", "cramer_v"]), frame)
    assert list(result.current.correlation) == ["spearman", "cramer_v"]
    assert list(result.current.stats) == ["spearman", "cramer_v"]
    assert list(run_metric(DatasetCorrelationsMetric(), frame).current.correlation) == [
        "pearson",
        "spearman",
        "kendall",
        "cramer_v",
    ]
    with pytest.raises(ConfigurationError):
        DatasetCorrelationsMetric(methods=["distance"])
    with pytest.raises(ConfigurationError):
        DatasetCorrelationsMetric(methods=[])


# ------------------------------------------------------------------------------------ column


def test_column_correlations_numerical_equal_pandas_series_corr():
    frame = mixed_frame(9)
    reference = mixed_frame(10)
    result = run_metric(ColumnCorrelationsMetric("a"), frame, reference)
    assert result.column_name == "a"
    assert set(result.current) == set(NUMERICAL)
    for side, data in (("current", frame), ("reference", reference)):
        clean = data.replace([np.inf, -np.inf], np.nan)
        for method in NUMERICAL:
            entry = getattr(result, side)[method]
            assert entry.column_name == "a" and entry.kind == method
            # the other numerical features: not the target or prediction (as Evidently)
            assert entry.values.x == ["b", "ties", "constant", "sparse"]
            # DataFrame.corr: Series.corr gives ~1e-17 instead of NaN for a constant column
            expected = [clean[["a", o]].corr(method=method).iloc[0, 1] for o in entry.values.x]
            np.testing.assert_allclose(entry.values.y, expected, rtol=1e-10, atol=1e-12, equal_nan=True)


def test_column_correlations_categorical_equal_scipy_association():
    frame = mixed_frame(11)
    result = run_metric(ColumnCorrelationsMetric("colour"), frame)
    entry = result.current["cramer_v"]
    assert list(result.current) == ["cramer_v"]
    assert entry.values.x == ["size", "flag", "one"]
    expected = [scipy_cramer(frame["colour"], frame[o]) for o in entry.values.x]
    np.testing.assert_allclose(entry.values.y, expected, rtol=1e-12, equal_nan=True)
    assert result.reference is None


def test_column_correlations_errors():
    frame = mixed_frame()
    frame["when"] = pd.date_range("2026-01-01", periods=len(frame), freq="h")
    with pytest.raises(ColumnNotFoundError):
        run_metric(ColumnCorrelationsMetric("nope"), frame)
    with pytest.raises(ConfigurationError, match="numerical or categorical"):
        run_metric(ColumnCorrelationsMetric("when"), frame, mapping=ColumnMapping(datetime=None))


def test_column_and_dataset_metrics_agree_in_one_run():
    frame = mixed_frame(12)
    dataset, column = DatasetCorrelationsMetric(), ColumnCorrelationsMetric("target")
    report = Report(metrics=[dataset, column])
    report.run(current_data=frame)
    matrix = report.result(dataset).current.correlation["kendall"]
    entry = report.result(column).current["kendall"]
    assert entry.values.y == pytest.approx([matrix.value("target", o) for o in entry.values.x], nan_ok=True)


# ------------------------------------------------------------------------------------- tests


def linked(seed: int, n: int = 300, sign: float = 1.0, noise: float = 0.5) -> pd.DataFrame:
    """target ~ x, prediction ~ sign * target, plus an independent feature z."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    target = x + rng.normal(scale=noise, size=n)
    return pd.DataFrame(
        {
            "x": x,
            "z": rng.normal(size=n),
            "target": target,
            "prediction": sign * target + rng.normal(scale=noise, size=n),
        }
    )


def test_target_prediction_correlation_defaults():
    good, bad = linked(0), linked(1, sign=-1.0)
    no_ref = run_test(TestTargetPredictionCorrelation(), good)
    assert no_ref.status == S
    assert no_ref.parameters["condition"] == {"gt": 0}
    assert no_ref.parameters["value"] == pytest.approx(good["target"].corr(good["prediction"]))
    assert no_ref.parameters["method"] == "pearson"
    assert run_test(TestTargetPredictionCorrelation(), bad).status == F

    reference = linked(2)
    ref_value = reference["target"].corr(reference["prediction"])
    with_ref = run_test(TestTargetPredictionCorrelation(method="pearson"), good, reference)
    assert with_ref.status == S
    assert with_ref.parameters["condition"]["eq"] == {
        "value": pytest.approx(ref_value),
        "relative": 1e-6,
        "absolute": 0.25,
    }
    weaker = linked(3)
    weaker["prediction"] = weaker["target"] + np.random.default_rng(9).normal(scale=3.0, size=len(weaker))
    assert (
        reference["target"].corr(reference["prediction"]) - weaker["target"].corr(weaker["prediction"]) > 0.25
    )
    assert run_test(TestTargetPredictionCorrelation(), weaker, reference).status == F


def test_target_prediction_correlation_for_categorical_target_uses_cramer_v():
    rng = np.random.default_rng(4)
    n = 300
    target = rng.choice(["a", "b", "c"], n)
    prediction = np.where(rng.random(n) < 0.8, target, "a")
    frame = pd.DataFrame({"f": rng.normal(size=n), "target": target, "prediction": prediction})
    result = run_test(TestTargetPredictionCorrelation(), frame)
    assert result.parameters["method"] == "cramer_v"
    assert result.parameters["value"] == pytest.approx(scipy_cramer(frame["target"], frame["prediction"]))
    assert result.status == S
    explicit = run_test(TestTargetPredictionCorrelation(method="pearson"), frame)
    assert explicit.status == E
    assert "use method='cramer_v'" in explicit.description


def test_correlation_tests_error_without_target_or_prediction():
    frame = linked(0).drop(columns=["target", "prediction"])
    for test in (
        TestTargetPredictionCorrelation(),
        TestTargetFeaturesCorrelations(),
        TestPredictionFeaturesCorrelations(),
    ):
        result = run_test(test, frame)
        assert result.status == E
        assert "ColumnMapping(" in result.description


def test_highly_correlated_columns_defaults():
    frame = linked(0)
    value = frame[["x", "z"]].corr().abs().to_numpy()[0, 1]
    result = run_test(TestHighlyCorrelatedColumns(), frame)
    assert (result.status, result.parameters["condition"]) == (S, {"lt": 0.9})
    assert result.parameters["value"] == pytest.approx(value)
    twins = frame.assign(z=frame["x"] * 2 + 0.01 * np.random.default_rng(1).normal(size=len(frame)))
    assert run_test(TestHighlyCorrelatedColumns(), twins).status == F
    # with a reference: eq approx(ref, rel=0.1) -- twins vs. independent columns fails, twins vs. twins passes
    assert run_test(TestHighlyCorrelatedColumns(), twins, reference=frame).status == F
    with_ref = run_test(TestHighlyCorrelatedColumns("spearman"), twins, reference=twins)
    assert with_ref.status == S
    ref_value = twins[["x", "z"]].corr("spearman").to_numpy()[0, 1]
    assert with_ref.parameters["condition"]["eq"] == {
        "value": pytest.approx(ref_value),
        "relative": 0.1,
        "absolute": 1e-12,
    }


@pytest.mark.parametrize(
    ("test_class", "role"),
    [(TestTargetFeaturesCorrelations, "target"), (TestPredictionFeaturesCorrelations, "prediction")],
)
def test_role_features_correlation_defaults(test_class, role):
    frame = linked(0)
    value = frame[[role, "x", "z"]].corr().loc[role, ["x", "z"]].abs().max()
    result = run_test(test_class(), frame)
    assert result.parameters["value"] == pytest.approx(value)
    assert result.parameters["condition"] == {"lt": 0.9}
    assert result.status == (S if value < 0.9 else F)
    leaking = frame.assign(x=frame[role] + 0.001)
    assert run_test(test_class(), leaking).status == F
    # with a reference: eq approx(ref, rel=0.1)
    reference = linked(1)
    ref_value = reference[[role, "x", "z"]].corr().loc[role, ["x", "z"]].abs().max()
    with_ref = run_test(test_class(method="pearson"), frame, reference)
    assert with_ref.parameters["condition"]["eq"]["value"] == pytest.approx(ref_value)
    assert with_ref.parameters["condition"]["eq"]["relative"] == 0.1
    assert with_ref.status == (S if abs(value - ref_value) <= 0.1 * ref_value else F)
    assert run_test(test_class(), leaking, reference).status == F


def test_reference_value_undefined_falls_back_to_the_default_condition():
    frame = linked(0)
    reference = frame.assign(prediction=1.0)  # constant: correlation undefined on the reference
    result = run_test(TestTargetPredictionCorrelation(), frame, reference)
    assert result.parameters["condition"] == {"gt": 0}
    assert result.status == S


def test_correlation_changes():
    reference = linked(0)
    same = linked(1)
    result = run_test(TestCorrelationChanges(), same, reference)
    assert (result.status, result.parameters["value"], result.parameters["condition"]) == (S, 0, {"eq": 0})
    changed = same.assign(z=same["x"] + 0.1 * same["z"])  # z now follows x, hence target and prediction
    cur = changed.corr()
    ref = reference.corr()
    expected = int(((ref - cur).abs() > 0.25).to_numpy()[np.triu_indices(4, 1)].sum())
    result = run_test(TestCorrelationChanges(), changed, reference)
    assert expected == 3
    assert (result.status, result.parameters["value"]) == (F, expected)
    assert {tuple(p["columns"]) for p in result.parameters["changed_pairs"]} == {
        ("x", "z"),
        ("z", "target"),
        ("z", "prediction"),
    }
    only_x = run_test(TestCorrelationChanges(column_name="x"), changed, reference)
    assert only_x.parameters["value"] == 1
    lenient = run_test(TestCorrelationChanges(corr_diff=0.99, method="kendall"), changed, reference)
    assert (lenient.status, lenient.parameters["value"]) == (S, 0)
    assert run_test(TestCorrelationChanges(lte=5), changed, reference).status == S


def test_correlation_changes_needs_reference():
    result = run_test(TestCorrelationChanges(), linked(0))
    assert result.status == E
    assert "reference_data" in result.description


def test_correlation_tests_with_explicit_condition_and_positional_arguments():
    frame = linked(0)
    assert run_test(TestHighlyCorrelatedColumns("kendall", lt=0.01), frame).status == F
    test = TestCorrelationChanges(0.5, "spearman", "x")
    assert (test.corr_diff, test.method, test.column_name) == (0.5, "spearman", "x")
