"""``perc_text_content_drift`` and ``abs_text_content_drift``: text drift by a domain classifier.

A TF-IDF + SGD classifier learns to tell reference (0) from current (1) texts on a seeded half split;
its ROC AUC on the other half is the score. ``abs`` drifts when AUC > threshold (0.55). ``perc`` drifts
when AUC exceeds the ``100 * threshold`` percentile of AUCs of 1000 random classifiers on the same test
labels: Evidently's seeded draws, reproduced with local generators (not numpy's global state); above
5,000 test rows the percentile comes from the exact normal limit of the random AUC instead of 1000 draws.
Needs scikit-learn: ``monitorflow[text]``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from monitorflow.errors import MissingDependencyError

from .registry import StatTest, register_stattest

SEED = 42
RANDOM_CLASSIFIERS = 1000
MAX_SIMULATED_TEST_ROWS = 5_000


def _split(n_ref: int, n_cur: int) -> tuple[np.ndarray, np.ndarray]:
    """Train and test row positions of the pooled texts (reference first): shuffled 50/50 split."""
    try:
        from sklearn.model_selection import train_test_split  # optional: scikit-learn (text extra)
    except ImportError as exc:
        raise MissingDependencyError("scikit-learn", "text") from exc
    return train_test_split(np.arange(n_ref + n_cur), test_size=0.5, random_state=SEED, shuffle=True)


@dataclass(frozen=True)
class DomainClassifier:
    """A fitted domain classifier and its predictions on the test half (label 1: current)."""

    texts: np.ndarray
    labels: np.ndarray
    scores: np.ndarray
    roc_auc: float
    #: The TF-IDF vocabulary by feature index, and the classifier's weight of each feature.
    words: np.ndarray
    weights: np.ndarray


def fit_domain_classifier(reference: pd.Series, current: pd.Series) -> DomainClassifier:
    """A TF-IDF + SGD classifier trained to separate current from reference texts, scored on the test half."""
    try:
        from sklearn.exceptions import ConvergenceWarning  # optional: scikit-learn (text extra)
        from sklearn.feature_extraction.text import TfidfVectorizer  # optional: scikit-learn (text extra)
        from sklearn.linear_model import SGDClassifier  # optional: scikit-learn (text extra)
        from sklearn.metrics import roc_auc_score  # optional: scikit-learn (text extra)
        from sklearn.pipeline import make_pipeline  # optional: scikit-learn (text extra)
    except ImportError as exc:
        raise MissingDependencyError("scikit-learn", "text") from exc
    texts = pd.concat([reference, current], ignore_index=True).astype(str).to_numpy()
    labels = np.r_[np.zeros(len(reference), dtype=int), np.ones(len(current), dtype=int)]
    train, test = _split(len(reference), len(current))
    vectorizer = TfidfVectorizer(sublinear_tf=True, max_df=0.5, stop_words="english")
    classifier = SGDClassifier(
        alpha=0.0001, max_iter=50, penalty="l1", loss="modified_huber", random_state=SEED
    )
    model = make_pipeline(vectorizer, classifier)
    with warnings.catch_warnings():  # max_iter=50 is Evidently's setting; it often stops early
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(texts[train], labels[train])
    scores = model.predict_proba(texts[test])[:, 1]
    return DomainClassifier(
        texts=texts[test],
        labels=labels[test],
        scores=scores,
        roc_auc=float(roc_auc_score(labels[test], scores)),
        words=vectorizer.get_feature_names_out(),
        weights=classifier.coef_[0],
    )


def domain_classifier_auc(reference: pd.Series, current: pd.Series) -> float:
    """ROC AUC of a TF-IDF + SGD classifier separating current from reference texts."""
    return fit_domain_classifier(reference, current).roc_auc


def random_auc_percentile(reference: pd.Series, current: pd.Series, threshold: float) -> float:
    """The ``100 * threshold`` percentile of the AUC of a random classifier on the test half's labels."""
    from scipy import stats  # lazy: scipy is slow to import

    _, test = _split(len(reference), len(current))
    positive = test >= len(reference)
    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    if n_pos == 0 or n_neg == 0:
        raise ValueError("the test half holds texts of one sample only; pass more texts")
    if len(test) > MAX_SIMULATED_TEST_ROWS:
        sd = np.sqrt((len(test) + 1) / (12 * n_pos * n_neg))
        return 0.5 + sd * stats.norm.ppf(threshold)
    # Evidently's random classifiers, drawn alike without numpy's global state: 1000 seeds from SEED,
    # uniform scores from each; AUC = Mann-Whitney U / (n_pos * n_neg) from the scores' ranks.
    seeds = np.random.RandomState(SEED).randint(0, RANDOM_CLASSIFIERS * 10, size=RANDOM_CLASSIFIERS)
    scores = np.stack([np.random.RandomState(seed).rand(len(test)) for seed in seeds])
    ranks = scores.argsort(axis=1).argsort(axis=1) + 1
    rank_sums = (ranks * positive).sum(axis=1)
    aucs = (rank_sums - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)
    return np.percentile(aucs, 100 * threshold)


def _auc(reference, current, column_type):
    return domain_classifier_auc(reference, current)


perc_text_content_drift_stat_test = register_stattest(
    StatTest(
        "perc_text_content_drift",
        "Percentile text content drift",
        "distance",
        frozenset({"text"}),
        0.95,
        _auc,
        cutoff=random_auc_percentile,
    )
)
abs_text_content_drift_stat_test = register_stattest(
    StatTest(
        "abs_text_content_drift", "Absolute text content drift", "distance", frozenset({"text"}), 0.55, _auc
    )
)
