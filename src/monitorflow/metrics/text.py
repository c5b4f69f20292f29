"""Metrics over the descriptors of one text column: distributions, drift and correlations.

Each takes ``column_name`` and ``descriptors`` (a dict from a key to a descriptor; default: text length,
non-letter % and OOV %, as Evidently's). Results are keyed by those keys; the descriptor columns
themselves are named as everywhere (``TextLength().on("review")`` is "Text Length for review").
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import Field

from monitorflow._types import ColumnName, DerivedColumn
from monitorflow.column_mapping import ColumnType, python_scalar
from monitorflow.column_stats import NumericalStats, histogram_edges, top_counts
from monitorflow.context import RunContext, Side
from monitorflow.dataset_columns import ColumnsOfRun, UtilityColumns, numeric_dtype
from monitorflow.descriptors import OOV, DescriptorField, NonLetterCharacterPercentage, TextLength
from monitorflow.errors import ColumnTypeError
from monitorflow.metrics.base import Metric, MetricResult
from monitorflow.metrics.correlations import (
    NUMERICAL_METHODS,
    ColumnCorrelations,
    CorrelationValues,
    side_correlations,
)
from monitorflow.metrics.data_drift import DataDriftTableResult, DriftOptions, column_drift, table_of


def default_descriptors() -> dict[str, Any]:
    """Evidently's defaults for the TextDescriptors* metrics."""
    return {
        "Text Length": TextLength(),
        "Non Letter Character %": NonLetterCharacterPercentage(),
        "OOV %": OOV(),
    }


class _TextDescriptorsMetric(Metric[Any]):
    column_name: ColumnName
    descriptors: dict[str, DescriptorField] | None = None

    def columns(self) -> dict[str, DerivedColumn]:
        """Each key's descriptor column."""
        chosen = self.descriptors if self.descriptors is not None else default_descriptors()
        return {key: descriptor.on(self.column_name) for key, descriptor in chosen.items()}

    def derived_columns(self) -> list[DerivedColumn]:
        return list(self.columns().values())

    def _sides(self, ctx: RunContext) -> list[Side]:
        return ["current", "reference"] if ctx.has_reference else ["current"]


class Distribution(MetricResult):
    """Evidently's ``Distribution``: bin edges (numerical) or values (categorical) ``x``, counts ``y``."""

    x: list[Any]
    y: list[int]


class TextDescriptorsDistributionResult(MetricResult):
    column_name: ColumnName
    current: dict[str, Distribution]
    reference: dict[str, Distribution] | None = None


class TextDescriptorsDistribution(_TextDescriptorsMetric):
    """The distribution of each descriptor: a histogram over bins shared by both sides, or value counts."""

    result_type = TextDescriptorsDistributionResult

    def calculate(self, ctx: RunContext) -> TextDescriptorsDistributionResult:
        sides = self._sides(ctx)
        by_side: dict[Side, dict[str, Distribution]] = {side: {} for side in sides}
        for key, column in self.columns().items():
            kind = ctx.require_column(column, f"TextDescriptorsDistribution.descriptors[{key!r}]")
            stats = {side: ctx.stats(column, side) for side in sides}
            numeric = {side: s for side, s in stats.items() if isinstance(s, NumericalStats)}
            if kind == ColumnType.NUMERICAL and len(numeric) == len(stats):
                edges = histogram_edges(*(s.sorted_finite for s in numeric.values()))
                for side, n in numeric.items():
                    by_side[side][key] = Distribution(x=edges.tolist(), y=n.histogram(edges).tolist())
            else:
                for side, s in stats.items():
                    values, counts, _ = top_counts(s.value_counts())
                    by_side[side][key] = Distribution(x=[python_scalar(v) for v in values], y=counts)
        return TextDescriptorsDistributionResult(
            column_name=self.column_name, current=by_side["current"], reference=by_side.get("reference")
        )


class TextDescriptorsDriftMetricResult(DataDriftTableResult):
    """DataDriftTable's result, keyed by the descriptors' keys; ``dataset_columns`` types them as Evidently
    does (every descriptor of a numeric dtype numerical, the others categorical; sorted)."""

    dataset_columns: ColumnsOfRun | None = None  # in as_dict(), as in Evidently


def descriptor_columns(ctx: RunContext, columns: dict[str, Any]) -> ColumnsOfRun:
    """The descriptors by the reference's dtypes: numerical (a number, not a boolean) or categorical."""
    reference = ctx.data("reference")
    numeric = {key for key, column in columns.items() if numeric_dtype(reference[column].dtype)}
    return ColumnsOfRun(
        utility_columns=UtilityColumns(),
        num_feature_names=sorted(numeric),
        cat_feature_names=sorted(set(columns) - numeric),
        text_feature_names=[],
        datetime_feature_names=[],
    )


class TextDescriptorsDriftMetric(DriftOptions, _TextDescriptorsMetric):
    """Drift of each descriptor between reference and current; dataset drift when ``share >= drift_share``."""

    result_type = TextDescriptorsDriftMetricResult
    group = "data drift"

    drift_share: float = Field(0.5, gt=0, le=1)

    def calculate(self, ctx: RunContext) -> TextDescriptorsDriftMetricResult:
        by_key = {
            key: column_drift(ctx, column, self, f"TextDescriptorsDriftMetric.descriptors[{key!r}]")
            for key, column in self.columns().items()
        }
        return table_of(
            TextDescriptorsDriftMetricResult,
            by_key,
            self.drift_share,
            descriptor_columns(ctx, self.columns()),
        )


class TextDescriptorsCorrelationMetricResult(MetricResult):
    column_name: ColumnName
    current: dict[str, dict[str, ColumnCorrelations]]
    reference: dict[str, dict[str, ColumnCorrelations]] | None = None


class TextDescriptorsCorrelationMetric(_TextDescriptorsMetric):
    """Pearson, Spearman and Kendall correlations of each descriptor with every numerical feature."""

    result_type = TextDescriptorsCorrelationMetricResult

    def calculate(self, ctx: RunContext) -> TextDescriptorsCorrelationMetricResult:
        features = ctx.definition.numerical_features
        columns = self.columns()
        for key, column in columns.items():
            ctx.require_column(column, f"TextDescriptorsCorrelationMetric.descriptors[{key!r}]")

        def side(name: Side) -> dict[str, dict[str, ColumnCorrelations]]:
            cache = side_correlations(ctx, name)
            result: dict[str, dict[str, ColumnCorrelations]] = {}
            for key, column in columns.items():
                try:
                    ctx.numerical(column, name)
                    values = {m: [cache.pair(m, column, f) for f in features] for m in NUMERICAL_METHODS}
                except ColumnTypeError:  # a descriptor of values that are no numbers
                    values = {m: [math.nan] * len(features) for m in NUMERICAL_METHODS}
                result[key] = {
                    m: ColumnCorrelations(
                        column_name=column, kind=m, values=CorrelationValues(x=list(features), y=y)
                    )
                    for m, y in values.items()
                }
            return result

        return TextDescriptorsCorrelationMetricResult(
            column_name=self.column_name,
            current=side("current"),
            reference=side("reference") if ctx.has_reference else None,
        )
