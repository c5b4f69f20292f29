"""RegressionPerformanceMetrics: scikit-learn's, scipy's and numpy's numbers in Evidently's layout."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats
from sklearn import metrics as skm

from monitorflow import Report
from monitorflow.errors import ColumnNotFoundError, ColumnTypeError, InputDataError
from monitorflow.metrics import RegressionPerformanceMetrics
from monitorflow.metrics.regression_performance import regression_performance_metrics as evidently_path
from tests.metrics.mq_helpers import approx, regression_frame, result_of, run_report


def groups_of(error: np.ndarray, top: float = 0.05) -> np.ndarray:
    low, high = np.quantile(error, top), np.quantile(error, 1 - top)
    return np.where(error <= low, 0, np.where(error >= high, 2, 1))


def test_scores_of_both_datasets_match_sklearn():
    reference, current = regression_frame(seed=1), regression_frame(seed=2, bias=0.05, noise=0.2)
    result = result_of(RegressionPerformanceMetrics(), current, reference)
    for frame, scores in ((current, result.current), (reference, result.reference)):
        y, p = frame["target"].to_numpy(), frame["prediction"].to_numpy()
        error = p - y
        assert scores.r2_score == approx(skm.r2_score(y, p))
        assert scores.rmse == approx(skm.root_mean_squared_error(y, p))
        assert scores.mean_error == approx(error.mean())
        assert scores.mean_abs_error == approx(skm.mean_absolute_error(y, p))
        assert scores.mean_abs_perc_error == approx(100 * skm.mean_absolute_percentage_error(y, p))
        assert scores.abs_error_max == approx(skm.max_error(y, p))
        groups = groups_of(error)
        for g, name in enumerate(("underestimation", "majority", "overestimation")):
            group = scores.underperformance[name]
            assert group.mean_error == approx(error[groups == g].mean())
            assert group.std_error == approx(np.std(error[groups == g], ddof=1))


def test_spread_baselines_and_normality_are_of_the_current_data():
    reference, current = regression_frame(seed=3), regression_frame(seed=4, bias=-0.1)
    result = result_of(RegressionPerformanceMetrics(), current, reference)
    y, p = current["target"].to_numpy(), current["prediction"].to_numpy()
    error = p - y
    assert result.error_std == approx(np.std(error, ddof=1)) == result.me_default_sigma
    assert result.abs_error_std == approx(np.std(np.abs(error), ddof=1))
    assert result.abs_perc_error_std == approx(np.std(np.abs(error) / y, ddof=1))
    assert result.rmse_default == approx(skm.root_mean_squared_error(y, np.full(y.size, y.mean())))
    assert result.mean_abs_error_default == approx(skm.mean_absolute_error(y, np.full(y.size, np.median(y))))
    assert result.abs_error_max_default == approx(np.abs(y - np.median(y)).max())
    best = min(
        skm.mean_absolute_percentage_error(y, np.full(y.size, c)) for c in y
    )  # the best constant is a y
    assert result.mean_abs_perc_error_default == approx(100 * best)
    (_, _), (slope, intercept, r) = stats.probplot(error, dist="norm")
    normality = result.error_normality
    assert (normality.slope, normality.intercept, normality.r) == (
        approx(slope),
        approx(intercept),
        approx(r),
    )
    assert set(result.error_bias) == {"num", "cat"}
    cat_bias = result.error_bias["cat"]
    assert cat_bias["current_majority"] == current["cat"].mode()[0]
    assert cat_bias["ref_majority"] == reference["cat"].mode()[0]
    num_bias = result.error_bias["num"]
    assert num_bias["current_under"] == approx(current["num"][groups_of(error) == 0].mean())


def binned_scores(frame: pd.DataFrame, edges: np.ndarray) -> dict[str, list[float | None]]:
    """scikit-learn's scores per target bin, bins from pandas."""
    bins = pd.cut(frame["target"], edges, include_lowest=True, labels=False)
    scores: dict[str, list[float | None]] = {"count": [], "rmse": [], "mae": [], "mape": [], "r2": []}
    for i in range(edges.size - 1):
        part = frame[bins == i]
        y, p = part["target"].to_numpy(), part["prediction"].to_numpy()
        scores["count"].append(len(part))
        empty = len(part) == 0
        scores["rmse"].append(None if empty else skm.root_mean_squared_error(y, p))
        scores["mae"].append(None if empty else skm.mean_absolute_error(y, p))
        scores["mape"].append(None if empty else skm.mean_absolute_percentage_error(y, p))
        scores["r2"].append(None if len(part) < 2 else skm.r2_score(y, p))
    return scores


