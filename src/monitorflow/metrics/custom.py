"""``CustomValueMetric``: one number computed by your function on the run (Evidently's custom metric).

``func(data)`` gets the run (``data.current_data``, ``data.reference_data``, ``data.column_mapping``)
and returns a number. Snapshots keep the function's name (``module.name``), not the function: a
report loaded from a snapshot shows the stored value but cannot compute it again.

>>> import pandas as pd
>>> from monitorflow import Report
>>> def rows(data):
...     return len(data.current_data)
>>> report = Report(metrics=[CustomValueMetric(func=rows, title="rows")])
>>> report.run(current_data=pd.DataFrame({"a": [1, 2, 3]}))
>>> report.as_dict()["metrics"][0]["result"]
{'value': 3.0}
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

from pydantic import PrivateAttr, field_validator

from monitorflow._types import Float, WidgetSize
from monitorflow.context import RunContext
from monitorflow.errors import ConfigurationError
from monitorflow.ids import fingerprint
from monitorflow.metrics.base import Metric, MetricResult


class CustomCallableMetricResult(MetricResult):
    value: Float


def function_name(func: Any) -> str:
    """``module.qualified_name`` of a function (how snapshots name it)."""
    return f"{getattr(func, '__module__', '')}.{getattr(func, '__qualname__', getattr(func, '__name__', ''))}"


class CustomValueMetric(Metric[CustomCallableMetricResult]):
    result_type = CustomCallableMetricResult

    func: str
    title: str | None = None
    size: WidgetSize | None = None
    _func: Callable[[RunContext], float] | None = PrivateAttr(default=None)

    def __init__(self, func: Any = None, title: str | None = None, size: Any = None, **kwargs: Any) -> None:
        name = function_name(func) if callable(func) else func
        super().__init__(func=name, title=title, size=size, **kwargs)  # type: ignore[call-arg]  # this class's fields
        if callable(func):
            self._func = func

    @field_validator("size", mode="before")
    @classmethod
    def _size(cls, value: Any) -> Any:
        return None if value is None else WidgetSize(int(getattr(value, "value", value)))

    @cached_property
    def fingerprint(self) -> str:
        """Two functions of one name are two metrics (the function's code location tells them apart)."""

        code = getattr(self._func, "__code__", None)
        where = f"{code.co_filename}:{code.co_firstlineno}" if code is not None else id(self._func)
        return fingerprint(self.type_name, {**self.params(), "function": str(where)})

    def calculate(self, ctx: RunContext) -> CustomCallableMetricResult:
        if self._func is None:
            raise ConfigurationError(
                f"CustomValueMetric {self.func!r} has no function (it was loaded from a snapshot); "
                "construct it with func=<your function> to compute it",
                argument="func",
            )
        return CustomCallableMetricResult(value=float(self._func(ctx)))
