"""ECDF statistics streamed from sorted runs equal scipy's, whatever the chunking of the two samples.

Expected values come from scipy on the raw values; the streamed side reads the same values as
small chunks of runs (as a sorted column on disk would give them) or as run-length counts.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from monitorflow.column_stats import NumericalStats
from monitorflow.sorted_values import RunLength, array_runs, merge_run_chunks
from monitorflow.stattests import STATTESTS, ecdf

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

values_st = st.one_of(
    st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=80),
    st.lists(st.integers(-4, 4).map(float), min_size=1, max_size=80),
    st.lists(st.sampled_from([0.0, 1.5, 1.5000000000000002, 7.0]), min_size=1, max_size=80),
)


class Chunked:
    """Sorted values served as runs in chunks of ``size`` values (split runs joined again)."""

    def __init__(self, values: np.ndarray, size: int):
        self.data = np.sort(values)
        self.size = self.data.size
        self.chunk = size

    def __getitem__(self, rank):
        return self.data[rank]

    def take(self, ranks):
        return self.data.take(ranks)

    def searchsorted(self, values, side="left"):
        return self.data.searchsorted(values, side=side)

    def read(self, start, count):
        return self.data[start : start + count].copy()

    def runs(self):
        pieces = (array_runs(self.data[i : i + self.chunk]) for i in range(0, self.size, self.chunk))
        return merge_run_chunks(pieces)

    def __array__(self, dtype=None, copy=None):
        return self.data


def out_of_core(values: np.ndarray, how: str, chunk: int) -> NumericalStats:
    """Statistics built like the lazy engine builds them: moments and bounds given, values not in memory."""
    ordered = np.sort(values)
    centred = ordered - ordered.mean()
    if how == "runs":
        keys, counts = np.unique(ordered, return_counts=True)
        sorted_values = RunLength(keys, counts)
    else:
        sorted_values = Chunked(ordered, chunk)
    return NumericalStats.from_summary(
        rows=ordered.size,
        missing=0,
        positive_infinite=0,
        negative_infinite=0,
        finite_count=ordered.size,
        mean=float(ordered.mean()),
        m2=float(np.dot(centred, centred)),
        minimum=float(ordered[0]),
        maximum=float(ordered[-1]),
        load_sorted=lambda: sorted_values,
    )


def both_forms(data):
    a = np.array(data.draw(values_st))
    b = np.array(data.draw(values_st))
    how = data.draw(st.sampled_from(["memory", "chunks", "runs"]))
    if how == "memory":
        return a, b, NumericalStats(a), NumericalStats(b)
    chunk = data.draw(st.integers(1, 7))
    return a, b, out_of_core(a, how, chunk), out_of_core(b, how, chunk)


def close(x: float, y: float, rel: float = 1e-9) -> bool:
    return (math.isnan(x) and math.isnan(y)) or x == pytest.approx(y, rel=rel, abs=1e-12)


@SETTINGS
@given(data=st.data())
def test_pooled_runs_count_every_value_once(data):
    a, b, sa, sb = both_forms(data)
    got = list(ecdf.pooled_runs(sa, sb))
    values = np.concatenate([g[0] for g in got])
    assert np.all(np.diff(values) > 0)
    expected = np.unique(np.concatenate([a, b]))
    np.testing.assert_array_equal(values, expected)
    np.testing.assert_array_equal(np.concatenate([g[1] for g in got]), [np.sum(a == v) for v in expected])
    np.testing.assert_array_equal(np.concatenate([g[2] for g in got]), [np.sum(b == v) for v in expected])


@SETTINGS
@given(data=st.data())
def test_distances_equal_scipy(data):
    a, b, sa, sb = both_forms(data)
    assert close(ecdf.ks_distance(sa, sb), stats.ks_2samp(a, b).statistic)
    assert close(ecdf.wasserstein_distance(sa, sb), stats.wasserstein_distance(a, b))
    assert close(ecdf.energy_distance(sa, sb), stats.energy_distance(a, b))
    assert ecdf.pooled_distinct_count(sa, sb) == np.unique(np.concatenate([a, b])).size


@SETTINGS
@given(data=st.data())
def test_rank_statistics_equal_scipy(data):
    a, b, sa, sb = both_forms(data)
    pooled = np.concatenate([a, b])
    ranks = stats.rankdata(pooled)
    rank_sum, tie_term, ties = ecdf.rank_sum_and_ties(sa, sb)
    assert rank_sum == pytest.approx(ranks[: a.size].sum(), rel=1e-12)
    _, counts = np.unique(pooled, return_counts=True)
    assert tie_term == pytest.approx(float(np.sum(counts.astype(float) ** 3 - counts)), rel=1e-12)
    assert ties == bool(np.any(counts > 1))
    ra, rb = np.sort(ranks[: a.size]), np.sort(ranks[a.size :])
    expected_u = a.size * np.sum((ra - np.arange(1, a.size + 1)) ** 2) + b.size * np.sum(
        (rb - np.arange(1, b.size + 1)) ** 2
    )
    assert ecdf.cramer_von_mises_u(sa, sb) == pytest.approx(expected_u, rel=1e-9, abs=1e-9)


ORDERED = [
    "ks",
    "wasserstein",
    "ed",
    "cramer_von_mises",
    "anderson",
    "mannw",
    "t_test",
    "psi",
    "kl_div",
    "jensenshannon",
    "hellinger",
]


@pytest.mark.parametrize("name", ORDERED)
@SETTINGS
@given(data=st.data())
def test_sorted_form_gives_the_score_of_the_values(name, data):
    """Both engines score numerical columns with ``sorted_func``; it must equal the series score."""
    a, b, sa, sb = both_forms(data)
    stattest = STATTESTS[name]
    assert stattest.accepts_sorted("num")
    import pandas as pd

    from monitorflow.stattests import StatTestComputationError

    try:
        expected = stattest(pd.Series(a), pd.Series(b), "num")
    except StatTestComputationError as exc:
        with pytest.raises(StatTestComputationError) as got:
            stattest.from_sorted(sa, sb)
        assert str(got.value) == str(exc)
        return
    got = stattest.from_sorted(sa, sb)
    assert close(got.drift_score, expected.drift_score, rel=1e-7) and got.drifted == expected.drifted


def scipy_scores(a: np.ndarray, b: np.ndarray) -> dict[str, float]:
    """The scores monitorflow documents, from scipy directly (the pre-streaming implementation)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scores = {
            "ks": stats.ks_2samp(a, b).pvalue,
            "wasserstein": stats.wasserstein_distance(a, b) / max(np.std(a), 0.001),
            "ed": stats.energy_distance(a, b),
            "mannw": stats.mannwhitneyu(a, b, alternative="less").pvalue,
        }
        if min(a.size, b.size) >= 2:
            method = "exact" if max(a.size, b.size) <= 20 else "asymptotic"
            scores["cramer_von_mises"] = stats.cramervonmises_2samp(a, b, method=method).pvalue
        if np.unique(np.concatenate([a, b])).size > 1 and a.size + b.size >= 4:
            scores["anderson"] = stats.anderson_ksamp([a, b], variant="midrank").pvalue
    return scores


