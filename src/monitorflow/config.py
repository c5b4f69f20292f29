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
        # Evidently code sets fields in its own __init__ before calling super().__init__(): take them.
        pending = self.__dict__.pop("_pending_fields", {}) if "_pending_fields" in self.__dict__ else {}
        private = {k: v for k, v in pending.items() if k.startswith("_")}
        kwargs = {**{k: v for k, v in pending.items() if not k.startswith("_")}, **kwargs}
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
        for name, value in private.items():
            setattr(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        if "__pydantic_fields_set__" not in self.__dict__ and not hasattr(self, "__pydantic_fields_set__"):
            self.__dict__.setdefault("_pending_fields", {})[name] = value  # before __init__ ran
            return
        super().__setattr__(name, value)

    def __eq__(self, other: object) -> bool:
        """Equal configs: same class, same parameters (run state in private attributes does not count)."""
        fields = type(self).model_fields  # not __dict__: cached properties (fingerprint) live there too
        return type(self) is type(other) and all(self.__dict__[f] == other.__dict__[f] for f in fields)

    def __hash__(self) -> int:
        return hash((type(self), self.fingerprint))

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
