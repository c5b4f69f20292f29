"""DataDriftTestPreset and NoTargetPerformanceTestPreset, with Evidently's composition."""

from __future__ import annotations

from pydantic import Field

from monitorflow._types import ColumnName
from monitorflow.checks.base import Test, TestPreset
from monitorflow.checks.data_drift import (
    TestAllFeaturesValueDrift,
    TestColumnDrift,
    TestEmbeddingsDrift,
    TestShareOfDriftedColumns,
)
from monitorflow.checks.data_integrity import TestColumnsType
from monitorflow.checks.generators import (
    TestAllColumnsShareOfMissingValues,
    TestCatColumnsOutOfListValues,
    TestNumColumnsMeanInNSigmas,
    TestNumColumnsOutOfRangeValues,
)
from monitorflow.column_mapping import DataDefinition
from monitorflow.metric_preset.data_drift import options_of, predicted_values
from monitorflow.metrics.data_drift import DriftOptions
from monitorflow.metrics.data_drift.embeddings_drift import DriftMethodSpec, embedding_sets


class _DriftTestPreset(TestPreset):
    """Fields of the drift test presets, in Evidently's positional order; ``embeddings=None``: every set."""

    columns: list[ColumnName] | None = None
    embeddings: list[str] | None = None
    embeddings_drift_method: dict[str, DriftMethodSpec] | None = None
    drift_share: float | None = Field(None, gt=0, le=1)

    def embeddings_tests(self, definition: DataDefinition) -> list[Test]:
        sets = embedding_sets(definition, self.embeddings, self.embeddings_drift_method)
        return [TestEmbeddingsDrift(embeddings_name=name, drift_method=method) for name, method in sets]


class DataDriftTestPreset(DriftOptions, _DriftTestPreset):
    """Share of drifted columns, then drift of the target, the prediction, each feature and each embedding
    set."""

    def generate_tests(self, definition: DataDefinition) -> list[Test]:
        options = options_of(self)
        tests: list[Test] = [
            TestShareOfDriftedColumns(columns=self.columns, drift_share=self.drift_share, **options)
        ]
        for column in (definition.target, predicted_values(definition)):
            if column is not None:
                tests.append(TestColumnDrift(column_name=column, **options))
        tests += TestAllFeaturesValueDrift(columns=self.columns, **options).generate_tests(definition)
        return tests + self.embeddings_tests(definition)


class NoTargetPerformanceTestPreset(DriftOptions, _DriftTestPreset):
    """Prediction drift, share of drifted columns, data stability and embeddings drift, for models without
    labels yet."""

    def generate_tests(self, definition: DataDefinition) -> list[Test]:
        options = options_of(self)
        tests: list[Test] = []
        prediction = predicted_values(definition)
        if prediction is not None:
            tests.append(TestColumnDrift(column_name=prediction, **options))
        tests += [  # the share of drifted columns is over every column, whatever ``columns`` (as Evidently)
            TestShareOfDriftedColumns(drift_share=self.drift_share, **options),
            TestColumnsType(),
        ]
        for generator in (
            TestAllColumnsShareOfMissingValues(columns=self.columns),
            TestNumColumnsOutOfRangeValues(columns=self.columns),
            TestCatColumnsOutOfListValues(columns=self.columns),
            TestNumColumnsMeanInNSigmas(columns=self.columns),
        ):
            tests += generator.generate_tests(definition)
        return tests + self.embeddings_tests(definition)