@SETTINGS
@given(data=st.data())
def test_p_values_and_distances_equal_scipy(data):
    a, b, sa, sb = both_forms(data)
    for name, expected in scipy_scores(a, b).items():
        got = STATTESTS[name].sorted_func(sa, sb)
        assert close(got, expected, rel=1e-7), name


@pytest.mark.parametrize("n1,n2", [(20_000, 15_000), (12_000, 900), (30_000, 30_000)])
def test_large_samples_take_the_asymptotic_branches_like_scipy(n1, n2):
    rng = np.random.default_rng(n1 + n2)
    a = np.round(rng.normal(0, 1, n1), 2)  # ties
    b = np.round(rng.normal(0.02, 1.1, n2), 2)
    sa, sb = out_of_core(a, "chunks", 997), out_of_core(b, "chunks", 1009)
    for name, expected in scipy_scores(a, b).items():
        assert close(STATTESTS[name].sorted_func(sa, sb), expected, rel=1e-9), name


def test_anderson_harmonic_sums_in_blocks_equal_scipy_formula():
    from monitorflow.stattests.anderson import _harmonic_sums

    for total in (4, 5, 1000, 2_500_003):
        hs = (1.0 / np.arange(total - 1, 1, -1)).cumsum()
        h, g = _harmonic_sums(total)
        assert h == pytest.approx(hs[-1] + 1, rel=1e-12)
        assert g == pytest.approx((hs / np.arange(2, total)).sum(), rel=1e-12)
