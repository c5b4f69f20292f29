"""Tests of one column's values: statistics, ranges, lists, categories, uniqueness.

Default conditions are in docs/tests.md.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

from pydantic import Field

from monitorflow._types import ColumnName
from monitorflow.checks.base import (
    ConditionTest,
    Outcome,
    ReferenceRule,
    Test,
    TestStatus,
    fixed,
    near_reference,
    not_above_reference,
    not_below_reference,
)
from monitorflow.column_stats import most_common_with_missing, share
from monitorflow.conditions import approx
from monitorflow.context import ReferenceRequired, RunContext, Side
from monitorflow.metrics.data_quality import list_values, range_bounds, values_in_list, values_in_range


class _ColumnTest(ConditionTest):
    """A test of one number computed from one column."""

    column_name: ColumnName

    def what(self) -> str:
        return f"{self.name.lower()} of column {self.column_name!r}"

    def check(self, ctx: RunContext) -> Outcome:
        ctx.require_column(self.column_name, f"{self.type_name}.column_name")
        return super().check(ctx)


class _NumericalStatTest(_ColumnTest):
    """A statistic of the column's finite values (see monitorflow.column_stats)."""

    statistic: ClassVar[str]

    def measure(self, ctx: RunContext, side: Side) -> float:
        return getattr(ctx.numerical(self.column_name, side), self.statistic)


class TestColumnValueMin(_NumericalStatTest):
    name = "Min Value"
    statistic = "min"
    reference_rule = not_below_reference


class TestColumnValueMax(_NumericalStatTest):
    name = "Max Value"
    statistic = "max"
    reference_rule = not_above_reference


class TestColumnValueMean(_NumericalStatTest):
    name = "Mean Value"
    statistic = "mean"
    reference_rule = near_reference(0.1)


class TestColumnValueMedian(_NumericalStatTest):
    name = "Median Value"
    reference_rule = near_reference(0.1)

    def measure(self, ctx: RunContext, side: Side) -> float:
        return ctx.numerical(self.column_name, side).quantile(0.5)


class TestColumnValueStd(_NumericalStatTest):
    name = "Standard Deviation (SD)"
    statistic = "std"
    reference_rule = near_reference(0.1)


class TestColumnQuantile(_ColumnTest):
    name = "Quantile Value"
    reference_rule = near_reference(0.1)
    quantile: float = Field(ge=0, le=1)

    def what(self) -> str:
        return f"quantile {self.quantile} of column {self.column_name!r}"

    def measure(self, ctx: RunContext, side: Side) -> float:
        return ctx.numerical(self.column_name, side).quantile(self.quantile)


class TestNumberOfUniqueValues(_ColumnTest):
    name = "Number of Unique Values"
    reference_rule = near_reference(0.1)
    default_rule = fixed(gt=1)

    def measure(self, ctx: RunContext, side: Side) -> float:
        return ctx.stats(self.column_name, side).unique


class TestUniqueValuesShare(_ColumnTest):
    name = "Share of Unique Values"
    reference_rule = near_reference(0.1)

    def measure(self, ctx: RunContext, side: Side) -> float:
        stats = ctx.stats(self.column_name, side)
        return share(stats.unique, stats.number_of_rows)


class TestMostCommonValueShare(_ColumnTest):
    name = "Share of the Most Common Value"
    reference_rule = near_reference(0.1)
    default_rule = fixed(lt=0.8)

    def measure(self, ctx: RunContext, side: Side) -> float:
        stats = ctx.stats(self.column_name, side)  # missing values count as one value, as in Evidently
        return share(most_common_with_missing(stats)[1], stats.number_of_rows)


class TestMeanInNSigmas(Test):
    """The current mean is within ``n_sigmas`` reference standard deviations of the reference mean."""

    name = "Mean Value Stability"
    column_name: ColumnName
    n_sigmas: float = Field(2, gt=0)

    def check(self, ctx: RunContext) -> Outcome:
        ctx.require_column(self.column_name, "TestMeanInNSigmas.column_name")
        if not ctx.has_reference:
            raise ReferenceRequired(
                f"mean of column {self.column_name!r} within {self.n_sigmas:g} reference std: "
                "reference_data is needed to test it; pass reference_data to run()"
            )
        current = ctx.numerical(self.column_name, "current")
        reference = ctx.numerical(self.column_name, "reference")
        undefined = [
            name
            for name, value in (
                ("current mean", current.mean),
                ("reference mean", reference.mean),
                ("reference std", reference.std),
            )
            if math.isnan(value)
        ]
        if undefined:
            return Outcome(
                status=TestStatus.ERROR,
                description=(
                    f"mean of column {self.column_name!r} cannot be compared: {', '.join(undefined)} "
                    "undefined (NaN), there are too few values (the std needs two)"
                ),
                parameters={"value": _finite(current.mean), "n_sigmas": self.n_sigmas},
            )
        low = reference.mean - self.n_sigmas * reference.std
        high = reference.mean + self.n_sigmas * reference.std
        inside = abs(current.mean - reference.mean) < self.n_sigmas * reference.std
        return Outcome(
            status=TestStatus.SUCCESS if inside else TestStatus.FAIL,
            description=(
                f"mean of column {self.column_name!r} {current.mean:.6g} "
                f"{'within' if inside else 'outside'} ({low:.6g}, {high:.6g}) "
                f"= reference mean {reference.mean:.6g} ± {self.n_sigmas:g} std"
            ),
            parameters={
                "value": _finite(current.mean),
                "current_mean": _finite(current.mean),
                "reference_mean": _finite(reference.mean),
                "reference_std": _finite(reference.std),
                "n_sigmas": self.n_sigmas,
            },
        )


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


