"""How correlations are computed on one side of a run: the columns each method uses, each column
prepared once (standardized values, ranks, category codes), the pair values on demand. The definitions are in
:mod:`monitorflow.metrics.correlations`."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import numpy as np
import pandas as pd

from monitorflow._types import ColumnName
from monitorflow.column_mapping import ColumnType, DataDefinition
from monitorflow.context import RunContext, Side
from monitorflow.errors import ConfigurationError

CorrelationMethod = Literal["pearson", "spearman", "kendall", "cramer_v"]
#: Every method, in Evidently's order.
METHODS: tuple[CorrelationMethod, ...] = ("pearson", "spearman", "kendall", "cramer_v")
NUMERICAL_METHODS: tuple[CorrelationMethod, ...] = ("pearson", "spearman", "kendall")

#: Contingency tables up to this many cells are counted densely with one ``np.bincount``.
_DENSE_TABLE_CELLS = 1_000_000
_UINT16_LIMIT = 1 << 16


def method_kind(method: str) -> ColumnType:
    """The column type a method applies to."""
    return ColumnType.CATEGORICAL if method == "cramer_v" else ColumnType.NUMERICAL


def correlation_columns(definition: DataDefinition, kind: ColumnType) -> list[ColumnName]:
    """Features of ``kind`` plus the target and prediction when they have that type, in data order."""
    roles = {definition.target, definition.prediction} - {None}
    features = set(definition.features)
    return [
        c for c in definition.column_names if definition.type_of(c) == kind and (c in features or c in roles)
    ]


def target_method(definition: DataDefinition) -> CorrelationMethod | None:
    """Evidently's ``target_correlation``: pearson for a numerical target, cramer_v for a categorical one."""
    if definition.target is None:
        return None
    kind = definition.type_of(definition.target)
    if kind == ColumnType.NUMERICAL:
        return "pearson"
    if kind == ColumnType.CATEGORICAL:
        return "cramer_v"
    return None


# ------------------------------------------------------------------------------------ per column


def _inner(x: np.ndarray, y: np.ndarray) -> float:
    """Dot product without BLAS: OpenBLAS threads stall badly on a busy machine, einsum does not."""
    return float(np.einsum("i,i->", x, y))


def _clip(value: float) -> float:
    return max(-1.0, min(1.0, value)) if not math.isnan(value) else value


def _standardize(values: np.ndarray) -> np.ndarray | None:
    """Centred values scaled to unit norm; None when all values are equal (or fewer than 2)."""
    if values.size < 2:
        return None
    centred = values - values[0]  # exact zeros for a constant column, whatever its value
    centred = centred - centred.mean()
    scale = float(np.max(np.abs(centred)))
    if scale == 0.0 or not math.isfinite(scale):
        return None
    centred /= scale  # avoids overflow of the sum of squares for huge values
    norm = math.sqrt(_inner(centred, centred))
    if norm == 0.0:
        return None
    return centred / norm


def _average_ranks(dense: np.ndarray, size: int) -> np.ndarray:
    """Average ranks (1-based, ties averaged) from dense ranks ``0..size-1``; no sort needed."""
    counts = np.bincount(dense, minlength=size)
    before = np.cumsum(counts) - counts
    return (before + (counts + 1) / 2.0)[dense]


@dataclass(eq=False)
class _Numerical:
    """One numerical column prepared for correlations: values, presence mask, ranks (lazily)."""

    values: np.ndarray  # float64, NaN where missing or infinite
    present: np.ndarray | None  # bool mask, None when every value is present
    varied: bool  # at least two distinct present values

    @cached_property
    def _ranked(self) -> tuple[np.ndarray, np.ndarray, int]:
        kept = self.values if self.present is None else self.values[self.present]
        order = np.argsort(kept)
        ordered = kept[order]
        step = np.empty(ordered.size, dtype=np.intp)
        if ordered.size:
            step[0] = 0
            np.not_equal(ordered[1:], ordered[:-1], out=step[1:], casting="unsafe")
        dense_sorted = np.cumsum(step)
        distinct = int(dense_sorted[-1]) + 1 if ordered.size else 0
        positions = order if self.present is None else np.flatnonzero(self.present)[order]
        # small unsigned ranks: kendalltau's stable sort is a radix sort on 16 bits, and faster on 32
        dtype = np.uint16 if distinct <= _UINT16_LIMIT else np.uint32 if distinct < 2**32 else np.intp
        dense = np.zeros(self.values.size, dtype=dtype)
        dense[positions] = dense_sorted
        return dense, positions, distinct

    @property
    def dense(self) -> np.ndarray:
        """Dense ranks ``0..distinct-1`` of the present values (0 where missing)."""
        return self._ranked[0]

    @property
    def order(self) -> np.ndarray:
        """Positions of the present rows, sorted by value."""
        return self._ranked[1]

    @property
    def distinct(self) -> int:
        return self._ranked[2]

    @cached_property
    def ranks(self) -> np.ndarray:
        """Average ranks over the column's own present values (garbage where missing)."""
        return _average_ranks(self.dense.astype(np.intp, copy=False), self.distinct)

    @cached_property
    def z_values(self) -> np.ndarray | None:
        return _standardize(self.values) if self.present is None else None

    @cached_property
    def z_ranks(self) -> np.ndarray | None:
        return _standardize(self.ranks) if self.present is None else None


