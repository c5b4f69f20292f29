"""A fixed reference's classification and regression statistics are read once across a backfill.

A backfill runs one Report per window against the same reference. With a profile cache the
reference's counts, sums and sorted score / error samples are computed in the first window and found
in the cache by the next ones, which read none of the reference's row groups (counted at the Parquet
read). Every window's result equals the same window run without a cache and the in-memory run.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest

from monitorflow import ColumnMapping, Report
from monitorflow.metric_preset import ClassificationPreset, RegressionPreset
from monitorflow.scale import ParquetSource, configure, options
from monitorflow.scale.source import ParquetPartition

from .test_scale_classification import binary_probas, multiclass_probas
from .test_scale_parity import assert_same
from .test_scale_regression import model_frame

WINDOWS = 3


@pytest.fixture
def reads(monkeypatch) -> Counter:
    """Row-group reads by file name, counted where every Parquet read goes."""
    counted: Counter = Counter()
    read, read_batches = ParquetPartition.read, ParquetPartition.read_batches

    def counting_read(self, columns):
        counted[self.path.rsplit("/", 1)[-1]] += 1
        return read(self, columns)

    def counting_batches(self, columns, rows):
        counted[self.path.rsplit("/", 1)[-1]] += 1
        return read_batches(self, columns, rows)

    monkeypatch.setattr(ParquetPartition, "read", counting_read)
    monkeypatch.setattr(ParquetPartition, "read_batches", counting_batches)
    return counted


@pytest.fixture(autouse=True)
def restored_options():
    before = options()
    configure(memory_budget=8 * 512)  # 512 values per sorted run: the samples spill into runs
    yield
    configure(memory_budget=before.memory_budget, cache_dir=before.cache_dir, spill_dir=before.spill_dir)


def _write(folder, name: str, frame: pd.DataFrame, row_group_size: int):
    path = folder / f"{name}.parquet"
    frame.to_parquet(path, row_group_size=row_group_size, index=False)
    return path


def _backfill(tmp_path, make_report, reference: pd.DataFrame, windows: list[pd.DataFrame], mapping, reads):
    """Per window: (in-memory result, uncached result, cached result, reference reads when cached)."""
    ref_path = _write(tmp_path, "reference", reference, 400)
    paths = [_write(tmp_path, f"window-{k}", frame, 300) for k, frame in enumerate(windows)]
    outcomes = []
    for k, (frame, path) in enumerate(zip(windows, paths, strict=True)):
        row = []
        for data, cache in ((None, None), (path, None), (path, tmp_path / "cache")):
            configure(cache_dir=cache)
            reads.clear()
            report = make_report()
            if data is None:
                report.run(reference_data=reference, current_data=frame, column_mapping=mapping)
            else:
                current, ref = ParquetSource(data), ParquetSource(ref_path)
                report.run(reference_data=ref, current_data=current, column_mapping=mapping)
            result = report.as_dict(include_render=True)
            result.pop("timestamp", None)
            row.append(result)
        row.append(reads["reference.parquet"])
        assert reads[f"window-{k}.parquet"] > 0
        outcomes.append(row)
    return outcomes


def with_features(frame: pd.DataFrame, seed: int, shift: float) -> pd.DataFrame:
    """A numerical feature (ties, missing and infinite values) and a categorical one (missing too)."""
    rng = np.random.default_rng(seed)
    n = len(frame.index)
    size = np.round(rng.normal(shift, 1, n), 1)
    size[rng.random(n) < 0.05] = np.nan
    size[rng.random(n) < 0.01] = np.inf
    kind = np.array(["p", "q", "r", "s", "t", "u", "v"], dtype=object)[rng.integers(0, 7, n)]
    kind[rng.random(n) < 0.05] = None
    return frame.assign(size=size, kind=kind)


@pytest.mark.parametrize(
    ("make", "mapping"),
    [
        (binary_probas, ColumnMapping(task="classification", pos_label=1.0, categorical_features=["kind"])),
        (
            multiclass_probas,
            ColumnMapping(task="classification", prediction=["a", "b", "c"], categorical_features=["kind"]),
        ),
    ],
    ids=["binary", "multiclass"],
)
def test_a_backfill_reads_a_fixed_classification_reference_once(tmp_path, reads, make, mapping):
    """The whole preset, the per-feature table included (its bins change with every window)."""
    reference = with_features(make(2000, 1), 1, 0.0)
    windows = [with_features(make(900 + 100 * k, 10 + k), 10 + k, 0.5 * k) for k in range(WINDOWS)]
    outcomes = _backfill(
        tmp_path,
        lambda: Report(metrics=[ClassificationPreset()]),
        reference,
        windows,
        mapping,
        reads,
    )
    for in_memory, uncached, cached, _ in outcomes:
        assert_same(in_memory, uncached)
        assert_same(uncached, cached)
    by_feature = [
        m for m in outcomes[-1][2]["metrics"] if m["metric"] == "ClassificationQualityByFeatureTable"
    ]
    assert {"size", "kind"} <= set(by_feature[0]["result"]["reference"])
    first, *later = [reference_reads for *_, reference_reads in outcomes]
    assert first >= 5  # five row groups, read at least once
    assert later == [0] * (WINDOWS - 1)


@pytest.mark.parametrize("axis", ["datetime", "index"])
def test_a_backfill_reads_a_fixed_regression_reference_once(tmp_path, reads, axis):
    """The whole RegressionPreset: the scatter's bins and the plots' periods or index bins depend on
    both sides, yet the reference is read in the first window only. Windows 2 and 3 have values
    outside the reference's range (the scatter's bounds move: counted from the reference's distinct
    pairs); the plots' period unit, or index bins (the windows have fewer rows than the reference),
    stay those of window 1."""
    reference = model_frame(2, 2000)
    windows = [model_frame(10 + k, 900 + 100 * k, bias=0.2 * k) for k in range(WINDOWS)]
    for k, window in enumerate(windows[1:], start=1):
        window.loc[window.index[k], ["target", "prediction"]] = [150.0 * k, -90.0 * k]
    mapping = ColumnMapping(datetime="ts" if axis == "datetime" else None)
    outcomes = _backfill(
        tmp_path, lambda: Report(metrics=[RegressionPreset()]), reference, windows, mapping, reads
    )
    for in_memory, uncached, cached, _ in outcomes:
        assert_same(in_memory, uncached)
        assert_same(uncached, cached)
    first, *later = [reference_reads for *_, reference_reads in outcomes]
    assert first >= 5
    assert later == [0] * (WINDOWS - 1)


def test_the_rows_tied_at_a_pr_table_step_are_counted_for_every_label_in_one_pass(monkeypatch):
    """Multiclass PR table out of core: one pass over the rows sorts the score samples and one counts
    the rows tied at the steps of all three labels (not one pass per label); the table is memory's."""
    from monitorflow.metrics.classification import ClassificationPRTable
    from monitorflow.scale import FrameSource
    from monitorflow.scale.context import LazyContext

    passes: Counter = Counter()
    frames = LazyContext.frames

    def counting(self, side, columns):
        passes[side] += 1
        return frames(self, side, columns)

    monkeypatch.setattr(LazyContext, "frames", counting)
    configure(memory_budget="64MB")
    current = multiclass_probas(3000, 5)  # probabilities rounded to 0.1 before normalising: ties
    mapping = ColumnMapping(task="classification", prediction=["a", "b", "c"])
    results = []
    for data in (current, FrameSource(current, rows_per_partition=500)):
        report = Report(metrics=[ClassificationPRTable()])
        report.run(reference_data=None, current_data=data, column_mapping=mapping)
        results.append(report.as_dict()["metrics"][0]["result"])
    assert_same(results[0], results[1])
    assert passes["current"] == 2


def test_a_regression_window_longer_than_the_reference_moves_the_index_bins(tmp_path, reads):
    """Along the row index the bins span both sides' rows: a window with more rows than the reference
    gives other bins, for which the reference is read again (once per set of bins), still exact."""
    reference = model_frame(2, 1500)
    windows = [model_frame(10, 1000), model_frame(11, 3000, bias=0.3), model_frame(12, 3000, bias=0.6)]
    make = lambda: Report(metrics=[RegressionPreset()])  # noqa: E731
    outcomes = _backfill(tmp_path, make, reference, windows, ColumnMapping(datetime=None), reads)
    for in_memory, uncached, cached, _ in outcomes:
        assert_same(in_memory, uncached)
        assert_same(uncached, cached)
    first, second, third = [reference_reads for *_, reference_reads in outcomes]
    assert first >= 4 and second > 0  # the second window's bins are new: the reference is read
    assert third == 0  # the third window's bins are the second's
