"""The run context of lazy sources: the metrics' states from profiles and sorted columns, not rows.

:class:`LazyContext` is a :class:`~monitorflow.context.RunContext` whose ``stats(column, side)`` are
built from merged profiles (counts, moments, bounds, value counts) and sorted columns read in
blocks, and whose dataset-level counts (rows, empty rows, missing values, duplicates) come from
passes over the partitions. Every metric and stattest runs unchanged on top of it; a metric that
needs the rows themselves gets :class:`~monitorflow.errors.NotComputableLazily` naming it.
"""

from __future__ import annotations

import math
import shutil
import tempfile
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import pandas as pd
import pyarrow as pa

from monitorflow import frame_checks
from monitorflow.column_mapping import (
    ColumnMapping,
    ColumnType,
    DataDefinition,
    build_definition,
    infer_type,
    python_scalar,
)
from monitorflow.column_stats import CategoricalStats, ColumnStats, CountedStats, NumericalStats
from monitorflow.context import ReferenceRequired, RunContext, Side
from monitorflow.errors import ColumnTypeError, NotComputableLazily
from monitorflow.scale import rows
from monitorflow.scale.cache import ProfileCache, cache_key
from monitorflow.scale.options import ScaleOptions, options
from monitorflow.scale.profile import ColumnProfile, Kind
from monitorflow.scale.side import LazySide
from monitorflow.scale.source import FrameSource, LazySource
from monitorflow.scale.spill import ColumnSorter, SpillBudget, release_memory
from monitorflow.sorted_values import RunLength, Sorted

#: What to use instead of a metric that needs rows, by metric or test type.
INSTEAD = {
    "ColumnValuePlot": "use ColumnSummaryMetric (histogram) instead",
    "ColumnCorrelationsMetric": "compute correlations on a pandas DataFrame you load (a sample you choose)",
    "DatasetCorrelationsMetric": "compute correlations on a pandas DataFrame you load (a sample you choose)",
    "TextDescriptorsDriftMetric": "run it on a pandas DataFrame",
    "EmbeddingsDriftMetric": "run it on a pandas DataFrame of the embedding columns",
}
DEFAULT_INSTEAD = "run it on a pandas DataFrame (load the rows, or a sample you choose), or leave it out"
#: Stand-in values per column when the definition is resolved (more than the 5 that decide a type).
STAND_IN_VALUES = 7


def as_source(data: Any) -> LazySource:
    """A lazy source for ``data``; a DataFrame becomes one partition of itself."""
    if isinstance(data, pd.DataFrame):
        return FrameSource(data, rows_per_partition=max(len(data.index), 1), name="DataFrame")
    return data


