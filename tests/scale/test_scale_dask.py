"""Pass A on a Dask LocalCluster of two worker processes: the same profiles as in one process.

Partitions are profiled by Dask tasks and merged on the workers; only the merged profiles come back.
Expected values come from pandas and numpy on the whole frame.
"""

from __future__ import annotations

import math
import pickle
from functools import partial

import numpy as np
import pandas as pd
import pytest

from monitorflow.scale.executor import DaskExecutor, LocalExecutor, current_executor, on_dask, use_executor
from monitorflow.scale.passes import profile_partition, profile_source
from monitorflow.scale.source import FrameSource, ParquetSource

distributed = pytest.importorskip("distributed")

KINDS = {"x": "num", "n": "num", "c": "cat", "k": "cat"}


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
    whole = frame(12_000)
    for i in range(3):  # three files of four row groups each
        whole.iloc[i * 4000 : (i + 1) * 4000].to_parquet(folder / f"part-{i}.parquet", row_group_size=1000)
    return ParquetSource(folder), whole


def test_dask_profiles_equal_single_process_profiles_bit_for_bit(cluster, dataset):
    source, whole = dataset
    assert len(source.partitions()) == 12
    local = profile_source(source, KINDS, executor=LocalExecutor(workers=1))
    executor = DaskExecutor(cluster)
    remote = profile_source(source, KINDS, executor=executor)
    for column in KINDS:
        assert pickle.dumps(remote[column]) == pickle.dumps(local[column]), column
    x = whole["x"].to_numpy()
    finite = x[np.isfinite(x)]
    assert remote["x"].rows == len(whole)
    assert remote["x"].missing == int(np.isnan(x).sum())
    assert remote["x"].positive_infinite == int(np.isinf(x).sum())
    assert remote["x"].moments.mean == pytest.approx(finite.mean(), rel=1e-12)
    assert remote["x"].moments.std == pytest.approx(finite.std(ddof=1), rel=1e-12)
    pd.testing.assert_series_equal(
        remote["c"].values.series(), whole["c"].value_counts(), check_names=False, check_index_type=False
    )
    pd.testing.assert_series_equal(
        remote["n"].values.series().sort_index(),
        whole["n"].astype("float64").value_counts().sort_index(),
        check_names=False,
        check_index_type=False,
    )
    # only the merged profiles came back: one map of four profiles, not twelve
    assert 0 < executor.bytes_returned < 2 * len(pickle.dumps(remote, protocol=5))


def test_on_dask_makes_dask_the_current_executor(cluster):
    source = FrameSource(frame(3000, seed=1), rows_per_partition=500)
    with on_dask(client=cluster) as executor:
        assert current_executor() is executor
        profiles = profile_source(source, {"x": "num"})
    assert isinstance(current_executor(), LocalExecutor)
    x = source.frame["x"].to_numpy()
    assert profiles["x"].maximum == np.max(x[np.isfinite(x)])


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
        profile_source(ParquetSource(tmp_path), {"x": "num"}, executor=DaskExecutor(cluster))
    with pytest.raises(SourceError, match="good.parquet"):  # refused when sent, or when read on a worker
        DaskExecutor(cluster).map(partial(profile_partition, kinds={"x": "num"}, dtypes=None), parts)


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
        DaskExecutor(cluster).map_reduce(
            partial(profile_partition, kinds={"x": "num"}, dtypes=None), [FailingPartition()], merge
        )
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
