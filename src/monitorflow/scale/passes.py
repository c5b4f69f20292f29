"""Pass A as picklable functions: profile one partition, merge two partitions' profiles.

:func:`profile_source` profiles a lazy source on the current executor (threads, or Dask tasks: one
per partition, merged on the workers), or lets the database do it when the source can
(``source.profile``, SQL push-down). Every executor merges in the same balanced tree over the
partitions in order, so the profile is the same to the last bit wherever it ran.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from monitorflow.scale.executor import Executor, current_executor
from monitorflow.scale.profile import ColumnProfile, Kind, profile_series
from monitorflow.scale.source import LazySource, Partition, read_frame

Profiles = dict[str, ColumnProfile]


def profile_partition(
    partition: Partition, kinds: dict[str, Kind], dtypes: dict[str, Any] | None
) -> Profiles:
    """Profiles of ``kinds``' columns in one partition (run where the partition is read)."""
    frame = read_frame(partition, list(kinds), dtypes)
    return {c: profile_series(frame[c], kind, row_offset=partition.row_offset) for c, kind in kinds.items()}


def merge_profile_maps(first: Profiles, second: Profiles) -> Profiles:
    """Column by column, ``first`` being the earlier partitions."""
    return {column: profile.merge(second[column]) for column, profile in first.items()}


def profile_source(
    source: LazySource,
    kinds: dict[str, Kind],
    dtypes: dict[str, Any] | None = None,
    executor: Executor | None = None,
) -> Profiles:
    """Merged profiles of ``kinds``' columns over every partition of ``source``."""
    pushed = getattr(source, "profile", None)
    if pushed is not None:
        return pushed(kinds)
    partitions = source.partitions()
    if not partitions:
        return {column: ColumnProfile.empty(kind) for column, kind in kinds.items()}
    work = partial(profile_partition, kinds=kinds, dtypes=dtypes)
    return (executor or current_executor()).map_reduce(work, partitions, merge_profile_maps)
