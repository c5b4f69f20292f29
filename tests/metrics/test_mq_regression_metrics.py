"""Regression metrics equal scikit-learn's (and numpy's) on the same inputs; plots are aggregates."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import example, given
from hypothesis import strategies as st
from scipy import stats
from sklearn import metrics as skm

from monitorflow.metrics.regression import (
    QQ_POINTS,
    SCATTER_BINS,
    RegressionDummyMetric,
    RegressionErrorDistribution,
    RegressionErrorNormality,
    RegressionPredictedVsActualScatter,
    RegressionQualityMetric,
    RegressionTopErrorMetric,
    best_mape_constant,
)
from monitorflow.metrics.regression_bias import RegressionErrorBiasTable
from tests.metrics.mq_helpers import approx, regression_frame, result_of


def groups_of(error: np.ndarray, top: float = 0.05) -> np.ndarray:
    low, high = np.quantile(error, top), np.quantile(error, 1 - top)
    return np.where(error <= low, 0, np.where(error >= high, 2, 1))


def test_quality_matches_sklearn_on_both_datasets():
    reference, current = regression_frame(seed=1), regression_frame(seed=2, bias=0.05, noise=0.2)
    result = result_of(RegressionQualityMetric(), current, reference)
    for frame, quality in ((current, result.current), (reference, result.reference)):
        y, p = frame["target"].to_numpy(), frame["prediction"].to_numpy()
        error = p - y
        assert quality.r2_score == approx(skm.r2_score(y, p))
        assert quality.rmse == approx(skm.root_mean_squared_error(y, p))
        assert quality.mean_abs_error == approx(skm.mean_absolute_error(y, p))
        assert quality.mean_abs_perc_error == approx(100 * skm.mean_absolute_percentage_error(y, p))
        assert quality.abs_error_max == approx(skm.max_error(y, p))
        assert quality.mean_error == approx(error.mean())
        assert quality.error_std == approx(np.std(error, ddof=1))
        assert quality.abs_error_std == approx(np.std(np.abs(error), ddof=1))
        # Evidently keeps this one as a fraction (mean_abs_perc_error is in percent)
        assert quality.abs_perc_error_std == approx(np.std(np.abs(error) / y, ddof=1))
        assert quality.underestimation_share == approx(np.mean(p < y))
        assert quality.overestimation_share == approx(np.mean(p > y))
        groups = groups_of(error)
        for g, name in enumerate(("underestimation", "majority", "overestimation")):
            assert quality.underperformance[name].mean_error == approx(error[groups == g].mean(), rel=1e-9)
            assert quality.underperformance[name].std_error == approx(
                np.std(error[groups == g], ddof=1), rel=1e-9
            )
        assert quality.number_of_rows == len(frame) and quality.number_of_zero_targets == 0
    y, p = current["target"].to_numpy(), current["prediction"].to_numpy()
    assert result.rmse_default == approx(skm.root_mean_squared_error(y, np.full(y.size, y.mean())))
    assert result.mean_abs_error_default == approx(skm.mean_absolute_error(y, np.full(y.size, np.median(y))))
    assert result.abs_error_max_default == approx(np.max(np.abs(y - np.median(y))))
    assert result.me_default_sigma == approx(pd.Series(p - y).std())
    assert (
        result.me_hist_for_plot.current
        == np.histogram(p - y, bins=np.array(result.me_hist_for_plot.edges))[0].tolist()
    )


def test_zero_targets_are_left_out_of_mape_and_counted():
    frame = regression_frame(n=200, seed=3)
    frame.loc[frame.index[:7], "target"] = 0.0
    quality = result_of(RegressionQualityMetric(), frame).current
    nonzero = frame[frame["target"] != 0]
    assert quality.number_of_zero_targets == 7
    assert quality.mean_abs_perc_error == approx(
        100 * skm.mean_absolute_percentage_error(nonzero["target"], nonzero["prediction"])
    )
    assert quality.mean_abs_error == approx(skm.mean_absolute_error(frame["target"], frame["prediction"]))


def test_all_zero_targets_give_no_mape():
    frame = pd.DataFrame({"target": [0.0, 0.0, 0.0], "prediction": [0.5, 1.0, 0.0]})
    quality = result_of(RegressionQualityMetric(), frame).current
    assert math.isnan(quality.mean_abs_perc_error) and quality.number_of_zero_targets == 3


def test_best_mape_constant_minimises_mape():
    rng = np.random.default_rng(4)
    y = np.concatenate([rng.lognormal(2, 1, 301), [0.0, -3.0]])
    best = best_mape_constant(y)
    nonzero = y[y != 0]

    def mape(c: float) -> float:
        return float(np.mean(np.abs(nonzero - c) / np.abs(nonzero)))

    assert all(mape(best) <= mape(c) + 1e-12 for c in nonzero)


def test_dummy_constants_on_current_and_reference_targets():
    reference, current = regression_frame(seed=5), regression_frame(seed=6, bias=0.1)
    result = result_of(RegressionDummyMetric(), current, reference)
    y, ref_y = current["target"].to_numpy(), reference["target"].to_numpy()
    assert result.rmse_default == approx(skm.root_mean_squared_error(y, np.full(y.size, y.mean())))
    assert result.rmse_by_ref == approx(skm.root_mean_squared_error(y, np.full(y.size, ref_y.mean())))
    assert result.mean_abs_error_by_ref == approx(
        skm.mean_absolute_error(y, np.full(y.size, np.median(ref_y)))
    )
    constant = best_mape_constant(y)
    assert result.mean_abs_perc_error_default == approx(
        100 * skm.mean_absolute_percentage_error(y, np.full(y.size, constant))
    )
    assert result.abs_error_max_by_ref == approx(np.max(np.abs(y - np.median(ref_y))))
    assert result.mean_abs_error == approx(skm.mean_absolute_error(y, current["prediction"]))


def test_predicted_vs_actual_is_a_shared_2d_histogram():
    reference, current = regression_frame(seed=7), regression_frame(n=500, seed=8)
    result = result_of(RegressionPredictedVsActualScatter(), current, reference)
    assert result.agg_data is True
    edges = np.array(result.current.edges)
    assert edges.size == SCATTER_BINS + 1 and result.reference.edges == result.current.edges
    values = pd.concat([reference[["target", "prediction"]], current[["target", "prediction"]]])
    assert edges[0] == approx(values.min().min()) and edges[-1] == approx(values.max().max())
    expected, _, _ = np.histogram2d(current["target"], current["prediction"], bins=[edges, edges])
    assert np.abs(np.array(result.current.counts) - expected).sum() <= 2  # edge rounding only
    assert np.sum(result.current.counts) == len(current) and np.sum(result.reference.counts) == len(reference)


def test_error_distribution_is_numpy_histogram():
    reference, current = regression_frame(seed=9), regression_frame(seed=10)
    result = result_of(RegressionErrorDistribution(), current, reference)
    edges = np.array(result.current_bins.edges)
    assert (
        result.current_bins.count
        == np.histogram(current["prediction"] - current["target"], bins=edges)[0].tolist()
    )
    assert (
        result.reference_bins.count
        == np.histogram(reference["prediction"] - reference["target"], bins=edges)[0].tolist()
    )


def test_error_normality_compares_standardized_quantiles_with_normal_ones():
    frame = regression_frame(n=3000, seed=11)
    result = result_of(RegressionErrorNormality(), frame)
    error = (frame["prediction"] - frame["target"]).to_numpy()
    p = (np.arange(1, QQ_POINTS + 1) - 0.5) / QQ_POINTS
    assert len(result.current_plot.x) == QQ_POINTS
    assert result.current_plot.x == approx(list(stats.norm.ppf(p)))
    assert result.current_plot.y == approx(
        list(np.quantile((error - error.mean()) / error.std(ddof=1), p)), rel=1e-9, abs=1e-9
    )
    slope, intercept, r, _, _ = stats.linregress(result.current_plot.x, result.current_plot.y)
    assert result.current_theoretical.slope == approx(slope) and result.current_theoretical.r == approx(r)
    assert result.reference_plot is None


def test_top_error_groups_are_the_5_percent_tails():
    frame = regression_frame(n=2000, seed=12)
    result = result_of(RegressionTopErrorMetric(), frame)
    error = (frame["prediction"] - frame["target"]).to_numpy()
    groups = groups_of(error)
    for g, name in enumerate(("underestimation", "majority", "overestimation")):
        stats_ = result.current.mean_err_per_group[name]
        assert stats_["count"] == (groups == g).sum()
        assert stats_["mean_error"] == approx(error[groups == g].mean())
        assert stats_["std_error"] == approx(np.std(error[groups == g], ddof=1))


def test_error_bias_table_per_feature_and_group():
    reference, current = regression_frame(seed=13), regression_frame(seed=14)
    result = result_of(RegressionErrorBiasTable(), current, reference)
    assert (
        result.num_feature_names == ["num"]
        and result.cat_feature_names == ["cat"]
        and result.top_error == 0.05
    )
    for frame, prefix in ((current, "current_"), (reference, "ref_")):
        groups = groups_of((frame["prediction"] - frame["target"]).to_numpy())
        num = result.error_bias["num"].model_dump()
        # as Evidently: under and over are the groups' means, majority the whole column's mean
        for g, name in ((0, "under"), (2, "over")):
            assert num[prefix + name] == approx(frame["num"][groups == g].mean())
        assert num[prefix + "majority"] == approx(frame["num"].mean())
        span = frame["num"].max() - frame["num"].min()
        assert num[prefix + "range"] == approx(100 * abs(num[prefix + "over"] - num[prefix + "under"]) / span)
        cat = result.error_bias["cat"].model_dump()
        for g, name in ((0, "under"), (2, "over")):
            counts = frame["cat"][groups == g].value_counts()
            assert counts[cat[prefix + name]] == counts.max()
        counts = frame["cat"].value_counts()
        assert counts[cat[prefix + "majority"]] == counts.max()
    assert result.error_bias["cat"].feature_type == "cat"


def test_error_bias_table_columns_and_top_error():
    frame = regression_frame(seed=15)
    result = result_of(RegressionErrorBiasTable(columns=["num"], top_error=0.2), frame)
    assert list(result.error_bias) == ["num"] and result.top_error == 0.2
    groups = groups_of((frame["prediction"] - frame["target"]).to_numpy(), 0.2)
    assert result.error_bias["num"].current_under == approx(frame["num"][groups == 0].mean())


@given(
    rows=st.lists(
        st.tuples(st.floats(-1e3, 1e3, allow_nan=False), st.floats(-1e3, 1e3, allow_nan=False)),
        min_size=2,
        max_size=50,
    )
)
@example(rows=[(0.05, 0.0)] * 3)  # a constant target whose sum of squares sklearn rounds to 1e-34
@example(rows=[(0.0, 0.0), (0.0, 2.225e-308)])  # errors whose squares underflow to 0: a perfect fit
def test_scores_equal_sklearn_for_any_values(rows):
    y = np.array([a for a, _ in rows])
    p = np.array([b for _, b in rows])
    quality = result_of(
        RegressionQualityMetric(), pd.DataFrame({"target": y, "prediction": p}), task="regression"
    ).current
    if np.ptp(y) == 0:  # a constant target: sklearn's ss_tot can be rounding noise (1e-35), not 0
        assert quality.r2_score == (1.0 if np.sum((y - p) ** 2) == 0 else 0.0)  # sklearn's rule
    else:  # ss_tot of a nearly constant target carries cancellation error ~ eps * n * sum(y^2) / ss_tot
        expected = skm.r2_score(y, p)
        ss_tot = np.sum((y - y.mean()) ** 2)
        conditioning = len(y) * np.finfo(np.float64).eps * np.sum(y**2) / ss_tot
        assert quality.r2_score == approx(expected, abs=1e-9 + abs(1 - expected) * (1e-7 + 16 * conditioning))
    assert quality.rmse == approx(skm.root_mean_squared_error(y, p), rel=1e-9)
    assert quality.mean_abs_error == approx(skm.mean_absolute_error(y, p), rel=1e-9)
    assert quality.abs_error_max == approx(skm.max_error(y, p))
    nonzero = np.abs(y) >= np.finfo(np.float64).eps
    if nonzero.any():
        expected = 100 * skm.mean_absolute_percentage_error(y[nonzero], p[nonzero])
        assert quality.mean_abs_perc_error == approx(expected, rel=1e-9)
    assert quality.number_of_zero_targets == int((~nonzero).sum())