class LazyContext(RunContext):
    """A run over lazy sources (see the module docstring)."""

    def __init__(
        self, current: LazySide, reference: LazySide | None, definition: DataDefinition, spill: Path | None
    ):
        super().__init__(current, reference, definition)
        self._spill = spill
        self._activity: list[str] = []

    # ------------------------------------------------------------------------------ sides

    def side(self, side: Side) -> LazySide:
        if side == "reference":
            if self.reference is None:
                raise ReferenceRequired(
                    "reference_data is needed for this computation; pass reference_data to run()"
                )
            return self.reference
        return self.current

    def data(self, side: Side) -> NoReturn:
        source = self.side(side).name
        what = self._activity[-1] if self._activity else "this computation"
        instead = INSTEAD.get(what, DEFAULT_INSTEAD)
        raise NotComputableLazily(what, instead, source)

    def source(self, side: Side) -> pd.DataFrame:
        return self.data(side)

    def frames(self, side: Side, columns: list[Any]) -> Iterator[pd.DataFrame]:
        """Each partition's ``columns`` in order (the one way metrics read rows out of core), in the
        whole columns' dtypes (a partition without nulls would be int where the whole column is
        float). Rows are labelled as in memory: a frame's partitions keep the frame's index; rows read
        through Arrow (Parquet, SQL) by their position in the source after the time filter."""
        lazy = self.side(side)
        columns = list(dict.fromkeys(columns))
        dtypes = lazy.dtypes()
        position = 0
        for partition, frame in lazy.frames(columns):
            for column in columns:
                if frame[column].dtype != dtypes[column]:
                    frame[column] = frame[column].astype(dtypes[column])
            if not hasattr(partition, "read_frame"):
                frame.index = pd.RangeIndex(position, position + len(frame.index))
            position += len(frame.index)
            yield frame

    def sorted_derived(
        self,
        side: Side,
        key: Hashable,
        columns: list[Any],
        derive: Callable[[pd.DataFrame], dict[str, Any]],
        sizes: dict[str, int],
    ) -> dict[str, Sorted]:
        """Derived values sorted as source columns are: under the memory budget, spilled to files in
        the run's spill folder, or kept in a fixed reference's profile cache (under ``key`` and
        ``columns``, which must name everything the values depend on besides the source)."""

        def read(names: list[Any]) -> Iterator[dict[Any, np.ndarray]]:
            for chunk in self.frames(side, columns):
                values = derive(chunk)
                yield {name: values[name] for name in names}

        name = f"derived:{key!r}:{columns!r}"
        return self.memo(("sorted-derived", side, key), lambda: self.sort_samples(side, read, sizes, name))

    def kept(self, side: Side, name: str, compute: Callable[[], Any]) -> Any:
        lazy = self.side(side)
        return self.memo(("kept", side, name), lambda: lazy.kept(f"kept:{name}", compute))

    def map_reduce(
        self,
        side: Side,
        columns: list[Any],
        summarize: Callable[[pd.DataFrame], Any],
        combine: Callable[[Any, Any], Any],
        dtypes: bool,
    ) -> Any:
        """Every partition summarised on the run's executor (threads or Dask tasks), merged in partition
        order where the summaries were made; partitions are read as
        :func:`~monitorflow.scale.side.summarize_partition` reads them."""
        return self.side(side).map_reduce_frames(columns, summarize, combine, dtypes)

    @contextmanager
    def computing(self, name: str) -> Iterator[None]:
        self._activity.append(name)
        try:
            yield
        finally:
            self._activity.pop()

    def result(self, metric: Any) -> Any:
        with self.computing(metric.type_name):
            return super().result(metric)

    # ------------------------------------------------------------------------------ stats

    def column_type(self, column: Any, side: Side) -> ColumnType:
        kind = self.definition.type_of(column)
        if kind is not None:
            return kind
        lazy = self.side(side)
        return infer_type(_stand_in(lazy, column, STAND_IN_VALUES), None)

    def stats(self, column: Any, side: Side = "current") -> ColumnStats:
        def compute() -> ColumnStats:
            lazy = self.side(side)
            profile = lazy.profiles[column]
            if self.column_type(column, side) == ColumnType.NUMERICAL and profile.kind == "num":
                return _numerical(lazy, column)
            return CountedStats(_counts(lazy, column), profile.rows)

        return self.memo(("stats", side, column), compute)

    def numerical(self, column: Any, side: Side = "current") -> NumericalStats:
        stats = self.stats(column, side)
        if isinstance(stats, NumericalStats):
            return stats
        lazy = self.side(side)
        return self.memo(("num-stats", side, column), lambda: _numerical_from_counts(lazy, column, stats))

    def label_counts(self, column: Any, side: Side) -> list[tuple[Any, int]]:
        """The column's distinct values (no missing one) and counts by first row, as the classification
        metrics read labels and categories (``monitorflow.metrics.classification_data.label_counts``)."""
        lazy = self.side(side)
        profile = lazy.profiles[column]
        if profile.values is None:
            self.data(side)  # raises NotComputableLazily, naming the metric
        order = np.argsort(profile.values.first_rows, kind="stable")
        keys = _keys_in_dtype(np.asarray(profile.values.keys[order]), lazy.dtypes()[column])
        counts = profile.values.counts[order].tolist()
        return [(python_scalar(v), int(c)) for v, c in zip(keys.tolist(), counts, strict=True)]

    def finite_range(self, column: Any, side: Side) -> list[float]:
        """``[min, max]`` of the column's finite values, empty when it has none (from the profile)."""
        profile = self.side(side).profiles[column]
        return [profile.minimum, profile.maximum] if profile.moments.count else []

    # ------------------------------------------------------------------- rows, in partitions

    def memory_budget(self, side: Side) -> int:
        """Bytes of values a computation may hold at once."""
        return self.side(side).budget

    def sort_samples(
        self, side: Side, read: Any, sizes: dict[Any, int], name: str | None = None
    ) -> dict[Any, Sorted]:
        """Samples sorted under the memory budget: ``read(keys)`` yields, per partition, each key's
        values; ``sizes`` gives each key's count. They go to the run's spill folder, or, for a fixed
        reference with a profile cache and a ``name`` (everything the samples depend on besides the
        source), to the cache, where the next run finds them."""
        lazy = self.side(side)
        cache = lazy.cache if name is not None else None
        names = {key: f"samples:{name}:{key!r}" for key in sizes}
        if cache is not None:
            found = cache.sorted_files(lazy.budget)
            if all(n in found and len(found[n]) == sizes[k] for k, n in names.items()):
                made = {key: found[n] for key, n in names.items()}
                for key, file in made.items():
                    lazy.adopt_sorted(("sample", name, key), file)  # closed with the side
                return dict(made)
        assert self._spill is not None  # until the run closes
        folder = cache.folder if cache is not None else self._spill / f"{lazy.dataset}-samples"
        sorter = ColumnSorter(folder, lazy.budget)
        with lazy.sort_lock, lazy.timed("sort"):
            made = sorter.sort(read, sizes, lazy.name)
            release_memory()
        if cache is not None:
            cache.record_sorted({names[key]: file for key, file in made.items()})
        else:
            lazy.spill.add(made.values())
        for key, file in made.items():
            lazy.adopt_sorted(("sample", name, key), file)  # closed with the side
        return dict(made)

    # ------------------------------------------------------------------ dataset-level counts

    def number_of_rows(self, side: Side) -> int:
        return self.side(side).rows

    def column_names(self, side: Side) -> list[Any]:
        return list(self.side(side).columns)

    def distinct_values(self, column: Any, side: Side) -> list[Any]:
        """From the profile's exact value counts, by first row; a missing value last (its first row is
        not tracked). A column with too many distinct numbers to count refuses, as row-level data."""
        profile = self.side(side).profiles[column]
        if profile.values is None:
            self.data(side)  # raises NotComputableLazily, naming the metric and what to use instead
        order = np.argsort(profile.values.first_rows, kind="stable")
        return profile.values.keys[order].tolist() + ([None] if profile.missing else [])

    def dtypes(self, side: Side) -> dict[Any, Any]:
        return self.side(side).dtypes()

    def empty_rows(self, side: Side) -> int:
        return self.side(side).empty_rows

    def missing_values(self, side: Side, values: tuple[Any, ...]) -> frame_checks.MissingCounts:
        lazy = self.side(side)
        labels = tuple(frame_checks.missing_label(v) for v in values)
        default = tuple(frame_checks.missing_label(v) for v in frame_checks.DEFAULT_MISSING_VALUES)
        if labels == default:
            return lazy.default_missing
        return self.memo(("missing", side, labels), lambda: rows.missing_counts(lazy, values))

    def duplicated_rows(self, side: Side) -> int:
        lazy = self.side(side)
        return self.memo(
            ("duplicated-rows", side),
            lambda: lazy.remembered("duplicated_rows", lambda: rows.duplicated_rows(lazy)),
        )

    def duplicated_columns(self, side: Side) -> int:
        lazy = self.side(side)
        return self.memo(
            ("duplicated-columns", side),
            lambda: lazy.remembered("duplicated_columns", lambda: rows.duplicated_columns(lazy)),
        )

    def almost_duplicated_pairs(self, side: Side, threshold: float) -> int:
        lazy = self.side(side)
        return self.memo(
            ("almost-duplicated", side, threshold),
            lambda: lazy.remembered(
                f"almost_duplicated_{threshold!r}", lambda: rows.almost_duplicated_pairs(lazy, threshold)
            ),
        )

    def close(self) -> None:
        for side in (self.current, self.reference):
            if side is not None:
                side.close()
        if self._spill is not None:
            shutil.rmtree(self._spill, ignore_errors=True)
            self._spill = None


