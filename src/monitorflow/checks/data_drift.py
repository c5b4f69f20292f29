"""Drift tests: one column drifted, the number or share of drifted columns, an embedding set drifted."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from monitorflow._types import ColumnName
from monitorflow.checks.base import ConditionTest, Outcome, Test, TestGenerator, TestStatus
from monitorflow.column_mapping import DataDefinition
from monitorflow.conditions import TestValueCondition
from monitorflow.context import RunContext, Side
from monitorflow.metrics.data_drift import ColumnDriftMetric, DataDriftTable, DriftOptions
from monitorflow.metrics.data_drift.embeddings_drift import DriftMethodSpec, EmbeddingsDriftMetric


def drift_options(config: DriftOptions) -> dict[str, Any]:
    """The stattest options a drift test passes to the metric it reads."""
    return {name: getattr(config, name) for name in DriftOptions.model_fields}


class _DriftTest(DriftOptions, Test):
    group = "data_drift"


class TestColumnDrift(_DriftTest):
    """FAIL when the column drifted by its stattest's rule."""

    name = "Drift per Column"
    column_name: ColumnName

    def check(self, ctx: RunContext) -> Outcome:
        # through the metric, so that the suite's metric results hold it (as Evidently's)
        result = ctx.result(ColumnDriftMetric(column_name=self.column_name, **drift_options(self)))
        if result.message is not None:
            return Outcome(status=TestStatus.ERROR, description=result.message)
        return Outcome(
            status=TestStatus.FAIL if result.drift_detected else TestStatus.SUCCESS,
            description=(  # Evidently's words (the column in bold, the score rounded)
                f"The drift score for the feature **{self.column_name}** is "
                f"{round(result.drift_score, 3):.3g}. The drift detection method is "
                f"{result.stattest_name}. The drift detection threshold is {result.stattest_threshold}."
            ),
            parameters={
                **drift_parameters(result),
                "column_name": self.column_name,
                "stattest_key": result.stattest,
                "stattest_name": result.stattest_name,
                "stattest_threshold": result.stattest_threshold,
                "drift_score": result.drift_score,
                "column_type": result.column_type,
                "drift_detected": result.drift_detected,
            },
        )


def drift_parameters(result: Any) -> dict[str, Any]:
    """Evidently's parameters of a column's drift: stattest (display name), score, threshold, detected."""
    return {
        "stattest": result.stattest_name,
        "score": result.drift_score,
        "threshold": result.stattest_threshold,
        "detected": result.drift_detected,
    }


class _DriftedColumnsTest(DriftOptions, ConditionTest):
    group = "data_drift"
    columns: list[ColumnName] | None = None
    #: Passed to the DataDriftTable this test reads (its result then carries the importances).
    feature_importance: bool = False

    def table(self, ctx: RunContext) -> Any:
        options = drift_options(self)
        return ctx.result(
            DataDriftTable(columns=self.columns, feature_importance=self.feature_importance, **options)
        )

    def check(self, ctx: RunContext) -> Outcome:
        outcome = super().check(ctx)  # Evidently's parameters list each column's drift under "features"
        features = {column: drift_parameters(r) for column, r in self.table(ctx).drift_by_columns.items()}
        return outcome.model_copy(update={"parameters": {**outcome.parameters, "features": features}})


class TestNumberOfDriftedColumns(_DriftedColumnsTest):
    """Default: fewer than a third of the columns drifted (``lt max(0, columns // 3)``)."""

    name = "Number of Drifted Features"

    def measure(self, ctx: RunContext, side: Side) -> float:
        return self.table(ctx).number_of_drifted_columns

    def default_condition(self, ctx: RunContext) -> tuple[TestValueCondition, float | None]:
        return TestValueCondition(lt=max(0, self.table(ctx).number_of_columns // 3)), None


class TestShareOfDriftedColumns(_DriftedColumnsTest):
    """Default: ``lt 0.3``, or ``lt drift_share`` when it is given."""

    name = "Share of Drifted Columns"
    drift_share: float | None = Field(None, gt=0, le=1)

    def measure(self, ctx: RunContext, side: Side) -> float:
        return self.table(ctx).share_of_drifted_columns

    def default_condition(self, ctx: RunContext) -> tuple[TestValueCondition, float | None]:
        return TestValueCondition(lt=self.drift_share if self.drift_share is not None else 0.3), None


def _options(preset: DriftOptions) -> dict[str, Any]:
    return {k: v for k, v in preset.drift_options().items() if v is not None}


class _ColumnDriftTests(DriftOptions, TestGenerator):
    """One TestColumnDrift per column of :meth:`columns_of`, with these drift options and criticality."""

    is_critical: bool = True

    def columns_of(self, definition: DataDefinition) -> list[ColumnName]:
        raise NotImplementedError

    def generate_tests(self, definition: DataDefinition) -> list[Test]:
        options = _options(self)
        return [
            TestColumnDrift(column_name=c, is_critical=self.is_critical, **options)
            for c in self.columns_of(definition)
        ]


class TestAllFeaturesValueDrift(_ColumnDriftTests):
    """One TestColumnDrift per categorical, numerical and text feature, in that order (Evidently's),
    those in ``columns`` if given."""

    columns: list[ColumnName] | None = None

    def columns_of(self, definition: DataDefinition) -> list[ColumnName]:
        features = [
            *definition.categorical_features,
            *definition.numerical_features,
            *definition.text_features,
        ]
        if self.columns is None:
            return features
        wanted = set(self.columns)
        return [c for c in features if c in wanted]


class TestCustomFeaturesValueDrift(_ColumnDriftTests):
    """One TestColumnDrift per listed feature, in the order given."""

    features: list[ColumnName]

    def columns_of(self, definition: DataDefinition) -> list[ColumnName]:
        return list(self.features)


class TestEmbeddingsDrift(Test):
    """FAIL when the embedding set drifted by its drift method (default as EmbeddingsDriftMetric's)."""

    name = "Drift for embeddings"
    group = "data_drift"
    embeddings_name: str
    drift_method: DriftMethodSpec | None = None

    def check(self, ctx: RunContext) -> Outcome:
        metric = EmbeddingsDriftMetric(embeddings_name=self.embeddings_name, drift_method=self.drift_method)
        result = ctx.result(metric)
        verb = "drifted" if result.drift_detected else "did not drift"
        return Outcome(
            status=TestStatus.FAIL if result.drift_detected else TestStatus.SUCCESS,
            description=(
                f"embedding set {self.embeddings_name!r} {verb}: {result.method_name} drift score "
                f"{result.drift_score:.6g}"
            ),
            parameters={
                "drift_score": result.drift_score,
                "drift_detected": result.drift_detected,
                "method_name": result.method_name,
            },
        )
