"""What a monitor computes: metrics, tests and presets named by class, with their parameters.

>>> MetricSpec.model_validate({"ColumnDriftMetric": {"column_name": "age"}}).build().column_name
'age'
"""

from __future__ import annotations

import difflib
from functools import cache
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from monitorflow import checks, metric_preset, metrics, test_preset
from monitorflow.checks.base import Test, TestPreset
from monitorflow.errors import ConfigurationError
from monitorflow.metrics.base import Metric, MetricPreset


@cache
def registry(kind: str) -> dict[str, type]:
    """Names usable in ``metrics:`` (metrics and metric presets) or ``tests:`` (tests and test presets)."""
    if kind == "metric":
        presets = {n: getattr(metric_preset, n) for n in metric_preset.__all__}
        return {**metrics.METRICS, **presets}
    return {**checks.TESTS, **{n: getattr(test_preset, n) for n in test_preset.__all__}}


def _split_spec(value: Any) -> Any:
    """``"Name"``, ``{name: Name, param: ...}`` or ``{Name: {param: ...}}`` -> ``{name, params}``."""
    if isinstance(value, str):
        return {"name": value}
    if isinstance(value, dict) and "params" not in value:
        if "name" in value:
            return {"name": value["name"], "params": {k: v for k, v in value.items() if k != "name"}}
        if len(value) == 1:
            ((name, params),) = value.items()
            return {"name": name, "params": params or {}}
    return value


def _names_of(kind: str) -> Any:
    """The registry's names as the JSON schema's enum: the Prefect form's dropdown, checked on run
    creation."""

    def add_enum(schema: dict[str, Any]) -> None:
        schema["enum"] = sorted(registry(kind))

    return add_enum


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: ClassVar[str]

    name: str
    params: dict[str, Any] = Field({}, description="Parameters, for example column_name: age.")

    @model_validator(mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        return _split_spec(value)

    @model_validator(mode="after")
    def _resolves(self) -> _Spec:
        self.build()
        return self

    def build(self) -> Any:
        """The configured metric/test (or preset); ValueError names the problem."""
        kind = self.kind
        known = registry(kind)
        cls = known.get(self.name)
        if cls is None:
            close = difflib.get_close_matches(self.name, known, n=1)
            hint = (
                f"did you mean {', '.join(repr(c) for c in close)}?" if close else f"see monitorflow.{kind}s"
            )
            raise ValueError(f"unknown {kind} {self.name!r}; {hint}")
        try:
            return cls(**self.params)
        except ConfigurationError as exc:
            raise ValueError(str(exc)) from None


class MetricSpec(_Spec):
    """A metric or metric preset by name, with its parameters."""

    kind: ClassVar[str] = "metric"
    name: str = Field(description="The metric or preset.", json_schema_extra=_names_of("metric"))

    def build(self) -> Metric[Any] | MetricPreset:
        return super().build()


class TestSpec(_Spec):
    """A test or test preset by name, with its parameters."""

    __test__ = False
    kind: ClassVar[str] = "test"
    name: str = Field(description="The test or preset.", json_schema_extra=_names_of("test"))

    def build(self) -> Test | TestPreset:
        return super().build()
