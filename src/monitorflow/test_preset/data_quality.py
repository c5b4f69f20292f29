"""DataStabilityTestPreset and DataQualityTestPreset, with Evidently's composition."""

from __future__ import annotations

from monitorflow._types import ColumnName
from monitorflow.checks.base import Test, TestPreset
from monitorflow.checks.data_integrity import (
    TestColumnsType,
    TestNumberOfColumns,
    TestNumberOfConstantColumns,
    TestNumberOfDuplicatedColumns,
    TestNumberOfDuplicatedRows,
    TestNumberOfRows,
)
from monitorflow.checks.generators import (
    TestAllColumnsMostCommonValueShare,
    TestAllColumnsShareOfMissingValues,
    TestCatColumnsOutOfListValues,
    TestNumColumnsMeanInNSigmas,
    TestNumColumnsOutOfRangeValues,
)
from monitorflow.column_mapping import DataDefinition


def _expand(presets: list[TestPreset], definition: DataDefinition) -> list[Test]:
    return [test for preset in presets for test in preset.generate_tests(definition)]


class DataStabilityTestPreset(TestPreset):
    """Rows, columns, types, missing values, ranges, lists and means stay as in the reference."""

    columns: list[ColumnName] | None = None

    def generate_tests(self, definition: DataDefinition) -> list[Test]:
        per_column: list[TestPreset] = [
            TestAllColumnsShareOfMissingValues(columns=self.columns),
            TestNumColumnsOutOfRangeValues(columns=self.columns),
            TestCatColumnsOutOfListValues(columns=self.columns),
            TestNumColumnsMeanInNSigmas(columns=self.columns),
        ]
        head: list[Test] = [TestNumberOfRows(), TestNumberOfColumns(), TestColumnsType()]
        return head + _expand(per_column, definition)


class DataQualityTestPreset(TestPreset):
    """Missing values, dominant values, constant and duplicated columns, duplicated rows."""

    columns: list[ColumnName] | None = None

    def generate_tests(self, definition: DataDefinition) -> list[Test]:
        per_column: list[TestPreset] = [
            TestAllColumnsShareOfMissingValues(columns=self.columns),
            TestAllColumnsMostCommonValueShare(columns=self.columns),
        ]
        tail: list[Test] = [
            TestNumberOfConstantColumns(),
            TestNumberOfDuplicatedColumns(),
            TestNumberOfDuplicatedRows(),
        ]
        return _expand(per_column, definition) + tail
