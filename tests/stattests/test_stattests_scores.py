"""Every registered stattest's score matches an independent scipy/numpy computation written here."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

from monitorflow.stattests import STATTESTS

SIZES = {"small": (300, 250), "large": (20_000, 15_000)}


def _num(size: str, shift: float = 0.1, seed: int = 1) -> tuple[pd.Series, pd.Series]:
    rng = np.random.default_rng(seed)
    n_ref, n_cur = SIZES[size]
    return pd.Series(rng.normal(0, 1, n_ref)), pd.Series(rng.normal(shift, 1.1, n_cur))


def _cat(size: str, seed: int = 2, shares=(0.5, 0.3, 0.15, 0.05)) -> tuple[pd.Series, pd.Series]:
    rng = np.random.default_rng(seed)
    n_ref, n_cur = SIZES[size]
    labels = np.array(["a", "b", "c", "d"])
    return (
        pd.Series(rng.choice(labels, n_ref, p=(0.45, 0.3, 0.15, 0.1))),
        pd.Series(rng.choice(labels, n_cur, p=shares)),
    )


def _binary(size: str, seed: int = 3) -> tuple[pd.Series, pd.Series]:
    rng = np.random.default_rng(seed)
    n_ref, n_cur = SIZES[size]
    return pd.Series(rng.random(n_ref) < 0.3), pd.Series(rng.random(n_cur) < 0.33)


def _score(name: str, ref: pd.Series, cur: pd.Series, column_type: str) -> float:
    return STATTESTS[name](ref, cur, column_type).drift_score


def _counts(ref: pd.Series, cur: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    keys = sorted(set(ref.unique()) | set(cur.unique()))
    return ref.value_counts().reindex(keys, fill_value=0).to_numpy(), cur.value_counts().reindex(
        keys, fill_value=0
    ).to_numpy()


@pytest.mark.parametrize("size", SIZES)
def test_ks_is_scipy_two_sided_ks(size):
    ref, cur = _num(size)
    assert _score("ks", ref, cur, "num") == pytest.approx(
        stats.ks_2samp(ref.to_numpy(), cur.to_numpy()).pvalue
    )


@pytest.mark.parametrize("size", SIZES)
def test_chisquare_scales_reference_counts_to_current_size(size):
    ref, cur = _cat(size)
    r, c = _counts(ref, cur)
    expected = stats.chisquare(c, r * len(cur) / len(ref)).pvalue
    assert _score("chisquare", ref, cur, "cat") == pytest.approx(expected, rel=1e-9, abs=1e-300)


def test_chisquare_new_category_in_current_gives_p_zero():
    ref, cur = pd.Series(["a", "b"] * 50), pd.Series(["a", "b"] * 50 + ["new"])
    assert _score("chisquare", ref, cur, "cat") == 0.0
    assert STATTESTS["chisquare"](ref, cur, "cat").drifted


@pytest.mark.parametrize("size", SIZES)
def test_g_test_is_log_likelihood_ratio_with_scaled_expectation(size):
    ref, cur = _cat(size)
    r, c = _counts(ref, cur)
    e = r * len(cur) / len(ref)
    g = 2 * np.sum(c * np.log(c / e))
    assert _score("g_test", ref, cur, "cat") == pytest.approx(
        stats.chi2.sf(g, len(c) - 1), rel=1e-9, abs=1e-300
    )


@pytest.mark.parametrize("size", SIZES)
def test_z_is_two_proportion_z_test(size):
    ref, cur = _binary(size)
    first = min(set(ref) | set(cur))
    p1, p2 = np.mean(ref != first), np.mean(cur != first)
    n1, n2 = len(ref), len(cur)
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    assert _score("z", ref, cur, "cat") == pytest.approx(2 * (1 - stats.norm.cdf(abs(z))), rel=1e-9)


def test_z_first_sorted_key_versus_rest_for_more_categories():
    ref, cur = pd.Series([3, 1, 2, 2] * 30), pd.Series([1, 2, 2, 2, 3] * 20)
    p1, p2 = np.mean(ref != 1), np.mean(cur != 1)
    pooled = (p1 * 120 + p2 * 100) / 220
    z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1 / 120 + 1 / 100))
    assert _score("z", ref, cur, "cat") == pytest.approx(2 * stats.norm.sf(abs(z)))


def test_z_both_constant_same_value_is_one_and_different_values_drift():
    same = pd.Series(["x"] * 10)
    assert _score("z", same, same, "cat") == 1.0
    assert STATTESTS["z"](same, pd.Series(["y"] * 10), "cat").drifted


@pytest.mark.parametrize("size", SIZES)
def test_wasserstein_is_divided_by_population_std_of_reference(size):
    ref, cur = _num(size)
    a, b = np.sort(ref.to_numpy()), np.sort(cur.to_numpy())
    grid = np.sort(np.concatenate([a, b]))
    cdf_a = np.searchsorted(a, grid[:-1], side="right") / len(a)
    cdf_b = np.searchsorted(b, grid[:-1], side="right") / len(b)
    emd = np.sum(np.abs(cdf_a - cdf_b) * np.diff(grid))
    assert _score("wasserstein", ref, cur, "num") == pytest.approx(emd / a.std(ddof=0), rel=1e-9)


def test_wasserstein_std_is_floored_at_one_thousandth():
    ref, cur = pd.Series([1.0] * 50), pd.Series([1.0] * 49 + [2.0])
    assert _score("wasserstein", ref, cur, "num") == pytest.approx((1 / 50) / 0.001)


@pytest.mark.parametrize("size", SIZES)
def test_energy_distance_matches_pairwise_definition(size):
    ref, cur = _num(size)
    if size == "large":
        expected = stats.energy_distance(ref.to_numpy(), cur.to_numpy())
    else:
        x, y = ref.to_numpy(), cur.to_numpy()
        cross = np.abs(x[:, None] - y[None, :]).mean()
        expected = np.sqrt(2 * cross - np.abs(x[:, None] - x).mean() - np.abs(y[:, None] - y).mean())
    assert _score("ed", ref, cur, "num") == pytest.approx(expected, rel=1e-9)


def _hellinger_reference(ref: pd.Series, cur: pd.Series, column_type: str) -> float:
    if column_type == "cat":
        r, c = _counts(ref, cur)
        bc = np.sum(np.sqrt(r / len(ref) * c / len(cur)))
    else:
        edges = np.histogram_bin_edges(np.unique(np.concatenate([ref, cur])), bins="sturges")
        h1 = np.histogram(ref, edges, density=True)[0]
        h2 = np.histogram(cur, edges, density=True)[0]
        bc = sum(np.sqrt(h1 * h2) * (edges.max() - edges.min()) / (len(edges) - 1))
    return np.sqrt(1 - np.clip(bc, 0, 1))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("column_type", ["num", "cat"])
def test_hellinger_matches_evidently_definition(size, column_type):
    ref, cur = _num(size) if column_type == "num" else _cat(size)
    assert _score("hellinger", ref, cur, column_type) == pytest.approx(
        _hellinger_reference(ref, cur, column_type), rel=1e-9
    )


def test_hellinger_numeric_edges_come_from_distinct_values_not_all_values():
    """Evidently's quirk: a value repeated many times does not pull the sturges bin count up."""
    ref = pd.Series(np.r_[np.zeros(5000), np.arange(1, 30, dtype=float)])
    cur = pd.Series(np.r_[np.zeros(4000), np.arange(1, 30, dtype=float) + 0.5])
    assert _score("hellinger", ref, cur, "num") == pytest.approx(
        _hellinger_reference(ref, cur, "num"), rel=1e-9
    )


