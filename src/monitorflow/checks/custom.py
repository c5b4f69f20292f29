"""Custom tests as Evidently code writes them: a ``BaseCheckValueTest`` subclass, or ``CustomValueTest``.

A ``BaseCheckValueTest`` subclass implements ``calculate_value_for_test()`` (the tested number,
usually from a metric it holds: ``self._metric.get_result()``), and may override ``get_condition()``
(default: the condition given, ``eq=``, ``lte=``...) and ``get_description(value)``. Metrics the test
holds (as fields or private attributes) are computed in the run, once, like any other.

>>> import pandas as pd
>>> from monitorflow import TestSuite
>>> def share_positive(data):
...     return float((data.current_data["x"] > 0).mean())
>>> suite = TestSuite(tests=[CustomValueTest(func=share_positive, title="positive share", gte=0.5)])
>>> suite.run(current_data=pd.DataFrame({"x": [1.0, -1.0, 2.0]}))
>>> suite.as_dict()["tests"][0]["status"]
<TestStatus.SUCCESS: 'SUCCESS'>
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from monitorflow.checks.base import ConditionTest, Outcome
from monitorflow.conditions import TestValueCondition
from monitorflow.context import RunContext
from monitorflow.errors import ConfigurationError
from monitorflow.metrics.base import Metric
from monitorflow.metrics.custom import CustomValueMetric
from monitorflow.records import TestStatus


@dataclasses.dataclass
class GroupData:
    id: str
    title: str
    description: str = ""
    sort_index: int = 0
    severity: str | None = None


@dataclasses.dataclass
class GroupTypeData:
    id: str
    title: str
    values: list[GroupData] = dataclasses.field(default_factory=list)

    def add_value(self, data: GroupData) -> None:
        self.values.append(data)


class GroupingTypes:
    """The groups tests are shown in (a custom group is added with ``TestGroup.add_value``)."""

    ByFeature = GroupTypeData("by_feature", "By feature")
    TestGroup = GroupTypeData("test_group", "By test group")
    TestType = GroupTypeData("test_type", "By test type")
    ByClass = GroupTypeData("by_class", "By class")


def held_metrics(test: Any) -> list[Metric[Any]]:
    """The metrics a test holds in its fields and private attributes."""
    values = list(test.__dict__.values()) + list((test.__pydantic_private__ or {}).values())
    return [v for v in values if isinstance(v, Metric)]


class BaseCheckValueTest(ConditionTest):
    """Base of a custom test: one number from ``calculate_value_for_test()`` against a condition."""

    _value: Any = None

    def has_condition(self) -> bool:
        return self.condition.has_condition()

    def calculate_value_for_test(self) -> Any:
        raise NotImplementedError

    def get_condition(self) -> TestValueCondition:
        if self.condition.has_condition():
            return self.condition
        raise ConfigurationError(f"{self.type_name} needs a condition, e.g. lte=... or gte=...")

    def get_description(self, value: Any) -> str:
        return f"{self.name or self.type_name}: {value}. The test threshold is {self.get_condition()}"

    def check(self, ctx: RunContext) -> Outcome:
        for metric in held_metrics(self):
            metric.bind(ctx)
        value = self.calculate_value_for_test()
        self._value = value
        condition = self.get_condition()
        passed = condition.check_value(value)
        return Outcome(
            status=TestStatus.SUCCESS if passed else TestStatus.FAIL,
            description=self.get_description(value),
            parameters={"condition": condition.as_dict(), "value": value},
        )


CUSTOM_GROUP = GroupData(id="custom", title="Custom")
GroupingTypes.TestGroup.add_value(CUSTOM_GROUP)


class CustomValueTest(BaseCheckValueTest):
    """Tests the number ``func(data)`` returns against the condition given (one is required)."""

    name: ClassVar[str] = "Custom Value test"
    group: ClassVar[str] = CUSTOM_GROUP.id

    metric: CustomValueMetric

    def __init__(self, func: Any = None, title: str | None = None, **kwargs: Any) -> None:
        metric = kwargs.pop("metric", None) or CustomValueMetric(func=func, title=title)
        super().__init__(metric=metric, **kwargs)  # type: ignore[call-arg]  # this class's fields
        if not self.has_condition():
            raise ConfigurationError(
                "CustomValueTest needs a condition, e.g. lte=0.9 or gte=0.7", argument="lte"
            )

    def calculate_value_for_test(self) -> Any:
        return self.metric.get_result().value

    def get_description(self, value: Any) -> str:
        return (
            f"Custom function '{self.metric.title or '<unnamed>'}' value is {value}. "
            f"The test threshold is {self.get_condition()}"
        )
