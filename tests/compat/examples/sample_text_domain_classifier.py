"""Text drift by a domain classifier (``TextDomainClassifierDriftMetric``), as Evidently 0.4's
metrics notebooks call it on a review column: one current batch in the reference's vocabulary, one
with half its reviews about new topics.

Evidently's SGD classifier is unseeded (numpy's global state), so its ROC AUC and the texts and words
it finds typical change from run to run; monitorflow seeds it (``random_state=42``). The random
classifiers' percentile and the verdict are the same.
"""

from monitorflow.metrics.data_drift.text_domain_classifier_drift_metric import TextDomainClassifierDriftMetric
from monitorflow.report import Report

UNSEEDED = "Evidently's domain classifier (SGD) is unseeded; monitorflow's is seeded (random_state=42)"
DIFFERENCES = {
    "*.domain_classifier_roc_auc": UNSEEDED,
    "*.characteristic_examples": UNSEEDED,
    "*.characteristic_words": UNSEEDED,
}

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


def data():
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(11)

    def reviews(words, n):
        return [" ".join(rng.choice(words, 6)) for _ in range(n)]

    return {
        "reference": pd.DataFrame({"review": reviews(SHOP, 200)}),
        "same_topics": pd.DataFrame({"review": reviews(SHOP, 160)}),
        "new_topics": pd.DataFrame({"review": reviews(SHOP, 80) + reviews(GADGET, 80)}),
    }


def run(frames, workdir):
    out = {}
    for name in ("same_topics", "new_topics"):
        report = Report(metrics=[TextDomainClassifierDriftMetric(text_column_name="review")])
        report.run(reference_data=frames["reference"], current_data=frames[name])
        out[name] = report.as_dict()
    return out
