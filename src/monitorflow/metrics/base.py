"""Metric = one frozen config model + one result model + one pure ``calculate(ctx)``.

Besides, the names Evidently code uses on metrics: ``options=`` (render and colour options),
``get_result()`` after a run, ``get_id()`` / ``get_fingerprint()`` / ``get_parameters()``, and
``Metric.fields``, which builds result field paths for dashboard panels:

>>> str(Metric.fields.current.number_of_rows)
'current.number_of_rows'
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, PrivateAttr, field_validator

from monitorflow.config import Config
from monitorflow.core import select
from monitorflow.errors import MonitoringError, SnapshotError
from monitorflow.options.base import Options

if TYPE_CHECKING:
    from monitorflow.column_mapping import DataDefinition
    from monitorflow.context import RunContext
    from monitorflow.options.base import Options


class MetricResult(BaseModel):
    """Base of every metric result: plain data, JSON-serialisable, no rows.

    ``render_fields`` name the fields that only feed charts (Evidently's render-tagged fields):
    ``as_dict()`` and ``json()`` leave them out unless ``include_render=True``; snapshots keep them.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)
    render_fields: ClassVar[frozenset[str]] = frozenset()

    def get_dict(
        self, include_render: bool = False, include: Any = None, exclude: Any = None
    ) -> dict[str, Any]:
        """This result as ``as_dict()`` shows it (Evidently's ``MetricResult.get_dict``)."""

        value = self.model_dump(mode="python")
        if include is not None:
            return select(value, include=include, exclude=exclude)
        hidden = None if include_render else render_exclusion(type(self))
        return select(select(value, exclude=hidden), exclude=exclude)


@cache
def render_exclusion(model: type[BaseModel]) -> dict[str, Any] | None:
    """The exclude rule that drops the render fields of ``model`` and of the results nested in it."""
    rule: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        if name in getattr(model, "render_fields", ()):
            rule[name] = True
            continue
        nested = _nested_rule(field.annotation)
        if nested is not None:
            rule[name] = nested
    return rule or None


