"""Registry, declarations, drift rules at the threshold, custom tests, errors and RNG hygiene."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

from monitorflow.errors import ConfigurationError, MetricError, MissingDependencyError, UnknownStatTestError
from monitorflow.stattests import (
    STATTESTS,
    StatTest,
    StatTestColumnTypeError,
    StatTestComputationError,
    StatTestResult,
    clean,
    get_stattest,
    register_stattest,
)

# name: (display name, kind, column types, default threshold, inclusive) -- evidently-facts §1.3
DECLARATIONS = {
    "ks": ("K-S p_value", "p_value", {"num"}, 0.05, True),
    "chisquare": ("chi-square p_value", "p_value", {"cat"}, 0.05, False),
    "z": ("Z-test p_value", "p_value", {"cat"}, 0.05, False),
    "wasserstein": ("Wasserstein distance (normed)", "distance", {"num"}, 0.1, True),
    "psi": ("PSI", "distance", {"cat", "num"}, 0.1, True),
    "kl_div": ("Kullback-Leibler divergence", "distance", {"cat", "num"}, 0.1, True),
    "jensenshannon": ("Jensen-Shannon distance", "distance", {"cat", "num"}, 0.1, True),
    "hellinger": ("Hellinger distance", "distance", {"cat", "num"}, 0.1, True),
    "ed": ("Energy-distance", "distance", {"num"}, 0.1, False),
    "anderson": ("Anderson-Darling", "p_value", {"num"}, 0.1, False),
    "cramer_von_mises": ("Cramer-von Mises", "p_value", {"num"}, 0.1, True),
    "mannw": ("Mann-Whitney U-rank test", "p_value", {"num"}, 0.05, False),
    "t_test": ("t_test", "p_value", {"num"}, 0.05, False),
    "es": ("Epps-Singleton", "p_value", {"num"}, 0.05, False),
    "empirical_mmd": ("empirical_mmd", "p_value", {"num"}, 0.1, False),
    "fisher_exact": ("Fisher's Exact test", "p_value", {"cat"}, 0.1, False),
    "g_test": ("g_test", "p_value", {"cat"}, 0.1, False),
    "TVD": ("Total-Variation-Distance", "p_value", {"cat"}, 0.1, False),
    "perc_text_content_drift": ("Percentile text content drift", "distance", {"text"}, 0.95, False),
    "abs_text_content_drift": ("Absolute text content drift", "distance", {"text"}, 0.55, False),
}

RNG = np.random.default_rng(11)
SAMPLES = {
    "num": (pd.Series(RNG.normal(0, 1, 400)), pd.Series(RNG.normal(0.15, 1, 300))),
    "cat": (
        pd.Series(RNG.choice(list("abc"), 400)),
        pd.Series(RNG.choice(list("abc"), 300, p=(0.4, 0.3, 0.3))),
    ),
    "binary": (
        pd.Series(RNG.choice(["x", "y"], 400)),
        pd.Series(RNG.choice(["x", "y"], 300, p=(0.45, 0.55))),
    ),
    "text": (
        pd.Series([f"w{i % 37} w{i % 11} w{i % 23} w{i % 5}" for i in range(300)]),
        pd.Series([f"w{i % 37} v{i % 13} w{i % 19} v{i % 7}" for i in range(300)]),
    ),
}


def sample_for(name: str) -> tuple[pd.Series, pd.Series, str]:
    column_type = sorted(STATTESTS[name].column_types)[0]
    key = "binary" if name == "fisher_exact" else column_type
    return *SAMPLES[key], column_type


def test_every_evidently_test_is_registered_with_its_declaration():
    assert set(STATTESTS) == set(DECLARATIONS)
    for name, (display, kind, types, threshold, inclusive) in DECLARATIONS.items():
        test = STATTESTS[name]
        assert (test.name, test.display_name, test.kind) == (name, display, kind)
        assert test.column_types == frozenset(types) and isinstance(test.column_types, frozenset)
        assert (test.default_threshold, test.inclusive) == (threshold, inclusive)


@pytest.mark.parametrize("name", sorted(set(DECLARATIONS) - {"perc_text_content_drift"}))
def test_drift_at_score_equal_to_threshold_follows_the_declared_rule(name):
    ref, cur, column_type = sample_for(name)
    test = STATTESTS[name]
    score = test(ref, cur, column_type).drift_score
    assert test(ref, cur, column_type, threshold=score).drifted is test.inclusive
    above, below = np.nextafter(score, np.inf), np.nextafter(score, -np.inf)
    more_drift, less_drift = (below, above) if test.kind == "p_value" else (above, below)
    assert test(ref, cur, column_type, threshold=less_drift).drifted is True
    assert test(ref, cur, column_type, threshold=more_drift).drifted is False


def test_p_value_and_distance_rules_are_applied_from_the_declaration():
    p_strict = StatTest("p", "p", "p_value", {"num"}, 0.05, lambda r, c, t: 0.05)
    d_strict = StatTest("d", "d", "distance", {"num"}, 0.1, lambda r, c, t: 0.1)
    ref = pd.Series([1.0, 2.0])
    assert not p_strict(ref, ref, "num").drifted
    assert p_strict(ref, ref, "num", threshold=0.06).drifted
    assert not d_strict(ref, ref, "num").drifted
    assert d_strict(ref, ref, "num", threshold=0.09).drifted
    assert StatTest("d2", "d2", "distance", {"num"}, 0.1, lambda r, c, t: 0.1, inclusive=True)(
        ref, ref, "num"
    ).drifted


def test_threshold_defaults_to_the_declared_one_and_is_reported():
    ref, cur, _ = sample_for("psi")
    assert STATTESTS["psi"](ref, cur, "num").threshold == 0.1
    result = STATTESTS["psi"](ref, cur, "num", threshold=0.3)
    assert isinstance(result, StatTestResult) and result.threshold == 0.3
    assert isinstance(result.drift_score, float) and isinstance(result.drifted, bool)


def test_get_stattest_by_name_and_by_object():
    assert get_stattest("psi", "cat") is STATTESTS["psi"]
    assert get_stattest(STATTESTS["ks"], "num") is STATTESTS["ks"]


def test_unknown_name_raises_unknown_stattest_error():
    with pytest.raises(UnknownStatTestError, match="'nope'") as info:
        get_stattest("nope", "num")
    assert info.value.name == "nope" and "ks" in str(info.value)


@pytest.mark.parametrize(
    ("name", "column_type"), [("ks", "cat"), ("z", "num"), ("psi", "text"), ("TVD", "num")]
)
def test_registered_test_on_a_disallowed_column_type_is_a_configuration_error(name, column_type):
    with pytest.raises(StatTestColumnTypeError) as info:
        get_stattest(name, column_type)
    err = info.value
    assert isinstance(err, ConfigurationError)
    assert (err.stattest, err.column_type, err.allowed) == (
        name,
        column_type,
        sorted(STATTESTS[name].column_types),
    )
    assert (
        repr(name) in str(err)
        and repr(column_type) in str(err)
        and str(sorted(STATTESTS[name].column_types)) in str(err)
    )


def test_unknown_column_type_and_bad_spec_are_configuration_errors():
    with pytest.raises(ConfigurationError, match="column_type"):
        get_stattest("ks", "numeric")
    with pytest.raises(ConfigurationError, match="int"):
        get_stattest(3, "num")
    with pytest.raises(ConfigurationError, match="threshold"):
        STATTESTS["ks"](pd.Series([1.0]), pd.Series([1.0]), "num", threshold="0.1")


def test_custom_callable_is_wrapped_and_keeps_its_own_decision():
    calls = []

    def mean_shift(reference, current, column_type, threshold):
        calls.append((column_type, threshold))
        score = abs(reference.mean() - current.mean())
        return score, score > threshold

    test = get_stattest(mean_shift, "num")
    assert test.display_name == "custom function 'mean_shift'" and test.name == "" and test.kind == "custom"
    result = test(pd.Series([0.0, 1.0]), pd.Series([2.0, 3.0]), "num", threshold=1.0)
    assert result == StatTestResult(2.0, True, 1.0)
    assert test(pd.Series([0.0, 1.0]), pd.Series([0.0, 1.0]), "num").threshold == 0.05
    assert calls == [("num", 1.0), ("num", 0.05)]


def test_custom_callable_with_a_bad_return_value_is_a_configuration_error():
    test = get_stattest(lambda r, c, t, thr: 0.3, "cat")
    with pytest.raises(ConfigurationError, match="must return"):
        test(pd.Series(["a"]), pd.Series(["a"]), "cat")


@pytest.fixture
def registry_guard():
    before = dict(STATTESTS)
    yield
    STATTESTS.clear()
    STATTESTS.update(before)


def test_custom_stattest_registration(registry_guard):
    def max_gap(reference, current, column_type):
        return abs(reference.max() - current.max())

    test = register_stattest(
        StatTest("max_gap", "Max gap", "distance", ["num"], 1.0, max_gap, inclusive=True)
    )
    assert STATTESTS["max_gap"] is test and get_stattest("max_gap", "num") is test
    assert test(pd.Series([1.0, 5.0]), pd.Series([1.0, 6.0]), "num") == StatTestResult(1.0, True, 1.0)
    with pytest.raises(StatTestColumnTypeError):
        get_stattest("max_gap", "cat")


def test_registering_invalid_stattests_fails(registry_guard):
    with pytest.raises(ConfigurationError, match="name"):
        register_stattest(StatTest("", "anon", "distance", {"num"}, 0.1, lambda r, c, t: 0.0))
    with pytest.raises(ConfigurationError, match="kind"):
        StatTest("x", "x", "score", {"num"}, 0.1, lambda r, c, t: 0.0)
    with pytest.raises(ConfigurationError, match="column_types"):
        StatTest("x", "x", "distance", {"image"}, 0.1, lambda r, c, t: 0.0)
    with pytest.raises(ConfigurationError):
        register_stattest("ks")


def test_epps_singleton_with_zero_iqr_is_a_clear_metric_error():
    ref, cur = pd.Series([0.0] * 20 + [1.0]), pd.Series([0.0] * 30)
    with pytest.raises(StatTestComputationError, match="interquartile range of 0") as info:
        STATTESTS["es"](ref, cur, "num", column="age")
    assert isinstance(info.value, MetricError) and info.value.column == "age" and "'es'" in str(info.value)


def test_fisher_exact_needs_at_most_two_categories():
    with pytest.raises(StatTestComputationError, match="3 categories"):
        STATTESTS["fisher_exact"](pd.Series(["a", "b"]), pd.Series(["a", "c"]), "cat")


def test_fisher_exact_and_g_test_accept_unequal_sizes():
    ref, cur = pd.Series(["a"] * 30 + ["b"] * 70), pd.Series(["a"] * 10 + ["b"] * 20)
    assert 0 < STATTESTS["fisher_exact"](ref, cur, "cat").drift_score <= 1
    assert 0 < STATTESTS["g_test"](ref, cur, "cat").drift_score <= 1
    assert STATTESTS["fisher_exact"](ref[:30], ref[:30], "cat").drift_score == 1.0  # one category only


def test_nan_scores_and_empty_samples_are_metric_errors():
    with pytest.raises(StatTestComputationError, match="NaN"):
        StatTest("nan", "nan", "distance", {"num"}, 0.1, lambda r, c, t: np.nan)(
            pd.Series([1.0]), pd.Series([2.0]), "num"
        )
    with pytest.raises(StatTestComputationError, match="at least 3 values"):
        STATTESTS["t_test"](pd.Series([1.0]), pd.Series([2.0]), "num")
    with pytest.raises(StatTestComputationError, match="reference sample is empty"):
        STATTESTS["ks"](pd.Series([], dtype=float), pd.Series([2.0]), "num")
    with pytest.raises(StatTestComputationError, match="missing values"):
        STATTESTS["chisquare"](pd.Series(["a", None]), pd.Series(["a"]), "cat")


def test_numpy_arrays_are_accepted():
    assert STATTESTS["ks"](np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 3.0]), "num").drift_score == 1.0


def test_clean_drops_nan_and_infinities_per_side():
    assert clean(pd.Series([1.0, np.nan, np.inf, -np.inf, 2.0])).tolist() == [1.0, 2.0]
    assert clean(pd.Series(["a", None, np.nan, "b"])).tolist() == ["a", "b"]
    assert clean(pd.Series([1, 2], dtype="Int64")).tolist() == [1, 2]
    assert clean(pd.Series([1.5, None], dtype="Float64")).tolist() == [1.5]


def test_mixed_type_categories_work():
    ref, cur = (
        pd.Series(["a", 1, True, 2.5] * 25, dtype=object),
        pd.Series(["a", 1, 1, 2.5] * 25, dtype=object),
    )
    for name in ["chisquare", "z", "psi", "jensenshannon", "hellinger", "TVD", "g_test"]:
        result = STATTESTS[name](ref, cur, "cat")
        assert np.isfinite(result.drift_score)


RANDOMISED = ["TVD", "empirical_mmd", "perc_text_content_drift", "abs_text_content_drift"]


@pytest.mark.parametrize("name", RANDOMISED)
def test_randomised_tests_are_reproducible_and_leave_numpy_global_state_alone(name):
    ref, cur, column_type = sample_for(name)
    np.random.seed(1234)
    before = np.random.get_state()
    first = STATTESTS[name](ref, cur, column_type)
    after = np.random.get_state()
    assert before[0] == after[0] and np.array_equal(before[1], after[1]) and before[2:] == after[2:]
    np.random.random(100)  # a different global state must not change the result
    assert STATTESTS[name](ref, cur, column_type) == first


def test_text_tests_need_scikit_learn(monkeypatch):
    for module in ["sklearn", *[m for m in sys.modules if m.startswith("sklearn.")]]:
        monkeypatch.setitem(sys.modules, module, None)
    ref, cur, _ = sample_for("abs_text_content_drift")
    for name in ["abs_text_content_drift", "perc_text_content_drift"]:
        with pytest.raises(MissingDependencyError, match=r"monitorflow\[text\]"):
            STATTESTS[name](ref, cur, "text")


def test_text_without_usable_vocabulary_is_a_metric_error():
    words = pd.Series(["the and of"] * 40)
    with pytest.raises(StatTestComputationError, match="abs_text_content_drift"):
        STATTESTS["abs_text_content_drift"](words, words, "text")