@dataclass(eq=False)
class _Categorical:
    """One categorical column as integer codes (-1 where missing)."""

    codes: np.ndarray  # int64
    size: int  # number of codes
    present: np.ndarray | None = field(init=False)  # bool mask, None when every value is present
    observed: int = field(init=False)  # distinct present values

    def __post_init__(self) -> None:
        mask = self.codes >= 0
        self.present = None if mask.all() else mask
        kept = self.codes if self.present is None else self.codes[mask]
        self.observed = int(np.count_nonzero(np.bincount(kept, minlength=self.size)))


def _both(a: np.ndarray | None, b: np.ndarray | None) -> np.ndarray | None:
    if a is None:
        return b
    if b is None:
        return a
    return a & b


# ------------------------------------------------------------------------------------ pair values


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson correlation of two complete float arrays; NaN when either is constant."""
    zx, zy = _standardize(x), _standardize(y)
    if zx is None or zy is None:
        return math.nan
    return _clip(_inner(zx, zy))


def cramer_v(a: np.ndarray, b: np.ndarray, size_a: int | None = None, size_b: int | None = None) -> float:
    """Cramér's V (no bias correction) of two complete arrays of non-negative integer codes."""
    n = a.size
    if n == 0:
        return math.nan
    size_a = int(a.max()) + 1 if size_a is None else size_a
    size_b = int(b.max()) + 1 if size_b is None else size_b
    keys = a.astype(np.int64) * size_b + b
    if size_a * size_b <= max(_DENSE_TABLE_CELLS, n):
        table = np.bincount(keys, minlength=size_a * size_b).reshape(size_a, size_b)
        table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
        rows, cols = table.shape
        if min(rows, cols) < 2:
            return math.nan
        expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / n
        chi2 = float((((table - expected) ** 2) / expected).sum())
    else:  # many categories: count only the observed cells
        cells, counts = np.unique(keys, return_counts=True)
        row_of, col_of = cells // size_b, cells % size_b
        row_sums = np.bincount(row_of, weights=counts, minlength=size_a)
        col_sums = np.bincount(col_of, weights=counts, minlength=size_b)
        rows, cols = int(np.count_nonzero(row_sums)), int(np.count_nonzero(col_sums))
        if min(rows, cols) < 2:
            return math.nan
        chi2 = max(
            0.0, n * (float((counts.astype(float) ** 2 / (row_sums[row_of] * col_sums[col_of])).sum()) - 1.0)
        )
    return min(1.0, math.sqrt(chi2 / n / min(rows - 1, cols - 1)))


