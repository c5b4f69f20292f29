"""TextDomainClassifierDriftMetric: does a classifier tell current texts from reference texts?

The domain classifier of the ``perc_text_content_drift`` stattest
(:func:`monitorflow.stattests.text_content_drift.fit_domain_classifier`: TF-IDF + SGD on a seeded half
split) gives a ROC AUC on the other half; the content drifted when it beats the 95th percentile of
random classifiers' AUCs on the same labels. With drift, the result keeps the test texts the
classifier finds most typical of each dataset (10 each) and the words with the largest weights each
way (25 each). Seeded, so a run repeats. Missing texts are left out (Evidently fails on them). Needs
scikit-learn: ``pip install 'monitorflow[text]'``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from monitorflow._types import ColumnName, Float
from monitorflow.context import RunContext, Side
from monitorflow.errors import InputDataError
from monitorflow.metrics.base import Metric, MetricResult
from monitorflow.stattests.text_content_drift import (
    DomainClassifier,
    fit_domain_classifier,
    random_auc_percentile,
)

#: The random classifiers' AUC percentile to beat (Evidently's ``p_value=0.05``).
RANDOM_PERCENTILE = 0.95
#: Typical texts and words kept per dataset.
EXAMPLES, WORDS = 10, 25
#: Fewest texts per dataset: both halves of the split must hold texts of both datasets.
MIN_TEXTS = 4


class TextDomainField(MetricResult):
    characteristic_examples: list[str] | None = None
    characteristic_words: list[str] | None = None


class TextDomainClassifierDriftResult(MetricResult):
    text_column_name: ColumnName
    domain_classifier_roc_auc: Float
    random_classifier_95_percentile: Float
    content_drift: bool
    current: TextDomainField
    reference: TextDomainField


def typical_examples(fitted: DomainClassifier, label: int) -> list[str]:
    """Test texts of one dataset, the most typical of it first (ties in test-half order)."""
    rows = np.flatnonzero(fitted.labels == label)
    toward = -fitted.scores[rows] if label == 1 else fitted.scores[rows]
    return [str(t) for t in fitted.texts[rows[np.argsort(toward, kind="stable")][:EXAMPLES]]]


def typical_words(fitted: DomainClassifier, sign: int) -> list[str]:
    """Words with a weight of ``sign``, the largest in magnitude first (ties in vocabulary order)."""
    chosen = np.flatnonzero(np.sign(fitted.weights) == sign)
    order = np.argsort(-np.abs(fitted.weights[chosen]), kind="stable")
    return [str(w) for w in fitted.words[chosen[order]][:WORDS]]


def _typical(fitted: DomainClassifier, label: int, sign: int) -> TextDomainField:
    return TextDomainField(
        characteristic_examples=typical_examples(fitted, label),
        characteristic_words=typical_words(fitted, sign),
    )


class TextDomainClassifierDriftMetric(Metric[TextDomainClassifierDriftResult]):
    """Text drift by a domain classifier's ROC AUC against random classifiers' 95th percentile."""

    group = "data drift"
    result_type = TextDomainClassifierDriftResult
    text_column_name: ColumnName

    def _texts(self, ctx: RunContext, side: Side) -> pd.Series:
        texts = ctx.data(side)[self.text_column_name].dropna()
        if len(texts) < MIN_TEXTS:
            raise InputDataError(
                f"column {self.text_column_name!r} has {len(texts)} non-missing texts in {side} data; "
                f"the domain classifier needs at least {MIN_TEXTS} in each dataset (half to train, half "
                "to test): pass more rows"
            )
        return texts

    def calculate(self, ctx: RunContext) -> TextDomainClassifierDriftResult:
        ctx.require_column(self.text_column_name, f"{self.type_name}.text_column_name")
        reference, current = self._texts(ctx, "reference"), self._texts(ctx, "current")
        try:
            fitted = fit_domain_classifier(reference, current)
            percentile = float(random_auc_percentile(reference, current, RANDOM_PERCENTILE))
        except ValueError as exc:  # one class in a half, or no word left after the stop words
            raise InputDataError(
                f"column {self.text_column_name!r}: the domain classifier cannot be fitted ({exc}); "
                "pass more texts, with words beyond English stop words"
            ) from exc
        drift = fitted.roc_auc > percentile
        current_field, reference_field = TextDomainField(), TextDomainField()
        if drift:
            current_field = TextDomainField(
                characteristic_examples=typical_examples(fitted, 1),
                characteristic_words=typical_words(fitted, 1),
            )
            reference_field = TextDomainField(
                characteristic_examples=typical_examples(fitted, 0),
                characteristic_words=typical_words(fitted, -1),
            )
        return TextDomainClassifierDriftResult(
            text_column_name=self.text_column_name,
            domain_classifier_roc_auc=fitted.roc_auc,
            random_classifier_95_percentile=percentile,
            content_drift=drift,
            current=current_field,
            reference=reference_field,
        )


__all__ = ["TextDomainClassifierDriftMetric", "TextDomainClassifierDriftResult", "TextDomainField"]
