"""RegressionPreset and the regression tests out of core: the in-memory engine's results from partitions.

The expected side is the in-memory engine on the whole frame; some numbers are also checked against
scikit-learn, scipy and numpy directly. Budgets are tiny, so the sorted errors and targets spill into
runs merged on disk. Reports are compared with their chart data (``as_dict(include_render=True)``).
"""

from __future__ import annotations

import math
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn import metrics as skm

from monitorflow import ColumnMapping, Report, TestSuite
from monitorflow.errors import ColumnTypeError, InputDataError, MonitoringError
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
from tests.support.compare import assert_same, magnitude

from .test_scale_sql import db_url  # noqa: F401 - the fixture

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: Every regression metric (all are computed out of core).
METRICS = (
    RegressionQualityMetric,
    RegressionPredictedVsActualScatter,
    RegressionPredictedVsActualPlot,
    RegressionErrorPlot,
    RegressionAbsPercentageErrorPlot,
    RegressionErrorDistribution,
    RegressionErrorNormality,
    RegressionTopErrorMetric,
    RegressionErrorBiasTable,
    RegressionDummyMetric,
)
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


stamps = st.one_of(st.none(), st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 1, 4)))


@st.composite
def regression_frames(draw, with_time: bool) -> pd.DataFrame:
    n = draw(st.integers(1, 150))
    rows = st.tuples(numbers, numbers, halves | st.just(math.nan), st.sampled_from(["a", "b", "c", None]))
    values = draw(st.lists(rows, min_size=n, max_size=n))
    frame = pd.DataFrame(values, columns=["target", "prediction", "x", "c"])
    if draw(st.booleans()):  # a model close to the target: MAPE, R2 and groups of a working model
        # targets in halves, so that the error is exactly constant: a spread of rounding noise
        # (1e-16 of the values) has no relative precision in either engine
        frame["target"] = (frame["target"] * 2).round() / 2
        frame["prediction"] = frame["target"] + draw(st.sampled_from([0.0, 0.5, -1.0]))
    if with_time:
        frame["ts"] = pd.to_datetime(draw(st.lists(stamps, min_size=n, max_size=n)))
    elif draw(st.booleans()):  # values along the index: its own numbers
        frame.index = 1000 - 3 * np.arange(n)
    return frame


@st.composite
def regression_runs(draw):
    with_time = draw(st.booleans())
    current, reference = draw(regression_frames(with_time)), draw(regression_frames(with_time))
    parts = (draw(st.integers(1, 60)), draw(st.integers(1, 60)))
    mapping = ColumnMapping(datetime="ts") if with_time else ColumnMapping()
    return current, reference, parts, mapping


def outcomes(make, pairs, mapping=None) -> list:
    """The result of ``make()`` run on each (current, reference), or the type of its error."""
    found = []
    for current, reference in pairs:
        suite = make()
        try:
            suite.run(current_data=current, reference_data=reference, column_mapping=mapping)
        except MonitoringError as exc:
            found.append(type(exc))
            continue
        result = suite.as_dict(include_render=True) if isinstance(suite, Report) else suite.as_dict()
        result.pop("timestamp", None)
        found.append(result)
    return found


def in_memory_and_lazy(current, reference, parts) -> list[tuple]:
    lazy_reference = None if reference is None else FrameSource(reference, parts[1])
    return [(current, reference), (FrameSource(current, parts[0]), lazy_reference)]


@SETTINGS
@given(regression_runs())
def test_regression_metrics_match_the_in_memory_engine(run):
    current, reference, parts, mapping = run
    make = lambda: Report(metrics=[m() for m in METRICS])  # noqa: E731
    expected, got = outcomes(make, in_memory_and_lazy(current, reference, parts), mapping)
    assert_same(expected, got, scale=magnitude(current, reference))


@SETTINGS
@given(regression_runs(), st.booleans())
def test_regression_tests_match_the_in_memory_engine(run, with_reference):
    current, reference, parts, _ = run
    make = lambda: TestSuite(tests=[t() for t in TESTS])  # noqa: E731
    pairs = in_memory_and_lazy(current, reference if with_reference else None, parts)
    expected, got = outcomes(make, pairs)
    assert_same(expected, got, scale=magnitude(current, reference))


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
            "ts": pd.date_range("2026-01-01", periods=n, freq="37s", tz="UTC"),
            "target": target,
            "prediction": prediction,
            "age": rng.integers(18, 90, n).astype(float),
            "plan": rng.choice(["free", "pro", "team"], n, p=[0.6, 0.3, 0.1]),
        }
    )


def metric_results(report: Report) -> dict[str, object]:
    return {m["metric"]: m for m in report.as_dict()["metrics"]}


