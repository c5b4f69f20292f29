"""Tests of dataset shape, column types, missing values, constant and duplicated data.

Default conditions are in docs/tests.md. Counts and shares of bad things are one-sided: with a
reference, at most the reference value (counts of rows scaled by the row ratio) + 10%; without,
at most 0. An improvement never fails.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pandas as pd

from monitorflow._types import ColumnName, column_key
from monitorflow.checks.base import (
    ConditionTest,
    Outcome,
    Test,
    TestStatus,
    at_most_reference,
    equal_to_reference,
    fixed,
    near_reference,
)
from monitorflow.context import ReferenceRequired, RunContext, Side
from monitorflow.metrics.data_integrity import (
    ColumnMissingValuesMetric,
    ColumnRegExpMetric,
    DatasetMissingValuesMetric,
    DatasetSummaryMetric,
    compile_reg_exp,
)

_AT_MOST_NONE = fixed(lte=0)


class _DatasetSummaryTest(ConditionTest):
    """A test of one field of DatasetSummaryMetric."""

    field: ClassVar[str]

    def measure(self, ctx: RunContext, side: Side) -> float:
        result = ctx.result(DatasetSummaryMetric())
        summary = result.current if side == "current" else result.reference
        if summary is None:
            raise ReferenceRequired("reference_data is needed")
        return getattr(summary, self.field)


class TestNumberOfRows(ConditionTest):
    name = "Number of Rows"
    group = "data_integrity"
    reference_rule = near_reference(0.1)
    default_rule = fixed(gt=30)

    def measure(self, ctx: RunContext, side: Side) -> float:
        return ctx.number_of_rows(side)


class TestNumberOfColumns(ConditionTest):
    name = "Number of Columns"
    group = "data_integrity"
    reference_rule = equal_to_reference
    default_rule = fixed(gt=0)

    def measure(self, ctx: RunContext, side: Side) -> float:
        return len(ctx.column_names(side))


class TestNumberOfEmptyRows(_DatasetSummaryTest):
    name = "Number of Empty Rows"
    group = "data_integrity"
    field = "number_of_empty_rows"
    reference_rule = at_most_reference(0.1, per_row=True)
    default_rule = _AT_MOST_NONE


class TestNumberOfEmptyColumns(_DatasetSummaryTest):
    name = "Number of Empty Columns"
    group = "data_integrity"
    field = "number_of_empty_columns"
    reference_rule = at_most_reference(0.1)
    default_rule = _AT_MOST_NONE


class TestNumberOfConstantColumns(_DatasetSummaryTest):
    name = "Number of Constant Columns"
    group = "data_integrity"
    field = "number_of_constant_columns"
    reference_rule = at_most_reference(0.1)
    default_rule = _AT_MOST_NONE


class TestNumberOfDuplicatedRows(_DatasetSummaryTest):
    name = "Number of Duplicate Rows"
    group = "data_integrity"
    field = "number_of_duplicated_rows"
    reference_rule = at_most_reference(0.1, per_row=True)
    default_rule = _AT_MOST_NONE


class TestNumberOfDuplicatedColumns(_DatasetSummaryTest):
    name = "Number of Duplicate Columns"
    group = "data_integrity"
    field = "number_of_duplicated_columns"
    reference_rule = at_most_reference(0.1)
    default_rule = _AT_MOST_NONE


def dtypes(ctx: RunContext, side: Side) -> dict[str, str]:
    return {column_key(c): t for c, t in ctx.dtype_names(side).items()}


class TestColumnsType(Test):
    """Every column keeps its dtype: the given ``columns_type`` or the reference's."""

    name = "Column Types"
    group = "data_integrity"
    columns_type: dict[str, str] | None = None

    def check(self, ctx: RunContext) -> Outcome:
        current = dtypes(ctx, "current")
        if self.columns_type is not None:
            expected = self.columns_type
        elif ctx.has_reference:
            expected = dtypes(ctx, "reference")
        else:
            raise ReferenceRequired(
                "column types: reference_data or columns_type={column: dtype} is needed to test them"
            )
        mismatched = {
            column: {"expected": dtype, "actual": current.get(column)}
            for column, dtype in expected.items()
            if column in current and current[column] != dtype
        }
        missing = [column for column in expected if column not in current]
        ok = not mismatched and not missing
        details = "; ".join(f"{c!r}: {v['actual']} instead of {v['expected']}" for c, v in mismatched.items())
        if missing:
            details += ("; " if details else "") + f"missing columns {missing}"
        text = f"types of {len(expected)} columns match" if ok else f"column types differ: {details}"
        kinds = dtype_kinds(ctx.dtypes("current"))
        reference_kinds = dtype_kinds(ctx.dtypes("reference")) if ctx.has_reference else {}
        return Outcome(
            status=TestStatus.SUCCESS if ok else TestStatus.FAIL,
            description=text,
            parameters={
                "columns": [  # Evidently's list: every column with its numpy type names
                    {
                        "column_name": c,
                        "actual_type": kinds[c],
                        "expected_type": reference_kinds.get(c, str(t)),
                    }
                    for c, t in expected.items()
                    if c in kinds
                ],
                "mismatched_columns": mismatched,
                "missing_columns": missing,
                "number_of_columns": len(expected),
            },
        )


