"""Text columns, as Evidently 0.4's text how-to guides use them: drift of a text column in
``DataDriftPreset`` / ``DataDriftTestPreset`` (the default text stat test, ``text_stattest=`` and
``text_stattest_threshold=``) and text descriptors
(``TextEvals`` and a descriptor's column summary and test). Reviews are generated from two vocabularies
(no downloads): one current batch in the reference's vocabulary, one with half its reviews about new
topics. What needs downloaded vocabularies or models is left out: the OOV and Sentiment descriptors, and
so a text column's summary (Evidently's text characteristics include OOV, which needs NLTK's words).
"""

from monitorflow.descriptors import (
    Contains,
    NonLetterCharacterPercentage,
    RegExp,
    SentenceCount,
    TextLength,
    WordCount,
)
from monitorflow.metric_preset import DataDriftPreset, TextEvals
from monitorflow.metrics import ColumnSummaryMetric
from monitorflow.pipeline.column_mapping import ColumnMapping
from monitorflow.report import Report
from monitorflow.test_preset import DataDriftTestPreset
from monitorflow.test_suite import TestSuite
from monitorflow.tests import TestColumnValueMean

TIES = "ties for the most common value: monitorflow takes the smallest (docs/evidently-compat.md, ties)"
DIFFERENCES = {
    "*.evals.metrics.ColumnSummaryMetric[Text Length*.reference_characteristics.most_common": (TIES)
}
#: Evidently rounds a numerical column's most common value to 5 places (monitorflow keeps it)
ROUNDED = {"*_characteristics.most_common": 5}

SHOP = ["price", "delivery", "order", "refund", "package", "shipping", "late", "cheap", "quality", "courier"]
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

#: each stem in 4 forms: 40 words a topic, so that no word is in half the reviews (Evidently's TF-IDF drops
#: those: ``max_df=0.5``)
ENDINGS = ["", "s", "ing", "ed"]


def data():
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(12)
    shop, gadget = ([f"{w}{end}" for w in stems for end in ENDINGS] for stems in (SHOP, GADGET))

    def review(words):
        sentences = [
            " ".join(rng.choice(words, rng.integers(2, 6))).capitalize() for _ in range(rng.integers(1, 3))
        ]
        return ". ".join(sentences) + rng.choice([".", "!", "?!"])

    def frame(topics):
        texts = [review(words) for words in topics]
        return pd.DataFrame({"review": texts, "rating": rng.integers(1, 6, len(texts)).astype("int64")})

    return {
        "reference": frame([shop] * 200),
        "same_topics": frame([shop] * 160),
        "new_topics": frame([shop] * 80 + [gadget] * 80),
    }


MAPPING = {"text_features": ["review"], "numerical_features": ["rating"]}


def _report(metrics, reference, current):
    report = Report(metrics=metrics)
    report.run(reference_data=reference, current_data=current, column_mapping=ColumnMapping(**MAPPING))
    return report.as_dict()


def _suite(tests, reference, current):
    suite = TestSuite(tests=tests)
    suite.run(reference_data=reference, current_data=current, column_mapping=ColumnMapping(**MAPPING))
    return suite.as_dict()


def _cases(reference, current):
    descriptors = [
        TextLength(),
        SentenceCount(),
        WordCount(),
        NonLetterCharacterPercentage(),
        Contains(items=["refund", "battery"]),
        RegExp(reg_exp=r".*late.*"),
    ]
    return {
        "drift": _report([DataDriftPreset()], reference, current),
        "drift_abs": _report([DataDriftPreset(text_stattest="abs_text_content_drift")], reference, current),
        "drift_perc_0.9": _report(
            [DataDriftPreset(text_stattest="perc_text_content_drift", text_stattest_threshold=0.9)],
            reference,
            current,
        ),
        "drift_tests": _suite(
            [DataDriftTestPreset(text_stattest="abs_text_content_drift", text_stattest_threshold=0.6)],
            reference,
            current,
        ),
        "evals": _report([TextEvals(column_name="review", descriptors=descriptors)], reference, current),
        "descriptor_summary": _report(
            [ColumnSummaryMetric(column_name=WordCount().on("review"))], reference, current
        ),
        "descriptor_test": _suite(
            [TestColumnValueMean(column_name=TextLength().on("review"))], reference, current
        ),
    }


def run(frames, workdir):
    return {name: _cases(frames["reference"], frames[name]) for name in ("same_topics", "new_topics")}
