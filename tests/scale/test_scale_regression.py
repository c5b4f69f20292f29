"""RegressionPreset and the regression tests out of core: the in-memory engine's results from partitions.

The expected side is the in-memory engine on the whole frame; some numbers are also checked against
scikit-learn, scipy and numpy directly. Budgets are tiny, so the sorted errors and targets spill into
runs merged on disk.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats
from sklearn import metrics as skm

from monitorflow import ColumnMapping, Report, TestSuite
from monitorflow.errors import ColumnTypeError, InputDataError, NotComputableLazily
from monitorflow.metric_preset import RegressionPreset
from monitorflow.metrics import (
    RegressionAbsPercentageErrorPlot,
    RegressionDummyMetric,
    RegressionErrorBiasTable,
    RegressionErrorDistribution,
    RegressionErrorNormality,
    RegressionErrorPlot,
    RegressionPredictedVsActualPlot,
    RegressionPredictedVsActualScatter,
    RegressionQualityMetric,
    RegressionTopErrorMetric,
)
from monitorflow.scale import FrameSource, ParquetSource, configure, options
from monitorflow.test_preset import RegressionTestPreset
from monitorflow.tests import (
    TestValueAbsMaxError,
    TestValueMAE,
    TestValueMAPE,
    TestValueMeanError,
    TestValueR2Score,
    TestValueRMSE,
)

from .test_scale_parity import SETTINGS, assert_same, both

#: Every regression metric whose result is computed out of core.
EXACT = (
    RegressionQualityMetric,
    RegressionPredictedVsActualScatter,
    RegressionErrorDistribution,
    RegressionErrorNormality,
    RegressionTopErrorMetric,
    RegressionErrorBiasTable,
    RegressionDummyMetric,
)
#: Values along time: per row in memory, refused by a lazy source.
OVER_TIME = (RegressionPredictedVsActualPlot, RegressionErrorPlot, RegressionAbsPercentageErrorPlot)
TESTS = (
    TestValueMAE,
    TestValueRMSE,
    TestValueMeanError,
    TestValueMAPE,
    TestValueAbsMaxError,
    TestValueR2Score,
)


@pytest.fixture(autouse=True)
def tiny_budget():
    """64 values per sorted run: errors and targets of more than 64 rows spill and merge runs."""
    before = options()
    configure(memory_budget=512, workers=2)
    yield
    configure(memory_budget=before.memory_budget, workers=before.workers, spill_dir=before.spill_dir)


halves = st.integers(-40, 40).map(lambda v: v / 2)  # ties, zeros and negative values
numbers = st.one_of(halves, st.floats(-1e3, 1e3), st.just(math.nan), st.just(math.inf))


@st.composite
def regression_frames(draw) -> pd.DataFrame:
    n = draw(st.integers(1, 150))
    rows = st.tuples(numbers, numbers, halves | st.just(math.nan), st.sampled_from(["a", "b", "c", None]))
    values = draw(st.lists(rows, min_size=n, max_size=n))
    frame = pd.DataFrame(values, columns=["target", "prediction", "x", "c"])
    if draw(st.booleans()):  # a model close to the target: MAPE, R2 and groups of a working model
        frame["prediction"] = frame["target"] + draw(st.sampled_from([0.0, 0.5, -1.0]))
    return frame


@st.composite
def regression_runs(draw):
    current, reference = draw(regression_frames()), draw(regression_frames())
    parts = (draw(st.integers(1, 60)), draw(st.integers(1, 60)))
    return current, reference, parts


def report_of(*metrics):
    return lambda: Report(metrics=[m() for m in metrics])


@SETTINGS
@given(regression_runs())
def test_regression_metrics_match_the_in_memory_engine(run):
    current, reference, parts = run
    expected, got = both(report_of(*EXACT), current, reference, parts)
    assert_same(expected, got)


@SETTINGS
@given(regression_runs(), st.booleans())
def test_regression_tests_match_the_in_memory_engine(run, with_reference):
    current, reference, parts = run
    make = lambda: TestSuite(tests=[t() for t in TESTS])  # noqa: E731
    if with_reference:
        expected, got = both(make, current, reference, parts)
    else:
        outcomes = []
        for data in (current, FrameSource(current, parts[0])):
            suite = make()
            try:
                suite.run(current_data=data)
            except InputDataError as exc:
                outcomes.append(type(exc))
                continue
            result = suite.as_dict()
            result.pop("timestamp", None)
            outcomes.append(result)
        expected, got = outcomes
    assert_same(expected, got)


def model_frame(seed: int, n: int, bias: float = 0.0) -> pd.DataFrame:
    """A model's target and prediction with missing values, zero targets, ties and two features."""
    rng = np.random.default_rng(seed)
    target = np.round(rng.normal(20, 8, n), 1)
    target[rng.random(n) < 0.04] = 0.0
    prediction = target + np.round(rng.normal(bias, 3, n), 2)
    target[rng.random(n) < 0.02] = np.nan
    prediction[rng.random(n) < 0.02] = np.inf
    return pd.DataFrame(
        {
            "target": target,
            "prediction": prediction,
            "age": rng.integers(18, 90, n).astype(float),
            "plan": rng.choice(["free", "pro", "team"], n, p=[0.6, 0.3, 0.1]),
        }
    )


def metric_results(report: Report) -> dict[str, object]:
    return {m["metric"]: m for m in report.as_dict()["metrics"]}


