"""DriftOptions: which statistical test and threshold each column's drift uses (Evidently's option
precedence, described in :mod:`monitorflow.metrics.data_drift`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Annotated, Any, ClassVar

from pydantic import Field, PlainSerializer

from monitorflow._types import ColumnName
from monitorflow.column_mapping import ColumnType
from monitorflow.config import Config
from monitorflow.ids import fingerprint


def _spec_name(spec: Any) -> Any:
    if hasattr(spec, "display_name"):  # a StatTest
        return spec.name or spec.display_name
    if callable(spec) and not isinstance(spec, str):
        return f"custom function '{getattr(spec, '__name__', type(spec).__name__)}'"
    return spec


#: A stattest option: a registered name, a StatTest, or a callable (stored by name in snapshots).
StatTestSpec = Annotated[str | Callable[..., Any], PlainSerializer(_spec_name)]

DRIFT_TYPES = {ColumnType.NUMERICAL: "num", ColumnType.CATEGORICAL: "cat", ColumnType.TEXT: "text"}


def _is_function(spec: Any) -> bool:
    return spec is not None and not isinstance(spec, str) and not hasattr(spec, "display_name")


def _function_identity(func: Any) -> str:
    """Module and qualified name, plus the line for lambdas: stable across runs and machines."""
    name = f"{getattr(func, '__module__', '')}.{getattr(func, '__qualname__', type(func).__qualname__)}"
    code = getattr(func, "__code__", None)
    return f"{name}:{code.co_firstlineno}" if code is not None and "<lambda>" in name else name


class DriftOptions(Config):
    """The stattest and threshold options shared by every drift metric, test and preset (keyword-only)."""

    stattest: StatTestSpec | None = None
    cat_stattest: StatTestSpec | None = None
    num_stattest: StatTestSpec | None = None
    text_stattest: StatTestSpec | None = None
    per_column_stattest: dict[ColumnName, StatTestSpec] | None = None
    stattest_threshold: float | None = Field(None, gt=0)
    cat_stattest_threshold: float | None = Field(None, gt=0)
    num_stattest_threshold: float | None = Field(None, gt=0)
    text_stattest_threshold: float | None = Field(None, gt=0)
    per_column_stattest_threshold: dict[ColumnName, float] | None = None

    keyword_only: ClassVar[frozenset[str]] = frozenset(
        {
            f"{prefix}stattest{suffix}"
            for prefix in ("", "cat_", "num_", "text_", "per_column_")
            for suffix in ("", "_threshold")
        }
    )

    @cached_property
    def fingerprint(self) -> str:
        """Config's fingerprint, plus the identity of each custom stattest function.

        Custom functions are stored by name (``custom function '<lambda>'``); without this, two different
        functions of one name would be one config and only one of them would run.
        """
        specs = [self.stattest, self.cat_stattest, self.num_stattest, self.text_stattest]
        custom = [
            _function_identity(s)
            for s in [*specs, *(self.per_column_stattest or {}).values()]
            if _is_function(s)
        ]
        params = self.params()
        return fingerprint(self.type_name, {**params, "custom_stattests": custom} if custom else params)

    def drift_options(self) -> dict[str, Any]:
        """These options as keyword arguments (to pass them on to another drift metric)."""
        return {name: getattr(self, name) for name in DriftOptions.model_fields}

    def resolve(self, column: ColumnName, column_type: str) -> tuple[Any, float | None]:
        """(stattest spec or None for the default choice, threshold or None for the test's default)."""
        by_type = {"num": "num_", "cat": "cat_", "text": "text_"}[column_type]
        spec = (self.per_column_stattest or {}).get(column)
        if spec is None:
            spec = getattr(self, f"{by_type}stattest") or self.stattest
        threshold = (self.per_column_stattest_threshold or {}).get(column)
        if threshold is None:
            threshold = getattr(self, f"{by_type}stattest_threshold")
        if threshold is None:
            threshold = self.stattest_threshold
        return spec, threshold
