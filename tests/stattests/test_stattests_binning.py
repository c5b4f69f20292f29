"""Binning for psi / kl_div / jensenshannon: both branches, zero filling, and the §1.4 formulas
recomputed here."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from monitorflow.column_stats import NumericalStats, density_histogram
from monitorflow.scale.spill import SortedFile
from monitorflow.stattests import STATTESTS
from monitorflow.stattests.binning import fill_zeroes, get_binned_data, sturges_edges


def independent_binning(ref: np.ndarray, cur: np.ndarray, column_type: str, fill: bool):
    """Evidently's get_binned_data written from the description, with np.histogram on explicit edges."""
    if column_type == "num" and len(np.unique(ref)) > 20:
        edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        r = np.histogram(ref, edges)[0] / len(ref)
        c = np.histogram(cur, edges)[0] / len(cur)
    else:
        keys = sorted(set(ref.tolist()) | set(cur.tolist()))
        r = np.array([np.sum(ref == k) for k in keys]) / len(ref)
        c = np.array([np.sum(cur == k) for k in keys]) / len(cur)
    if fill:
        for shares in (r, c):
            m = shares[shares != 0].min()
            shares[shares == 0] = m / 1e6 if m <= 1e-4 else 1e-4
    return r, c


def independent_scores(ref: np.ndarray, cur: np.ndarray, column_type: str) -> dict[str, float]:
    r, c = independent_binning(ref, cur, column_type, fill=True)
    psi = np.sum((r - c) * np.log(r / c))
    rn, cn = r / r.sum(), c / c.sum()
    kl = np.sum(rn * np.log(rn / cn))
    p, q = independent_binning(ref, cur, column_type, fill=False)
    m = (p + q) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        kl_pm = np.sum(np.where(p > 0, p * np.log(p / m), 0.0))
        kl_qm = np.sum(np.where(q > 0, q * np.log(q / m), 0.0))
    return {"psi": psi, "kl_div": kl, "jensenshannon": np.sqrt((kl_pm + kl_qm) / 2)}


def _ours(name: str, ref: np.ndarray, cur: np.ndarray, column_type: str) -> float:
    return STATTESTS[name](pd.Series(ref), pd.Series(cur), column_type).drift_score


def test_evidently_reference_setup_recomputed_independently():
    """§1.4 [verified]: N(0,1) n=3000 vs N(0.2,1.1) n=2500, on our own draws (their exact draws are
    unknown)."""
    rng = np.random.default_rng(2024)
    ref, cur = rng.normal(0, 1, 3000), rng.normal(0.2, 1.1, 2500)
    expected = independent_scores(ref, cur, "num")
    expected["wasserstein"] = stats.wasserstein_distance(ref, cur) / np.std(ref)
    for name, value in expected.items():
        assert _ours(name, ref, cur, "num") == pytest.approx(value, rel=1e-9)
    # Loose sanity band around Evidently's values for their draws (psi 0.089, kl 0.039, js 0.104, w 0.266):
    assert 0.04 < expected["psi"] < 0.18 and 0.015 < expected["kl_div"] < 0.09
    assert 0.06 < expected["jensenshannon"] < 0.16 and 0.15 < expected["wasserstein"] < 0.4