def dtype_kinds(dtypes: dict[Any, Any]) -> dict[Any, str]:
    """Each column's type as Evidently names it: numpy's scalar type (``int64``, ``float64``, ``bool_``,
    ``datetime64``), ``CategoricalDtypeType`` for a category column, ``object_`` for text (pandas 2's
    dtype)."""
    kinds = {}
    for column, dtype in dtypes.items():
        if isinstance(dtype, pd.CategoricalDtype):
            kinds[column] = "CategoricalDtypeType"
        elif pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype):
            kinds[column] = "object_"
        else:
            kinds[column] = getattr(getattr(dtype, "type", None), "__name__", str(dtype))
    return kinds


# ------------------------------------------------------------------------------ missing values


class _MissingValuesTest(ConditionTest):
    """A test of one field of DatasetMissingValuesMetric."""

    field: ClassVar[str]
    missing_values: list[Any] | None = None
    replace: bool = True

    def measure(self, ctx: RunContext, side: Side) -> float:
        result = ctx.result(
            DatasetMissingValuesMetric(missing_values=self.missing_values, replace=self.replace)
        )
        values = result.current if side == "current" else result.reference
        if values is None:
            raise ReferenceRequired("reference_data is needed")
        return getattr(values, self.field)


class TestNumberOfMissingValues(_MissingValuesTest):
    name = "The Number of Missing Values"
    group = "data_integrity"
    field = "number_of_missing_values"
    reference_rule = at_most_reference(0.1, per_row=True)
    default_rule = _AT_MOST_NONE


class TestShareOfMissingValues(_MissingValuesTest):
    name = "Share of Missing Values"
    group = "data_integrity"
    field = "share_of_missing_values"
    reference_rule = at_most_reference(0.1)
    default_rule = _AT_MOST_NONE


class TestNumberOfColumnsWithMissingValues(_MissingValuesTest):
    name = "The Number of Columns With Missing Values"
    group = "data_integrity"
    field = "number_of_columns_with_missing_values"
    reference_rule = at_most_reference(0.1)
    default_rule = _AT_MOST_NONE


class TestShareOfColumnsWithMissingValues(_MissingValuesTest):
    name = "The Share of Columns With Missing Values"
    group = "data_integrity"
    field = "share_of_columns_with_missing_values"
    reference_rule = at_most_reference(0.1)
    default_rule = _AT_MOST_NONE


class TestNumberOfRowsWithMissingValues(_MissingValuesTest):
    name = "The Number Of Rows With Missing Values"
    group = "data_integrity"
    field = "number_of_rows_with_missing_values"
    reference_rule = at_most_reference(0.1, per_row=True)
    default_rule = _AT_MOST_NONE


