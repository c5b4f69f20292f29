"""Evidently's import path ``tests.data_integrity_tests``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.checks.data_integrity import (
    TestColumnNumberOfDifferentMissingValues,
    TestColumnNumberOfMissingValues,
    TestColumnRegExp,
    TestColumnShareOfMissingValues,
    TestColumnsType,
    TestNumberOfColumns,
    TestNumberOfColumnsWithMissingValues,
    TestNumberOfConstantColumns,
    TestNumberOfDifferentMissingValues,
    TestNumberOfDuplicatedColumns,
    TestNumberOfDuplicatedRows,
    TestNumberOfEmptyColumns,
    TestNumberOfEmptyRows,
    TestNumberOfMissingValues,
    TestNumberOfRows,
    TestNumberOfRowsWithMissingValues,
    TestShareOfColumnsWithMissingValues,
    TestShareOfMissingValues,
    TestShareOfRowsWithMissingValues,
)
from monitorflow.checks.data_quality import TestColumnAllConstantValues, TestColumnAllUniqueValues
from monitorflow.checks.generators import TestAllColumnsShareOfMissingValues

__all__ = [
    "TestAllColumnsShareOfMissingValues",
    "TestColumnAllConstantValues",
    "TestColumnAllUniqueValues",
    "TestColumnNumberOfDifferentMissingValues",
    "TestColumnNumberOfMissingValues",
    "TestColumnRegExp",
    "TestColumnShareOfMissingValues",
    "TestColumnsType",
    "TestNumberOfColumns",
    "TestNumberOfColumnsWithMissingValues",
    "TestNumberOfConstantColumns",
    "TestNumberOfDifferentMissingValues",
    "TestNumberOfDuplicatedColumns",
    "TestNumberOfDuplicatedRows",
    "TestNumberOfEmptyColumns",
    "TestNumberOfEmptyRows",
    "TestNumberOfMissingValues",
    "TestNumberOfRows",
    "TestNumberOfRowsWithMissingValues",
    "TestShareOfColumnsWithMissingValues",
    "TestShareOfMissingValues",
    "TestShareOfRowsWithMissingValues",
]
