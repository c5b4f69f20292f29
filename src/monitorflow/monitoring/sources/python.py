"""A Python callable ``load(start, end, **kwargs) -> DataFrame`` named by import path."""

from __future__ import annotations

import importlib
from typing import Any, Literal

import pandas as pd
from pydantic import Field

from monitorflow.errors import MonitoringError, SourceError
from monitorflow.monitoring.sources.base import SourceConfig
from monitorflow.monitoring.windows import Window


class PythonSource(SourceConfig):
    """A Python function load(start, end, **kwargs) that returns the window's rows as a DataFrame."""

    kind: Literal["python"] = Field("python", description="The kind of source.")
    function: str = Field(
        pattern=r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$",
        description="The function's import path: package.module:name.",
    )
    kwargs: dict[str, Any] = Field({}, description="Other keyword arguments of the function.")

    def describe(self) -> str:
        return self.function

    def read(self, window: Window | None, workspace: str) -> pd.DataFrame:
        function = resolve_callable(self.function)
        start, end = (window.start, window.end) if window else (None, None)
        try:
            frame = function(start, end, **self.kwargs)
        except MonitoringError:
            raise
        except Exception as exc:
            raise SourceError(
                f"{self.function}({start}, {end}) failed: {type(exc).__name__}: {exc}", self.function
            ) from exc
        if not isinstance(frame, pd.DataFrame):
            raise SourceError(
                f"{self.function} returned {type(frame).__name__}, expected a pandas DataFrame",
                self.function,
                transient=False,
            )
        return frame


def resolve_callable(path: str) -> Any:
    """``"pkg.mod:func"`` -> the function."""
    module_name, _, attr = path.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise SourceError(
            f"cannot import {module_name!r} for source {path!r}: {exc}", path, transient=False
        ) from None
    function = getattr(module, attr, None)
    if not callable(function):
        raise SourceError(
            f"{module_name!r} has no function {attr!r} (source {path!r})", path, transient=False
        )
    return function