class TestShareOfRowsWithMissingValues(_MissingValuesTest):
    name = "The Share of Rows With Missing Values"
    group = "data_integrity"
    field = "share_of_rows_with_missing_values"
    reference_rule = at_most_reference(0.1)
    default_rule = _AT_MOST_NONE


class TestNumberOfDifferentMissingValues(_MissingValuesTest):
    name = "Different Types of Missing Values"
    group = "data_integrity"
    field = "number_of_different_missing_values"
    reference_rule = at_most_reference(0.1)
    default_rule = _AT_MOST_NONE


class _ColumnMissingValuesTest(ConditionTest):
    """A test of one field of ColumnMissingValuesMetric."""

    field: ClassVar[str]
    column_name: ColumnName
    missing_values: list[Any] | None = None
    replace: bool = True

    def what(self) -> str:
        return f"{self.name.lower()} in column {self.column_name!r}"

    def measure(self, ctx: RunContext, side: Side) -> float:
        metric = ColumnMissingValuesMetric(
            column_name=self.column_name, missing_values=self.missing_values, replace=self.replace
        )
        values = getattr(ctx.result(metric), side)
        if values is None:
            raise ReferenceRequired("reference_data is needed")
        return getattr(values, self.field)


class TestColumnNumberOfMissingValues(_ColumnMissingValuesTest):
    name = "The Number of Missing Values in a Column"
    group = "data_integrity"
    field = "number_of_missing_values"
    reference_rule = at_most_reference(0.1, per_row=True)
    default_rule = _AT_MOST_NONE


class TestColumnShareOfMissingValues(_ColumnMissingValuesTest):
    name = "The Share of Missing Values in a Column"
    group = "data_integrity"
    field = "share_of_missing_values"
    reference_rule = at_most_reference(0.1)
    default_rule = _AT_MOST_NONE


class TestColumnNumberOfDifferentMissingValues(_ColumnMissingValuesTest):
    name = "Different Types of Missing Values in a Column"
    group = "data_integrity"
    field = "number_of_different_missing_values"
    reference_rule = at_most_reference(0.1)
    default_rule = _AT_MOST_NONE


# --------------------------------------------------------------------------- regular expression


class TestColumnRegExp(ConditionTest):
    """Non-missing values of a column that do not match ``reg_exp`` (at their start, like ``re.match``).

    Default condition: at most the reference's count scaled by the row ratio, + 10%; without
    reference, none. (Evidently asks for ``eq`` that count: fewer mismatches would fail there.)
    The result's parameters list the most frequent mismatched values.
    """

    name = "RegExp Match"
    group = "data_integrity"
    reference_rule = at_most_reference(0.1, per_row=True)
    default_rule = _AT_MOST_NONE

    column_name: ColumnName
    reg_exp: str

    def __init__(self, column_name: ColumnName, reg_exp: str, **kwargs: Any) -> None:
        compile_reg_exp(reg_exp, column_name, type(self).__name__)
        super().__init__(column_name=column_name, reg_exp=reg_exp, **kwargs)  # type: ignore[call-arg]  # this class's fields

    def metric(self) -> ColumnRegExpMetric:
        return ColumnRegExpMetric(self.column_name, self.reg_exp)

    def what(self) -> str:
        return f"number of values in column {self.column_name!r} not matching /{self.reg_exp}/"

    def measure(self, ctx: RunContext, side: Side) -> float:
        values = getattr(ctx.result(self.metric()), side)
        if values is None:
            raise ReferenceRequired("reference_data is needed")
        return values.number_of_not_matched

    def check(self, ctx: RunContext) -> Outcome:
        outcome = super().check(ctx)
        mismatched = ctx.result(self.metric()).current.table_of_not_matched
        parameters = {**outcome.parameters, "top_not_matched": mismatched}
        return outcome.model_copy(update={"parameters": parameters})


__all__ = sorted(name for name in globals() if name.startswith("Test"))
