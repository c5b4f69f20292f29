"""Option precedence as Evidently's: per column > per type > all columns > default, for the stattest and,
independently, for the threshold; custom callables and StatTest objects in metrics and TestColumnDrift."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from monitorflow import ColumnMapping, Report
from monitorflow.checks import TestColumnDrift, TestStatus
from monitorflow.errors import ConfigurationError, UnknownStatTestError
from monitorflow.metrics import ColumnDriftMetric, DataDriftTable
from monitorflow.stattests import STATTESTS, StatTest, register_stattest
from monitorflow.stattests.registry import StatTestColumnTypeError

# --------------------------------------------------------------------------------------------- helpers


@pytest.fixture
def frames(rng):
    """Numerical a, b and categorical c, 300 rows each side."""
    ref = pd.DataFrame(
        {"a": rng.normal(size=300), "b": rng.gamma(2.0, size=300), "c": rng.choice(list("xyz"), 300)}
    )
    cur = pd.DataFrame(
        {"a": rng.normal(0.2, size=300), "b": rng.gamma(2.0, size=300), "c": rng.choice(list("xyz"), 300)}
    )
    return ref, cur


def _chosen(run_metric, frames, **options):
    table = run_metric(DataDriftTable(**options), *frames)
    return {name: (col.stattest, col.stattest_threshold) for name, col in table.drift_by_columns.items()}


# ------------------------------------------------------------------------------------- stattests


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, {"a": "ks", "b": "ks", "c": "chisquare"}),
        ({"stattest": "psi"}, {"a": "psi", "b": "psi", "c": "psi"}),
        ({"stattest": "psi", "num_stattest": "kl_div"}, {"a": "kl_div", "b": "kl_div", "c": "psi"}),
        (
            {"stattest": "psi", "cat_stattest": "jensenshannon"},
            {"a": "psi", "b": "psi", "c": "jensenshannon"},
        ),
        (
            {"stattest": "psi", "num_stattest": "kl_div", "cat_stattest": "jensenshannon"},
            {"a": "kl_div", "b": "kl_div", "c": "jensenshannon"},
        ),
        (
            {
                "stattest": "psi",
                "num_stattest": "kl_div",
                "per_column_stattest": {"a": "hellinger", "c": "TVD"},
            },
            {"a": "hellinger", "b": "kl_div", "c": "TVD"},
        ),
        ({"per_column_stattest": {"b": "anderson"}}, {"a": "ks", "b": "anderson", "c": "chisquare"}),
        ({"num_stattest": "wasserstein"}, {"a": "wasserstein", "b": "wasserstein", "c": "chisquare"}),
    ],
)
def test_stattest_precedence(run_metric, frames, options, expected):
    chosen = _chosen(run_metric, frames, **options)
    assert {name: test for name, (test, _) in chosen.items()} == expected
    # with no threshold option, each column uses its test's default threshold
    assert all(threshold == STATTESTS[test].default_threshold for test, threshold in chosen.values())


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"stattest_threshold": 0.3}, {"a": 0.3, "b": 0.3, "c": 0.3}),
        ({"stattest_threshold": 0.3, "num_stattest_threshold": 0.2}, {"a": 0.2, "b": 0.2, "c": 0.3}),
        ({"stattest_threshold": 0.3, "cat_stattest_threshold": 0.25}, {"a": 0.3, "b": 0.3, "c": 0.25}),
        (
            {
                "stattest_threshold": 0.3,
                "num_stattest_threshold": 0.2,
                "per_column_stattest_threshold": {"a": 0.4},
            },
            {"a": 0.4, "b": 0.2, "c": 0.3},
        ),
        ({"per_column_stattest_threshold": {"c": 0.01}}, {"a": 0.05, "b": 0.05, "c": 0.01}),
        ({"num_stattest_threshold": 0.2}, {"a": 0.2, "b": 0.2, "c": 0.05}),
    ],
)
def test_threshold_precedence(run_metric, frames, options, expected):
    chosen = _chosen(run_metric, frames, **options)
    assert {name: threshold for name, (_, threshold) in chosen.items()} == expected


def test_thresholds_resolve_independently_of_stattests(run_metric, frames):
    chosen = _chosen(
        run_metric,
        frames,
        per_column_stattest={"a": "psi"},  # a's test is per column...
        num_stattest_threshold=0.3,  # ...its threshold comes from the type level
        per_column_stattest_threshold={"b": 0.5},  # b: default test, per-column threshold
        cat_stattest="jensenshannon",  # c: type-level test, default threshold of that test
    )
    assert chosen == {"a": ("psi", 0.3), "b": ("ks", 0.5), "c": ("jensenshannon", 0.1)}


def test_global_threshold_also_applies_to_auto_chosen_distance_tests(run_metric, rng):
    values = rng.normal(size=2000)
    ref, cur = pd.DataFrame({"x": values}), pd.DataFrame({"x": values + 0.075})
    default = run_metric(ColumnDriftMetric("x"), ref, cur)
    expected = stats.wasserstein_distance(values, values + 0.075) / np.std(values)
    assert default.stattest == "wasserstein" and default.drift_score == pytest.approx(expected, rel=1e-12)
    assert 0.05 <= default.drift_score < 0.1
    assert (default.stattest_threshold, default.drift_detected) == (0.1, False)

    # like Evidently: a p-value-like 0.05 meant for all columns also lands on the distance test
    strict = run_metric(ColumnDriftMetric("x", stattest_threshold=0.05), ref, cur)
    assert (strict.stattest, strict.stattest_threshold, strict.drift_detected) == ("wasserstein", 0.05, True)
    assert strict.drift_score == default.drift_score


@pytest.mark.filterwarnings("ignore:Maximum number of iteration")
def test_text_options_apply_to_text_columns(run_metric, rng):
    words = np.array(["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"])
    ref = pd.DataFrame({"t": [" ".join(rng.choice(words, 6)) for _ in range(200)], "x": rng.normal(size=200)})
    cur = pd.DataFrame({"t": [" ".join(rng.choice(words, 6)) for _ in range(200)], "x": rng.normal(size=200)})
    mapping = ColumnMapping(text_features=["t"])
    default = run_metric(DataDriftTable(), ref, cur, mapping).drift_by_columns["t"]
    assert (default.column_type, default.stattest, default.stattest_threshold) == (
        "text",
        "perc_text_content_drift",
        0.95,
    )

    table = run_metric(
        DataDriftTable(
            stattest="psi",
            text_stattest="abs_text_content_drift",
            text_stattest_threshold=0.9,
            num_stattest_threshold=0.3,
        ),
        ref,
        cur,
        mapping,
    )
    assert (table.drift_by_columns["t"].stattest, table.drift_by_columns["t"].stattest_threshold) == (
        "abs_text_content_drift",
        0.9,
    )
    assert (table.drift_by_columns["x"].stattest, table.drift_by_columns["x"].stattest_threshold) == (
        "psi",
        0.3,
    )


def test_options_reach_column_drift_metric_and_test(run_metric, run_tests, frames):
    metric = run_metric(ColumnDriftMetric("a", num_stattest="psi", num_stattest_threshold=0.5), *frames)
    assert (metric.stattest, metric.stattest_threshold) == ("psi", 0.5)
    suite = run_tests(
        [TestColumnDrift("c", stattest="psi", per_column_stattest={"c": "jensenshannon"})], *frames
    )
    assert suite.results[0].parameters["stattest_key"] == "jensenshannon"


# -------------------------------------------------------------------------------------- bad options


def test_unknown_stattest_name_is_a_configuration_error(frames):
    with pytest.raises(UnknownStatTestError, match="no_such_test"):
        Report(metrics=[DataDriftTable(stattest="no_such_test")]).run(
            reference_data=frames[0], current_data=frames[1]
        )


def test_stattest_for_another_column_type_is_refused(frames):
    with pytest.raises(StatTestColumnTypeError, match="'ks'"):
        Report(metrics=[ColumnDriftMetric("c", stattest="ks")]).run(
            reference_data=frames[0], current_data=frames[1]
        )
    # "z" is categorical-only by name, even though the default choice uses it on binary numerical columns
    with pytest.raises(StatTestColumnTypeError):
        Report(metrics=[ColumnDriftMetric("a", stattest="z")]).run(
            reference_data=frames[0], current_data=frames[1]
        )


@pytest.mark.parametrize(
    "bad", [{"stattest_threshold": 0}, {"num_stattest_threshold": -0.1}, {"drift_share": 1.5}]
)
def test_invalid_threshold_values_are_refused(bad):
    with pytest.raises(ConfigurationError):
        DataDriftTable(**bad)


# ------------------------------------------------------------------------ custom callables and StatTests


def test_custom_callable_decides_the_test_status(run_tests, frames):
    calls = []

    def mean_gap(reference, current, column_type, threshold):
        calls.append((column_type, threshold, len(reference), len(current)))
        gap = abs(reference.mean() - current.mean())
        return gap, gap > threshold

    suite = run_tests(
        [
            TestColumnDrift("a", stattest=mean_gap, stattest_threshold=0.01),
            TestColumnDrift("b", stattest=mean_gap, stattest_threshold=5.0),
            TestColumnDrift("a", stattest=mean_gap, stattest_threshold=0.01, is_critical=False),
        ],
        *frames,
    )
    assert [r.status for r in suite.results] == [TestStatus.FAIL, TestStatus.SUCCESS, TestStatus.WARNING]
    params = suite.results[0].parameters
    assert params["stattest_name"] == "custom function 'mean_gap'"
    assert params["stattest_threshold"] == 0.01 and params["drift_detected"] is True
    assert params["drift_score"] == pytest.approx(abs(frames[0]["a"].mean() - frames[1]["a"].mean()))
    assert ("num", 0.01, 300, 300) in calls and ("num", 5.0, 300, 300) in calls


def test_custom_callable_default_threshold_is_005(run_tests, frames):
    seen = []

    def never(reference, current, column_type, threshold):
        seen.append(threshold)
        return 0.0, False

    suite = run_tests([TestColumnDrift("c", stattest=never)], *frames)
    assert suite.results[0].status == TestStatus.SUCCESS and seen == [0.05]


def test_custom_callable_in_per_column_option_of_the_table(run_metric, frames):
    table = run_metric(DataDriftTable(per_column_stattest={"b": lambda r, c, t, thr: (1.0, True)}), *frames)
    b = table.drift_by_columns["b"]
    assert (b.stattest_name, b.drift_score, b.drift_detected) == ("custom function '<lambda>'", 1.0, True)
    assert table.drift_by_columns["a"].stattest == "ks"


def test_statest_object_with_its_rule_and_threshold(run_tests, frames):
    distance = StatTest(
        "quarter", "always a quarter", "distance", {"num"}, 0.1, lambda r, c, _: 0.25, inclusive=True
    )
    p_value = StatTest("p05", "always 0.05", "p_value", {"num", "cat"}, 0.1, lambda r, c, _: 0.05)
    suite = run_tests(
        [
            TestColumnDrift("a", stattest=distance),  # 0.25 >= 0.1
            TestColumnDrift("a", stattest=distance, stattest_threshold=0.25),  # inclusive rule: 0.25 >= 0.25
            TestColumnDrift("a", stattest=distance, stattest_threshold=0.26),
            TestColumnDrift("c", stattest=p_value),  # 0.05 < 0.1
            TestColumnDrift(
                "c", stattest=p_value, stattest_threshold=0.05
            ),  # strict rule: 0.05 < 0.05 is false
        ],
        *frames,
    )
    assert [r.status for r in suite.results] == [
        TestStatus.FAIL,
        TestStatus.FAIL,
        TestStatus.SUCCESS,
        TestStatus.FAIL,
        TestStatus.SUCCESS,
    ]
    assert suite.results[0].parameters["stattest"] == "always a quarter"
    assert suite.results[0].parameters["stattest_name"] == "always a quarter"
    assert suite.results[0].parameters["stattest_threshold"] == 0.1


def test_registered_statest_is_usable_by_name(run_metric, frames):
    p_value = StatTest(
        "welch",
        "Welch t-test p_value",
        "p_value",
        {"num"},
        0.05,
        lambda r, c, _: stats.ttest_ind(r, c, equal_var=False).pvalue,
    )
    register_stattest(p_value)
    try:
        result = run_metric(ColumnDriftMetric("a", stattest="welch"), *frames)
    finally:
        del STATTESTS["welch"]
    expected = stats.ttest_ind(frames[0]["a"], frames[1]["a"], equal_var=False).pvalue
    assert (result.stattest, result.stattest_name) == ("welch", "Welch t-test p_value")
    assert result.drift_score == pytest.approx(expected, rel=1e-12)
    assert result.drift_detected == (expected < 0.05)


def test_failing_custom_stattest_is_an_error_status_not_a_crash(run_tests, frames):
    def broken(reference, current, column_type, threshold):
        raise ValueError("cannot score this")

    suite = run_tests([TestColumnDrift("a", stattest=broken), TestColumnDrift("b")], *frames)
    assert suite.results[0].status == TestStatus.ERROR
    assert "cannot score this" in suite.results[0].description
    assert suite.results[1].status in (TestStatus.SUCCESS, TestStatus.FAIL)


def test_two_custom_functions_of_one_name_both_run(run_tests, frames):
    suite = run_tests(
        [
            TestColumnDrift("a", stattest=lambda r, c, t, thr: (1.0, True)),
            TestColumnDrift("a", stattest=lambda r, c, t, thr: (0.0, False)),
            TestColumnDrift("a"),
            TestColumnDrift("a"),  # an equal config still runs once
        ],
        *frames,
    )
    assert len(suite.results) == 3
    assert [r.status for r in suite.results[:2]] == [TestStatus.FAIL, TestStatus.SUCCESS]
    assert TestColumnDrift("a").fingerprint == TestColumnDrift("a").fingerprint