# ------------------------------------------------------------------------------ statistics


def _numerical(lazy: LazySide, column: Any) -> NumericalStats:
    profile = lazy.profiles[column]
    return NumericalStats.from_summary(
        rows=profile.rows,
        missing=profile.missing,
        positive_infinite=profile.positive_infinite,
        negative_infinite=profile.negative_infinite,
        finite_count=profile.moments.count,
        mean=profile.moments.mean,
        m2=profile.moments.m2,
        minimum=profile.minimum,
        maximum=profile.maximum,
        load_sorted=lambda: lazy.sorted_values(column),
    )


def _keys_in_dtype(keys: np.ndarray, dtype: Any) -> pd.Index:
    """Value-count keys as the whole column's dtype would hold them (ints of an integer column)."""
    if isinstance(dtype, np.dtype) and dtype.kind in "iu" and keys.dtype.kind == "f":
        return pd.Index(keys.astype(dtype))
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        return pd.Index(np.asarray(keys, dtype=np.float64))
    return pd.Index(keys, dtype=object) if keys.dtype == object else pd.Index(keys)


def _counts(lazy: LazySide, column: Any) -> pd.Series:
    """The column's ``value_counts()``: most frequent first, ties by first appearance."""
    profile = lazy.profiles[column]
    if profile.values is None:
        raise NotComputableLazily(
            f"counting the values of column {column!r}",
            "it has more distinct values than are counted exactly; declare it numerical "
            "(numerical_features) or leave it out",
            lazy.name,
        )
    series = profile.values.series()
    series.index = _keys_in_dtype(series.index.to_numpy(), lazy.dtypes()[column])
    return series


