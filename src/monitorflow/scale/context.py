"""The run context of lazy sources: the metrics' states from profiles and sorted columns, not rows.

:class:`LazyContext` is a :class:`~monitorflow.context.RunContext` whose ``stats(column, side)`` are
built from merged profiles (counts, moments, bounds, value counts) and sorted columns read in
blocks, and whose dataset-level counts (rows, empty rows, missing values, duplicates) come from
passes over the partitions. Every metric and stattest runs unchanged on top of it; a metric that
needs the rows themselves gets :class:`~monitorflow.errors.NotComputableLazily` naming it.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import pandas as pd

from monitorflow import frame_checks
from monitorflow.column_mapping import (
    ColumnMapping,
    ColumnType,
    DataDefinition,
    build_definition,
    infer_type,
    python_scalar,
)
from monitorflow.column_stats import ColumnStats, CountedStats, NumericalStats
from monitorflow.context import ReferenceRequired, RunContext, Side
from monitorflow.errors import NotComputableLazily
from monitorflow.scale import rows
from monitorflow.scale.cache import ProfileCache, cache_key
from monitorflow.scale.executor import is_distributed
from monitorflow.scale.lazy_definition import (
    STAND_IN_VALUES,
    profile_kinds,
    resolve_kinds,
    stand_in,
    stand_in_frame,
)
from monitorflow.scale.lazy_stats import keys_in_dtype, numerical_from_counts, numerical_stats, value_counts
from monitorflow.scale.options import ScaleOptions, options
from monitorflow.scale.passes import sort_on_workers
from monitorflow.scale.side import LazySide
from monitorflow.scale.source import FrameSource, LazySource
from monitorflow.scale.spill import ColumnSorter, SpillBudget, release_memory
from monitorflow.sorted_values import Sorted

#: What to use instead of a metric that needs rows, by metric or test type.
INSTEAD = {
    "ColumnValuePlot": "use ColumnSummaryMetric (histogram) instead",
    "ColumnCorrelationsMetric": "compute correlations on a pandas DataFrame you load (a sample you choose)",
    "DatasetCorrelationsMetric": "compute correlations on a pandas DataFrame you load (a sample you choose)",
    "TextDescriptorsDriftMetric": "run it on a pandas DataFrame",
    "EmbeddingsDriftMetric": "run it on a pandas DataFrame of the embedding columns",
}
DEFAULT_INSTEAD = "run it on a pandas DataFrame (load the rows, or a sample you choose), or leave it out"


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
        return self.memo(
            ("sorted-derived", side, key),
            lambda: self.sort_samples(side, read, sizes, name, (list(columns), derive)),
        )

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
        return infer_type(stand_in(lazy, column, STAND_IN_VALUES), None)

    def stats(self, column: Any, side: Side = "current") -> ColumnStats:
        def compute() -> ColumnStats:
            lazy = self.side(side)
            profile = lazy.profiles[column]
            if self.column_type(column, side) == ColumnType.NUMERICAL and profile.kind == "num":
                return numerical_stats(lazy, column)
            return CountedStats(value_counts(lazy, column), profile.rows)

        return self.memo(("stats", side, column), compute)

    def numerical(self, column: Any, side: Side = "current") -> NumericalStats:
        stats = self.stats(column, side)
        if isinstance(stats, NumericalStats):
            return stats
        lazy = self.side(side)
        return self.memo(("num-stats", side, column), lambda: numerical_from_counts(lazy, column, stats))

    def label_counts(self, column: Any, side: Side) -> list[tuple[Any, int]]:
        """The column's distinct values (no missing one) and counts by first row, as the classification
        metrics read labels and categories (``monitorflow.metrics.classification_data.label_counts``)."""
        lazy = self.side(side)
        profile = lazy.profiles[column]
        if profile.values is None:
            self.data(side)  # raises NotComputableLazily, naming the metric
        order = np.argsort(profile.values.first_rows, kind="stable")
        keys = keys_in_dtype(np.asarray(profile.values.keys[order]), lazy.dtypes()[column])
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
        self,
        side: Side,
        read: Any,
        sizes: dict[Any, int],
        name: str | None = None,
        derive: tuple[list[Any], Callable[[pd.DataFrame], dict[Any, np.ndarray]]] | None = None,
    ) -> dict[Any, Sorted]:
        """Samples sorted under the memory budget: ``read(keys)`` yields, per partition, each key's
        values; ``sizes`` gives each key's count. They go to the run's spill folder, or, for a fixed
        reference with a profile cache and a ``name`` (everything the samples depend on besides the
        source), to the cache, where the next run finds them. ``derive``: the columns a partition's
        samples come from and a picklable ``derive(frame)`` giving every key's values; with it, on
        Dask the workers read and sort the samples (:func:`~monitorflow.scale.passes.sort_on_workers`)."""
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
            if derive is not None and is_distributed(lazy.executor):
                columns, function = derive
                dtypes = {c: lazy.dtypes()[c] for c in columns}
                made = sort_on_workers(
                    lazy.executor,
                    lazy.partitions(),
                    sizes,
                    lazy.coercions,
                    lazy.dataset,
                    sorter,
                    lazy.name,
                    (columns, function, dtypes),
                )
            else:
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
            kinds, coercions = profile_kinds(mapping, side)
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
        frames = [None if s is None else stand_in_frame(s, roles) for s in (current, reference)]
        definition, _, _ = build_definition(mapping, frames[0], frames[1])
        for prepared in (current, reference):
            if prepared is not None:
                resolve_kinds(definition, prepared)
        return LazyContext(current, reference, definition, spill)
    except BaseException:
        shutil.rmtree(spill, ignore_errors=True)
        raise
