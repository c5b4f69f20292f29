"""Row-level passes read partitions in row slices: the counts equal those of one piece and pandas'.

Slices are forced small (7 rows) so that duplicated rows, unequal positions of almost-duplicated
columns and the one differing value of two otherwise equal columns fall in different slices, row
groups and files; the expected numbers are pandas' on the whole frame.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from monitorflow import Report
from monitorflow.metrics import DatasetMissingValuesMetric, DatasetSummaryMetric
from monitorflow.scale import FrameSource, ParquetSource, configure, options
from monitorflow.scale import side as side_module
from monitorflow.scale.readahead import read_ahead
from monitorflow.scale.source import read_frame, read_frames

SLICE = 7


def frame_with_duplicates(n: int = 60) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "k": rng.integers(0, 1000, n),
            "s": [f"v{i}" for i in range(n)],
            "b": rng.random(n) < 0.5,
        }
    )
    frame.loc[rng.random(n) < 0.1, "x"] = np.nan
    frame.loc[3, "s"] = None
    # duplicates straddling slice boundaries (6|7, 13|14), row groups (19|20) and files (29|30)
    for earlier, later in ((6, 7), (13, 14), (19, 20), (29, 30), (2, 55)):
        frame.loc[later] = frame.loc[earlier]
    frame["x_copy"] = frame["x"]  # equal columns
    frame["k_late"] = frame["k"]
    frame.loc[n - 1, "k_late"] += 1  # equal but for the last slice
    frame["k_near"] = frame["k"]
    frame.loc[[5, 40], "k_near"] = -1  # almost equal to k and k_late: unequal rows in three slices
    frame["x_near"] = frame["x"]
    frame.loc[[5, 12, 40], "x_near"] = 9.0
    return frame


def pandas_counts(frame: pd.DataFrame, threshold: float = 0.95) -> dict:
    """The numbers DatasetSummaryMetric gives, from pandas directly (Series.equals / Series.eq)."""
    columns = list(frame.columns)
    equal_pairs = almost = 0
    for i, a in enumerate(columns):
        for b in columns[i + 1 :]:
            equal_pairs += frame[a].equals(frame[b])
            if frame[a].dtype == frame[b].dtype:
                almost += frame[a].eq(frame[b]).sum() >= math.ceil(threshold * len(frame) - 1e-9)
    return {
        "number_of_duplicated_rows": int(frame.duplicated().sum()),
        "number_of_duplicated_columns": equal_pairs,
        "number_of_almost_duplicated_columns": almost,
    }


def write_parquet(frame: pd.DataFrame, folder) -> ParquetSource:
    """Two files of 30 rows, row groups of 20 rows."""
    folder.mkdir()
    for i, start in enumerate((0, 30)):
        frame.iloc[start : start + 30].to_parquet(
            folder / f"part-{i}.parquet", row_group_size=20, index=False
        )
    return ParquetSource(folder)


@pytest.fixture
def small_slices(monkeypatch):
    monkeypatch.setattr(side_module, "slice_rows", lambda budget, columns, workers: SLICE)
    before = options()
    configure(workers=2)
    yield
    configure(workers=before.workers)


def summary(source) -> dict:
    report = Report(metrics=[DatasetSummaryMetric(), DatasetMissingValuesMetric(missing_values=[9.0, "v1"])])
    report.run(reference_data=None, current_data=source)
    data = report.as_dict()["metrics"]
    return {"summary": data[0]["result"]["current"], "missing": data[1]["result"]["current"]}


def test_parquet_row_groups_read_in_slices_equal_the_whole_row_group(tmp_path):
    frame = frame_with_duplicates()
    source = write_parquet(frame, tmp_path / "data")
    columns = list(frame.columns)
    for partition in source.partitions():
        pieces = list(read_frames(partition, columns, SLICE))
        assert all(len(p) <= SLICE for p in pieces)
        whole = read_frame(partition, columns)
        pd.testing.assert_frame_equal(pd.concat(pieces, ignore_index=True), whole)


def test_filtered_hive_and_frame_partitions_read_in_slices_equal_the_whole(tmp_path):
    frame = frame_with_duplicates()
    frame["day"] = np.repeat([1, 2, 3], 20)
    frame["t"] = pd.date_range("2026-01-01", periods=len(frame), freq="h", tz="UTC")
    frame.to_parquet(tmp_path / "hive", partition_cols=["day"], index=False)
    write_parquet(frame, tmp_path / "flat")
    window = {
        "time_column": "t",
        "start": datetime(2026, 1, 1, 5, tzinfo=UTC),
        "end": datetime(2026, 1, 2, 20, tzinfo=UTC),
    }
    sources = [
        ParquetSource(tmp_path / "hive"),
        ParquetSource(tmp_path / "flat", **window),
        FrameSource(frame, 25),
    ]
    for source in sources:
        for partition in source.partitions():
            pieces = list(read_frames(partition, ["x", "s", "day"], SLICE))
            assert all(len(p) <= SLICE for p in pieces)
            whole = read_frame(partition, ["x", "s", "day"])
            pd.testing.assert_frame_equal(pd.concat(pieces, ignore_index=True), whole.reset_index(drop=True))
    filtered = pd.concat(
        [f for p in sources[1].partitions() for f in read_frames(p, ["t"], SLICE)], ignore_index=True
    )
    assert filtered["t"].tolist() == frame["t"].iloc[5:44].tolist()


@pytest.mark.parametrize("kind", ["parquet", "frame"])
def test_row_level_counts_in_slices_equal_pandas_and_the_pass_in_one_piece(
    tmp_path, small_slices, monkeypatch, kind
):
    frame = frame_with_duplicates()
    source = write_parquet(frame, tmp_path / "data") if kind == "parquet" else FrameSource(frame, 25)
    sliced = summary(source)
    expected = pandas_counts(frame)
    assert {k: sliced["summary"][k] for k in expected} == expected
    assert expected == {
        "number_of_duplicated_rows": 5,
        "number_of_duplicated_columns": 1,
        "number_of_almost_duplicated_columns": 3,
    }
    custom = sum(int((frame[c].isin([9.0]) | frame[c].isin(["v1"])).sum()) for c in frame.columns)
    assert custom >= 4  # x_near's three 9.0, s's "v1"
    assert sliced["missing"]["number_of_missing_values"] == custom
    monkeypatch.setattr(side_module, "slice_rows", lambda budget, columns, workers: 10**9)
    assert summary(source) == sliced


def test_read_ahead_keeps_order_and_stops_early():
    parts = [range(i * 10, i * 10 + 10) for i in range(5)]
    assert list(read_ahead(iter, parts, workers=3)) == list(range(50))
    first = []
    for item in read_ahead(iter, parts, workers=2):
        first.append(item)
        if item == 12:
            break
    assert first == list(range(13))


def test_a_failing_part_raises_in_the_consumer():
    def read(part):
        yield part
        raise OSError(f"bad part {part}")

    with pytest.raises(OSError, match="bad part 0"):
        list(read_ahead(read, [0, 1, 2], workers=2))


def test_slices_hold_a_fraction_of_the_budget():
    rows = side_module.slice_rows(2**30, 50, 2)
    in_flight = 2 * 2 + 1
    assert rows * in_flight * 50 * side_module.SLICE_BYTES_PER_VALUE <= 2**30 / side_module.SLICE_SHARE
    assert rows >= 10_000
    assert side_module.slice_rows(1, 50, 2) == side_module.MIN_SLICE_ROWS
