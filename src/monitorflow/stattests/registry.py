"""Stat-test declarations and the registry that resolves a stattest option to a :class:`StatTest`.

A test declares its kind, column types, default threshold and comparison rule; ``StatTest.__call__``
applies that declaration, so a test's function only computes a score and never decides "drifted".
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from monitorflow.errors import ConfigurationError, MetricError, MonitoringError, UnknownStatTestError

COLUMN_TYPES = frozenset({"cat", "num", "text"})
KINDS = ("p_value", "distance", "custom")


class StatTestColumnTypeError(ConfigurationError):
    """A stattest was requested for a column type it does not declare."""

    def __init__(
        self, stattest: str, column_type: str, allowed: Iterable[str], suggestions: Iterable[str] = ()
    ):
        self.stattest = stattest
        self.column_type = column_type
        self.allowed = sorted(allowed)
        hint = f"; tests for {column_type!r} columns: {sorted(suggestions)}" if suggestions else ""
        super().__init__(
            f"stattest {stattest!r} does not apply to {column_type!r} columns, only to {self.allowed}{hint}",
            argument="stattest",
        )


class StatTestComputationError(MetricError):
    """A stattest could not produce a score on the given data (the cause is chained)."""

    def __init__(self, stattest: str, display_name: str, reason: str, column: Any = None):
        self.stattest = stattest
        where = f" on column {column!r}" if column is not None else ""
        super().__init__(
            f"stattest {stattest!r} ({display_name}) cannot be computed{where}: {reason}",
            metric=None,
            column=column,
        )


@dataclass(frozen=True)
class StatTestResult:
    """Outcome of one stattest on one column: the score, the decision and the threshold used."""

    drift_score: float
    drifted: bool
    actual_threshold: float  # Evidently's name: the given threshold, or the test's default

    @property
    def threshold(self) -> float:
        return self.actual_threshold


def check_column_type(column_type: str) -> None:
    if column_type not in COLUMN_TYPES:
        raise ConfigurationError(
            f"column_type must be one of {sorted(COLUMN_TYPES)}, got {column_type!r}", argument="column_type"
        )


def _check_threshold(threshold: Any, argument: str) -> float:
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real) or math.isnan(threshold):
        raise ConfigurationError(f"{argument} must be a real number, got {threshold!r}", argument=argument)
    return float(threshold)


@dataclass(frozen=True)
class StatTest:
    """A declared statistical test.

    ``kind`` fixes the drift rule: ``"p_value"`` drifts when ``score < threshold`` (``<=`` if
    ``inclusive``), ``"distance"`` when ``score > threshold`` (``>=`` if ``inclusive``).
    ``func(reference, current, column_type) -> score`` gets cleaned series (no NaN/inf).
    ``kind="custom"`` is for user callables ``func(reference, current, column_type, threshold) ->
    (score, drifted)``, whose own decision is kept (as Evidently does). ``cutoff(reference, current,
    threshold)``, if set, gives the value the score is compared with instead of the threshold (the
    percentile text test, whose critical value depends on the data).

    ``counts_func(counts, column_type) -> score``, if set, computes the same score from the counts of
    each distinct value (:class:`~monitorflow.stattests.utils.CategoryCounts`), so callers that have
    counted already (the drift metrics) skip the raw values. It stands for ``func`` on categorical
    columns, and on numerical ones whose reference has at most ``counts_max_num_values`` distinct
    values (0: never).

    >>> import pandas as pd
    >>> t = StatTest("mean_diff", "mean difference", "distance", {"num"}, 0.5,
    ...              lambda r, c, _: abs(r.mean() - c.mean()), inclusive=True)
    >>> t(pd.Series([1.0, 2.0]), pd.Series([2.0, 3.0]), "num")
    StatTestResult(drift_score=1.0, drifted=True, actual_threshold=0.5)
    """

    name: str
    display_name: str
    kind: str
    column_types: frozenset[str]
    default_threshold: float
    func: Callable[..., Any] = field(repr=False)
    inclusive: bool = False
    cutoff: Callable[[pd.Series, pd.Series, float], float] | None = field(default=None, repr=False)
    counts_func: Callable[[Any, str], float] | None = field(default=None, repr=False)
    counts_max_num_values: int = 0
    sorted_func: Callable[[Any, Any], float] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        types = frozenset({self.column_types} if isinstance(self.column_types, str) else self.column_types)
        object.__setattr__(self, "column_types", types)
        if self.kind not in KINDS:
            raise ConfigurationError(
                f"StatTest kind must be one of {list(KINDS)}, got {self.kind!r}", argument="kind"
            )
        if not types or not types <= COLUMN_TYPES:
            raise ConfigurationError(
                f"StatTest column_types must be a non-empty subset of {sorted(COLUMN_TYPES)}, got "
                f"{sorted(types)}",
                argument="column_types",
            )
        object.__setattr__(
            self, "default_threshold", _check_threshold(self.default_threshold, "default_threshold")
        )
        if not callable(self.func):
            raise ConfigurationError(f"StatTest func must be callable, got {self.func!r}", argument="func")

    def is_drifted(self, score: float, threshold: float) -> bool:
        """Apply the declared rule: p-values drift below the threshold, distances above it."""
        if self.kind == "p_value":
            return bool(score <= threshold if self.inclusive else score < threshold)
        if self.kind == "distance":
            return bool(score >= threshold if self.inclusive else score > threshold)
        raise ConfigurationError(f"stattest {self.name!r} of kind 'custom' decides drift in its own function")

    def __call__(
        self,
        reference: pd.Series,
        current: pd.Series,
        column_type: str,
        threshold: float | None = None,
        *,
        column: Any = None,
    ) -> StatTestResult:
        """Score ``current`` against ``reference`` (both cleaned of NaN/inf) and decide drift."""
        check_column_type(column_type)
        t = self.default_threshold if threshold is None else _check_threshold(threshold, "threshold")
        reference = reference if isinstance(reference, pd.Series) else pd.Series(np.asarray(reference))
        current = current if isinstance(current, pd.Series) else pd.Series(np.asarray(current))
        self._require_samples(len(reference), len(current), column)
        if self.kind == "custom":
            return self._decide(lambda: self._custom(reference, current, column_type, t), t, column)
        cutoff = self.cutoff
        limit = None if cutoff is None else (lambda: float(cutoff(reference, current, t)))
        return self._decide(lambda: float(self.func(reference, current, column_type)), t, column, limit)

    def accepts_counts(self, column_type: str, reference_values: int) -> bool:
        """Whether :meth:`from_counts` gives this test's score for such a column."""
        if self.counts_func is None or self.cutoff is not None:
            return False
        return column_type == "cat" or (
            column_type == "num" and reference_values <= self.counts_max_num_values
        )

    def from_counts(
        self, counts: Any, column_type: str, threshold: float | None = None, *, column: Any = None
    ) -> StatTestResult:
        """Score and decide from the counts of each distinct value on both sides (``counts_func``);
        callers check :meth:`accepts_counts` first."""
        check_column_type(column_type)
        t = self.default_threshold if threshold is None else _check_threshold(threshold, "threshold")
        self._require_samples(counts.n_reference, counts.n_current, column)
        counts_func = self.counts_func
        assert counts_func is not None
        return self._decide(lambda: float(counts_func(counts, column_type)), t, column)

    def accepts_sorted(self, column_type: str) -> bool:
        """Whether :meth:`from_sorted` gives this test's score for such a column."""
        return self.sorted_func is not None and column_type == "num" and self.cutoff is None

    def from_sorted(
        self, reference: Any, current: Any, threshold: float | None = None, *, column: Any = None
    ) -> StatTestResult:
        """Score and decide from the numerical statistics of both sides (``sorted_func``); callers
        check :meth:`accepts_sorted` first."""
        t = self.default_threshold if threshold is None else _check_threshold(threshold, "threshold")
        self._require_samples(reference.finite_count, current.finite_count, column)
        score = self.sorted_func
        assert score is not None
        return self._decide(lambda: float(score(reference, current)), t, column)

    def _custom(self, reference: pd.Series, current: pd.Series, column_type: str, t: float) -> StatTestResult:
        out = self.func(reference, current, column_type, t)
        if not (isinstance(out, tuple) and len(out) == 2):
            raise ConfigurationError(
                f"custom stattest {self.display_name} must return (score, drifted), got {out!r}",
                argument="stattest",
            )
        return StatTestResult(float(out[0]), bool(out[1]), t)

    def _require_samples(self, n_reference: int, n_current: int, column: Any) -> None:
        """Refuse a score on an empty side, naming it."""
        if n_reference == 0 or n_current == 0:
            side = "reference" if n_reference == 0 else "current"
            raise StatTestComputationError(
                self.name, self.display_name, f"the {side} sample is empty", column
            )

    def _decide(
        self,
        score_of: Callable[[], Any],
        t: float,
        column: Any,
        limit_of: Callable[[], float] | None = None,
    ) -> StatTestResult:
        """Run ``score_of`` (errors become StatTestComputationError) and apply the drift rule."""
        try:
            score = score_of()
            if isinstance(score, StatTestResult):  # a custom test decided itself
                return score
            limit = t if limit_of is None else limit_of()
        except MonitoringError:
            raise
        except (ValueError, ArithmeticError) as exc:
            raise StatTestComputationError(self.name, self.display_name, str(exc), column) from exc
        if math.isnan(score):
            raise StatTestComputationError(
                self.name, self.display_name, "the score is NaN (too few or degenerate values)", column
            )
        return StatTestResult(score, self.is_drifted(score, limit), t)


