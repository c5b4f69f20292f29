"""Metric = one frozen config model + one result model + one pure ``calculate(ctx)``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from monitorflow.config import Config
from monitorflow.errors import SnapshotError

if TYPE_CHECKING:
    from monitorflow.column_mapping import DataDefinition
    from monitorflow.context import RunContext


class MetricResult(BaseModel):
    """Base of every metric result: plain data, JSON-serialisable, no rows."""

    model_config = ConfigDict(arbitrary_types_allowed=True)


R = TypeVar("R", bound=MetricResult)

#: Every metric class by its stable type name (the class name), filled at import.
METRICS: dict[str, type[Metric[Any]]] = {}


class Metric(Config, Generic[R]):
    """Base of every metric. Subclasses set ``result_type`` and implement ``calculate``."""

    result_type: ClassVar[type[MetricResult]]
    #: Group shown in HTML and docs (data quality, data drift, classification, regression).
    group: ClassVar[str] = "data quality"

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        concrete = getattr(cls, "result_type", None) is not None
        if concrete and not cls.__name__.startswith("_") and "[" not in cls.__name__:
            METRICS[cls.__name__] = cls

    def calculate(self, ctx: RunContext) -> R:
        raise NotImplementedError


class MetricPreset(Config):
    """A named bundle of metrics, expanded against the data definition at run time."""

    def generate_metrics(self, definition: DataDefinition) -> list[Metric[Any]]:
        raise NotImplementedError


def metric_class(type_name: str) -> type[Metric[Any]]:
    try:
        return METRICS[type_name]
    except KeyError:
        raise SnapshotError(
            f"unknown metric type {type_name!r}; is the module that defines it imported?"
        ) from None
