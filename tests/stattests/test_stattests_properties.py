"""Property-based checks: identical samples never drift, p-values lie in [0, 1], distances are >= 0."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitorflow.stattests import STATTESTS, StatTestComputationError, default_stattest

# scipy's own notes on degenerate generated data (nearly constant samples), not failures:
pytestmark = [
    pytest.mark.filterwarnings("ignore:Estimated covariance matrix:UserWarning"),
    pytest.mark.filterwarnings("ignore:Precision loss occurred:RuntimeWarning"),
    pytest.mark.filterwarnings("ignore:ks_2samp. Exact calculation unsuccessful:RuntimeWarning"),
]

#: A share of the active Hypothesis profile's examples (conftest: ``dev`` locally, ``ci`` in CI).
PROPERTY = settings(max_examples=max(10, settings().max_examples * 3 // 4))

floats = st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False, allow_subnormal=False)
num_values = st.one_of(
    st.lists(floats, min_size=2, max_size=60),
    st.lists(st.integers(-3, 3).map(float), min_size=2, max_size=60),
)
cat_values = st.one_of(
    st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), min_size=2, max_size=60),
    st.lists(st.integers(0, 4), min_size=2, max_size=60),
    st.lists(st.booleans(), min_size=2, max_size=60),
)
bin_values = st.lists(st.sampled_from(["yes", "no"]), min_size=2, max_size=60)

NON_TEXT = sorted(name for name, t in STATTESTS.items() if "text" not in t.column_types)
DISTANCES = [name for name in NON_TEXT if STATTESTS[name].kind == "distance"]
P_VALUES = [name for name in NON_TEXT if STATTESTS[name].kind == "p_value"]


def _values_for(name: str):
    if name == "fisher_exact":
        return bin_values, "cat"
    column_type = "num" if "num" in STATTESTS[name].column_types else "cat"
    return (num_values if column_type == "num" else cat_values), column_type


def _run(name, ref, cur, column_type):
    """The result, or None when the test reports a clear per-column error on degenerate data."""
    try:
        return STATTESTS[name](pd.Series(ref), pd.Series(cur), column_type)
    except StatTestComputationError:
        return None


@pytest.mark.parametrize("column_type", ["num", "cat"])
@PROPERTY
@given(data=st.data(), large=st.booleans())
def test_default_test_never_flags_identical_samples(column_type, data, large):
    values = data.draw(num_values if column_type == "num" else cat_values)
    if large:  # exercise the n > 1000 branch too
        values = np.resize(
            np.asarray(values, dtype=object if column_type == "cat" else float), 1001 + len(values)
        )
    sample = pd.Series(values)
    test = default_stattest(sample, sample, column_type)
    result = test(sample, sample.sample(frac=1.0, random_state=0), column_type)
    assert not result.drifted


@pytest.mark.parametrize("name", NON_TEXT)
@PROPERTY
@given(data=st.data())
def test_identical_samples_do_not_drift_and_distances_are_zero(name, data):
    values, column_type = _values_for(name)
    sample = data.draw(values)
    result = _run(name, sample, list(sample), column_type)
    if result is None:
        # es refuses samples with IQR 0; t_test reports NaN when tiny values (~1e-200) underflow its variance
        assert name in {"es", "t_test"}
        return
    assert not result.drifted
    if STATTESTS[name].kind == "distance":
        assert result.drift_score == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("name", P_VALUES)
@PROPERTY
@given(data=st.data())
def test_p_values_lie_in_unit_interval(name, data):
    values, column_type = _values_for(name)
    result = _run(name, data.draw(values), data.draw(values), column_type)
    if result is not None:
        assert 0.0 <= result.drift_score <= 1.0


@pytest.mark.parametrize("name", DISTANCES)
@PROPERTY
@given(data=st.data())
def test_distances_are_non_negative(name, data):
    values, column_type = _values_for(name)
    result = _run(name, data.draw(values), data.draw(values), column_type)
    assert result is not None and result.drift_score >= 0.0


@PROPERTY
@given(num_values, num_values)
def test_streamed_wasserstein_equals_scipy(reference, current):
    from scipy import stats

    from monitorflow.column_stats import NumericalStats
    from monitorflow.stattests.ecdf import wasserstein_distance

    expected = stats.wasserstein_distance(reference, current)
    got = wasserstein_distance(NumericalStats(np.asarray(reference)), NumericalStats(np.asarray(current)))
    assert got == pytest.approx(expected, rel=1e-9, abs=1e-9)


COUNTED = sorted(name for name, t in STATTESTS.items() if t.counts_func is not None)


def test_every_count_based_test_has_a_counts_form():
    assert {
        "chisquare",
        "z",
        "jensenshannon",
        "psi",
        "kl_div",
        "hellinger",
        "g_test",
        "TVD",
        "fisher_exact",
    } <= set(COUNTED)


@PROPERTY
@pytest.mark.parametrize("name", COUNTED)
@given(data=st.data())
def test_counts_form_gives_the_series_score(name, data):
    """The drift metrics score from value counts; it must be the score of the raw values."""
    from monitorflow.stattests.utils import CategoryCounts

    stattest = STATTESTS[name]
    kinds = [st.sampled_from(["yes", "no"])]
    if name != "fisher_exact":
        kinds += [st.sampled_from(["a", "b", "c", "d", "e"]), st.integers(0, 4), st.booleans()]
    kind = data.draw(st.sampled_from(kinds))  # one column: both sides hold values of one type
    reference = pd.Series(data.draw(st.lists(kind, min_size=2, max_size=60)))
    current = pd.Series(data.draw(st.lists(kind, min_size=2, max_size=60)))
    counts = CategoryCounts.from_value_counts(reference.value_counts(), current.value_counts())
    assert stattest.accepts_counts("cat", 0)
    try:
        expected = stattest(reference, current, "cat")
    except StatTestComputationError as exc:
        with pytest.raises(StatTestComputationError) as got:
            stattest.from_counts(counts, "cat")
        assert str(got.value) == str(exc)
        return
    got = stattest.from_counts(counts, "cat")
    assert got.drift_score == pytest.approx(expected.drift_score, rel=1e-9, abs=1e-12)
    assert got.drifted == expected.drifted
