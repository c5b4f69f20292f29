"""Tests of correlations (DatasetCorrelationsMetric) and of conflicting labels (Conflict*Metric).

Default conditions (Evidently's, except where noted; "ref" is the same value on the reference):

==================================  ===============================================  ===================
test                                with reference                                   without reference
==================================  ===============================================  ===================
TestTargetPredictionCorrelation     ``eq approx(ref, absolute=0.25)``                ``gt 0``
TestHighlyCorrelatedColumns         ``eq approx(ref, relative=0.1)``                 ``lt 0.9``
TestTargetFeaturesCorrelations      ``eq approx(ref, relative=0.1)``                 ``lt 0.9``
TestPredictionFeaturesCorrelations  ``eq approx(ref, relative=0.1)``                 ``lt 0.9``
TestCorrelationChanges              ``eq 0`` (value needs the reference)             ERROR
TestConflictTarget                  ``lte approx(ref x rows ratio, relative=0.1)``   ``lte 0``
TestConflictPrediction              ``lte approx(ref x rows ratio, relative=0.1)``   ``lte 0``
==================================  ===============================================  ===================

- A reference value that is undefined (NaN: no such column, constant column) falls back to the
  no-reference condition, as in Evidently. An undefined current value is ERROR with the reason.
- ``method=None`` (the default of the target / prediction tests) means Evidently's
  ``target_correlation``: pearson for a numerical target, cramer_v for a categorical one.
- Conflict tests: Evidently FAILs on any conflict; here, with a reference, up to the reference count
  scaled by the row ratio + 10% passes (a count of bad things: an improvement never fails).
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

from pydantic import Field

from monitorflow._types import ColumnName
from monitorflow.checks.base import ConditionTest, Outcome, at_most_reference, fixed
from monitorflow.column_mapping import ColumnType
from monitorflow.conditions import TestValueCondition, approx
from monitorflow.context import ReferenceRequired, RunContext, Side
from monitorflow.errors import MetricError
from monitorflow.metrics.conflicts import ConflictPredictionMetric, ConflictTargetMetric
from monitorflow.metrics.correlations import (
    CorrelationMatrix,
    CorrelationMethod,
    DatasetCorrelationsMetric,
    method_kind,
    target_method,
)

#: At most this many changed pairs are listed in TestCorrelationChanges' parameters.
MAX_LISTED_PAIRS = 20


def _near_absolute(absolute: float):
    return lambda reference, ctx: TestValueCondition(eq=approx(reference, absolute=absolute))


def _near_relative(relative: float):
    return lambda reference, ctx: TestValueCondition(eq=approx(reference, relative=relative))


class _CorrelationTest(ConditionTest):
    """A test of one stat of DatasetCorrelationsMetric for one method."""

    stat: ClassVar[str]
    #: Whether ``method=None`` follows the target's type (else it means pearson).
    target_default: ClassVar[bool] = True
    # Each subclass declares the field ``method: CorrelationMethod | None`` itself, so that positional
    # arguments keep Evidently's order (an annotation here would put ``method`` first everywhere).

    def resolved_method(self, ctx: RunContext) -> CorrelationMethod:
        method: CorrelationMethod | None = getattr(self, "method", None)
        if method is not None:
            return method
        if self.target_default:
            return target_method(ctx.definition) or "pearson"
        return "pearson"

    def matrix(self, ctx: RunContext, side: Side) -> CorrelationMatrix:
        method = self.resolved_method(ctx)
        result = ctx.result(DatasetCorrelationsMetric(methods=[method]))
        side_result = result.current if side == "current" else result.reference
        if side_result is None:
            raise ReferenceRequired("reference_data is needed")
        return side_result.correlation[method]

    def measure(self, ctx: RunContext, side: Side) -> float:
        return getattr(self.matrix(ctx, side).stats, self.stat)

    def what_with(self, ctx: RunContext) -> str:
        return f"{self.name.lower()} ({self.resolved_method(ctx)})"

    def undefined(self, ctx: RunContext) -> str:
        """Why the current value is NaN."""
        return "no pair of columns has a defined correlation (constant or missing columns)"

    def default_condition(self, ctx: RunContext) -> tuple[TestValueCondition, float | None]:
        rule = type(self).reference_rule
        if ctx.has_reference and rule is not None:
            reference = self.measure(ctx, "reference")
            if not math.isnan(reference):
                return rule(reference, ctx), reference
        fallback = type(self).default_rule
        if fallback is None:
            return super().default_condition(ctx)
        return fallback(ctx), None

    def check(self, ctx: RunContext) -> Outcome:
        value = self.measure(ctx, "current")
        if isinstance(value, float) and math.isnan(value):
            raise MetricError(
                f"{self.what_with(ctx)} is undefined: {self.undefined(ctx)}",
                metric="DatasetCorrelationsMetric",
            )
        outcome = super().check(ctx)
        description = self.what_with(ctx) + outcome.description.removeprefix(self.what())
        return outcome.model_copy(
            update={
                "description": description,
                "parameters": {**outcome.parameters, "method": self.resolved_method(ctx)},
            }
        )


def _role_problem(ctx: RunContext, method: str, role: str) -> str | None:
    """Why a target / prediction has no correlations with ``method``, or None when it has."""
    column = ctx.definition.target if role == "target" else ctx.definition.prediction
    if column is None:
        return f"there is no {role} column; set ColumnMapping({role}=<column>)"
    kind = ctx.definition.type_of(column)
    if kind != method_kind(method):
        other = (
            "method='cramer_v'"
            if kind == ColumnType.CATEGORICAL
            else "method='pearson', 'spearman' or 'kendall'"
        )
        described = kind.name.lower() if kind else "untyped"
        return f"{role} {column!r} is {described}, which {method} does not correlate; use {other}"
    return None


class TestTargetPredictionCorrelation(_CorrelationTest):
    name = "Correlation between Target and Prediction"
    stat = "target_prediction_correlation"
    reference_rule = _near_absolute(0.25)
    default_rule = fixed(gt=0)

    method: CorrelationMethod | None = None

    def undefined(self, ctx: RunContext) -> str:
        method = self.resolved_method(ctx)
        problem = _role_problem(ctx, method, "target") or _role_problem(ctx, method, "prediction")
        return problem or "the target or the prediction has fewer than two distinct values"


class TestHighlyCorrelatedColumns(_CorrelationTest):
    """The largest absolute correlation between two features."""

    name = "Highly Correlated Columns"
    stat = "abs_max_features_correlation"
    target_default = False
    reference_rule = _near_relative(0.1)
    default_rule = fixed(lt=0.9)

    method: CorrelationMethod | None = None

    def undefined(self, ctx: RunContext) -> str:
        return "fewer than two feature columns of this type have at least two distinct values"


class TestTargetFeaturesCorrelations(_CorrelationTest):
    """The largest absolute correlation between the target and a feature."""

    name = "Correlation between Target and Features"
    stat = "abs_max_target_features_correlation"
    reference_rule = _near_relative(0.1)
    default_rule = fixed(lt=0.9)

    method: CorrelationMethod | None = None

    def undefined(self, ctx: RunContext) -> str:
        problem = _role_problem(ctx, self.resolved_method(ctx), "target")
        return problem or "the target or every feature of this type has fewer than two distinct values"


class TestPredictionFeaturesCorrelations(_CorrelationTest):
    """The largest absolute correlation between the prediction and a feature."""

    name = "Correlation between Prediction and Features"
    stat = "abs_max_prediction_features_correlation"
    reference_rule = _near_relative(0.1)
    default_rule = fixed(lt=0.9)

    method: CorrelationMethod | None = None

    def undefined(self, ctx: RunContext) -> str:
        problem = _role_problem(ctx, self.resolved_method(ctx), "prediction")
        return problem or "the prediction or every feature of this type has fewer than two distinct values"


class TestCorrelationChanges(_CorrelationTest):
    """Pairs of columns whose correlation moved by more than ``corr_diff`` from the reference.

    The value is the number of pairs (each pair once; with ``column_name``, the pairs of that column)
    with ``|reference - current| > corr_diff``; a pair undefined on either side is not counted.
    """

    name = "Change in Correlation"
    target_default = False
    reference_rule = None
    default_rule = fixed(eq=0)

    corr_diff: float = Field(0.25, ge=0)
    method: CorrelationMethod | None = "pearson"
    column_name: ColumnName | None = None

    def changed_pairs(self, ctx: RunContext) -> list[tuple[Any, Any, float, float]]:
        if not ctx.has_reference:
            raise ReferenceRequired(
                f"{self.what()}: reference_data is needed to compare correlations with it"
            )
        current, reference = self.matrix(ctx, "current"), self.matrix(ctx, "reference")
        names = current.column_names
        if self.column_name is not None:
            if self.column_name not in names:
                raise MetricError(
                    f"column {self.column_name!r} is not among the columns correlated with "
                    f"{self.resolved_method(ctx)} ({names}); pick one of them or another method",
                    metric="DatasetCorrelationsMetric",
                    column=self.column_name,
                )
            rows = [names.index(self.column_name)]
        else:
            rows = list(range(len(names)))
        changed = []
        for i in rows:
            for j in range(len(names)):
                if j == i or (self.column_name is None and j < i):
                    continue
                cur, ref = current.values[i][j], reference.values[i][j]
                if abs(ref - cur) > self.corr_diff:  # False when either is NaN
                    changed.append((names[i], names[j], ref, cur))
        return changed

    def measure(self, ctx: RunContext, side: Side) -> float:
        return len(self.changed_pairs(ctx))

    def what(self) -> str:
        where = f" of column {self.column_name!r}" if self.column_name is not None else ""
        return f"number of column pairs{where} whose correlation changed by more than {self.corr_diff:g}"

    def what_with(self, ctx: RunContext) -> str:
        return f"{self.what()} ({self.resolved_method(ctx)})"

    def check(self, ctx: RunContext) -> Outcome:
        outcome = super().check(ctx)
        pairs = [
            {"columns": [a, b], "reference": ref, "current": cur}
            for a, b, ref, cur in self.changed_pairs(ctx)[:MAX_LISTED_PAIRS]
        ]
        return outcome.model_copy(update={"parameters": {**outcome.parameters, "changed_pairs": pairs}})


# ---------------------------------------------------------------------------------- conflicts


class TestConflictTarget(ConditionTest):
    """Rows with the same features as another row but a different target (ConflictTargetMetric)."""

    name = "Test number of conflicts in target"
    reference_rule = at_most_reference(0.1, per_row=True)
    default_rule = fixed(lte=0)

    def measure(self, ctx: RunContext, side: Side) -> float:
        result = ctx.result(ConflictTargetMetric())
        value = result.number_not_stable_target if side == "current" else result.number_not_stable_target_ref
        if value is None:
            raise ReferenceRequired("reference_data is needed")
        return value

    def what(self) -> str:
        return "number of rows with equal features and a different target"


class TestConflictPrediction(ConditionTest):
    """Rows with the same features as another row but a different prediction (ConflictPredictionMetric)."""

    name = "Test number of conflicts in prediction"
    reference_rule = at_most_reference(0.1, per_row=True)
    default_rule = fixed(lte=0)

    def measure(self, ctx: RunContext, side: Side) -> float:
        result = ctx.result(ConflictPredictionMetric())
        data = result.current if side == "current" else result.reference
        if data is None:
            raise ReferenceRequired("reference_data is needed")
        return data.number_not_stable_prediction

    def what(self) -> str:
        return "number of rows with equal features and a different prediction"


__all__ = [
    "TestConflictPrediction",
    "TestConflictTarget",
    "TestCorrelationChanges",
    "TestHighlyCorrelatedColumns",
    "TestPredictionFeaturesCorrelations",
    "TestTargetFeaturesCorrelations",
    "TestTargetPredictionCorrelation",
]
