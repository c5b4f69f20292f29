"""Base model of every configurable piece (metrics, tests, presets): frozen, with positional args."""

from __future__ import annotations

from functools import cached_property
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError

from monitorflow.errors import ConfigurationError
from monitorflow.ids import fingerprint


class Config(BaseModel):
    """Frozen pydantic model that also accepts its leading fields positionally, like Evidently.

    Invalid arguments raise :class:`ConfigurationError` naming the class and the field.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    #: Fields that can only be given by keyword (set by base classes).
    keyword_only: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        cls = type(self)
        if args:
            keyword_only = set().union(*(vars(base).get("keyword_only", ()) for base in cls.__mro__))
            names = [n for n in cls.model_fields if n not in keyword_only]
            if len(args) > len(names):
                raise ConfigurationError(
                    f"{cls.__name__} takes at most {len(names)} positional arguments ({names})"
                )
            for name, value in zip(names, args, strict=False):
                if name in kwargs:
                    raise ConfigurationError(f"{cls.__name__} got {name!r} twice", argument=name)
                kwargs[name] = value
        try:
            super().__init__(**kwargs)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or '(arguments)'}: {e['msg']} (got {e.get('input')!r})"
                for e in exc.errors()
            )
            raise ConfigurationError(f"invalid arguments for {cls.__name__}: {problems}") from None

    @property
    def type_name(self) -> str:
        return type(self).__name__

    def params(self) -> dict[str, Any]:
        """Non-default parameters, JSON-ready."""
        return self.model_dump(mode="json", exclude_defaults=True)

    @cached_property
    def fingerprint(self) -> str:
        """Equal for equal configs: used to compute and store each once per run."""
        return fingerprint(self.type_name, self.params())