def _numerical_from_counts(lazy: LazySide, column: Any, stats: CategoricalStats) -> NumericalStats:
    """Numerical statistics of a column typed otherwise whose values are numbers (exact counts)."""
    counts = stats.counts
    if counts.index.dtype.kind in "mM" or counts.index.dtype == bool:
        keys = None
    else:
        keys = pd.to_numeric(pd.Series(counts.index, dtype=object), errors="coerce").to_numpy(
            dtype=np.float64
        )
    if keys is None or (np.isnan(keys).any() and len(counts)):
        bad = counts.index[0] if keys is None else counts.index[np.isnan(keys)][0]
        raise ColumnTypeError(
            column,
            lazy.dataset,
            "numerical",
            bad,
            fix="this statistic needs numbers: use it on a numerical column, or convert this one with pd.to_numeric",
        )
    numbers = counts.to_numpy(dtype=np.int64)
    finite = np.isfinite(keys)
    order = np.argsort(keys[finite], kind="stable")
    values, weights = keys[finite][order], numbers[finite][order]
    distinct, start = np.unique(values, return_index=True) if values.size else (values, np.zeros(0, np.int64))
    summed = np.add.reduceat(weights, start) if values.size else weights
    n = int(summed.sum())
    mean = float(np.dot(distinct, summed) / n) if n else math.nan
    m2 = float(np.dot(summed, (distinct - mean) ** 2)) if n else 0.0
    sorted_values = RunLength(distinct, summed, lazy.budget)
    return NumericalStats.from_summary(
        rows=stats.number_of_rows,
        missing=stats.missing,
        positive_infinite=int(numbers[keys == np.inf].sum()),
        negative_infinite=int(numbers[keys == -np.inf].sum()),
        finite_count=n,
        mean=mean,
        m2=m2,
        minimum=float(distinct[0]) if n else math.nan,
        maximum=float(distinct[-1]) if n else math.nan,
        load_sorted=lambda: sorted_values,
    )


# ----------------------------------------------------------------------------- definition


def _default(field: str) -> Any:
    return ColumnMapping.model_fields[field].default


def _profile_kinds(mapping: ColumnMapping, side: LazySide) -> tuple[dict[Any, Kind], dict[Any, str]]:
    """How pass A profiles each column (numbers or value counts), and the declared conversions.

    The same rules as :func:`~monitorflow.column_mapping.build_definition`, decided from dtypes
    before any row is read. Integer columns are profiled as numbers: pass A tells whether they
    have at most 5 values (then they are categorical, and their value counts are exact).
    """
    kinds: dict[Any, Kind] = {}
    coercions: dict[Any, str] = {}
    declared = {
        **{c: "cat" for c in mapping.categorical_features or []},
        **{c: "text" for c in mapping.text_features or []},
        **{c: "datetime" for c in mapping.datetime_features or []},
        **{c: "num" for c in mapping.numerical_features or []},
    }
    for columns in (mapping.embeddings or {}).values():
        declared.update({c: "num" for c in columns})
    if isinstance(mapping.prediction, list):
        declared.update({c: "num" for c in mapping.prediction})
    for column in side.columns:
        arrow = side.arrow_type(column)
        kind = declared.get(column)
        if kind is None:
            kind = _inferred_kind(column, arrow, mapping)
        if kind == "datetime":
            coercions[column] = "datetime"
        if kind == "num":
            coercions[column] = "num"
        kinds[column] = "num" if kind == "num" else "cat"
    return kinds, coercions


