"""Evidently's stattest registry API over :mod:`monitorflow.stattests`.

``StatTest(name, display_name, allowed_feature_types, default_threshold=0.05, func=None)`` declares a
user test whose ``func(reference, current, feature_type, threshold) -> (score, drifted)`` decides drift
itself (Evidently 0.4's custom stattest); ``func`` may instead be given to
``register_stattest(stat_test, default_impl=func)``, as in later 0.4 releases.

>>> import pandas as pd
>>> always = StatTest(name="always", display_name="always drifts", allowed_feature_types=["num"],
...                   func=lambda ref, cur, kind, threshold: (1.0, True))
>>> always(pd.Series([1.0, 2.0]), pd.Series([1.0, 2.0]), "num").drifted
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from monitorflow.errors import ConfigurationError
from monitorflow.errors import UnknownStatTestError as StatTestNotFoundError
from monitorflow.stattests import default_stattest
from monitorflow.stattests import get_stattest as resolve_stattest
from monitorflow.stattests.registry import STATTESTS, StatTestColumnTypeError, StatTestResult
from monitorflow.stattests.registry import StatTest as DeclaredStatTest
from monitorflow.stattests.registry import register_stattest as register_declared

#: What a stattest option may be: a registered name, a StatTest or a function.
PossibleStatTestType = str | DeclaredStatTest | Callable[..., Any]
StatTestFuncType = Callable[[pd.Series, pd.Series, str, float], tuple[float, bool]]
StatTestInvalidFeatureTypeError = StatTestColumnTypeError


def _not_registered(reference: Any, current: Any, feature_type: Any, threshold: Any) -> tuple[float, bool]:
    raise ConfigurationError(
        "this StatTest has no function: pass func=... or register it with register_stattest(test, "
        "default_impl=func)",
        argument="stattest",
    )


def _type_value(kind: Any) -> str:
    return str(getattr(kind, "value", kind))


class StatTest(DeclaredStatTest):
    """A user-declared stattest with Evidently's constructor; its function decides drift."""

    def __init__(
        self,
        name: str,
        display_name: str,
        allowed_feature_types: Any = ("num", "cat", "text"),
        default_threshold: float = 0.05,
        func: StatTestFuncType | None = None,
    ) -> None:
        super().__init__(
            name=name,
            display_name=display_name,
            kind="custom",
            column_types=frozenset(_type_value(t) for t in allowed_feature_types),
            default_threshold=default_threshold,
            func=func or _not_registered,
        )

    @property
    def allowed_feature_types(self) -> list[str]:
        return sorted(self.column_types)


def register_stattest(
    stat_test: DeclaredStatTest, default_impl: StatTestFuncType | None = None
) -> DeclaredStatTest:
    """Register ``stat_test`` by name, with ``default_impl`` as its function when given."""
    if default_impl is not None:
        object.__setattr__(stat_test, "func", default_impl)
    return register_declared(stat_test)


def get_stattest(
    reference_data: pd.Series,
    current_data: pd.Series,
    feature_type: Any,
    stattest_func: PossibleStatTestType | None,
) -> DeclaredStatTest:
    """The test for this column: ``stattest_func`` resolved, or the default choice on this data."""
    column_type = _type_value(feature_type)
    if stattest_func is None:
        return default_stattest(reference_data, current_data, column_type)
    return resolve_stattest(stattest_func, column_type)


__all__ = [
    "STATTESTS",
    "PossibleStatTestType",
    "StatTest",
    "StatTestFuncType",
    "StatTestInvalidFeatureTypeError",
    "StatTestNotFoundError",
    "StatTestResult",
    "get_stattest",
    "register_stattest",
]