def test_regression_preset_on_parquet_row_groups(tmp_path):
    """Parquet read through Arrow, many row groups and a budget that forces spilled runs: every metric
    of the preset equals the in-memory run, values along the datetime column included."""
    paths = {}
    for name, frame, size in (
        ("current", model_frame(1, 5000, 0.4), 700),
        ("reference", model_frame(2, 4000), 512),
    ):
        paths[name] = tmp_path / f"{name}.parquet"
        frame.to_parquet(paths[name], row_group_size=size, index=False)
    configure(memory_budget=8 * 500, spill_dir=tmp_path / "spill")
    pairs = [
        (pd.read_parquet(paths["current"]), pd.read_parquet(paths["reference"])),
        (ParquetSource(paths["current"]), ParquetSource(paths["reference"])),
    ]
    expected, got = outcomes(
        lambda: Report(metrics=[RegressionPreset()]), pairs, ColumnMapping(datetime="ts")
    )
    assert [m["metric"] for m in got["metrics"]] == [m.__name__ for m in METRICS[:-1]]
    assert all("error" not in m for m in got["metrics"])
    assert got["metrics"][3]["result"]["x_axis"] == "datetime"  # RegressionErrorPlot, per hour
    assert_same(expected, got)
    assert list((tmp_path / "spill").iterdir()) == []  # the run's spilled runs are gone


def test_regression_test_preset_statuses_match():
    current, reference = model_frame(3, 3000, 1.5), model_frame(4, 2500)
    make = lambda: TestSuite(tests=[RegressionTestPreset()])  # noqa: E731
    expected, got = outcomes(make, in_memory_and_lazy(current, reference, (401, 256)))
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


def test_regression_on_sql_sources(db_url):  # noqa: F811
    """PostgreSQL and DuckDB tables: the preset and the test preset equal the in-memory run on the rows."""
    pytest.importorskip("sqlalchemy")
    from monitorflow.scale.sql import SQLTableSource

    from .sql_tables import read_back, write_table

    for name, frame in (("current", model_frame(9, 900, 0.8)), ("reference", model_frame(10, 700))):
        columns = {"target": "float", "prediction": "float", "age": "float", "plan": "text"}
        write_table(db_url, name, {c: (kind, frame[c].tolist()) for c, kind in columns.items()})
    pairs = [
        (read_back(db_url, "current"), read_back(db_url, "reference")),
        (
            SQLTableSource(db_url, query="SELECT * FROM current", order_by="id"),
            SQLTableSource(db_url, table="reference", order_by="id"),
        ),
    ]
    for make in (
        lambda: Report(metrics=[RegressionPreset()]),
        lambda: TestSuite(tests=[RegressionTestPreset()]),
    ):
        expected, got = outcomes(make, pairs)
        assert isinstance(got, dict)
        assert_same(expected, got)


def test_a_constant_target_has_no_spread_in_either_engine():
    """0.1 seven times sums to 0.7000000000000001: the mean is rounded, yet equal values have no spread,
    so R2 is scikit-learn's "constant target" value (0.0 when mispredicted) in both engines, not
    1 - ss_res / 1e-33."""
    frame = pd.DataFrame({"target": [0.1] * 7, "prediction": [0.1, 0.2, 0.3, 0.1, 0.1, 0.1, 0.4]})
    for data in (frame, FrameSource(frame, 2)):
        report = Report(metrics=[RegressionQualityMetric()])
        report.run(current_data=data)
        current = report.as_dict()["metrics"][0]["result"]["current"]
        assert current["r2_score"] == 0.0
        expected_std = np.std(frame["prediction"] - frame["target"], ddof=1)
        assert current["error_std"] == pytest.approx(expected_std, rel=1e-12)


def test_a_cached_reference_keeps_its_sorted_errors(tmp_path):
    """The reference's sorted errors and targets are kept in its profile cache: a second run finds the
    same cache files, and neither leaves a spill behind."""
    before = options()
    configure(cache_dir=tmp_path / "cache", spill_dir=tmp_path / "spill")
    try:
        reference = ParquetSource(_parquet(tmp_path, "reference", model_frame(11, 1500)))
        current = ParquetSource(_parquet(tmp_path, "current", model_frame(12, 1200, 0.3)))
        listings = []
        for _ in range(2):
            Report(metrics=[RegressionPreset()]).run(current_data=current, reference_data=reference)
            listings.append(sorted(p.name for p in (tmp_path / "cache").rglob("*")))
            assert list((tmp_path / "spill").iterdir()) == []
        assert listings[0] == listings[1]
        assert len([name for name in listings[0] if name.startswith(("error-", "target-"))]) == 2
    finally:
        configure(cache_dir=before.cache_dir)


def _parquet(folder, name: str, frame: pd.DataFrame):
    path = folder / f"{name}.parquet"
    frame.to_parquet(path, row_group_size=300, index=False)
    return path
