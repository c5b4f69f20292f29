"""Classification statistics of a lazy source: the sufficient statistics of
:mod:`monitorflow.metrics.classification_side`, computed partition by partition.

One pass over the target and prediction columns checks every partition as a DataFrame is checked and
merges the counts (labels, joint counts of actual and predicted labels, log-likelihood). Each label's
probability on the rows of the label and on the other rows is sorted on first use by the column
sorter (:class:`~monitorflow.scale.spill.ColumnSorter`: in memory within the budget, spilled in
sorted runs above it), so ranking curves, quartiles and histograms read sorted files. What depends
on the order of the rows (the dummy model's draws, ties split by a PR table step) reads the
partitions again, in order.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from monitorflow.column_mapping import python_scalar
from monitorflow.context import Side
from monitorflow.metrics.classification_data import Factorized, LabelSpace, _as_list
from monitorflow.metrics.classification_side import ClassificationSide, Rows, Summary, prepare_rows
from monitorflow.scale.side import LazySide
from monitorflow.scale.spill import ColumnSorter, release_memory
from monitorflow.sorted_values import Sorted

#: A sorted sample: (label index, on the label's rows?)
Key = tuple[int, bool]


def _factorize(series: pd.Series) -> Factorized:
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return Factorized(np.asarray(codes, dtype=np.int64), [python_scalar(u) for u in uniques.tolist()])


class LazyClassificationSide(ClassificationSide):
    """One side of an out-of-core run, read for the classification metrics."""

    def __init__(self, lazy: LazySide, side: Side, space: LabelSpace, spill: Path):
        self.lazy = lazy
        #: the run's spill folder (the side's own sorter may write into the profile cache)
        self.sorter = ColumnSorter(spill / f"{lazy.dataset}-classification", lazy.budget)
        self.space = space
        self.max_curve_bytes = lazy.budget
        self.columns = list(dict.fromkeys([space.target, *_as_list(space.prediction)]))
        self._sorted: dict[Key, Sorted] = {}
        summary: Summary | None = None
        with lazy.timed("classification"):
            for rows in self.chunks():
                part = Summary.of(rows, space)
                summary = part if summary is None else summary.merge(part)
        assert summary is not None  # a side has rows (pass A refuses an empty one)
        super().__init__(side, space, summary)

    def frames(self, columns: list[Any]) -> Iterator[tuple[Rows, pd.DataFrame]]:
        space = self.space
        for partition, frame in self.lazy.frames(list(dict.fromkeys([*self.columns, *columns]))):
            frame.index = pd.RangeIndex(partition.row_offset, partition.row_offset + len(frame.index))
            prediction = _factorize(frame[space.prediction_column]) if space.mode == "labels" else None
            target = _factorize(frame[space.target])
            yield prepare_rows(space, frame, self.lazy.dataset, target, prediction), frame

    def _sorted_scores(self, label_index: int, positive: bool) -> Sorted:
        if not self._sorted:
            self._sort_all()
        return self._sorted[(label_index, positive)]

    def _sort_all(self) -> None:
        """Every label's probability on its rows and on the others, sorted in one go (passes over the
        partitions as the memory budget needs)."""
        counts = self.summary.label_counts
        sizes = {}
        for i in range(self.k):
            for positive, size in ((True, int(counts[i])), (False, self.n - int(counts[i]))):
                if size:
                    sizes[(i, positive)] = size
                else:
                    self._sorted[(i, positive)] = np.zeros(0, dtype=np.float64)
        lazy = self.lazy
        with lazy.sort_lock, lazy.timed("sort"):
            made = self.sorter.sort(self._read_scores, sizes, lazy.name)
            release_memory()
        lazy.spill.add(made.values())
        for key, file in made.items():
            lazy.adopt_sorted(("classification", *key), file)  # closed with the side
        self._sorted.update(made)

    def _read_scores(self, keys: list[Any]) -> Iterator[dict[Any, np.ndarray]]:
        for rows in self.chunks():
            assert rows.probas is not None
            out = {}
            for i, positive in keys:
                mask = rows.y == i
                out[(i, positive)] = rows.probas[mask if positive else ~mask, i]
            yield out


def classification_side(lazy: LazySide, side: Side, space: LabelSpace, spill: Path) -> LazyClassificationSide:
    return LazyClassificationSide(lazy, side, space, spill)
