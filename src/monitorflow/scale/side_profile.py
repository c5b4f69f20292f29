"""Pass A of one partition (:func:`profile_partition`) and its mergeable result (:class:`SideProfile`),
and a partition summarised for a metric (:func:`summarize_partition`): the functions an executor runs
where the partitions are read (threads, Dask workers)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from monitorflow import frame_checks
from monitorflow.column_mapping import coerce_datetime, coerce_numerical
from monitorflow.errors import NotComputableLazily
from monitorflow.scale.profile import (
    MAX_CATEGORIES,
    ColumnProfile,
    Kind,
    profile_arrow,
    profile_series,
)
from monitorflow.scale.source import (
    Partition,
    read_frame,
)

#: Columns read from a partition at once (bounds the memory of one partition being profiled).
COLUMN_GROUP = 12


@dataclass
class SideProfile:
    """Pass A of some rows (one partition, or merged): the profile of every column, the number of
    rows and of empty rows, and the counts of the default missing values. Merging is associative
    and commutative, so partitions can be profiled anywhere (threads, Dask workers) and merged."""

    profiles: dict[Any, ColumnProfile]
    rows: int
    empty_rows: int
    missing: frame_checks.MissingCounts

    def merge(self, other: SideProfile) -> SideProfile:
        profiles = {c: p.merge(other.profiles[c]) for c, p in self.profiles.items()}
        for column, profile in profiles.items():
            if profile.kind == "cat" and profile.values is not None and len(profile.values) > MAX_CATEGORIES:
                raise NotComputableLazily(
                    f"counting the values of column {column!r}",
                    f"it has more than {MAX_CATEGORIES:,} distinct values, which are counted exactly or not "
                    "at "
                    "all; leave it out: ParquetSource(..., columns=[...]) reads only the columns listed",
                    "the source",
                )
        return SideProfile(
            profiles,
            self.rows + other.rows,
            self.empty_rows + other.empty_rows,
            self.missing.add(other.missing),
        )

    @classmethod
    def empty(cls, kinds: dict[Any, Kind]) -> SideProfile:
        return cls({c: ColumnProfile.empty(k) for c, k in kinds.items()}, 0, 0, frame_checks.MissingCounts())


def convert(frame: pd.DataFrame, coercions: dict[Any, str], dataset: str) -> pd.DataFrame:
    """Declared types applied to one partition, exactly as ``build_definition`` applies them to a frame."""
    for column, kind in coercions.items():
        if column in frame.columns:
            coerce = coerce_numerical if kind == "num" else coerce_datetime
            frame = coerce(frame, column, dataset)
    return frame


def _default_missing(profile: ColumnProfile) -> dict[str, int]:
    """Counts of Evidently's default missing values (null, "", inf, -inf) of a column profiled from
    Arrow numbers or text (what :func:`frame_checks.missing_counts` counts on its rows)."""
    blank = 0
    if profile.kind == "cat" and profile.values is not None:
        hits = profile.values.counts[profile.values.keys == ""]
        blank = int(hits.sum())
    labels = [frame_checks.missing_label(v) for v in frame_checks.DEFAULT_MISSING_VALUES]
    counts = [profile.missing, blank, profile.positive_infinite, profile.negative_infinite]
    return dict(zip(labels, counts, strict=True))


def profile_partition(
    partition: Partition, kinds: dict[Any, Kind], coercions: dict[Any, str], dataset: str
) -> SideProfile:
    """Pass A of one partition, reading its columns in groups of :data:`COLUMN_GROUP` (``kinds``:
    how to profile each column; ``coercions``: declared types, "num" or "datetime").

    Arrow numbers and texts are profiled from Arrow directly; other columns, and partitions that
    are pandas frames, through pandas (with the same declared conversions as a frame)."""
    columns = list(kinds)
    profiles: dict[Any, ColumnProfile] = {}
    missing = frame_checks.MissingCounts()
    all_missing: np.ndarray | None = None
    any_missing: np.ndarray | None = None
    rows = 0
    pandas_only = hasattr(partition, "read_frame")
    table: pa.Table | None
    frame: pd.DataFrame | None
    for start in range(0, len(columns), COLUMN_GROUP):
        group = columns[start : start + COLUMN_GROUP]
        if pandas_only:
            table, frame = None, convert(read_frame(partition, group), coercions, dataset)
            rows = len(frame.index)
        else:
            table, frame = partition.read(group), None
            rows = table.num_rows
        if all_missing is None:
            all_missing = np.ones(rows, dtype=bool)
            any_missing = np.zeros(rows, dtype=bool)
        rest = []
        for column in group:
            fast = None
            if table is not None and coercions.get(column) != "datetime":
                fast = profile_arrow(table.column(column), kinds[column], partition.row_offset)
            if fast is None:
                rest.append(column)
                continue
            profiles[column], is_missing, is_default_missing = fast
            all_missing &= is_missing
            any_missing |= is_default_missing
            by_value = _default_missing(profiles[column])
            counts = frame_checks.MissingCounts(rows, {column: by_value}, {column: sum(by_value.values())}, 0)
            missing = missing.add(counts)
        if rest:
            if frame is not None:
                part = frame[rest]
            else:
                assert table is not None  # a partition is read either as a frame or as a table
                part = convert(table.select(rest).to_pandas(), coercions, dataset)
            for column in rest:
                profiles[column] = profile_series(part[column], kinds[column], partition.row_offset)
            all_missing &= part.isna().all(axis=1).to_numpy()
            missing = missing.add(
                frame_checks.missing_counts(part, frame_checks.DEFAULT_MISSING_VALUES, any_missing)
            )
    missing.rows = rows
    missing.rows_with_any = int(any_missing.sum()) if any_missing is not None else 0
    empty = int(all_missing.sum()) if all_missing is not None and columns else 0
    return SideProfile(profiles, rows, empty, missing)


def summarize_partition(
    partition: Partition,
    columns: list[Any],
    coercions: dict[Any, str],
    dataset: str,
    dtypes: dict[Any, Any] | None,
    summarize: Callable[[pd.DataFrame], Any],
) -> Any:
    """``summarize`` of one partition's ``columns`` (run where the executor runs it: a thread, a Dask
    worker), converted as a frame is, in the whole columns' ``dtypes`` when given. Rows are labelled
    as ``LazyContext.frames`` labels them, except that rows read through Arrow count from the
    partition's ``row_offset`` (a position before the time filter: the rows the filter drops from
    earlier partitions are not known here)."""
    frame = convert(read_frame(partition, columns), coercions, dataset)
    for column, dtype in (dtypes or {}).items():
        if frame[column].dtype != dtype:
            frame[column] = frame[column].astype(dtype)
    if not hasattr(partition, "read_frame"):
        frame.index = pd.RangeIndex(partition.row_offset, partition.row_offset + len(frame.index))
    return summarize(frame)
