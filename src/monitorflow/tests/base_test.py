"""Evidently's ``tests.base_test`` path: the base classes of tests and ``generate_column_tests``
(re-exports of :mod:`monitorflow.checks`).

>>> from monitorflow.tests import TestColumnValueMin
>>> generated = generate_column_tests(TestColumnValueMin, columns=["age"], parameters={"gt": 0})
>>> generated.generate(None)[0].column_name
'age'
"""

from __future__ import annotations

from typing import Any

from monitorflow.checks.base import ConditionTest as BaseConditionsTest
from monitorflow.checks.base import Test, TestPreset
from monitorflow.checks.custom import BaseCheckValueTest, GroupData, GroupingTypes, GroupTypeData
from monitorflow.conditions import TestValueCondition
from monitorflow.records import TestResult, TestStatus
from monitorflow.utils.generators import ColumnsGenerator


def generate_column_tests(
    test_class: type[Test],
    columns: str | list[Any] | None = None,
    parameters: dict[str, Any] | None = None,
) -> ColumnsGenerator[Test]:
    """One ``test_class(column_name=c, **parameters)`` per selected column (see
    :mod:`monitorflow.utils.generators` for ``columns``)."""
    return ColumnsGenerator(test_class, columns, parameters)


__all__ = [
    "BaseCheckValueTest",
    "BaseConditionsTest",
    "GroupData",
    "GroupTypeData",
    "GroupingTypes",
    "Test",
    "TestPreset",
    "TestResult",
    "TestStatus",
    "TestValueCondition",
    "generate_column_tests",
]
