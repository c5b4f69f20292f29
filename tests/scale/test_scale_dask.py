"""Pass A on a Dask LocalCluster of two worker processes: the same profiles as in one process.

Partitions are profiled by Dask tasks and merged on the workers; only the merged profiles come back.
Expected values come from pandas and numpy on the whole frame.
"""

from __future__ import annotations

import math
import pickle
import tempfile
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from monitorflow import Report
from monitorflow.metric_preset import DataDriftPreset, DataQualityPreset
from monitorflow.scale import configure, options
from monitorflow.scale.executor import DaskExecutor, LocalExecutor, current_executor, on_dask, use_executor
from monitorflow.scale.side import LazySide, SideProfile, profile_partition
from monitorflow.scale.source import FrameSource, ParquetSource

from .test_scale_parity import assert_same

distributed = pytest.importorskip("distributed")

KINDS = {"x": "num", "n": "num", "c": "cat", "k": "cat"}
PROFILE_X = partial(profile_partition, kinds={"x": "num"}, coercions={}, dataset="current_data")


@pytest.fixture(scope="module")
def cluster():
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
        ) as local,
        distributed.Client(local) as client,
    ):
        yield client


def frame(rows: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(10, 3, rows)
    x[rng.random(rows) < 0.05] = np.nan
    x[rng.random(rows) < 0.01] = np.inf
    return pd.DataFrame(
        {
            "x": x,
            "n": rng.integers(0, 7, rows),
            "c": pd.Series(rng.choice(["a", "b", "c", None], rows), dtype=object),
            "k": rng.choice(["u", "v", "w"], rows),
        }
    )


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> tuple[ParquetSource, pd.DataFrame]:
    folder = tmp_path_factory.mktemp("dask-parquet")
    whole = frame(72_000)  # more distinct floats than profiles count: the sort pass runs
    for i in range(3):  # three files of four row groups each
        whole.iloc[i * 24_000 : (i + 1) * 24_000].to_parquet(
            folder / f"part-{i}.parquet", row_group_size=6000
        )
    return ParquetSource(folder), whole


def side_profile(source, executor) -> SideProfile:
    with use_executor(executor):  # a side runs on the executor current when it is made
        side = LazySide(source, "current_data", Path(tempfile.mkdtemp()), 1 << 30, workers=2)
        side.profile(KINDS, {})
    return SideProfile(side.profiles, side.rows, side.empty_rows, side.default_missing)


def test_dask_pass_a_equals_the_single_process_pass_a(cluster, dataset):
    source, whole = dataset
    assert len(source.partitions()) == 12
    local = side_profile(source, LocalExecutor(workers=1))
    executor = DaskExecutor(cluster)
    remote = side_profile(source, executor)
    for column in KINDS:  # counts and value counts to the bit; moments to rounding (see assert_identical)
        assert_identical(remote.profiles[column].to_dict(), local.profiles[column].to_dict(), column)
    assert (remote.rows, remote.empty_rows) == (local.rows, local.empty_rows) == (len(whole), 0)
    assert remote.missing == local.missing
    x = whole["x"].to_numpy()
    finite = x[np.isfinite(x)]
    profile = remote.profiles["x"]
    assert profile.missing == int(np.isnan(x).sum())
    assert profile.positive_infinite == int(np.isinf(x).sum())
    assert profile.moments.mean == pytest.approx(finite.mean(), rel=1e-12)
    assert profile.moments.std == pytest.approx(finite.std(ddof=1), rel=1e-12)
    pd.testing.assert_series_equal(
        remote.profiles["c"].values.series(),
        whole["c"].value_counts(),
        check_names=False,
        check_index_type=False,
    )
    # only the merged profile came back (merges ran on the workers)
    assert 0 < executor.bytes_returned < 2 * len(pickle.dumps(remote, protocol=5))


def test_reports_on_dask_equal_single_process_and_in_memory_reports(cluster, dataset):
    """Pass A and the sort pass as Dask tasks: the same report, to the bit, as in one process."""
    source, whole = dataset
    reference = FrameSource(frame(70_000, seed=7), rows_per_partition=20_000)

    def run():
        report = Report(metrics=[DataDriftPreset(), DataQualityPreset()])
        report.run(reference_data=reference, current_data=source)
        data = report.as_dict()
        data.pop("timestamp", None)
        return data

    single = run()
    with on_dask(client=cluster) as executor:
        on_cluster = run()
    assert_identical(single, on_cluster)
    assert executor.submitted["profile_partition"] == 12 + 4  # a task per partition of both sides
    assert executor.submitted["sort_group"] >= 2  # the sort pass of each side's numerical columns
    assert executor.bytes_returned < 64 * 2**20
    in_memory = Report(metrics=[DataDriftPreset(), DataQualityPreset()])
    in_memory.run(reference_data=reference.frame, current_data=pd.read_parquet(source.name))
    expected = in_memory.as_dict()
    expected.pop("timestamp", None)
    assert_same(expected, on_cluster)


def assert_identical(expected, got, path=""):
    """The same structure and values; floats to 1e-13 relative (NaN equals NaN): numpy's dot and sum
    round differently with the memory alignment of an array, so two processes may differ in the
    last bit of a moment even on the same partitions merged in the same order."""
    if isinstance(expected, dict):
        assert set(expected) == set(got), path
        for key in expected:
            assert_identical(expected[key], got[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert len(expected) == len(got), path
        for i, (a, b) in enumerate(zip(expected, got, strict=True)):
            assert_identical(a, b, f"{path}[{i}]")
    elif isinstance(expected, float) and math.isnan(expected):
        assert isinstance(got, float) and math.isnan(got), path
    elif isinstance(expected, float):
        assert got == pytest.approx(expected, rel=1e-13, abs=1e-300), f"{path}: {expected!r} != {got!r}"
    else:
        assert expected == got, f"{path}: {expected!r} != {got!r}"


def test_on_dask_makes_dask_the_current_executor(cluster):
    source = FrameSource(frame(3000, seed=1), rows_per_partition=500)
    with on_dask(client=cluster) as executor:
        assert current_executor() is executor
        profile = side_profile(source, current_executor()).profiles["x"]
    assert isinstance(current_executor(), LocalExecutor)
    x = source.frame["x"].to_numpy()
    assert profile.maximum == np.max(x[np.isfinite(x)])


def test_map_keeps_the_order_of_the_items(cluster):
    executor = DaskExecutor(cluster)
    assert executor.map(math.sqrt, [16.0, 1.0, 9.0]) == [4.0, 1.0, 3.0]
    with use_executor(LocalExecutor(workers=2)):
        assert current_executor().map(math.sqrt, [4.0, 25.0]) == [2.0, 5.0]


def test_a_file_gone_bad_after_listing_is_refused_naming_it(cluster, tmp_path):
    from monitorflow.errors import SourceError

    good = tmp_path / "good.parquet"
    frame(100).to_parquet(good)
    parts = ParquetSource(tmp_path).partitions()
    good.write_bytes(b"PAR1 not a parquet file")
    with pytest.raises(SourceError, match="good.parquet"):
        side_profile(ParquetSource(tmp_path), DaskExecutor(cluster))
    with pytest.raises(SourceError, match="good.parquet"):  # refused when sent, or when read on a worker
        DaskExecutor(cluster).map(PROFILE_X, parts)


class FailingPartition:
    """A partition whose read fails on the worker, as an object store refusing a read would."""

    name, rows, row_offset = "s3://bucket/day=1/part-0.parquet row group 0", 10, 0

    def read(self, columns):
        raise SourceError_(
            "cannot read s3://bucket/day=1/part-0.parquet: Access Denied", "s3://bucket/day=1/part-0.parquet"
        )


def SourceError_(*args):
    from monitorflow.errors import SourceError

    return SourceError(*args)


def test_a_read_failing_on_a_worker_reaches_the_caller_as_source_error(cluster):
    from monitorflow.errors import SourceError

    with pytest.raises(SourceError, match="Access Denied") as caught:
        DaskExecutor(cluster).map_reduce(PROFILE_X, [FailingPartition()], merge)
    assert caught.value.source == "s3://bucket/day=1/part-0.parquet"


def merge(a, b):
    return a


def test_errors_cross_process_boundaries_with_their_attributes():
    from monitorflow.errors import SchemaMismatchError, SourceError

    for error in (
        SourceError("cannot read x", "s3://b/x", transient=False),
        SchemaMismatchError("f", "c", "int64", "string"),
    ):
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error) and str(back) == str(error) and back.__dict__ == error.__dict__


def test_model_quality_passes_on_dask_equal_single_process_and_in_memory_reports(
    cluster, tmp_path, monkeypatch
):
    """The classification and regression passes (label and joint counts, log-likelihood, moments and
    bounds) as Dask tasks, one per partition, merged on the
    workers, and the score, error and target samples sorted on the workers: the same reports as in
    one process and as in memory, with no sort in this process."""
    from monitorflow import ColumnMapping
    from monitorflow.scale.spill import ColumnSorter

    client_sorts: list[object] = []
    sort = ColumnSorter.sort

    def counting_sort(self, read, sizes, name):
        client_sorts.append(sorted(map(repr, sizes)))
        return sort(self, read, sizes, name)

    monkeypatch.setattr(ColumnSorter, "sort", counting_sort)
    from monitorflow.metric_preset import ClassificationPreset, RegressionPreset

    from .test_scale_classification import multiclass_probas
    from .test_scale_model_cache import with_features
    from .test_scale_regression import model_frame

    cases = [
        (
            lambda n, seed: with_features(multiclass_probas(n, seed), seed, 0.1 * seed),
            ClassificationPreset(),
            ColumnMapping(task="classification", prediction=["a", "b", "c"], categorical_features=["kind"]),
        ),
        (lambda n, seed: model_frame(seed, n), RegressionPreset(), ColumnMapping(datetime="ts")),
    ]
    for k, (make, preset, mapping) in enumerate(cases):
        frames = {"current": make(3000, 20 + k), "reference": make(2400, 30 + k)}
        for name, data in frames.items():
            data.to_parquet(tmp_path / f"{k}-{name}.parquet", row_group_size=600, index=False)

        def run(current, reference, preset=preset, mapping=mapping):
            report = Report(metrics=[preset])
            report.run(reference_data=reference, current_data=current, column_mapping=mapping)
            data = report.as_dict(include_render=True)
            data.pop("timestamp", None)
            return data

        def sources(k=k):
            return ParquetSource(tmp_path / f"{k}-current.parquet"), ParquetSource(
                tmp_path / f"{k}-reference.parquet"
            )

        single = run(*sources())
        client_sorts.clear()
        with on_dask(client=cluster) as executor:
            on_cluster = run(*sources())
        assert_identical(single, on_cluster)
        assert executor.submitted["summarize_partition"] == 5 + 4  # a task per row group
        assert executor.submitted["sort_group"] >= 2  # each side's samples, sorted on the workers
        assert client_sorts == [], "this process sorted samples"
        assert executor.bytes_returned < 64 * 2**20
        assert_same(run(frames["current"], frames["reference"]), on_cluster)
        before = options()
        configure(cache_dir=tmp_path / f"cache-{k}")
        try:  # a cached reference's statistics made on the workers, then read back
            with on_dask(client=cluster):
                cached = [run(*sources()) for _ in range(2)]
        finally:
            configure(cache_dir=before.cache_dir)
        assert_identical(single, cached[0])
        assert_identical(single, cached[1])
