"""Pass B on other processes: each worker reads and sorts a group of columns into the spill folder.

The engine sorts the numerical columns that need order statistics (:mod:`monitorflow.scale.spill`).
On a Dask cluster, :func:`sort_on_workers` hands each group of columns that fits the memory budget
to a task, which reads the partitions itself and writes the sorted files; only the files' paths
and sizes come back. The spill folder must be one the workers and this process share (always so
on a LocalCluster; on a remote cluster set ``MONITORFLOW_SPILL_DIR`` to a shared mount).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from monitorflow.column_stats import to_float_array
from monitorflow.scale.executor import Executor
from monitorflow.scale.side_profile import convert
from monitorflow.scale.source import Partition, read_frame
from monitorflow.scale.spill import ColumnSorter, SortedFile


def sort_group(
    group: list[Any],
    partitions: list[Partition],
    sizes: dict[Any, int],
    coercions: dict[Any, str],
    dataset: str,
    directory: Path,
    budget: int,
    name: str,
) -> dict[Any, SortedFile]:
    """Sorted files of ``group``'s columns (run on a worker: reads every partition's columns)."""

    def read(columns: list[Any]) -> Iterator[dict[Any, np.ndarray]]:
        for partition in partitions:
            frame = convert(read_frame(partition, columns), coercions, dataset)
            finite = {}
            for column in columns:
                values = to_float_array(frame[column])
                finite[column] = values[np.isfinite(values)]
            yield finite

    return ColumnSorter(directory, budget).sort(read, {c: sizes[c] for c in group}, name)


def sort_on_workers(
    executor: Executor,
    partitions: list[Partition],
    sizes: dict[Any, int],
    coercions: dict[Any, str],
    dataset: str,
    sorter: ColumnSorter,
    name: str,
) -> dict[Any, SortedFile]:
    """Every column of ``sizes`` (finite value counts) sorted by a task per group of columns."""
    work = partial(
        sort_group,
        partitions=partitions,
        sizes=sizes,
        coercions=coercions,
        dataset=dataset,
        directory=sorter.directory,
        budget=sorter.budget_bytes,
        name=name,
    )
    made: dict[Any, SortedFile] = {}
    for files in executor.map(work, sorter.groups(sizes)):
        made.update(files)
    return made