class TestColumnAllConstantValues(Test):
    """FAIL when the column has at most one distinct non-missing value."""

    name = "All Constant Values in a Column"
    group = "data_integrity"
    column_name: ColumnName

    def check(self, ctx: RunContext) -> Outcome:
        ctx.require_column(self.column_name, "TestColumnAllConstantValues.column_name")
        unique = ctx.stats(self.column_name).unique
        return Outcome(
            status=TestStatus.FAIL if unique <= 1 else TestStatus.SUCCESS,
            description=f"column {self.column_name!r} has {unique} distinct values",
            parameters={"value": unique},
        )


class TestColumnAllUniqueValues(Test):
    """FAIL when a non-missing value repeats."""

    name = "All Unique Values in a Column"
    group = "data_integrity"
    column_name: ColumnName

    def check(self, ctx: RunContext) -> Outcome:
        ctx.require_column(self.column_name, "TestColumnAllUniqueValues.column_name")
        stats = ctx.stats(self.column_name)
        ok = stats.unique == stats.count
        return Outcome(
            status=TestStatus.SUCCESS if ok else TestStatus.FAIL,
            description=f"column {self.column_name!r} has {stats.unique} distinct values in {stats.count} "
            "non-missing",
            parameters={"value": stats.unique, "count": stats.count},
        )


# ---------------------------------------------------------------------------- range and list


class _RangeTest(_ColumnTest):
    """Out-of-range counts: ``eq approx(0)`` unless a condition is given (Evidently's rule, with or
    without reference; the bounds default to the reference's min and max)."""

    left: float | None = None
    right: float | None = None
    reference_rule: ClassVar[ReferenceRule | None] = None
    default_rule = fixed(eq=approx(0))

    def check(self, ctx: RunContext) -> Outcome:
        outcome = super().check(ctx)
        given = {"left": self.left, "right": self.right}  # Evidently's parameters: the bounds as given
        return outcome.model_copy(update={"parameters": {**given, **outcome.parameters}})

    def out_of_range(self, ctx: RunContext, side: Side) -> tuple[int, float]:
        left, right = range_bounds(ctx, self.column_name, self.left, self.right)
        result = values_in_range(ctx, self.column_name, side, left, right)
        return result.number_not_in_range, result.share_not_in_range


class TestNumberOfOutRangeValues(_RangeTest):
    name = "Number of Out-of-Range Values "

    def measure(self, ctx: RunContext, side: Side) -> float:
        return self.out_of_range(ctx, side)[0]


class TestShareOfOutRangeValues(_RangeTest):
    name = "Share of Out-of-Range Values"

    def measure(self, ctx: RunContext, side: Side) -> float:
        return self.out_of_range(ctx, side)[1]


class TestValueRange(_RangeTest):
    """FAIL when any current value is outside [left, right] (bounds default to the reference's)."""

    name = "Value Range"
    reference_rule = None

    def measure(self, ctx: RunContext, side: Side) -> float:
        return self.out_of_range(ctx, side)[0]

    def what(self) -> str:
        return f"values of column {self.column_name!r} out of range"


class _ListTest(_ColumnTest):
    """Out-of-list counts: ``eq approx(0)`` unless a condition is given (Evidently's rule); the list
    defaults to the reference's values, and a missing value is out of it."""

    values: list[Any] | None = None
    reference_rule: ClassVar[ReferenceRule | None] = None
    default_rule = fixed(eq=approx(0))

    def check(self, ctx: RunContext) -> Outcome:
        outcome = super().check(ctx)  # Evidently's parameters: the values as given
        return outcome.model_copy(update={"parameters": {"values": self.values, **outcome.parameters}})

    def out_of_list(self, ctx: RunContext, side: Side) -> tuple[int, float]:
        values = list_values(ctx, self.column_name, self.values)
        result = values_in_list(ctx, self.column_name, side, values)
        return result.number_not_in_list, result.share_not_in_list


class TestNumberOfOutListValues(_ListTest):
    name = "Number Out-of-List Values"

    def measure(self, ctx: RunContext, side: Side) -> float:
        return self.out_of_list(ctx, side)[0]


class TestShareOfOutListValues(_ListTest):
    name = "Share of Out-of-List Values"

    def measure(self, ctx: RunContext, side: Side) -> float:
        return self.out_of_list(ctx, side)[1]


class TestValueList(_ListTest):
    """FAIL when any current value is not in the list (by default the reference's values)."""

    name = "Out-of-List Values"
    reference_rule = None

    def measure(self, ctx: RunContext, side: Side) -> float:
        return self.out_of_list(ctx, side)[0]

    def what(self) -> str:
        return f"values of column {self.column_name!r} out of list"


# -------------------------------------------------------------------------------- categories


class _CategoryTest(_ColumnTest):
    category: Any
    reference_rule = near_reference(0.1)

    def what(self) -> str:
        return f"{self.name.lower()} of category {self.category!r} in column {self.column_name!r}"

    def category_count(self, ctx: RunContext, side: Side) -> tuple[int, int]:
        stats = ctx.stats(self.column_name, side)
        counts = stats.value_counts()
        return int(counts[counts.index.isin([self.category])].sum()), stats.number_of_rows


class TestCategoryCount(_CategoryTest):
    name = "Count of category"

    def measure(self, ctx: RunContext, side: Side) -> float:
        return self.category_count(ctx, side)[0]


class TestCategoryShare(_CategoryTest):
    name = "Share of category"

    def measure(self, ctx: RunContext, side: Side) -> float:
        count, rows = self.category_count(ctx, side)
        return share(count, rows)
