"""Pass B on other processes: each worker reads and sorts a group of columns into the spill folder.

The engine sorts the numerical columns that need order statistics (:mod:`monitorflow.scale.spill`),
and samples derived from the rows (classification scores, regression errors and targets). On a Dask
cluster, :func:`sort_on_workers` hands each group of columns or samples that fits the memory budget
to a task, which reads the partitions itself and writes the sorted files; only the files' paths
and sizes come back. The spill folder must be one the workers and this process share (always so
on a LocalCluster; on a remote cluster set ``MONITORFLOW_SPILL_DIR`` to a shared mount).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from monitorflow.column_stats import to_float_array
from monitorflow.scale.executor import Executor
from monitorflow.scale.side_profile import convert, summarize_partition
from monitorflow.scale.source import Partition, read_frame
from monitorflow.scale.spill import ColumnSorter, SortedFile

#: Derived samples of a partition's rows: ``derive(frame)`` -> sample key -> float64 values, with the
#: columns it reads and their whole-column dtypes (read as
#: :func:`~monitorflow.scale.side_profile.summarize_partition` reads them).
Derived = tuple[list[Any], Callable[[Any], dict[Any, np.ndarray]], dict[Any, Any]]


def sort_group(
    group: list[Any],
    partitions: list[Partition],
    sizes: dict[Any, int],
    coercions: dict[Any, str],
    dataset: str,
    directory: Path,
    budget: int,
    name: str,
    derived: Derived | None = None,
) -> dict[Any, SortedFile]:
    """Sorted files of ``group``'s columns, or of its derived samples (run on a worker: reads every
    partition's columns)."""

    def read(keys: list[Any]) -> Iterator[dict[Any, np.ndarray]]:
        for partition in partitions:
            if derived is not None:
                columns, derive, dtypes = derived
                values = summarize_partition(partition, columns, coercions, dataset, dtypes, derive)
                yield {key: values[key] for key in keys}
                continue
            frame = convert(read_frame(partition, keys), coercions, dataset)
            finite = {}
            for column in keys:
                numbers = to_float_array(frame[column])
                finite[column] = numbers[np.isfinite(numbers)]
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
    derived: Derived | None = None,
) -> dict[Any, SortedFile]:
    """Every column (or derived sample) of ``sizes`` (finite value counts) sorted by a task per group."""
    work = partial(
        sort_group,
        partitions=partitions,
        sizes=sizes,
        coercions=coercions,
        dataset=dataset,
        directory=sorter.directory,
        budget=sorter.budget_bytes,
        name=name,
        derived=derived,
    )
    made: dict[Any, SortedFile] = {}
    for files in executor.map(work, sorter.groups(sizes)):
        made.update(files)
    return made