class SideCorrelations:
    """Correlations of one side of a run; prepared columns and pair values are cached.

    Get it with :func:`side_correlations`, so that every metric and test of a run shares it.
    """

    def __init__(self, ctx: RunContext, side: Side):
        self.ctx = ctx
        self.side = side
        self.frame = ctx.data(side)
        self._numerical: dict[ColumnName, _Numerical] = {}
        self._categorical: dict[ColumnName, _Categorical] = {}
        self._pairs: dict[tuple[str, ColumnName, ColumnName], float] = {}

    # --------------------------------------------------------------------------- columns

    def numerical(self, column: ColumnName) -> _Numerical:
        if column not in self._numerical:
            stats = self.ctx.numerical(column, self.side)
            ordered = stats.sorted_finite  # NumericalStats keeps the finite values sorted
            varied = bool(ordered.size and ordered[0] != ordered[-1])
            values = stats.values
            finite = np.isfinite(values)
            if finite.all():
                prepared = _Numerical(values, None, varied)
            else:
                prepared = _Numerical(np.where(finite, values, np.nan), finite, varied)
            self._numerical[column] = prepared
        return self._numerical[column]

    def categorical(self, column: ColumnName) -> _Categorical:
        if column not in self._categorical:
            codes, uniques = pd.factorize(self.frame[column], use_na_sentinel=True)
            self._categorical[column] = _Categorical(codes.astype(np.int64, copy=False), max(len(uniques), 1))
        return self._categorical[column]

    def varied(self, method: str, column: ColumnName) -> bool:
        if method == "cramer_v":
            return self.categorical(column).observed >= 2
        return self.numerical(column).varied

    # ----------------------------------------------------------------------------- pairs

    def pair(self, method: str, a: ColumnName, b: ColumnName) -> float:
        """The correlation of two columns over their pairwise-complete rows."""
        if a == b:
            return 1.0 if self.varied(method, a) else math.nan
        key = (method, a, b)
        if key not in self._pairs:
            value = self._compute(method, a, b)
            self._pairs[key] = value
            self._pairs[(method, b, a)] = value
        return self._pairs[key]

    def _compute(self, method: str, a: ColumnName, b: ColumnName) -> float:
        if method == "cramer_v":
            ca, cb = self.categorical(a), self.categorical(b)
            if ca.observed < 2 or cb.observed < 2:
                return math.nan
            mask = _both(ca.present, cb.present)
            x, y = (ca.codes, cb.codes) if mask is None else (ca.codes[mask], cb.codes[mask])
            return cramer_v(x, y, ca.size, cb.size)
        na, nb = self.numerical(a), self.numerical(b)
        if not (na.varied and nb.varied):
            return math.nan
        mask = _both(na.present, nb.present)
        if method == "pearson":
            if mask is None:
                return _dot(na.z_values, nb.z_values)
            return pearson(na.values[mask], nb.values[mask])
        if method == "spearman":
            if mask is None:
                return _dot(na.z_ranks, nb.z_ranks)
            return pearson(_subset_ranks(na, mask), _subset_ranks(nb, mask))
        if method == "kendall":
            return _kendall(na, nb, mask)
        raise ConfigurationError(
            f"unknown correlation method {method!r}; use one of {list(METHODS)}", argument="method"
        )

    # ---------------------------------------------------------------------------- matrix

    def matrix(self, method: str, columns: list[ColumnName]) -> np.ndarray:
        """The symmetric matrix of ``method`` over ``columns``."""
        k = len(columns)
        out = np.full((k, k), math.nan)
        if method in ("pearson", "spearman"):
            self._fill_complete_block(method, columns)
        for i, a in enumerate(columns):
            out[i, i] = self.pair(method, a, a)
            for j in range(i + 1, k):
                out[i, j] = out[j, i] = self.pair(method, a, columns[j])
        return out

    def _fill_complete_block(self, method: str, columns: list[ColumnName]) -> None:
        """Pearson / spearman of every pair of complete columns with one matrix product."""
        attribute = "z_values" if method == "pearson" else "z_ranks"
        block = [
            (c, z)
            for c in columns
            if self.numerical(c).varied and (z := getattr(self.numerical(c), attribute)) is not None
        ]
        if len(block) < 2:
            return
        names = [c for c, _ in block]
        z = np.column_stack([v for _, v in block])
        product = np.clip(np.einsum("ij,ik->jk", z, z), -1.0, 1.0)  # no BLAS, see _inner
        for i, a in enumerate(names):
            for j in range(i + 1, len(names)):
                value = float(product[i, j])
                self._pairs[(method, a, names[j])] = value
                self._pairs[(method, names[j], a)] = value


def _dot(x: np.ndarray | None, y: np.ndarray | None) -> float:
    if x is None or y is None:
        return math.nan
    return _clip(_inner(x, y))


def _subset_ranks(column: _Numerical, mask: np.ndarray) -> np.ndarray:
    """Average ranks among the rows of ``mask`` (pandas ranks each pair's rows afresh)."""
    return _average_ranks(column.dense[mask].astype(np.intp, copy=False), column.distinct)


def _kendall(a: _Numerical, b: _Numerical, mask: np.ndarray | None) -> float:
    """Tau-b via scipy.stats.kendalltau on dense ranks, rows pre-sorted on one column.

    Sorted input makes kendalltau's first sort cheap; the column with fewer distinct values goes
    second so that its stable sort is a radix sort when its ranks fit in 16 bits.
    """
    from scipy.stats import kendalltau  # lazy: scipy is slow to import

    if b.distinct > a.distinct:
        a, b = b, a  # b: fewer distinct values
    order = a.order if mask is None else a.order[mask[a.order]]
    if order.size < 2:
        return math.nan
    ys, xs = a.dense[order], b.dense[order]
    if ys[0] == ys[-1] or xs.min() == xs.max():
        return math.nan
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        tau = kendalltau(xs, ys, method="asymptotic").statistic
    return _clip(float(tau))


def side_correlations(ctx: RunContext, side: Side) -> SideCorrelations:
    """The run's shared correlation cache of one side."""
    return ctx.memo(("correlations", side), lambda: SideCorrelations(ctx, side))