@pytest.mark.parametrize("size", SIZES)
def test_anderson_is_scipy_k_sample_midrank(size):
    ref, cur = _num(size, shift=0.05)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        expected = stats.anderson_ksamp([ref.to_numpy(), cur.to_numpy()], variant="midrank").pvalue
    assert _score("anderson", ref, cur, "num") == pytest.approx(expected)


def test_anderson_pvalue_is_clipped_like_scipy_without_warnings():
    ref, cur = _num("small", shift=3.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _score("anderson", ref, cur, "num") == 0.001


def _cvm_asymptotic_pvalue(x: np.ndarray, y: np.ndarray) -> float:
    """Two-sample CvM (Anderson 1962) with the Csörgő-Faraway limiting cdf, written from the formulas."""
    nx, ny = len(x), len(y)
    ranks = stats.rankdata(np.concatenate([np.sort(x), np.sort(y)]))
    u = nx * np.sum((ranks[:nx] - np.arange(1, nx + 1)) ** 2) + ny * np.sum(
        (ranks[nx:] - np.arange(1, ny + 1)) ** 2
    )
    k, n = nx * ny, nx + ny
    t = u / (k * n) - (4 * k - 1) / (6 * n)
    et = (1 + 1 / n) / 6
    vt = (n + 1) * (4 * k * n - 3 * (nx**2 + ny**2) - 2 * k) / (45 * n**2 * 4 * k)
    tn = 1 / 6 + (t - et) / np.sqrt(45 * vt)
    if tn < 0.003:
        return 1.0
    j = np.arange(0, 60)
    y4 = 4 * j + 1
    q = y4**2 / (16 * tn)
    terms = np.exp(special.gammaln(j + 0.5) - special.gammaln(j + 1)) / (np.pi**1.5 * np.sqrt(tn))
    cdf = np.sum(terms * np.sqrt(y4) * np.exp(-q) * special.kv(0.25, q))
    return max(0.0, 1.0 - cdf)


@pytest.mark.parametrize("size", SIZES)
def test_cramer_von_mises_asymptotic_matches_formula(size):
    ref, cur = _num(size, shift=0.02)
    expected = _cvm_asymptotic_pvalue(ref.to_numpy(), cur.to_numpy())
    assert _score("cramer_von_mises", ref, cur, "num") == pytest.approx(expected, rel=1e-6)


def test_cramer_von_mises_is_exact_up_to_twenty_values():
    rng = np.random.default_rng(5)
    ref, cur = rng.normal(size=20), rng.normal(0.5, size=12)
    exact = stats.cramervonmises_2samp(ref, cur, method="exact").pvalue
    assert _score("cramer_von_mises", pd.Series(ref), pd.Series(cur), "num") == pytest.approx(exact)
    ref21 = np.r_[ref, 0.3]
    asymptotic = _cvm_asymptotic_pvalue(ref21, cur)
    assert _score("cramer_von_mises", pd.Series(ref21), pd.Series(cur), "num") == pytest.approx(
        asymptotic, rel=1e-6
    )


@pytest.mark.parametrize("size", SIZES)
def test_mann_whitney_is_one_sided_less(size):
    ref, cur = _num(size, shift=0.05)
    x, y = ref.to_numpy(), cur.to_numpy()
    if size == "small":  # normal approximation with tie-free variance and continuity correction
        u = stats.rankdata(np.concatenate([x, y]))[: len(x)].sum() - len(x) * (len(x) + 1) / 2
        mean, sd = len(x) * len(y) / 2, np.sqrt(len(x) * len(y) * (len(x) + len(y) + 1) / 12)
        expected = stats.norm.cdf((u - mean + 0.5) / sd)
    else:
        expected = stats.mannwhitneyu(x, y, alternative="less").pvalue
    assert _score("mannw", ref, cur, "num") == pytest.approx(expected, rel=1e-9)
    assert _score("mannw", cur, ref, "num") > 0.5  # the other direction is not flagged


@pytest.mark.parametrize("size", SIZES)
def test_t_test_is_pooled_variance_student(size):
    ref, cur = _num(size, shift=0.05)
    x, y = ref.to_numpy(), cur.to_numpy()
    df = len(x) + len(y) - 2
    pooled = ((len(x) - 1) * x.var(ddof=1) + (len(y) - 1) * y.var(ddof=1)) / df
    t = (x.mean() - y.mean()) / np.sqrt(pooled * (1 / len(x) + 1 / len(y)))
    assert _score("t_test", ref, cur, "num") == pytest.approx(2 * stats.t.sf(abs(t), df), rel=1e-9)


@pytest.mark.parametrize("size", SIZES)
def test_epps_singleton_is_scipy(size):
    ref, cur = _num(size, shift=0.05)
    assert _score("es", ref, cur, "num") == pytest.approx(stats.epps_singleton_2samp(ref, cur).pvalue)


@pytest.mark.parametrize("size", SIZES)
def test_fisher_exact_uses_category_counts_per_side(size):
    ref, cur = _binary(size)
    table = [[ref.sum(), (~ref).sum()], [cur.sum(), (~cur).sum()]]
    assert _score("fisher_exact", ref, cur, "cat") == pytest.approx(stats.fisher_exact(table).pvalue)


def _tvd(ref: np.ndarray, cur: np.ndarray, keys: np.ndarray) -> float:
    r = (ref[:, None] == keys).sum(axis=0) / len(ref)
    c = (cur[:, None] == keys).sum(axis=0) / len(cur)
    return 0.5 * np.abs(r - c).sum()


@pytest.mark.parametrize("size", SIZES)
def test_tvd_permutation_pvalue_agrees_with_explicit_shuffles(size):
    ref, cur = _cat(size, shares=(0.44, 0.31, 0.15, 0.1))
    if size == "large":  # a clear shift: no shuffle of the pooled sample comes close
        ref, cur = _cat(size)
        assert _score("TVD", ref, cur, "cat") == 0.0
        return
    x, y = ref.to_numpy(), cur.to_numpy()
    keys = np.unique(np.r_[x, y])
    observed = _tvd(x, y, keys)
    rng = np.random.default_rng(123)
    pooled = np.r_[x, y]
    shuffled = [rng.permutation(pooled) for _ in range(2000)]
    expected = np.mean([observed <= _tvd(s[: len(x)], s[len(x) :], keys) for s in shuffled])
    assert 0.05 < expected < 0.95
    assert _score("TVD", ref, cur, "cat") == pytest.approx(expected, abs=0.05)


def _mmd2(kernel: np.ndarray, n_x: int) -> float:
    kxx, kyy, kxy = kernel[:n_x, :n_x], kernel[n_x:, n_x:], kernel[:n_x, n_x:]
    n_y = len(kernel) - n_x
    return kxx.sum() / (n_x * (n_x - 1)) + kyy.sum() / (n_y * (n_y - 1)) - 2 * kxy.mean()


def test_empirical_mmd_pvalue_agrees_with_explicit_permutations():
    rng = np.random.default_rng(0)
    x, y = rng.normal(0, 1, 80), rng.normal(0.1, 1, 70)
    pooled = np.r_[x, y]
    median = np.percentile(((x[:, None] - x[None, :]) ** 2).ravel(), 50, method="nearest")
    kernel = np.exp(-((pooled[:, None] - pooled[None, :]) ** 2) / median)
    kernel -= np.diag(np.diag(kernel))
    observed = _mmd2(kernel, len(x))
    perms = [rng.permutation(len(pooled)) for _ in range(2000)]
    expected = np.mean([observed <= _mmd2(kernel[p][:, p], len(x)) for p in perms])
    assert 0.05 < expected < 0.95
    assert _score("empirical_mmd", pd.Series(x), pd.Series(y), "num") == pytest.approx(expected, abs=0.15)


def test_empirical_mmd_large_samples_are_subsampled_and_still_detect_drift():
    ref, cur = _num("large", shift=0.5)
    assert _score("empirical_mmd", ref, cur, "num") == 0.0
    ref, cur = _num("large", shift=0.0)
    assert _score("empirical_mmd", ref, pd.Series(np.random.default_rng(4).normal(0, 1, 15_000)), "num") > 0.1


def _texts(n: int, words: list[str], seed: int) -> pd.Series:
    rng = np.random.default_rng(seed)
    return pd.Series([" ".join(rng.choice(words, 6)) for _ in range(n)])


VOCAB = [f"fruit{i}" for i in range(40)]
DRIFTED = [f"space{i}" for i in range(30)] + VOCAB[:10]


def _evidently_style_auc(ref: pd.Series, cur: pd.Series) -> tuple[float, np.ndarray]:
    data = pd.concat([pd.DataFrame({"text": ref, "target": 0}), pd.DataFrame({"text": cur, "target": 1})])
    x_train, x_test, y_train, y_test = train_test_split(
        data["text"], data["target"], test_size=0.5, random_state=42, shuffle=True
    )
    model = Pipeline(
        [
            ("vectorization", TfidfVectorizer(sublinear_tf=True, max_df=0.5, stop_words="english")),
            (
                "classification",
                SGDClassifier(
                    alpha=0.0001, max_iter=50, penalty="l1", loss="modified_huber", random_state=42
                ),
            ),
        ]
    )
    model.fit(x_train, y_train)
    return roc_auc_score(y_test, model.predict_proba(x_test)[:, 1]), y_test.to_numpy()


@pytest.mark.parametrize("n", [300, 1500])
def test_text_content_drift_auc_is_the_domain_classifier_auc(n):
    ref, cur = _texts(n, VOCAB, 1), _texts(n, VOCAB[:5] + DRIFTED[:3], 2)
    auc, _ = _evidently_style_auc(ref, cur)
    assert _score("abs_text_content_drift", ref, cur, "text") == pytest.approx(auc)
    assert _score("perc_text_content_drift", ref, cur, "text") == pytest.approx(auc)
    assert STATTESTS["abs_text_content_drift"](ref, cur, "text").drifted == (auc > 0.55)


def test_perc_text_content_drift_compares_auc_with_random_classifier_percentile():
    ref, cur = _texts(400, VOCAB, 3), _texts(400, VOCAB, 4)
    auc, y_test = _evidently_style_auc(ref, cur)
    # Evidently's random classifiers: np.random.seed(42), 1000 seeds, np.random.seed(s); rand(n) each
    np.random.seed(42)
    seeds = np.random.randint(0, 10000, size=1000)
    random_aucs = []
    for seed in seeds:
        np.random.seed(seed)
        random_aucs.append(roc_auc_score(y_test, np.random.rand(len(y_test))))
    cutoff = np.percentile(random_aucs, 95)
    result = STATTESTS["perc_text_content_drift"](ref, cur, "text")
    assert result.drift_score == pytest.approx(auc) and result.threshold == 0.95
    from monitorflow.stattests.text_content_drift import random_auc_percentile

    assert random_auc_percentile(ref, cur, 0.95) == pytest.approx(cutoff, rel=1e-12)
    assert result.drifted == (auc > random_auc_percentile(ref, cur, 0.95))
    assert STATTESTS["perc_text_content_drift"](
        _texts(400, VOCAB, 5), _texts(400, DRIFTED, 6), "text"
    ).drifted
