"""Test generators: one test per column of a kind (Evidently's ``TestAll*`` / ``Test*Columns*``)."""

from __future__ import annotations

from typing import ClassVar

from monitorflow._types import ColumnName
from monitorflow.checks.base import Test, TestGenerator
from monitorflow.checks.data_integrity import TestColumnShareOfMissingValues
from monitorflow.checks.data_quality import (
    TestMeanInNSigmas,
    TestMostCommonValueShare,
    TestShareOfOutListValues,
    TestShareOfOutRangeValues,
)
from monitorflow.column_mapping import ColumnType, DataDefinition


class _PerColumn(TestGenerator):
    """One ``test_type(column)`` per selected column, in Evidently's column order
    (:meth:`DataDefinition.get_columns`: role columns, the target first, then numerical, categorical,
    datetime and text features); ``columns`` narrows the selection and orders it; ``is_critical``
    passes to each test (a failed test that is not critical is a WARNING)."""

    columns: list[ColumnName] | None = None
    is_critical: bool = True
    test_type: ClassVar[type[Test]]

    def select(self, definition: DataDefinition) -> list[ColumnName]:
        raise NotImplementedError

    def generate_tests(self, definition: DataDefinition) -> list[Test]:
        chosen = self.select(definition)
        if self.columns is not None:  # the columns in the order given, as Evidently's generators
            selectable = set(chosen)
            chosen = [c for c in dict.fromkeys(self.columns) if c in selectable]
        critical = self.is_critical
        return [self.test_type(column_name=c, is_critical=critical) for c in chosen]  # type: ignore[call-arg]


class TestAllColumnsShareOfMissingValues(_PerColumn):
    test_type = TestColumnShareOfMissingValues

    def select(self, definition: DataDefinition) -> list[ColumnName]:
        return [c.name for c in definition.get_columns()]


class TestAllColumnsMostCommonValueShare(_PerColumn):
    test_type = TestMostCommonValueShare

    def select(self, definition: DataDefinition) -> list[ColumnName]:
        roles = {definition.id, definition.datetime}
        return [c.name for c in definition.get_columns() if c.type != ColumnType.TEXT and c.name not in roles]


class TestNumColumnsOutOfRangeValues(_PerColumn):
    test_type = TestShareOfOutRangeValues

    def select(self, definition: DataDefinition) -> list[ColumnName]:
        return definition.numerical_features


class TestCatColumnsOutOfListValues(_PerColumn):
    test_type = TestShareOfOutListValues

    def select(self, definition: DataDefinition) -> list[ColumnName]:
        return definition.categorical_features


class TestNumColumnsMeanInNSigmas(_PerColumn):
    test_type = TestMeanInNSigmas

    def select(self, definition: DataDefinition) -> list[ColumnName]:
        return definition.numerical_features
