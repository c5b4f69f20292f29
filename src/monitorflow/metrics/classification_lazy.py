"""Classification statistics of a lazy source: the sufficient statistics of
:mod:`monitorflow.metrics.classification_side`, computed partition by partition.

One pass over the target and prediction columns checks every partition as a DataFrame is checked and
merges the counts (labels, joint counts of actual and predicted labels, log-likelihood). Each label's
probability on the rows of the label and on the other rows is sorted on first use by the out-of-core
context (``sort_samples``: in memory within the budget, spilled in sorted runs above it), so ranking
curves, quartiles and histograms read sorted files. What depends on the order of the rows (the dummy
model's draws, ties split by a PR table step, the per-feature table) reads the partitions again, in
order. The context gives partitions and sorting (``monitorflow.scale.context.LazyContext``); this
module knows classification.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from monitorflow.column_mapping import python_scalar
from monitorflow.context import RunContext, Side
from monitorflow.metrics.classification_data import Factorized, LabelSpace, _as_list, dataset_name
from monitorflow.metrics.classification_side import ClassificationSide, Rows, Summary, prepare_rows
from monitorflow.sorted_values import Sorted

#: A sorted sample: (label index, on the label's rows?)
Key = tuple[int, bool]


def is_lazy(ctx: RunContext) -> bool:
    """Whether ``ctx`` reads partitions instead of holding the rows (an out-of-core context)."""
    return hasattr(ctx, "sort_samples")


def _factorize(series: pd.Series) -> Factorized:
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return Factorized(np.asarray(codes, dtype=np.int64), [python_scalar(u) for u in uniques.tolist()])


def prepared(frame: pd.DataFrame, space: LabelSpace, dataset: str) -> Rows:
    """One partition's rows, checked as a DataFrame's are."""
    prediction = _factorize(frame[space.prediction_column]) if space.mode == "labels" else None
    return prepare_rows(space, frame, dataset, _factorize(frame[space.target]), prediction)


def summarize_rows(frame: pd.DataFrame, space: LabelSpace, dataset: str) -> Summary:
    """The counts of one partition's rows (a task on the run's executor)."""
    return Summary.of(prepared(frame, space, dataset), space)


def scores_of(rows: Rows, keys: list[Key]) -> dict[Key, np.ndarray]:
    """Per ``(label, positive)``: the label's probability on the rows of the label, or on the others."""
    assert rows.probas is not None
    out = {}
    for i, positive in keys:
        mask = rows.y == i
        out[(i, positive)] = rows.probas[mask if positive else ~mask, i]
    return out


def score_samples(
    frame: pd.DataFrame, space: LabelSpace, dataset: str, keys: list[Key]
) -> dict[Key, np.ndarray]:
    """The score samples of one partition's rows (a task on a Dask worker sorts them)."""
    return scores_of(prepared(frame, space, dataset), keys)


class LazyClassificationSide(ClassificationSide):
    """One side of an out-of-core run, read for the classification metrics."""

    def __init__(self, ctx: Any, side: Side, space: LabelSpace):
        self.ctx = ctx
        self.space = space
        self.max_curve_bytes = ctx.memory_budget(side)
        self.columns = list(dict.fromkeys([space.target, *_as_list(space.prediction)]))
        self._side = side
        self._sorted: dict[Key, Sorted] = {}
        #: what the statistics depend on besides the source (a fixed reference's cache entry)
        self.cache_name = f"classification:{space!r}"
        summarize = partial(summarize_rows, space=space, dataset=dataset_name(side))
        summary = ctx.summary(side, self.cache_name, self.columns, summarize, Summary.merge)
        super().__init__(side, space, summary)

    def frames(self, columns: list[Any]) -> Iterator[tuple[Rows, pd.DataFrame]]:
        for frame in self.ctx.frames(self._side, list(dict.fromkeys([*self.columns, *columns]))):
            yield prepared(frame, self.space, dataset_name(self._side)), frame

    def feature_cubes(self, bucketing: dict[Any, tuple[Any, int]]) -> dict[Any, np.ndarray]:
        """As for a DataFrame; a reference kept in a profile cache counts them from what it keeps."""
        if not bucketing or self.ctx.side(self._side).cache is None:
            return super().feature_cubes(bucketing)
        from monitorflow.metrics.classification_feature_cells import kept_feature_cubes  # cycle: imports this

        return kept_feature_cubes(self, bucketing)

    def tie_positives(self, requests: dict[int, list[tuple[float, int]]]) -> dict[int, list[int]]:
        """As for a DataFrame (one pass over the rows in order), kept with a fixed reference's profile."""
        name = f"ties:{self.cache_name}:{sorted(requests.items())!r}"
        compute = super().tie_positives
        return dict(self.ctx.kept(self._side, name, lambda: compute(requests)))

    def _sorted_scores(self, label_index: int, positive: bool) -> Sorted:
        if not self._sorted:
            self._sort_all()
        return self._sorted[(label_index, positive)]

    def _sort_all(self) -> None:
        """Every label's probability on its rows and on the others, sorted in one go (passes over the
        partitions as the memory budget needs)."""
        counts = self.summary.label_counts
        sizes: dict[Any, int] = {}
        for i in range(self.k):
            for positive, size in ((True, int(counts[i])), (False, self.n - int(counts[i]))):
                if size:
                    sizes[(i, positive)] = size
                else:
                    self._sorted[(i, positive)] = np.zeros(0, dtype=np.float64)
        derive = partial(score_samples, space=self.space, dataset=dataset_name(self._side), keys=list(sizes))
        sorted_ = self.ctx.sort_samples(
            self._side, self._read_scores, sizes, self.cache_name, (self.columns, derive)
        )
        self._sorted.update(sorted_)

    def _read_scores(self, keys: list[Any]) -> Iterator[dict[Any, np.ndarray]]:
        for rows in self.chunks():
            yield scores_of(rows, keys)
