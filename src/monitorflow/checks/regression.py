"""Tests of regression quality. Default conditions are in docs/tests.md.

With reference data an error may not grow by more than 10% of its reference value and R2 may not
drop by more than 10% (an improvement never fails); without it the model must beat constant
predictors on the current target (``RegressionDummyMetric``) and R2 must be positive. The mean error
is a bias check: it must be within 0.1 standard deviations of the current error around 0.
"""

from __future__ import annotations

from typing import ClassVar

from monitorflow.checks.base import ConditionTest, DefaultRule, at_least_reference, at_most_reference, fixed
from monitorflow.conditions import TestValueCondition, approx
from monitorflow.context import ReferenceRequired, RunContext, Side
from monitorflow.metrics.regression import (
    MoreRegressionMetrics,
    RegressionDummyMetric,
    RegressionQualityMetric,
)

#: Relative tolerance of the reference-derived conditions of regression scores.
REFERENCE_TOLERANCE = 0.1
#: TestValueMeanError: allowed |mean error| in standard deviations of the current error.
MEAN_ERROR_SIGMAS = 0.1


def below_dummy(field: str, operator: str = "lt") -> DefaultRule:
    """``lt`` (or ``lte``) the score of the constant predictor ``RegressionDummyMetric.<field>``."""

    def rule(ctx: RunContext) -> TestValueCondition:
        return TestValueCondition(**{operator: getattr(ctx.result(RegressionDummyMetric()), field)})

    return rule


def mean_error_near_zero(ctx: RunContext) -> TestValueCondition:
    """``eq approx(0, absolute=0.1 * std(current error))``."""
    sigma = ctx.result(RegressionQualityMetric()).me_default_sigma
    return TestValueCondition(eq=approx(0, absolute=MEAN_ERROR_SIGMAS * sigma))


class _RegressionTest(ConditionTest):
    group = "regression"
    field: ClassVar[str]

    def measure(self, ctx: RunContext, side: Side) -> float:
        result = ctx.result(RegressionQualityMetric())
        quality: MoreRegressionMetrics | None = result.current if side == "current" else result.reference
        if quality is None:
            raise ReferenceRequired(
                "reference_data is needed for this computation; pass reference_data to run()"
            )
        return getattr(quality, self.field)


class TestValueMAE(_RegressionTest):
    name = "Mean Absolute Error (MAE)"
    field = "mean_abs_error"
    reference_rule = at_most_reference(REFERENCE_TOLERANCE)
    default_rule = below_dummy("mean_abs_error_default")


class TestValueRMSE(_RegressionTest):
    name = "Root Mean Square Error (RMSE)"
    field = "rmse"
    reference_rule = at_most_reference(REFERENCE_TOLERANCE)
    default_rule = below_dummy("rmse_default")


class TestValueMAPE(_RegressionTest):
    name = "Mean Absolute Percentage Error (MAPE)"
    field = "mean_abs_perc_error"
    reference_rule = at_most_reference(REFERENCE_TOLERANCE)
    default_rule = below_dummy("mean_abs_perc_error_default")


class TestValueAbsMaxError(_RegressionTest):
    name = "Max Absolute Error"
    field = "abs_error_max"
    reference_rule = at_most_reference(REFERENCE_TOLERANCE)
    default_rule = below_dummy("abs_error_max_default", "lte")


class TestValueR2Score(_RegressionTest):
    name = "R2 Score"
    field = "r2_score"
    reference_rule = at_least_reference(REFERENCE_TOLERANCE)
    default_rule = fixed(gt=0)


class TestValueMeanError(_RegressionTest):
    name = "Mean Error (ME)"
    field = "mean_error"
    reference_rule = None  # a bias check: the reference is not used
    default_rule = mean_error_near_zero


__all__ = [
    "TestValueAbsMaxError",
    "TestValueMAE",
    "TestValueMAPE",
    "TestValueMeanError",
    "TestValueR2Score",
    "TestValueRMSE",
]