STATTESTS: dict[str, StatTest] = {}
"""All registered stattests by name; the built-in ones are added when ``monitorflow.stattests`` is
imported."""


def register_stattest(stattest: StatTest) -> StatTest:
    """Register ``stattest`` under its name (replacing any test of that name) and return it.

    >>> import pandas as pd
    >>> always = StatTest("always", "always drift", "distance", {"num"}, 0.0, lambda r, c, t: 1.0)
    >>> register_stattest(always).name
    'always'
    >>> del STATTESTS["always"]
    """
    if not isinstance(stattest, StatTest):
        raise ConfigurationError(f"register_stattest expects a StatTest, got {type(stattest).__name__}")
    if not stattest.name:
        raise ConfigurationError("a registered StatTest needs a non-empty name", argument="name")
    STATTESTS[stattest.name] = stattest
    return stattest


def _wrap_callable(func: Callable[..., Any]) -> StatTest:
    fn_name = getattr(func, "__name__", type(func).__name__)
    return StatTest(
        name="",
        display_name=f"custom function '{fn_name}'",
        kind="custom",
        column_types=COLUMN_TYPES,
        default_threshold=0.05,
        func=func,
    )


def get_stattest(spec: str | StatTest | Callable[..., Any], column_type: str) -> StatTest:
    """Resolve a registered name, a StatTest or a callable to a StatTest usable on ``column_type``.

    >>> get_stattest("psi", "cat").display_name
    'PSI'
    >>> get_stattest(lambda r, c, t, thr: (0.0, False), "num").display_name
    "custom function '<lambda>'"
    """
    check_column_type(column_type)
    if isinstance(spec, str):
        if spec not in STATTESTS:
            raise UnknownStatTestError(spec, STATTESTS)
        stattest = STATTESTS[spec]
    elif isinstance(spec, StatTest):
        stattest = spec
    elif callable(spec):
        return _wrap_callable(spec)
    else:
        raise ConfigurationError(
            f"stattest must be a registered name, a StatTest or a callable, got {type(spec).__name__}",
            argument="stattest",
        )
    if column_type not in stattest.column_types:
        fits = [name for name, t in STATTESTS.items() if column_type in t.column_types]
        raise StatTestColumnTypeError(
            stattest.name or stattest.display_name, column_type, stattest.column_types, fits
        )
    return stattest
