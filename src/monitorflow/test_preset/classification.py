"""Classification test presets, with Evidently's composition.

The target drift test (``TestColumnDrift(target)``) comes from ``monitorflow.checks.data_drift``; it is
added when that module is importable.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from monitorflow.checks.base import Test, TestPreset
from monitorflow.checks.classification import (
    TestAccuracyScore,
    TestF1Score,
    TestLogLoss,
    TestPrecisionByClass,
    TestPrecisionScore,
    TestRecallByClass,
    TestRecallScore,
    TestRocAuc,
)
from monitorflow.checks.data_drift import TestColumnDrift
from monitorflow.checks.data_integrity import TestNumberOfRows
from monitorflow.column_mapping import DataDefinition
from monitorflow.metric_preset.classification import has_probabilities


def target_drift(
    definition: DataDefinition, stattest: Any = None, stattest_threshold: float | None = None
) -> list[Test]:
    """``[TestColumnDrift(target)]`` when there is a target."""
    if definition.target is None:
        return []
    options: dict[str, Any] = {"column_name": definition.target}
    if stattest is not None:
        options["stattest"] = stattest
    if stattest_threshold is not None:
        options["stattest_threshold"] = stattest_threshold
    return [TestColumnDrift(**options)]


class BinaryClassificationTestPreset(TestPreset):
    """Target drift, precision, recall, F1, accuracy; with probabilities, target drift, ROC AUC,
    precision, recall, accuracy, F1 (Evidently's orders)."""

    stattest: Any = None
    stattest_threshold: float | None = None
    probas_threshold: float | None = Field(None, ge=0, le=1)

    def generate_tests(self, definition: DataDefinition) -> list[Test]:
        threshold = self.probas_threshold
        precision = TestPrecisionScore(probas_threshold=threshold)
        recall = TestRecallScore(probas_threshold=threshold)
        f1 = TestF1Score(probas_threshold=threshold)
        accuracy = TestAccuracyScore(probas_threshold=threshold)
        drift = target_drift(definition, self.stattest, self.stattest_threshold)
        if has_probabilities(definition):  # Evidently's order: accuracy before F1 here
            return [*drift, TestRocAuc(), precision, recall, accuracy, f1]
        return [*drift, precision, recall, f1, accuracy]


class BinaryClassificationTopKTestPreset(TestPreset):
    """Accuracy, precision, recall, F1 of the top-``k`` rows, target drift, ROC AUC, log loss."""

    k: int = Field(gt=0)
    stattest: Any = None
    stattest_threshold: float | None = None

    def generate_tests(self, definition: DataDefinition) -> list[Test]:
        return [
            TestAccuracyScore(k=self.k),
            TestPrecisionScore(k=self.k),
            TestRecallScore(k=self.k),
            TestF1Score(k=self.k),
            *target_drift(definition, self.stattest, self.stattest_threshold),
            TestRocAuc(),
            TestLogLoss(),
        ]


class MulticlassClassificationTestPreset(TestPreset):
    """Accuracy, F1, the precision of every label, the recall of every label, rows, target drift; ROC
    AUC and log loss with probabilities."""

    stattest: Any = None
    stattest_threshold: float | None = None

    def generate_tests(self, definition: DataDefinition) -> list[Test]:
        labels = definition.labels or []
        tests: list[Test] = [
            TestAccuracyScore(),
            TestF1Score(),
            *[TestPrecisionByClass(label=label) for label in labels],
            *[TestRecallByClass(label=label) for label in labels],
            TestNumberOfRows(),
        ]
        tests += target_drift(definition, self.stattest, self.stattest_threshold)
        if has_probabilities(definition):
            tests += [TestRocAuc(), TestLogLoss()]
        return tests
