"""TextDomainClassifierDriftMetric against Evidently's procedure rebuilt here from scikit-learn and numpy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

from monitorflow import Report
from monitorflow.context import ReferenceRequired
from monitorflow.errors import ColumnNotFoundError, InputDataError
from monitorflow.metrics import TextDomainClassifierDriftMetric
from monitorflow.metrics.data_drift import text_domain_classifier_drift_metric as evidently_path

SHOP = [
    "price",
    "delivery",
    "order",
    "refund",
    "package",
    "shipping",
    "late",
    "cheap",
    "quality",
    "box",
    "courier",
    "discount",
]
GADGET = [
    "battery",
    "screen",
    "camera",
    "charger",
    "display",
    "pixel",
    "audio",
    "speaker",
    "bluetooth",
    "wifi",
]


def texts(words: list[str], n: int, seed: int) -> pd.Series:
    rng = np.random.default_rng(seed)
    return pd.Series([" ".join(rng.choice(words, 6)) for _ in range(n)])


def run(reference: pd.Series | None, current: pd.Series) -> dict:
    report = Report(metrics=[TextDomainClassifierDriftMetric(text_column_name="review")])
    ref = None if reference is None else pd.DataFrame({"review": reference})
    report.run(reference_data=ref, current_data=pd.DataFrame({"review": current}))
    return report.as_dict()["metrics"][0]["result"]


def expected(reference: pd.Series, current: pd.Series) -> dict:
    """The domain classifier and the random classifiers' percentile as Evidently computes them (seeded)."""
    data = pd.concat([pd.DataFrame({"text": reference, "t": 0}), pd.DataFrame({"text": current, "t": 1})])
    x_train, x_test, y_train, y_test = train_test_split(
        data["text"], data["t"], test_size=0.5, random_state=42, shuffle=True
    )
    vectorizer = TfidfVectorizer(sublinear_tf=True, max_df=0.5, stop_words="english")
    classifier = SGDClassifier(
        alpha=0.0001, max_iter=50, penalty="l1", loss="modified_huber", random_state=42
    )
    pipeline = Pipeline([("v", vectorizer), ("c", classifier)]).fit(x_train, y_train)
    proba = pipeline.predict_proba(x_test)[:, 1]
    np.random.seed(42)
    seeds = np.random.randint(0, 10000, size=1000)
    random_aucs = []
    for seed in seeds:
        np.random.seed(seed)
        random_aucs.append(roc_auc_score(y_test, np.random.rand(len(y_test))))
    examples = pd.DataFrame({"text": x_test.to_numpy(), "label": y_test.to_numpy(), "p": proba})
    weights = pd.Series(classifier.coef_[0], index=vectorizer.get_feature_names_out())
    return {
        "auc": roc_auc_score(y_test, proba),
        "percentile": np.percentile(random_aucs, 95),
        "current_examples": list(
            examples[examples.label == 1].sort_values("p", ascending=False, kind="stable").text[:10]
        ),
        "reference_examples": list(examples[examples.label == 0].sort_values("p", kind="stable").text[:10]),
        "current_words": list(weights[weights > 0].sort_values(ascending=False, kind="stable").index[:25]),
        "reference_words": list(weights[weights < 0].sort_values(kind="stable").index[:25]),
    }


pytestmark = pytest.mark.filterwarnings(
    "ignore::sklearn.exceptions.ConvergenceWarning"
)  # Evidently's max_iter


def test_same_vocabulary_does_not_drift():
    reference, current = texts(SHOP, 150, 1), texts(SHOP, 120, 2)
    result, truth = run(reference, current), expected(reference, current)
    assert result["domain_classifier_roc_auc"] == pytest.approx(truth["auc"], rel=1e-12)
    assert result["random_classifier_95_percentile"] == pytest.approx(truth["percentile"], rel=1e-12)
    assert result["content_drift"] is False and truth["auc"] <= truth["percentile"]
    for side in ("current", "reference"):
        assert result[side] == {"characteristic_examples": None, "characteristic_words": None}
    assert result["text_column_name"] == "review"


def test_new_vocabulary_drifts_and_names_typical_texts_and_words():
    reference, current = texts(SHOP, 150, 3), pd.concat([texts(SHOP, 60, 4), texts(GADGET, 60, 5)])
    result, truth = run(reference, current), expected(reference, current)
    assert result["domain_classifier_roc_auc"] == pytest.approx(truth["auc"], rel=1e-12)
    assert result["random_classifier_95_percentile"] == pytest.approx(truth["percentile"], rel=1e-12)
    assert result["content_drift"] is True and truth["auc"] > truth["percentile"]
    assert result["current"]["characteristic_examples"] == truth["current_examples"]
    assert result["reference"]["characteristic_examples"] == truth["reference_examples"]
    assert result["current"]["characteristic_words"] == truth["current_words"]
    assert result["reference"]["characteristic_words"] == truth["reference_words"]
    assert len(result["current"]["characteristic_examples"]) == 10
    # the texts most typical of current are the gadget texts only current has
    assert all(set(t.split()) <= set(GADGET) for t in result["current"]["characteristic_examples"])


def test_a_run_repeats_and_missing_texts_are_left_out():
    reference, current = texts(SHOP, 100, 6), texts(GADGET, 100, 7)
    first = run(reference, current)
    assert run(reference, current) == first
    with_gaps = run(pd.concat([reference, pd.Series([None, np.nan])], ignore_index=True), current)
    assert with_gaps == first
    assert evidently_path.TextDomainClassifierDriftMetric is TextDomainClassifierDriftMetric


def test_bad_input_is_a_clear_error():
    reference, current = texts(SHOP, 50, 8), texts(GADGET, 50, 9)
    no_reference = Report(metrics=[TextDomainClassifierDriftMetric("review")])
    no_reference.run(current_data=pd.DataFrame({"review": current}))
    assert "reference_data" in no_reference.as_dict()["metrics"][0]["error"]  # recorded; other metrics run
    with pytest.raises(ReferenceRequired):
        no_reference.result(no_reference.metrics[0])
    report = Report(metrics=[TextDomainClassifierDriftMetric("comment")])
    with pytest.raises(ColumnNotFoundError, match="'comment'"):
        report.run(
            reference_data=pd.DataFrame({"review": reference}), current_data=pd.DataFrame({"review": current})
        )
    with pytest.raises(InputDataError, match=r"'review' has 2 non-missing texts in current data.*at least 4"):
        run(reference, pd.Series(["battery low", None, "screen cracked"]))
    with pytest.raises(InputDataError, match="'review': the domain classifier cannot be fitted"):
        run(pd.Series(["the and of"] * 20), pd.Series(["it is the"] * 20))  # English stop words only