def _same(ours: list[float | None], expected: list[float | None]) -> bool:
    return all((a is None and b is None) or a == approx(b) for a, b in zip(ours, expected, strict=True))


@pytest.mark.parametrize(("n_current", "n_reference", "bins"), [(300, 200, 10), (4, 3, 2), (12, 9, 7)])
def test_chart_fields_score_each_target_bin(n_current, n_reference, bins):
    reference, current = regression_frame(n_reference, seed=5), regression_frame(n_current, seed=6, noise=0.3)
    report = run_report([RegressionPerformanceMetrics()], current, reference)
    result = report.as_dict(include_render=True)["metrics"][0]["result"]
    targets = pd.concat([current["target"], reference["target"]])
    assert bins == min(max(2, targets.nunique() // 3), 10)  # Evidently's rule, from pandas
    edges = np.linspace(targets.min(), targets.max(), bins + 1)
    assert result["hist_for_plot"]["edges"] == approx(list(edges))
    for side, frame in (("current", current), ("reference", reference)):
        expected = binned_scores(frame, edges)
        assert result["hist_for_plot"][side] == expected["count"]
        values = result["vals_for_plots"]
        assert _same(values["rmse"][side]["values"], expected["rmse"])
        assert _same(values["mean_abs_error"][side]["values"], expected["mae"])
        assert _same(values["mean_abs_perc_error"][side]["values"], expected["mape"])
        assert _same(values["r2_score"][side]["values"], expected["r2"])


def test_as_dict_leaves_out_the_chart_fields_and_keeps_evidentlys_names():
    report = run_report([RegressionPerformanceMetrics()], regression_frame(seed=7))
    result = report.as_dict()["metrics"][0]["result"]
    assert not {"hist_for_plot", "vals_for_plots", "me_hist_for_plot"} & set(result)
    assert result["reference"] is None
    assert set(result["current"]) == {
        "r2_score", "rmse", "mean_error", "mean_abs_error", "mean_abs_perc_error", "abs_error_max",
        "underperformance",
    }  # fmt: skip
    assert evidently_path.RegressionPerformanceMetrics is RegressionPerformanceMetrics


def test_snapshot_round_trip_keeps_the_result(tmp_path):
    report = run_report([RegressionPerformanceMetrics()], regression_frame(seed=8), regression_frame(seed=9))
    report.save(tmp_path / "report.json")
    reloaded = Report.load(tmp_path / "report.json")
    assert reloaded.as_dict(include_render=True) == report.as_dict(include_render=True)


def test_bad_input_names_the_column():
    with pytest.raises(ColumnNotFoundError, match="'prediction'"):
        run_report([RegressionPerformanceMetrics()], regression_frame()[["target"]])
    with pytest.raises(ColumnTypeError, match="pd.to_numeric"):
        run_report(
            [RegressionPerformanceMetrics()],
            pd.DataFrame({"target": ["a", "b", "c"] * 5, "prediction": np.arange(15.0)}),
        )
    with pytest.raises(InputDataError, match="no row with both a target"):
        run_report(
            [RegressionPerformanceMetrics()],
            pd.DataFrame({"target": [np.nan, 1.0], "prediction": [1.0, np.nan]}),
            task="regression",
        )


finite = st.floats(-1e3, 1e3).map(lambda v: round(v, 2))


@given(rows=st.lists(st.tuples(finite, finite), min_size=2, max_size=60))
def test_any_frame_gives_sklearns_scores(rows):
    frame = pd.DataFrame(rows, columns=["target", "prediction"])
    y, p = frame["target"].to_numpy(), frame["prediction"].to_numpy()
    scores = result_of(RegressionPerformanceMetrics(), frame, task="regression").current
    assert scores.rmse == approx(skm.root_mean_squared_error(y, p), rel=1e-7, abs=1e-9)
    assert scores.mean_abs_error == approx(skm.mean_absolute_error(y, p), rel=1e-9, abs=1e-9)
    assert scores.abs_error_max == approx(skm.max_error(y, p))
