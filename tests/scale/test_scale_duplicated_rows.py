"""Duplicated rows out of core equal pandas' ``DataFrame.duplicated().sum()`` with the fingerprints spilled.

The memory budget is made tiny, so the fingerprints go to the most bucket files and each file is
read in many chunks; the expected counts are pandas' on the whole frame.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitorflow import Report
from monitorflow.metrics import DatasetSummaryMetric
from monitorflow.scale import FrameSource, ParquetSource, configure, options
from monitorflow.scale import row_fingerprints as fp

TINY = 4096  # bytes: 256 bucket files, 1024-row chunks


@pytest.fixture
def tiny_budget():
    before = options()
    configure(memory_budget=TINY, workers=2)
    yield
    configure(memory_budget=before.memory_budget, workers=before.workers)


def slices(frame: pd.DataFrame, size: int):
    for start in range(0, len(frame.index), size):
        yield frame.iloc[start : start + size]


def spilled_count(frame: pd.DataFrame, tmp_path, size: int = 7) -> int:
    return fp.count_duplicated(
        lambda: slices(frame, size), len(frame.columns), len(frame.index), TINY, tmp_path / "fp"
    )


def report_count(source) -> int:
    report = Report(metrics=[DatasetSummaryMetric()])
    report.run(reference_data=None, current_data=source)
    return report.as_dict()["metrics"][0]["result"]["current"]["number_of_duplicated_rows"]


def mixed_frame(n: int, rng: np.random.Generator) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "x": rng.choice([0.5, -0.0, 0.0, np.nan, 1e300], n),
            "k": rng.integers(0, 3, n),
            "s": pd.Series(rng.choice(["a", "b", None], n), dtype=object),
            "b": rng.random(n) < 0.5,
            "t": pd.to_datetime(rng.choice(["2026-01-01", "2026-01-02"], n)),
        }
    )
    frame.loc[rng.random(n) < 0.1, "s"] = np.nan  # None and NaN, missing alike in a frame
    return frame


def test_bucket_files_and_chunks_follow_the_budget():
    assert fp.bucket_bits(100_000_000, 1 << 30) == 5  # 100M fingerprints: 32 files of 50 MB
    assert fp.bucket_bits(10, 1 << 30) == fp.MIN_BITS
    assert fp.bucket_bits(100_000, TINY) == fp.MAX_BITS


def test_every_row_duplicated_in_one_bucket_read_in_chunks(tmp_path):
    frame = pd.DataFrame({"x": [1.5] * 5000, "s": ["v"] * 5000})  # one fingerprint: one file, 5 chunks
    assert spilled_count(frame, tmp_path, size=333) == int(frame.duplicated().sum()) == 4999


def test_no_row_duplicated(tmp_path):
    frame = pd.DataFrame({"x": np.arange(3000) * 0.1, "s": [f"v{i}" for i in range(3000)]})
    assert spilled_count(frame, tmp_path) == int(frame.duplicated().sum()) == 0


def test_rows_repeated_ten_times_like_the_linked_bench_window(tmp_path):
    rng = np.random.default_rng(7)
    base = mixed_frame(400, rng).drop_duplicates()
    frame = pd.concat([base] * 10, ignore_index=True)
    assert spilled_count(frame, tmp_path, size=97) == int(frame.duplicated().sum()) == 9 * len(base)


def test_missing_values_and_mixed_types_follow_pandas(tmp_path):
    frame = pd.DataFrame(
        {
            "o": pd.Series([1, 1.0, True, "1", None, np.nan, pd.NA, pd.NaT, "1", 2], dtype=object),
            "y": [0] * 10,
        }
    )
    # 1, 1.0 and True are one value (2), "1" repeats (1), None, NaN, NA and NaT are one value (3)
    assert spilled_count(frame, tmp_path, size=3) == int(frame.duplicated().sum()) == 6


def test_one_column_tells_missing_values_apart_as_series_duplicated(tmp_path):
    frame = pd.DataFrame({"o": pd.Series([None, np.nan, None, float("nan"), pd.NA, "a", "a"], dtype=object)})
    assert spilled_count(frame, tmp_path, size=2) == int(frame.duplicated().sum()) == 3


def test_signed_zeros_and_nans_are_equal_values(tmp_path):
    frame = pd.DataFrame({"x": [0.0, -0.0, np.nan, -np.nan, np.float32(np.nan)], "k": [1, 1, 2, 2, 2]})
    assert spilled_count(frame, tmp_path, size=1) == int(frame.duplicated().sum()) == 3


@pytest.mark.parametrize("kind", ["parquet", "frame"])
def test_report_under_a_tiny_budget_counts_duplicated_rows_as_pandas(tmp_path, tiny_budget, kind):
    rng = np.random.default_rng(11)
    frame = mixed_frame(900, rng)
    frame = pd.concat([frame, frame.iloc[::3]], ignore_index=True)
    if kind == "parquet":
        (tmp_path / "data").mkdir()
        for i, piece in enumerate(slices(frame, 400)):
            piece.to_parquet(tmp_path / "data" / f"part-{i}.parquet", row_group_size=150, index=False)
        source = ParquetSource(tmp_path / "data")
        expected = pd.read_parquet(tmp_path / "data").duplicated().sum()
    else:
        source, expected = FrameSource(frame, 250), frame.duplicated().sum()
    assert report_count(source) == int(expected) >= 300


rows_strategy = st.lists(
    st.tuples(
        st.sampled_from([0.0, -0.0, 1.0, np.nan, np.inf]),
        st.one_of(st.none(), st.just(np.nan), st.sampled_from(["a", "b"]), st.integers(0, 2)),
        st.integers(-2, 2),
    ),
    min_size=1,
    max_size=120,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=rows_strategy, size=st.integers(1, 40), columns=st.integers(1, 3))
def test_property_spilled_count_equals_pandas(tmp_path_factory, rows, size, columns):
    frame = pd.DataFrame(rows, columns=["x", "o", "k"]).iloc[:, :columns]
    if "o" in frame:
        frame["o"] = frame["o"].astype(object)
    directory = tmp_path_factory.mktemp("fp")
    read = lambda: slices(frame, size)  # noqa: E731
    counted = fp.count_duplicated(read, len(frame.columns), len(frame.index), TINY, directory)
    assert counted == int(frame.duplicated().sum())


def test_nullable_and_categorical_dtypes_follow_pandas(tmp_path):
    frame = pd.DataFrame(
        {
            "i": pd.array([1, None, 1, None, 2, 1], dtype="Int64"),
            "b": pd.array([True, None, True, None, False, True], dtype="boolean"),
            "s": pd.array(["a", None, "a", None, "b", "a"], dtype="string"),
            "c": pd.Categorical(["x", None, "x", None, "y", "x"]),
            "t": pd.to_datetime(
                ["2026-01-01", None, "2026-01-01", None, "2026-01-02", "2026-01-01"], utc=True
            ),
        }
    )
    assert spilled_count(frame, tmp_path, size=2) == int(frame.duplicated().sum()) == 3


def test_value_dictionaries_stop_growing_at_their_share_of_the_budget():
    """Past the allowance new values get hash codes: equal values keep equal codes (1, 1.0 and True
    too, as pandas), a value coded before keeps its dictionary code, and the dictionary stays bounded."""
    allowance = fp.DictionaryBudget(2000)
    codes = fp.ValueCodes(single_column=False, budget=allowance)
    first = codes(pd.Series([f"v{i}" for i in range(100)], dtype=object))
    assert allowance.used <= 2000 + fp.ENTRY_BYTES + 100  # one entry may cross the line
    kept = len(codes.dictionary)
    assert 0 < kept < 100
    again = codes(pd.Series([f"v{i}" for i in range(99, -1, -1)] + [1, 1.0, True], dtype=object))
    assert len(codes.dictionary) == kept
    np.testing.assert_array_equal(again[:100], first[::-1])
    assert again[100] == again[101] == again[102]
    assert (first[:kept] < fp.HASHED).all() and (first[kept:] >= fp.HASHED).all()
    assert len(set(first.tolist())) == 100


def test_distinct_texts_past_the_dictionary_allowance_are_counted_as_pandas(tmp_path):
    rng = np.random.default_rng(7)
    frame = pd.DataFrame(
        {"s": pd.Series([f"text-{i}" for i in rng.integers(0, 3000, 6000)], dtype=object), "k": 1}
    )
    assert spilled_count(frame, tmp_path, size=500) == int(frame.duplicated().sum())  # TINY: 1 KB of texts


def test_fingerprint_files_past_the_disk_allowance_are_written_and_counted_in_rounds(tmp_path, monkeypatch):
    """Each round reads the rows again and writes only a range of buckets: the files on disk at once
    stay within the allowance, and the count is pandas'."""
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"x": rng.integers(0, 500, 4000), "s": rng.choice(["a", "b"], 4000)})
    write = fp._write_buckets
    on_disk: list[int] = []

    def measured(frames, codes, bits, first, paths):
        write(frames, codes, bits, first, paths)
        on_disk.append(sum(p.stat().st_size for p in paths))

    monkeypatch.setattr(fp, "_write_buckets", measured)
    disk = 4000 * fp.RECORD // 5
    counted = fp.count_duplicated(
        lambda: slices(frame, 333), 2, len(frame.index), TINY, tmp_path / "fp", disk=disk
    )
    assert counted == int(frame.duplicated().sum())
    assert len(on_disk) >= 5
    assert sum(on_disk) == 4000 * fp.RECORD
    assert max(on_disk) <= 2 * disk  # a round's buckets hold their share, give or take the hash's spread


def test_the_duplicated_rows_pass_reserves_its_files_in_the_spill_budget(tmp_path):
    """Sorted files that can be made again are evicted, least recently used first, to make room."""
    from monitorflow.scale.spill import SortedFile, SpillBudget

    files = []
    for i in range(3):
        path = tmp_path / f"{i}.f64"
        np.arange(100, dtype=np.float64).tofile(path)
        files.append(SortedFile(path, 100, 1 << 20, remake=lambda path=path: path))
    budget = SpillBudget(2400)
    budget.add(files)
    assert all(f.path.exists() for f in files)
    with budget.reserve(1600):
        assert [f.path.exists() for f in files] == [False, False, True]
        assert budget.reserved == 1600
    assert budget.reserved == 0
