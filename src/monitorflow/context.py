"""The state of one run: validated frames, the data definition and caches shared by all metrics."""

from __future__ import annotations

import contextlib
import functools
import threading
import weakref
from collections.abc import Callable, Hashable, Iterator
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import numpy as np
import pandas as pd

from monitorflow import frame_checks
from monitorflow._types import DerivedColumn
from monitorflow.column_mapping import (
    ColumnMapping,
    ColumnType,
    DataDefinition,
    DerivedColumnDefinition,
    infer_type,
)
from monitorflow.column_stats import (
    CategoricalStats,
    ColumnStats,
    NumericalStats,
    SortedCache,
    to_float_array,
)
from monitorflow.errors import ColumnNotFoundError, ColumnTypeError, ConfigurationError, MonitoringError
from monitorflow.sorted_values import Sorted

if TYPE_CHECKING:
    from monitorflow.metrics.base import Metric, MetricResult

Side = Literal["current", "reference"]
#: Both sides, current first.
SIDES: tuple[Side, Side] = ("current", "reference")
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


def _same_name(name: str) -> ConfigurationError:
    return ConfigurationError(
        f"two different descriptors both make a column named {name!r}; give one of them another display_name",
        argument="display_name",
    )


class _SideReader:
    """One side of a run, as a derivation reads it (``monitorflow._types.ColumnReader``)."""

    def __init__(self, ctx: RunContext, side: Side):
        self._ctx = ctx
        self._side = side

    def column(self, name: Any) -> pd.Series:
        return self._ctx.data(self._side)[name]

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        return self._ctx.memo(("derived", self._side, key), compute)

    @property
    def shared(self) -> dict[Hashable, Any]:
        return self._ctx.memo(("derived-shared",), dict)


