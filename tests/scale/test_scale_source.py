"""Lazy sources: Parquet folders, globs, hive partitions, time filters, S3; bad files are refused by name."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from monitorflow.errors import SchemaMismatchError, SourceError
from monitorflow.scale.source import FrameSource, ParquetSource, iter_frames


def hourly(day: int, n: int = 10) -> pd.DataFrame:
    start = pd.Timestamp(f"2026-01-0{day}", tz="UTC")
    return pd.DataFrame(
        {
            "x": np.arange(n, dtype="float64") + 100 * day,
            "s": [f"v{i % 3}" for i in range(n)],
            "t": pd.date_range(start, periods=n, freq="h"),
        }
    )


@pytest.fixture
def hive(tmp_path):
    for day in (1, 2):
        (tmp_path / f"day={day}").mkdir()
        hourly(day).to_parquet(tmp_path / f"day={day}" / "part.parquet", row_group_size=4)
    return tmp_path


def read_all(source, columns):
    return pd.concat([frame for _, frame in iter_frames(source, columns)], ignore_index=True)


def test_a_folder_is_read_by_row_groups_with_hive_columns(hive):
    source = ParquetSource(hive)
    parts = source.partitions()
    assert [p.rows for p in parts] == [4, 4, 2, 4, 4, 2]
    assert [p.row_offset for p in parts] == [0, 4, 8, 10, 14, 18]
    assert all("row group" in p.name and "part.parquet" in p.name for p in parts)
    frame = read_all(source, ["x", "day"])
    assert frame["x"].tolist() == hourly(1)["x"].tolist() + hourly(2)["x"].tolist()
    assert frame["day"].tolist() == [1] * 10 + [2] * 10


def test_only_the_requested_columns_are_read(hive):
    table = ParquetSource(hive).partitions()[0].read(["s"])
    assert table.column_names == ["s"]


def test_a_glob_selects_files(hive):
    frame = read_all(ParquetSource(str(hive / "day=2" / "*.parquet")), ["x"])
    assert frame["x"].tolist() == hourly(2)["x"].tolist()


def test_the_time_filter_is_pushed_down_to_row_groups(hive):
    start, end = datetime(2026, 1, 1, 5, tzinfo=UTC), datetime(2026, 1, 2, 2, tzinfo=UTC)
    source = ParquetSource(hive, time_column="t", start=start, end=end)
    parts = source.partitions()
    assert len(parts) == 3  # row groups wholly outside the window are not even listed
    frame = read_all(source, ["t", "x"])
    expected = pd.concat([hourly(1), hourly(2)])
    expected = expected[(expected["t"] >= start) & (expected["t"] < end)]
    assert frame["x"].tolist() == expected["x"].tolist()


def test_partitions_pickle_for_remote_workers(hive):
    part = ParquetSource(hive).partitions()[4]
    again = pickle.loads(pickle.dumps(part))
    assert again.read(["x"]).equals(part.read(["x"]))


def test_a_file_with_a_changed_type_is_refused_naming_file_column_and_types(hive):
    frame = hourly(3)
    frame["x"] = frame["x"].astype("int64")
    (hive / "day=3").mkdir()
    frame.to_parquet(hive / "day=3" / "part.parquet")
    with pytest.raises(SchemaMismatchError) as err:
        ParquetSource(hive).partitions()
    message = str(err.value)
    assert "day=3/part.parquet" in message and "'x'" in message
    assert "double" in message and "int64" in message


def test_a_file_missing_a_column_is_refused(hive):
    (hive / "day=3").mkdir()
    hourly(3).drop(columns="s").to_parquet(hive / "day=3" / "part.parquet")
    with pytest.raises(SchemaMismatchError, match=r"day=3/part.parquet: column 's' .* has no such column"):
        ParquetSource(hive).partitions()


def test_an_unreadable_file_raises_source_error_naming_it(hive):
    (hive / "day=3").mkdir()
    (hive / "day=3" / "part.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(SourceError, match=r"day=3/part.parquet"):
        ParquetSource(hive).partitions()


def test_a_missing_path_raises_source_error(tmp_path):
    with pytest.raises(SourceError, match="no Parquet data"):
        ParquetSource(tmp_path / "nothing-here").schema()


def test_start_without_time_column_is_refused(hive):
    with pytest.raises(SourceError, match="time_column"):
        ParquetSource(hive, start=datetime(2026, 1, 1, tzinfo=UTC))


def test_frame_source_slices_rows_and_keeps_dtypes():
    frame = pd.DataFrame({"a": [1, 2, 3], "b": ["x", None, "z"]})
    source = FrameSource(frame, rows_per_partition=2)
    parts = [f for _, f in iter_frames(source, ["a", "b"])]
    assert [len(p) for p in parts] == [2, 1]
    pd.testing.assert_frame_equal(pd.concat(parts), frame)
    assert source.schema().names == ["a", "b"]


def test_s3_dataset_through_pyarrow(seaweed, monkeypatch):
    boto3 = pytest.importorskip("boto3")
    for key, value in seaweed.env().items():
        monkeypatch.setenv(key, value)
    client = boto3.client("s3")
    client.create_bucket(Bucket="lazy")
    for day in (1, 2):
        sink = pa.BufferOutputStream()
        pq.write_table(pa.Table.from_pandas(hourly(day), preserve_index=False), sink, row_group_size=4)
        client.put_object(
            Bucket="lazy", Key=f"events/day={day}/part.parquet", Body=sink.getvalue().to_pybytes()
        )
    source = ParquetSource("s3://lazy/events")
    assert len(source.partitions()) == 6
    frame = read_all(source, ["x", "day"])
    assert frame["x"].tolist() == hourly(1)["x"].tolist() + hourly(2)["x"].tolist()
    assert sorted(set(frame["day"])) == [1, 2]


def test_only_the_listed_columns_are_part_of_the_source(hive):
    source = ParquetSource(hive, columns=["x"])
    assert source.schema().names == ["x"]
    assert read_all(source, ["x"])["x"].tolist() == hourly(1)["x"].tolist() + hourly(2)["x"].tolist()
    with pytest.raises(SourceError, match="has no column 'nope'"):
        ParquetSource(hive, columns=["x", "nope"]).schema()