def test_regression_preset_on_parquet_row_groups(tmp_path):
    """Parquet read through Arrow, many row groups and a budget that forces spilled runs: every exact
    metric equals the in-memory run; the values-along-time plots refuse by name."""
    paths = {}
    for name, frame, size in (
        ("current", model_frame(1, 5000, 0.4), 700),
        ("reference", model_frame(2, 4000), 512),
    ):
        paths[name] = tmp_path / f"{name}.parquet"
        frame.to_parquet(paths[name], row_group_size=size, index=False)
    configure(memory_budget=8 * 500, spill_dir=tmp_path / "spill")
    expected = Report(metrics=[RegressionPreset()])
    expected.run(
        current_data=pd.read_parquet(paths["current"]), reference_data=pd.read_parquet(paths["reference"])
    )
    lazy = Report(metrics=[RegressionPreset()])
    lazy.run(current_data=ParquetSource(paths["current"]), reference_data=ParquetSource(paths["reference"]))
    want, got = metric_results(expected), metric_results(lazy)
    assert set(want) == set(got) == {m.__name__ for m in (*EXACT[:-1], *OVER_TIME)}
    for name in want:
        if name in {m.__name__ for m in OVER_TIME}:
            assert "error" not in want[name]
            assert got[name]["error"].startswith(f"{name} needs the rows of")
            assert "RegressionErrorDistribution" in got[name]["error"]
        else:
            assert_same(want[name], got[name])
    assert list((tmp_path / "spill").iterdir()) == []  # the run's spilled runs are gone
    with pytest.raises(NotComputableLazily, match="RegressionErrorPlot"):
        lazy.result(RegressionErrorPlot())


def test_regression_test_preset_statuses_match():
    current, reference = model_frame(3, 3000, 1.5), model_frame(4, 2500)
    expected, got = both(lambda: TestSuite(tests=[RegressionTestPreset()]), current, reference, (401, 256))
    assert_same(expected, got)
    assert {t["status"] for t in got["tests"]} == {"SUCCESS", "FAIL"}  # a biased model fails some


def test_lazy_scores_equal_scikit_learn_scipy_and_numpy():
    frame = model_frame(5, 4000, 0.7)
    report = Report(metrics=[RegressionQualityMetric(), RegressionTopErrorMetric()])
    report.run(current_data=FrameSource(frame, 333))
    quality, top = (m["result"] for m in report.as_dict()["metrics"])
    kept = frame[np.isfinite(frame["target"]) & np.isfinite(frame["prediction"])]
    y, p = kept["target"].to_numpy(), kept["prediction"].to_numpy()
    error = p - y
    current = quality["current"]
    assert current["number_of_rows"] == len(kept)
    assert current["number_of_dropped_rows"] == len(frame) - len(kept)
    assert current["mean_abs_error"] == pytest.approx(skm.mean_absolute_error(y, p), rel=1e-12)
    assert current["rmse"] == pytest.approx(skm.root_mean_squared_error(y, p), rel=1e-12)
    assert current["r2_score"] == pytest.approx(skm.r2_score(y, p), rel=1e-12)
    assert current["abs_error_max"] == pytest.approx(skm.max_error(y, p), rel=1e-15)
    assert current["mean_error"] == pytest.approx(error.mean(), rel=1e-12)
    nonzero = y != 0
    assert current["number_of_zero_targets"] == int((~nonzero).sum()) > 0
    assert current["mean_abs_perc_error"] == pytest.approx(
        100 * skm.mean_absolute_percentage_error(y[nonzero], p[nonzero]), rel=1e-12
    )
    assert quality["mean_abs_error_default"] == pytest.approx(np.mean(np.abs(y - np.median(y))), rel=1e-12)
    (_, _), (slope, intercept, r) = stats.probplot(error, dist="norm")
    normality = quality["error_normality"]
    assert (normality["slope"], normality["intercept"], normality["r"]) == pytest.approx(
        (slope, intercept, r), rel=1e-10
    )
    low, high = np.quantile(error, [0.05, 0.95])
    over = error[(error >= high) & (error > low)]
    assert top["current"]["mean_err_per_group"]["overestimation"]["count"] == over.size
    assert top["current"]["mean_err_per_group"]["overestimation"]["mean_error"] == pytest.approx(
        over.mean(), rel=1e-12
    )


def test_bad_values_fail_as_in_memory():
    frame = model_frame(6, 500)
    frame["target"] = frame["target"].astype(object)
    frame.loc[321, "target"] = "n/a"
    mapping = ColumnMapping(numerical_features=["age"])
    for data in (frame, FrameSource(frame, 100)):
        with pytest.raises(ColumnTypeError, match="n/a"):
            Report(metrics=[RegressionQualityMetric()]).run(current_data=data, column_mapping=mapping)
    empty = model_frame(7, 300).assign(prediction=np.nan)
    for data in (empty, FrameSource(empty, 64)):
        with pytest.raises(InputDataError, match="no row with both a target"):
            Report(metrics=[RegressionQualityMetric()]).run(current_data=data)


def test_sorted_errors_and_targets_are_spilled_files_not_arrays():
    from monitorflow.metrics.regression_data import regression_data
    from monitorflow.scale.context import prepare
    from monitorflow.scale.spill import SortedFile

    frame = model_frame(8, 2000)
    ctx = prepare(FrameSource(frame, 250), None, ColumnMapping())
    try:
        data = regression_data(ctx, "current")
        kept = frame[np.isfinite(frame["target"]) & np.isfinite(frame["prediction"])]
        for stats, expected in ((data.error, kept["prediction"] - kept["target"]), (data.y, kept["target"])):
            assert isinstance(stats.sorted_finite, SortedFile)  # read in blocks, never loaded whole
            assert np.array_equal(np.asarray(stats.sorted_finite), np.sort(expected.to_numpy()))
    finally:
        ctx.close()