@pytest.mark.parametrize("n", [200, 30_000])
@pytest.mark.parametrize("name", ["psi", "kl_div", "jensenshannon"])
def test_binned_scores_match_independent_computation(name, n):
    rng = np.random.default_rng(n)
    num_ref, num_cur = rng.normal(0, 1, n), rng.normal(0.3, 1.2, n // 2)
    cat_ref, cat_cur = rng.choice(list("abcde"), n), rng.choice(list("abcdef"), n // 2)
    few_ref, few_cur = rng.integers(0, 10, n).astype(float), rng.integers(2, 14, n // 2).astype(float)
    for ref, cur, column_type in [
        (num_ref, num_cur, "num"),
        (cat_ref, cat_cur, "cat"),
        (few_ref, few_cur, "num"),
    ]:
        expected = independent_scores(ref, cur, column_type)[name]
        assert _ours(name, ref, cur, column_type) == pytest.approx(expected, rel=1e-9, abs=1e-15)


def test_numeric_branch_switches_above_20_distinct_reference_values():
    cur = np.arange(0, 40, dtype=float)
    ref20, ref21 = np.arange(20, dtype=float), np.arange(21, dtype=float)
    r, c = get_binned_data(pd.Series(ref20), pd.Series(cur), "num", fill=False)
    assert len(r) == len(c) == 40  # per value over the union
    r, c = get_binned_data(pd.Series(ref21), pd.Series(cur), "num", fill=False)
    assert len(r) == len(np.histogram_bin_edges(np.r_[ref21, cur], "sturges")) - 1  # sturges over both
    assert r.sum() == pytest.approx(1) and c.sum() == pytest.approx(1)


def test_categorical_columns_always_use_values_even_with_many_of_them():
    ref = pd.Series(np.arange(100))
    r, _ = get_binned_data(ref, ref, "cat", fill=False)
    assert len(r) == 100


def test_sturges_edges_use_reference_and_current_together():
    ref, cur = pd.Series(np.linspace(0, 1, 100)), pd.Series(np.linspace(5, 6, 100))
    r, c = get_binned_data(ref, cur, "num", fill=False)
    assert len(r) == len(np.histogram_bin_edges(np.r_[ref, cur], "sturges")) - 1
    assert not np.any((r > 0) & (c > 0))  # one shared range: the samples fall in disjoint bins
    assert r[0] > 0 and c[-1] > 0


def test_sorted_histogram_equals_numpy_with_explicit_edges_on_edge_values():
    rng = np.random.default_rng(3)
    ref = np.r_[rng.integers(0, 50, 5000) / 7, 0.0, 50 / 7]
    cur = np.r_[rng.integers(0, 60, 4000) / 7]
    edges = np.histogram_bin_edges(np.r_[ref, cur], "sturges")
    np.testing.assert_array_equal(NumericalStats(ref).histogram(edges), np.histogram(ref, edges)[0])
    np.testing.assert_array_equal(NumericalStats(cur).histogram(edges), np.histogram(cur, edges)[0])


@pytest.mark.parametrize(
    "values",
    [
        np.array([1.0]),
        np.array([2.0, 2.0, 2.0]),
        np.array([0.0, 1e-300, 5e-324]),
        np.r_[np.random.default_rng(0).lognormal(0, 3, 5000)],
        np.r_[np.random.default_rng(1).integers(-1000, 1000, 777) / 3],
        np.array([-1e300, 1e300]),
    ],
)
def test_sturges_edges_from_count_and_range_equal_numpy(values):
    got = sturges_edges(values.size, values.min(), values.max())
    np.testing.assert_array_equal(got, np.histogram_bin_edges(values, bins="sturges"))


def test_zero_replacement_rule():
    small = np.array([0.0, 5e-5, 0.99995])
    np.testing.assert_allclose(fill_zeroes(small), [5e-11, 5e-5, 0.99995])
    large = np.array([0.0, 0.25, 0.75])
    np.testing.assert_allclose(fill_zeroes(large), [1e-4, 0.25, 0.75])
    boundary = np.array([0.0, 1e-4, 1 - 1e-4])
    np.testing.assert_allclose(fill_zeroes(boundary), [1e-10, 1e-4, 1 - 1e-4])


def test_zero_replacement_is_per_side_and_not_for_jensenshannon():
    ref = pd.Series(["a"] * 19_999 + ["b"])  # smallest reference share 5e-5 <= 1e-4
    cur = pd.Series(["a"] * 50 + ["c"] * 50)  # smallest current share 0.5 > 1e-4
    r, c = get_binned_data(ref, cur, "cat")
    assert sorted(r.tolist()) == pytest.approx(sorted([19_999 / 20_000, 5e-5, 5e-11]))
    assert sorted(c.tolist()) == pytest.approx(sorted([0.5, 0.5, 1e-4]))
    r, c = get_binned_data(ref, cur, "cat", fill=False)
    assert (r == 0).sum() == 1 and (c == 0).sum() == 1


def test_jensenshannon_is_bounded_by_sqrt_ln2_for_disjoint_samples():
    ref, cur = pd.Series(["a", "b"] * 10), pd.Series(["c", "d"] * 10)
    assert STATTESTS["jensenshannon"](ref, cur, "cat").drift_score == pytest.approx(np.sqrt(np.log(2)))


finite_floats = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.one_of(finite_floats, st.sampled_from([0.0, 1.0, 1.5, np.nan, np.inf])), max_size=60),
    bins=st.integers(min_value=1, max_value=12),
)
def test_density_histogram_from_sorted_values_is_numpys(values, bins):
    """The drift table's small distributions: np.histogram(bins=n, density=True) over the finite
    values, found from the sorted values (a column on disk is never loaded for it)."""
    data = np.asarray(values, dtype=np.float64)
    finite = data[np.isfinite(data)]
    stats_ = NumericalStats(data)
    density, edges = density_histogram(stats_, bins)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected_density, expected_edges = np.histogram(finite, bins=bins, density=True)
    np.testing.assert_array_equal(edges, expected_edges)
    np.testing.assert_array_equal(density, expected_density)


def test_density_histogram_reads_a_sorted_file_by_search_not_whole(tmp_path):
    """A column sorted to disk answers by binary search: loading it whole is refused by its budget."""
    values = np.sort(np.random.default_rng(3).normal(size=5_000))
    path = tmp_path / "column.f64"
    values.tofile(path)
    on_disk = SortedFile(path, values.size, max_load_bytes=1_000)  # too small to load the column
    stats_ = NumericalStats.from_summary(
        rows=values.size,
        missing=0,
        positive_infinite=0,
        negative_infinite=0,
        finite_count=values.size,
        mean=float(values.mean()),
        m2=float(((values - values.mean()) ** 2).sum()),
        minimum=float(values[0]),
        maximum=float(values[-1]),
        load_sorted=lambda: on_disk,
    )
    density, edges = density_histogram(stats_, 10)
    expected_density, expected_edges = np.histogram(values, bins=10, density=True)
    np.testing.assert_array_equal(edges, expected_edges)
    np.testing.assert_array_equal(density, expected_density)
