"""The state of one run: validated frames, the data definition and caches shared by all metrics."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import pandas as pd

from monitorflow import frame_checks
from monitorflow.column_mapping import ColumnType, DataDefinition, infer_type
from monitorflow.column_stats import (
    CategoricalStats,
    ColumnStats,
    NumericalStats,
    SortedCache,
    to_float_array,
)
from monitorflow.errors import ColumnNotFoundError, ColumnTypeError, ConfigurationError, MonitoringError

if TYPE_CHECKING:
    from monitorflow.metrics.base import Metric, MetricResult

Side = Literal["current", "reference"]
T = TypeVar("T")
R = TypeVar("R", bound="MetricResult")


#: The almost-duplicated threshold computed alongside duplicated rows and columns (the metrics' default).
ALMOST_DUPLICATED = 0.95


class ReferenceRequired(MonitoringError):
    """Raised inside a computation that needs reference data that was not given."""


#: Reference frames whose column statistics runs share (id -> (weak reference, statistics)).
_SHARED_REFERENCES: dict[int, tuple[weakref.ref, dict[Hashable, Any]]] = {}


def share_reference_stats(frame: pd.DataFrame) -> None:
    """Let every later run with this very frame as reference reuse its column statistics (the sorted
    numerical columns, the value counts) instead of computing them again: a backfill's fixed
    reference is profiled once. The frame must not change afterwards; the sharing ends with it."""
    key = id(frame)
    if key in _SHARED_REFERENCES and _SHARED_REFERENCES[key][0]() is frame:
        return
    _SHARED_REFERENCES[key] = (weakref.ref(frame, lambda _: _SHARED_REFERENCES.pop(key, None)), {})


def _shared_stats(frame: pd.DataFrame | None) -> dict[Hashable, Any] | None:
    entry = _SHARED_REFERENCES.get(id(frame)) if frame is not None else None
    return entry[1] if entry is not None and entry[0]() is frame else None


class RunContext:
    """Frames, definition and memoised computations of one ``run()``.

    Metrics ask the context for column statistics and for other metrics' results; each is computed
    once per run, so presets that share work pay for it once.
    """

    def __init__(self, current: pd.DataFrame, reference: pd.DataFrame | None, definition: DataDefinition):
        self.current = current
        self.reference = reference
        self.definition = definition
        self._memo: dict[Hashable, Any] = {}
        self._results: dict[str, Any] = {}
        self._reference_stats = _shared_stats(reference)
        self._sorted_cache = SortedCache()

    def data(self, side: Side) -> pd.DataFrame:
        if side == "current":
            return self.current
        if self.reference is None:
            raise ReferenceRequired(
                "reference_data is needed for this computation; pass reference_data to run()"
            )
        return self.reference

    @property
    def has_reference(self) -> bool:
        return self.reference is not None

    def require_column(self, column: Any, where: str) -> ColumnType:
        """The column's type, or a clear error when the run does not have it."""
        kind = self.definition.type_of(column)
        if kind is None:
            embedding_set = self.definition.embedding_columns.get(column)
            if embedding_set is not None:
                raise ConfigurationError(
                    f"column {column!r} ({where}) is in embedding set {embedding_set!r}, not a feature; "
                    f"measure its drift with EmbeddingsDriftMetric({embedding_set!r}), or remove it from the set",
                    argument=where,
                )
            skipped = self.definition.skipped_columns
            dataset = "reference_data" if column in skipped.get("only_in_current", []) else "current_data"
            available = self.definition.column_names
            raise ColumnNotFoundError(column, where, dataset, available)
        return kind

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """Compute ``key`` once per run."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def stats(self, column: Any, side: Side = "current") -> ColumnStats:
        """Column statistics of one side, computed once."""

        def compute() -> ColumnStats:
            series = self.data(side)[column]
            kind = self.definition.type_of(column) or infer_type(series, None)
            numerical = kind == ColumnType.NUMERICAL
            shared = self._reference_stats if side == "reference" else None
            if shared is not None and (column, numerical) in shared:
                return shared[(column, numerical)]
            if not numerical:
                stats = CategoricalStats(series)
            elif shared is not None:  # kept sorted across the runs sharing this reference
                stats = NumericalStats(to_float_array(series))
            else:  # sorted copies held in the run's bounded cache, sorted again when evicted
                stats = NumericalStats(
                    to_float_array(series), self._sorted_cache, lambda: to_float_array(series)
                )
            return stats if shared is None else shared.setdefault((column, numerical), stats)

        return self.memo(("stats", side, column), compute)

    def numerical(self, column: Any, side: Side = "current") -> NumericalStats:
        """Numerical statistics even of a column typed otherwise; ColumnTypeError if it holds no numbers."""
        stats = self.stats(column, side)
        if not isinstance(stats, NumericalStats):
            return self.memo(
                ("num-stats", side, column),
                lambda: NumericalStats(
                    self._float_values(column, side),
                    self._sorted_cache,
                    lambda: self._float_values(column, side),
                ),
            )
        return stats

    def _float_values(self, column: Any, side: Side) -> Any:
        series = self.data(side)[column]
        temporal = pd.api.types.is_datetime64_any_dtype(series.dtype) or pd.api.types.is_timedelta64_dtype(
            series.dtype
        )
        if not temporal:  # datetimes would silently become nanoseconds (and NaT a huge negative number)
            try:
                return to_float_array(series)
            except (ValueError, TypeError):
                pass
        values = series.dropna()
        example = values.iloc[0] if len(values) else None
        if not temporal and len(values):
            try:
                bad = pd.to_numeric(values, errors="coerce").isna()
                example = values[bad].iloc[0] if bad.any() else example
            except (ValueError, TypeError):
                pass
        raise ColumnTypeError(
            column,
            f"{side}_data",
            "numerical",
            example,
            fix="this statistic needs numbers: use it on a numerical column, or convert this one with pd.to_numeric",
        )

    # ------------------------------------------------------------------ dataset-level counts

    def number_of_rows(self, side: Side) -> int:
        return len(self.data(side).index)

    def column_names(self, side: Side) -> list[Any]:
        """Every column of the side's data, those skipped for being in one side only included."""
        return list(self.data(side).columns)

    def dtype_names(self, side: Side) -> dict[Any, str]:
        """The pandas dtype of each column, as text."""
        return {column: str(dtype) for column, dtype in self.data(side).dtypes.items()}

    def empty_rows(self, side: Side) -> int:
        return self.memo(("empty-rows", side), lambda: frame_checks.empty_rows(self.data(side)))

    def missing_values(self, side: Side, values: tuple[Any, ...]) -> frame_checks.MissingCounts:
        """Counts of a missing-value set (see :mod:`monitorflow.frame_checks`)."""
        key = ("missing", side, tuple(frame_checks.missing_label(v) for v in values))
        return self.memo(key, lambda: frame_checks.missing_counts(self.data(side), values))

    def _row_checks(self, side: Side, threshold: float) -> tuple[int, int, int]:
        """Duplicated rows, duplicated columns and almost-duplicated pairs, from one set of row hashes
        (dropped afterwards: they are as large as the frame's numbers)."""

        def compute() -> tuple[int, int, int]:
            frame = self.data(side)
            hashes = {c: frame_checks.column_hashes(frame[c]) for c in frame.columns}
            return (
                frame_checks.count_duplicated_rows(frame, hashes),
                frame_checks.count_duplicated_columns(frame, hashes),
                frame_checks.count_almost_duplicated_pairs(frame, threshold, hashes),
            )

        return self.memo(("row-checks", side, threshold), compute)

    def _any_row_checks(self, side: Side) -> tuple[int, int, int]:
        done = [v for k, v in self._memo.items() if isinstance(k, tuple) and k[:2] == ("row-checks", side)]
        return done[0] if done else self._row_checks(side, ALMOST_DUPLICATED)

    def duplicated_rows(self, side: Side) -> int:
        return self._any_row_checks(side)[0]

    def duplicated_columns(self, side: Side) -> int:
        return self._any_row_checks(side)[1]

    def almost_duplicated_pairs(self, side: Side, threshold: float) -> int:
        return self._row_checks(side, threshold)[2]

    def close(self) -> None:
        """Release what the run holds beyond its results (nothing for in-memory frames)."""

    @contextmanager
    def computing(self, name: str) -> Iterator[None]:
        """Mark what is being computed (an out-of-core context names it when it cannot)."""
        yield

    def result(self, metric: Metric[R]) -> R:
        """The metric's result, computed once per run; a failure is remembered and re-raised."""
        key = metric.fingerprint
        if key not in self._results:
            try:
                self._results[key] = (metric, metric.calculate(self))
            except Exception as exc:  # remembered so dependants fail the same way without recomputing
                self._results[key] = (metric, exc)
        value = self._results[key][1]
        if isinstance(value, Exception):
            raise value
        return value

    def computed_metrics(self) -> dict[str, tuple[Metric[Any], MetricResult]]:
        """Every metric computed so far without error, by fingerprint, in computation order."""
        return {k: (m, r) for k, (m, r) in self._results.items() if not isinstance(r, Exception)}
