"""Base of the option objects a Report, TestSuite or metric takes in ``options=[...]``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Option(BaseModel):
    """A frozen group of settings; ``options=[ColorOptions(...), RenderOptions(raw_data=True)]``."""

    model_config = ConfigDict(frozen=True, extra="forbid")