def _inferred_kind(column: Any, arrow: Any, mapping: ColumnMapping) -> str:

    numeric = (pa.types.is_integer(arrow) or pa.types.is_floating(arrow)) and not pa.types.is_boolean(arrow)
    if column in (mapping.target, mapping.prediction) and mapping.task in ("regression", "recsys"):
        return "num"
    if column == mapping.target and mapping.task == "classification":
        return "cat"
    if column == mapping.prediction and mapping.task == "classification":
        return "num" if pa.types.is_floating(arrow) else "cat"
    if (
        column == mapping.datetime
        and mapping.datetime != _default("datetime")
        and "datetime" in mapping.model_fields_set
    ):
        return "datetime"
    return "num" if numeric else "cat"


def _stand_in(side: LazySide, column: Any, limit: int | None) -> pd.Series:
    """A few of the column's distinct values (all when ``limit`` is None), in its dtype."""
    profile: ColumnProfile = side.profiles[column]
    dtype = side.dtypes()[column]
    if profile.values is not None:
        keys = profile.values.keys if limit is None else profile.values.keys[:limit]
        values = list(_keys_in_dtype(np.asarray(keys), dtype))
    elif profile.kind == "num":
        values = list(
            np.arange(limit or STAND_IN_VALUES, dtype=np.float64)
            + (profile.minimum if profile.moments.count else 0)
        )
    else:
        values = []
    if not values:
        values = [None]
    try:
        return pd.Series(values, dtype=dtype)
    except (TypeError, ValueError):
        return pd.Series(values)


def _stand_in_frame(side: LazySide, full: set[Any]) -> pd.DataFrame:
    """One frame with each column's dtype and distinct values (padded by repeating the first one):
    what the definition's inference reads, without the rows."""
    series = {c: _stand_in(side, c, None if c in full else STAND_IN_VALUES) for c in side.columns}
    length = max((len(s) for s in series.values()), default=1)
    padded = {
        c: pd.concat([s, pd.Series([s.iloc[0]] * (length - len(s)), dtype=s.dtype)], ignore_index=True)
        if len(s) < length
        else s
        for c, s in series.items()
    }
    return pd.DataFrame(padded, columns=side.columns)


def _resolve_kinds(definition: DataDefinition, side: LazySide) -> None:
    """Make each profile fit the resolved type: numerical columns need numeric profiles; integer
    columns resolved categorical keep their (exact) value counts."""
    reprofile = [
        c
        for c in side.columns
        if definition.type_of(c) == ColumnType.NUMERICAL and side.profiles[c].kind != "num"
    ]
    if reprofile:
        side.coercions.update({c: "num" for c in reprofile})
        side.profile_columns(reprofile, "num")
    for column in side.columns:
        profile = side.profiles[column]
        if definition.type_of(column) not in (None, ColumnType.NUMERICAL) and profile.kind == "num":
            side.kinds[column] = "cat"


def prepare(
    current_data: Any,
    reference_data: Any,
    mapping: ColumnMapping | None,
    settings: ScaleOptions | None = None,
) -> LazyContext:
    """Profile the sources (pass A), resolve the definition and return the run's context."""
    settings = settings or options()
    mapping = mapping or ColumnMapping()
    spill_root = settings.spill_dir
    if spill_root is not None:
        spill_root.mkdir(parents=True, exist_ok=True)
    spill = Path(tempfile.mkdtemp(prefix="monitorflow-spill-", dir=spill_root))
    sort_lock, spill_budget = threading.Lock(), SpillBudget(settings.spill_budget)
    try:
        sides: list[LazySide | None] = []
        for data, dataset in ((current_data, "current_data"), (reference_data, "reference_data")):
            if data is None:
                sides.append(None)
                continue
            side = LazySide(
                as_source(data),
                dataset,
                spill,
                settings.memory_budget,
                settings.workers,
                sort_lock,
                spill_budget,
            )
            kinds, coercions = _profile_kinds(mapping, side)
            if dataset == "reference_data" and settings.cache_dir is not None:
                key = cache_key(side.source, kinds, coercions)
                if key is not None:
                    side.use_cache(ProfileCache(settings.cache_dir / key))
            side.profile(kinds, coercions)
            sides.append(side)
        current, reference = sides
        assert current is not None  # callers check current_data (Report.run: check_frame)
        roles = {
            mapping.target,
            *(mapping.prediction if isinstance(mapping.prediction, list) else [mapping.prediction]),
        }
        frames = [None if s is None else _stand_in_frame(s, roles) for s in (current, reference)]
        definition, _, _ = build_definition(mapping, frames[0], frames[1])
        for prepared in (current, reference):
            if prepared is not None:
                _resolve_kinds(definition, prepared)
        return LazyContext(current, reference, definition, spill)
    except BaseException:
        shutil.rmtree(spill, ignore_errors=True)
        raise