def _nested_rule(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return render_exclusion(annotation)
    origin = get_origin(annotation)
    args = [a for a in get_args(annotation) if a is not type(None)]
    if (
        origin is Union
        or (origin is not None and str(origin) == "types.UnionType")
        or type(annotation).__name__ == "UnionType"
    ):
        rules = [r for r in (_nested_rule(a) for a in args) if r is not None]
        return rules[0] if rules else None
    if origin in (list, tuple, set, frozenset) and args:
        inner = _nested_rule(args[0])
        return None if inner is None else {"__all__": inner}
    if origin is dict and len(args) == 2:
        inner = _nested_rule(args[1])
        return None if inner is None else {"__all__": inner}
    return None


R = TypeVar("R", bound=MetricResult)

#: Every metric class by its stable type name (the class name), filled at import.
METRICS: dict[str, type[Metric[Any]]] = {}


class FieldPath:
    """``Metric.fields.current.number_of_rows``: a dotted result field path, as a string for panels."""

    def __init__(self, path: tuple[str, ...] = ()) -> None:
        self._path = path

    def __getattr__(self, name: str) -> FieldPath:
        if name.startswith("__"):
            raise AttributeError(name)
        return FieldPath((*self._path, name))

    def __getitem__(self, key: Any) -> FieldPath:
        return FieldPath((*self._path, str(key)))

    def __str__(self) -> str:
        return ".".join(self._path)

    def __repr__(self) -> str:
        return f"FieldPath({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def get_path(self) -> str:
        return str(self)


class FieldsDescriptor:
    """``Metric.fields`` returns a fresh :class:`FieldPath`."""

    def __get__(self, instance: Any, owner: Any) -> FieldPath:
        return FieldPath()


def _as_options(value: Any) -> Options | None:
    if value is None:
        return None

    return Options.from_any_options(value)


class ResultSource(Protocol):
    """What ``Metric.bind`` needs of a run: each metric's result (a RunContext, or one stored result)."""

    def result(self, metric: Any) -> Any: ...


class Metric(Config, Generic[R]):
    """Base of every metric. Subclasses set ``result_type`` and implement ``calculate``."""

    result_type: ClassVar[type[MetricResult]]
    #: Group shown in HTML and docs (data quality, data drift, classification, regression).
    group: ClassVar[str] = "data quality"
    keyword_only: ClassVar[frozenset[str]] = frozenset({"options"})
    fields: ClassVar[FieldsDescriptor] = FieldsDescriptor()

    #: Render options of this metric (``{"render": {"raw_data": True}}``, ``[ColorOptions(...)]``).
    options: Any = None
    _ctx: Any = PrivateAttr(default=None)

    @field_validator("options", mode="before")
    @classmethod
    def _options(cls, value: Any) -> Any:
        return _as_options(value)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if getattr(cls, "result_type", None) is None:  # Evidently code declares it as Metric[MyResult]
            declared = _declared_result(cls)
            if declared is not None:
                cls.result_type = declared
        concrete = getattr(cls, "result_type", None) is not None
        if concrete and not cls.__name__.startswith("_") and "[" not in cls.__name__:
            METRICS[cls.__name__] = cls

    def calculate(self, ctx: RunContext) -> R:
        raise NotImplementedError

    # ------------------------------------------------------------------- Evidently's metric API

    def bind(self, ctx: ResultSource) -> None:
        """Attach the run, so that ``get_result()`` answers (done by Report.run and TestSuite.run)."""
        self._ctx = ctx

    def get_result(self) -> R:
        """This metric's result in the run it was last part of."""
        if self._ctx is None:
            raise MonitoringError(
                f"{self.type_name} has no result yet: run a Report or TestSuite with it first"
            )
        return self._ctx.result(self)

    def get_id(self) -> str:
        return self.type_name

    def get_fingerprint(self) -> str:
        return self.fingerprint

    def get_parameters(self) -> tuple[Any, ...]:
        return tuple(sorted(self.params().items(), key=lambda item: item[0]))

    def get_group(self) -> str:
        return self.group

    def get_options(self) -> Options:
        return self.options or Options()

    def render_json(
        self, result: MetricResult, include_render: bool = False, include: Any = None, exclude: Any = None
    ) -> dict[str, Any]:
        """The result as ``as_dict()`` shows it; a custom renderer registered for this class wins."""
        from monitorflow.renderers.base_renderer import custom_json  # cycle: renderers import metrics

        custom = custom_json(self, include_render, include, exclude)
        if custom is not None:
            return custom
        return result.get_dict(include_render, include, exclude)


def _declared_result(cls: type) -> type[MetricResult] | None:
    for klass in cls.__mro__:
        for arg in getattr(klass, "__pydantic_generic_metadata__", {}).get("args", ()):
            if isinstance(arg, type) and issubclass(arg, MetricResult):
                return arg
    return None


class MetricPreset(Config):
    """A named bundle of metrics, expanded against the data definition at run time."""

    def generate_metrics(self, definition: DataDefinition) -> list[Metric[Any]]:
        raise NotImplementedError

    def expand(self, definition: DataDefinition, additional_data: dict[str, Any]) -> list[Metric[Any]]:
        """The metrics of one run (presets whose metrics depend on ``additional_data`` override it)."""
        return self.generate_metrics(definition)


def metric_class(type_name: str) -> type[Metric[Any]]:
    """The metric class registered as ``type_name`` (every metric module is imported on a miss)."""
    if type_name not in METRICS:
        from monitorflow.metrics import load_all  # cycle: the package imports its modules on first use

        load_all()
    try:
        return METRICS[type_name]
    except KeyError:
        raise SnapshotError(
            f"unknown metric type {type_name!r}; is the module that defines it imported?"
        ) from None
