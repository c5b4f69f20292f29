"""``Options``: what ``options=`` of a Report, TestSuite or metric resolves to.

``options`` may be an ``Options``, one option or a list of them (``[ColorOptions(...)]``), or a dict
(``{"render": {"raw_data": True}}``); ``Options.from_any_options`` accepts each form.

>>> Options.from_any_options({"render": {"raw_data": True}}).render_options.raw_data
True
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from monitorflow.errors import ConfigurationError
from monitorflow.options.agg_data import DataDefinitionOptions, RenderOptions
from monitorflow.options.color_scheme import ColorOptions
from monitorflow.options.option import Option

OptionT = TypeVar("OptionT", bound=Option)
_FIELDS: dict[type[Option], str] = {
    ColorOptions: "color",
    RenderOptions: "render",
    DataDefinitionOptions: "data_definition",
}


class Options(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    color: ColorOptions | None = None
    render: RenderOptions | None = None
    custom: dict[type, Option] = Field(default_factory=dict, exclude=True)
    data_definition: DataDefinitionOptions | None = None

    @property
    def color_options(self) -> ColorOptions:
        return self.color or ColorOptions()

    @property
    def render_options(self) -> RenderOptions:
        return self.render or RenderOptions()

    @property
    def data_definition_options(self) -> DataDefinitionOptions:
        return self.data_definition or DataDefinitionOptions()

    def get(self, option_type: type[OptionT]) -> OptionT:
        """The option of that type (its defaults when not given)."""
        field = _FIELDS.get(option_type)
        value = getattr(self, field) if field else self.custom.get(option_type)
        if value is None and not field:
            value = next((v for t, v in self.custom.items() if issubclass(t, option_type)), None)
        return value if isinstance(value, option_type) else option_type()

    @classmethod
    def from_list(cls, values: list[Option]) -> Options:
        fields: dict[str, Any] = {"custom": {}}
        for value in values:
            if not isinstance(value, Option):
                raise ConfigurationError(
                    f"options must be option objects such as ColorOptions(...), got {value!r}",
                    argument="options",
                )
            field = _FIELDS.get(type(value))
            if field is None:
                fields["custom"][type(value)] = value
            else:
                fields[field] = value
        return cls(**fields)

    @classmethod
    def from_any_options(cls, options: Any) -> Options:
        """Options from an Options, an option, a list of options, a dict, or None."""
        if options is None:
            return cls()
        if isinstance(options, Options):
            return options
        if isinstance(options, Option):
            return cls.from_list([options])
        if isinstance(options, list | tuple):
            return cls.from_list(list(options))
        if isinstance(options, dict):
            try:
                return cls(**options)
            except ValidationError as exc:
                raise ConfigurationError(
                    f"invalid options {options!r}: {exc.errors()[0]['msg']}; keys are color, render, "
                    "data_definition (e.g. {'render': {'raw_data': True}})",
                    argument="options",
                ) from None
        raise ConfigurationError(
            f"options must be a list of options, an Options or a dict, got {type(options).__name__}",
            argument="options",
        )

    def override(self, other: Options) -> Options:
        """These options with every option given in ``other`` taking precedence."""
        values = {name: getattr(other, name) or getattr(self, name) for name in _FIELDS.values()}
        return Options(**values, custom={**self.custom, **other.custom})