class RunContext:
    """Frames, definition and memoised computations of one ``run()``.

    Metrics ask the context for column statistics and for other metrics' results; each is computed
    once per run, so presets that share work pay for it once. Derived columns (text descriptors) are
    computed on first use and then added to ``current``/``reference`` and to the definition, so every
    metric sees them as columns; ``source(side)`` is the frame as given.
    """

    def __init__(
        self,
        current: pd.DataFrame,
        reference: pd.DataFrame | None,
        definition: DataDefinition,
        column_mapping: ColumnMapping | None = None,
        additional_data: dict[str, Any] | None = None,
    ):
        self.current = current
        self.reference = reference
        self.definition = definition
        #: The mapping as given (roles of columns absent from current, e.g. a target only in reference).
        self.column_mapping = column_mapping or ColumnMapping()
        self.additional_data = dict(additional_data or {})
        self._source = {"current": current, "reference": reference}
        self._memo: dict[Hashable, Any] = {}
        self._results: dict[str, Any] = {}
        self._reference_stats = _shared_stats(reference)
        self._sorted_cache = SortedCache()
        self._derived_by_name: dict[str, str] = {}
        self._derivations: dict[str, Exception | None] = {}
        self._derive_lock = threading.RLock()  # drift tables ask for columns from several threads

    # Evidently's ``InputData`` names, so that a custom metric's ``calculate(data)`` reads the run as there.
    @property
    def current_data(self) -> pd.DataFrame:
        return self.current

    @property
    def reference_data(self) -> pd.DataFrame | None:
        return self.reference

    @property
    def data_definition(self) -> DataDefinition:
        return self.definition

    current_additional_features = None
    reference_additional_features = None

    def get_current_column(self, column: Any) -> pd.Series:
        return self.current[column]

    def get_reference_column(self, column: Any) -> pd.Series | None:
        return None if self.reference is None else self.reference[column]

    def has_column(self, column: Any) -> bool:
        return column in self.current.columns

    def get_datasets(self) -> tuple[pd.DataFrame | None, pd.DataFrame]:
        return self.reference, self.current

    def get_data(self, column: Any) -> tuple[ColumnType | None, pd.Series, pd.Series | None]:
        return (
            self.definition.type_of(column),
            self.get_current_column(column),
            self.get_reference_column(column),
        )

    def data(self, side: Side) -> pd.DataFrame:
        if side == "current":
            return self.current
        if self.reference is None:
            raise ReferenceRequired(
                "reference_data is needed for this computation; pass reference_data to run()"
            )
        return self.reference

    def frames(self, side: Side, columns: list[Any]) -> Iterator[pd.DataFrame]:
        """The rows of ``columns`` in chunks, in row order: here the whole frame; out of core, each
        partition (metrics that accumulate over rows read them this way, in either context)."""
        yield self.data(side)[list(dict.fromkeys(columns))]

    def kept(self, side: Side, name: str, compute: Callable[[], Any]) -> Any:
        """``compute()``, a statistic of one side, once per run and ``name``; out of core a fixed
        reference's is kept in its profile cache (``name`` then says everything it depends on besides
        the data, and the value must pickle)."""
        return self.memo(("kept", side, name), compute)

    def summary(
        self,
        side: Side,
        name: str,
        columns: list[Any],
        summarize: Callable[[pd.DataFrame], Any],
        combine: Callable[[Any, Any], Any],
        dtypes: bool = False,
    ) -> Any:
        """``summarize`` of the rows of ``columns`` chunk by chunk, merged by ``combine`` in row order,
        once per run, side and ``name``: here one chunk, the whole frame; out of core each partition,
        on the run's executor (the functions must pickle), and a fixed reference's result is kept in
        its profile cache under ``name`` (which must say what it depends on besides the data)."""
        return self.kept(
            side, f"summary:{name}", lambda: self.map_reduce(side, columns, summarize, combine, dtypes)
        )

    def map_reduce(
        self,
        side: Side,
        columns: list[Any],
        summarize: Callable[[pd.DataFrame], Any],
        combine: Callable[[Any, Any], Any],
        dtypes: bool,
    ) -> Any:
        """The pass of :meth:`summary` (``dtypes``: in the whole columns' dtypes, out of core)."""
        return functools.reduce(combine, (summarize(frame) for frame in self.frames(side, columns)))

    def sorted_derived(
        self,
        side: Side,
        key: Hashable,
        columns: list[Any],
        derive: Callable[[pd.DataFrame], dict[str, Any]],
        sizes: dict[str, int],
    ) -> dict[str, Sorted]:
        """Values computed from the rows (``derive(chunk)``: name -> finite float64 values of the chunk;
        ``sizes``: how many in all), each sorted ascending; once per run, side and ``key``. Out of core
        they are sorted under the memory budget and spilled to disk."""

        def compute() -> dict[str, Sorted]:
            parts = [derive(chunk) for chunk in self.frames(side, columns)]
            return {name: np.sort(np.concatenate([part[name] for part in parts])) for name in sizes}

        return self.memo(("sorted-derived", side, key), compute)

    def source(self, side: Side) -> pd.DataFrame:
        """The frame as given to ``run()`` (validated), without derived columns."""
        frame = self._source[side]
        if frame is None:
            return self.data(side)  # raises ReferenceRequired
        return frame

    @property
    def has_reference(self) -> bool:
        return self.reference is not None

    def derive(self, column: DerivedColumn) -> None:
        """Compute a derived column (and its sibling outputs) on every side, once per run."""
        derivation = column.derivation
        with self._derive_lock:
            if derivation.key not in self._derivations:
                try:
                    self._add_derived(column)
                    self._derivations[derivation.key] = None
                except Exception as exc:  # remembered: every metric using the column fails the same way
                    self._derivations[derivation.key] = exc
        failure = self._derivations[derivation.key]
        if failure is not None:
            raise failure

    def _add_derived(self, column: DerivedColumn) -> None:
        derivation = column.derivation
        outputs = derivation.outputs()
        for name in outputs:
            owner = self._derived_by_name.get(name)
            if owner is not None and owner != derivation.key:
                raise _same_name(name)
            if any(frame is not None and name in frame.columns for frame in self._source.values()):
                raise ConfigurationError(
                    f"the descriptor column {name!r} has the name of a column of the data; "
                    "give the descriptor another display_name",
                    argument="display_name",
                )
        for source in derivation.sources:
            self.require_column(source, f"the descriptor column {str(column)!r}")
        sides: list[Side] = ["current", "reference"] if self.has_reference else ["current"]
        computed = {side: derivation.compute(_SideReader(self, side)) for side in sides}
        for side, values in computed.items():
            frame = self.data(side)
            added = pd.DataFrame({str(n): values[n] for n in outputs}, index=frame.index)
            frame = pd.concat([frame, added], axis=1)
            if side == "current":
                self.current = frame
            else:
                self.reference = frame
        description = derivation.describe()
        self.definition = self.definition.with_derived(
            [
                DerivedColumnDefinition(name=n, type=ColumnType(k), derivation=description)
                for n, k in outputs.items()
            ]
        )
        for name in outputs:
            self._derived_by_name[name] = derivation.key

    def derive_all(self, columns: list[DerivedColumn]) -> None:
        """Compute derived columns up front; a failure is raised later by the metrics that use them.

        Two different derivations of one name are refused here: metrics on them would look equal.
        """
        keys: dict[str, str] = {}
        for column in columns:
            for name in column.derivation.outputs():
                if keys.setdefault(name, column.derivation.key) != column.derivation.key:
                    raise _same_name(name)
        for column in columns:
            with contextlib.suppress(Exception):  # remembered by derive(), re-raised where the column is used
                self.derive(column)

    def require_column(self, column: Any, where: str) -> ColumnType:
        """The column's type, or a clear error when the run does not have it."""
        if isinstance(column, DerivedColumn):
            self.derive(column)
        kind = self.definition.type_of(column)
        if kind is None:
            embedding_set = self.definition.embedding_columns.get(column)
            if embedding_set is not None:
                raise ConfigurationError(
                    f"column {column!r} ({where}) is in embedding set {embedding_set!r}, not a feature; "
                    f"measure its drift with EmbeddingsDriftMetric({embedding_set!r}), or remove it from "
                    "the set",
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

        if isinstance(column, DerivedColumn):
            self.derive(column)

        def compute() -> ColumnStats:
            series = self.data(side)[column]
            kind = self.definition.type_of(column) or infer_type(series, None)
            numerical = kind == ColumnType.NUMERICAL
            given = self._source["reference"]
            shared = self._reference_stats if side == "reference" and column in given.columns else None
            if shared is not None and (column, numerical) in shared:
                return shared[(column, numerical)]
            stats: ColumnStats
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
        if isinstance(column, DerivedColumn):
            self.derive(column)
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
            fix="this statistic needs numbers: use it on a numerical column, or convert this one with "
            "pd.to_numeric",
        )

    # ------------------------------------------------------------------ dataset-level counts
    # (of the data as given: derived columns are not counted)

    def number_of_rows(self, side: Side) -> int:
        return len(self.source(side).index)

    def column_names(self, side: Side) -> list[Any]:
        """Every column of the side's data, those skipped for being in one side only included."""
        return list(self.source(side).columns)

    def distinct_values(self, column: Any, side: Side) -> list[Any]:
        """The column's distinct values in order of first appearance, a missing value included
        (``pd.unique``, as Evidently lists a reference's values)."""
        return self.memo(("distinct", side, column), lambda: pd.unique(self.data(side)[column]).tolist())

    def dtypes(self, side: Side) -> dict[Any, Any]:
        """The pandas dtype of each column of the data as given."""
        return dict(self.source(side).dtypes.items())

    def dtype_names(self, side: Side) -> dict[Any, str]:
        """The pandas dtype of each column, as text."""
        return {column: str(dtype) for column, dtype in self.dtypes(side).items()}

    def empty_rows(self, side: Side) -> int:
        return self.memo(("empty-rows", side), lambda: frame_checks.empty_rows(self.source(side)))

    def missing_values(self, side: Side, values: tuple[Any, ...]) -> frame_checks.MissingCounts:
        """Counts of a missing-value set (see :mod:`monitorflow.frame_checks`)."""
        key = ("missing", side, tuple(frame_checks.missing_label(v) for v in values))
        return self.memo(key, lambda: frame_checks.missing_counts(self.source(side), values))

    def _row_checks(self, side: Side, threshold: float) -> tuple[int, int, int]:
        """Duplicated rows, duplicated columns and almost-duplicated pairs, from one pass of row hashes
        (the sorted copies cached for the statistics are dropped first: the hashes need the room more)."""

        def compute() -> tuple[int, int, int]:
            self._sorted_cache.clear()
            return frame_checks.row_checks(self.source(side), threshold)

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
        """Release what the run holds beyond its results: memoised statistics, row checks and sorted
        copies (asked for again, they are computed again)."""
        self._memo.clear()
        self._sorted_cache.clear()

    @contextlib.contextmanager
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
