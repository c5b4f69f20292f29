"""Report and TestSuite on lazy sources: Parquet datasets, refusals by name, source capabilities."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from monitorflow import ColumnMapping, Report, TestSuite
from monitorflow.errors import ColumnTypeError, EmptyDataError, NotComputableLazily, SchemaMismatchError
from monitorflow.metric_preset import DataDriftPreset, DataQualityPreset
from monitorflow.metrics import ColumnDriftMetric, DatasetCorrelationsMetric
from monitorflow.scale import FrameSource, ParquetSource, configure, options
from monitorflow.test_preset import DataStabilityTestPreset

from .test_scale_parity import assert_same


def window(seed: int, n: int = 3000, start: str = "2026-01-01") -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "ts": pd.date_range(start, periods=n, freq="min", tz="UTC"),
            "amount": np.where(rng.random(n) < 0.05, np.nan, rng.lognormal(2 + seed * 0.1, 1, n)),
            "age": rng.integers(18, 90, n),
            "plan": rng.choice(["free", "pro", "team"], n, p=[0.6, 0.3, 0.1]),
            "flag": rng.random(n) < 0.2,
        }
    )
    frame.loc[rng.random(n) < 0.03, "plan"] = None
    return frame


@pytest.fixture
def folders(tmp_path):
    """Reference and current as hive-partitioned Parquet folders (several files and row groups)."""
    out = {}
    for name, seed in (("reference", 1), ("current", 2)):
        frame = window(seed)
        for day, part in frame.groupby(frame["ts"].dt.day):
            folder = tmp_path / name / f"day={day}"
            folder.mkdir(parents=True)
            part.drop(columns=[]).to_parquet(folder / "part.parquet", row_group_size=400, index=False)
        out[name] = tmp_path / name
    return out


def results(suite) -> dict:
    data = suite.as_dict()
    data.pop("timestamp", None)
    return data


def in_memory(folder) -> pd.DataFrame:
    """The folder as pandas reads it, hive keys as the integers pyarrow.dataset reads (pandas makes them
    categorical)."""
    frame = pd.read_parquet(folder).sort_values("ts", kind="stable").reset_index(drop=True)
    return frame.astype({"day": "int32"})


def test_parquet_folders_give_the_in_memory_results(folders):
    mapping = ColumnMapping(datetime="ts")
    expected = Report(metrics=[DataDriftPreset(), DataQualityPreset()])
    expected.run(
        reference_data=in_memory(folders["reference"]),
        current_data=in_memory(folders["current"]),
        column_mapping=mapping,
    )
    lazy = Report(metrics=[DataDriftPreset(), DataQualityPreset()])
    lazy.run(
        reference_data=ParquetSource(folders["reference"]),
        current_data=ParquetSource(folders["current"]),
        column_mapping=mapping,
    )
    assert_same(results(expected), results(lazy))
    assert lazy.datasets() == (None, None)  # rows were never loaded, so none are stored with the snapshot
    assert lazy.to_snapshot().metrics  # the snapshot is written as for a frame


def test_the_time_window_is_pushed_down_and_gives_the_filtered_results(folders):
    start, end = datetime(2026, 1, 1, 10, tzinfo=UTC), datetime(2026, 1, 2, 20, tzinfo=UTC)
    current = in_memory(folders["current"])
    current = current[(current["ts"] >= start) & (current["ts"] < end)].reset_index(drop=True)
    expected = TestSuite(tests=[DataStabilityTestPreset()])
    expected.run(reference_data=in_memory(folders["reference"]), current_data=current)
    lazy = TestSuite(tests=[DataStabilityTestPreset()])
    lazy.run(
        reference_data=ParquetSource(folders["reference"]),
        current_data=ParquetSource(folders["current"], time_column="ts", start=start, end=end),
    )
    assert_same(results(expected), results(lazy))


def test_a_frame_and_a_lazy_source_mix_in_one_run(folders):
    reference = in_memory(folders["reference"])
    expected = Report(metrics=[DataDriftPreset()])
    expected.run(reference_data=reference, current_data=in_memory(folders["current"]))
    lazy = Report(metrics=[DataDriftPreset()])
    lazy.run(reference_data=reference, current_data=ParquetSource(folders["current"]))
    assert_same(results(expected), results(lazy))


def test_a_metric_that_needs_rows_is_refused_by_name_and_the_others_still_run(folders):
    report = Report(metrics=[DatasetCorrelationsMetric(), ColumnDriftMetric(column_name="amount")])
    report.run(
        reference_data=ParquetSource(folders["reference"]), current_data=ParquetSource(folders["current"])
    )
    first, second = report.as_dict()["metrics"]
    assert "DatasetCorrelationsMetric needs the rows of" in first["error"]
    assert "nothing is sampled" in first["error"] and "pandas DataFrame" in first["error"]
    with pytest.raises(NotComputableLazily):
        report.result(DatasetCorrelationsMetric())
    assert second["result"]["stattest"] == "wasserstein"


def test_a_partition_with_another_type_stops_the_run_naming_file_column_and_types(folders):
    bad = window(3, 50)
    bad["age"] = bad["age"].astype("float64")
    folder = folders["current"] / "day=9"
    folder.mkdir()
    bad.to_parquet(folder / "part.parquet")
    with pytest.raises(SchemaMismatchError) as err:
        Report(metrics=[DataQualityPreset()]).run(current_data=ParquetSource(folders["current"]))
    assert "day=9/part.parquet" in str(err.value) and "'age'" in str(err.value)
    assert "int64" in str(err.value) and "double" in str(err.value)


def test_a_window_without_rows_is_an_empty_data_error(folders):
    future = datetime(2030, 1, 1, tzinfo=UTC)
    with pytest.raises(EmptyDataError, match="current_data has 0 rows in"):
        Report(metrics=[DataQualityPreset()]).run(
            current_data=ParquetSource(folders["current"], time_column="ts", start=future)
        )


def test_a_declared_number_that_is_not_one_names_the_value_as_in_memory():
    frame = pd.DataFrame({"x": ["1.5", "2", "abc", "4"]})
    mapping = ColumnMapping(numerical_features=["x"])
    with pytest.raises(ColumnTypeError) as in_memory_error:
        Report(metrics=[DataQualityPreset()]).run(current_data=frame, column_mapping=mapping)
    with pytest.raises(ColumnTypeError) as lazy_error:
        Report(metrics=[DataQualityPreset()]).run(current_data=FrameSource(frame, 2), column_mapping=mapping)
    assert str(lazy_error.value) == str(in_memory_error.value)


def test_a_stattest_without_an_out_of_core_form_refuses_above_the_budget():
    rng = np.random.default_rng(0)
    # more values than the budget, and than the 1 MiB any sample may take
    reference, current = (
        pd.DataFrame({"x": rng.normal(size=150_000)}),
        pd.DataFrame({"x": rng.normal(size=150_000)}),
    )
    before = options()
    configure(memory_budget=8 * 1000)
    try:
        report = Report(metrics=[ColumnDriftMetric(column_name="x", stattest="es")])
        report.run(reference_data=FrameSource(reference, 50_000), current_data=FrameSource(current, 50_000))
    finally:
        configure(memory_budget=before.memory_budget)
    result = report.as_dict()["metrics"][0]["result"]
    assert result["message"].startswith("not computable") and "memory budget" in result["message"]
    assert np.isnan(result["drift_score"]) or result["drift_score"] is None


class SortedSource(FrameSource):
    """A source that sorts columns itself (as a database would with ORDER BY)."""

    def __init__(self, frame, **kwargs):
        super().__init__(frame, **kwargs)
        self.asked: list[str] = []

    def sorted_values(self, column):
        self.asked.append(column)
        values = self.frame[column].to_numpy(dtype="float64")
        ordered = np.sort(values[np.isfinite(values)])
        return iter(np.array_split(ordered, 7))


def test_a_source_that_sorts_is_used_instead_of_the_external_sort():
    rng = np.random.default_rng(1)
    # more distinct values than profiles count exactly: the column needs sorting
    reference, current = (
        pd.DataFrame({"x": rng.normal(size=4000)}),
        pd.DataFrame({"x": rng.normal(0.2, 1, 70_000)}),
    )
    source = SortedSource(current, rows_per_partition=9000)
    lazy = Report(metrics=[DataDriftPreset(), DataQualityPreset()])
    lazy.run(reference_data=reference, current_data=source)
    expected = Report(metrics=[DataDriftPreset(), DataQualityPreset()])
    expected.run(reference_data=reference, current_data=current)
    assert source.asked == ["x"]
    assert_same(results(expected), results(lazy))


class CountingSource(FrameSource):
    """A frame source that counts the partitions read."""

    reads = 0

    def partitions(self):
        parts = super().partitions()
        source = self

        class Counted:
            def __init__(self, part):
                self.part = part
                self.name, self.rows, self.row_offset = part.name, part.rows, part.row_offset

            def read(self, columns):
                return self.part.read(columns)

            def read_frame(self, columns):
                source.reads += 1
                return self.part.read_frame(columns)

        return [Counted(p) for p in parts]


def test_a_profiled_reference_is_reused_from_the_cache_by_content(tmp_path):
    rng = np.random.default_rng(2)
    reference = pd.DataFrame({"x": rng.normal(size=80_000), "c": rng.choice(list("abc"), 80_000)})
    current = pd.DataFrame({"x": rng.normal(0.1, 1, 70_000), "c": rng.choice(list("abd"), 70_000)})
    expected = Report(metrics=[DataDriftPreset(), DataQualityPreset()])
    expected.run(reference_data=reference, current_data=current)
    before = options()
    configure(cache_dir=tmp_path / "cache")
    try:
        runs = []
        for _ in range(2):
            source = CountingSource(reference, rows_per_partition=20_000)
            lazy = Report(metrics=[DataDriftPreset(), DataQualityPreset()])
            lazy.run(reference_data=source, current_data=FrameSource(current, 30_000))
            runs.append(source.reads)
            assert_same(results(expected), results(lazy))
        changed = reference.copy()
        changed.loc[0, "x"] += 1.0
        source = CountingSource(changed, rows_per_partition=20_000)
        Report(metrics=[DataDriftPreset()]).run(
            reference_data=source, current_data=FrameSource(current, 30_000)
        )
    finally:
        configure(cache_dir=before.cache_dir)
    assert runs[0] > 0 and runs[1] == 0  # the second run profiled and sorted nothing of the reference
    assert source.reads > 0  # changed data: another key, profiled again
    assert len(list((tmp_path / "cache").iterdir())) == 2


def test_spilled_columns_evicted_beyond_the_disk_budget_are_sorted_again(tmp_path):
    rng = np.random.default_rng(3)
    columns = {f"x{i}": rng.normal(i, 1, 70_000) for i in range(3)}  # too many values to count: sorted
    reference, current = pd.DataFrame(columns), pd.DataFrame({k: v + 0.01 for k, v in columns.items()})
    expected = Report(metrics=[DataDriftPreset(num_stattest="ks"), DataQualityPreset()])
    expected.run(reference_data=reference, current_data=current)
    before = options()
    # one column's values per sort, and room on disk for one sorted column: every other file is evicted
    configure(memory_budget=8 * 70_000, spill_budget=8 * 70_000, spill_dir=tmp_path)
    try:
        lazy = Report(metrics=[DataDriftPreset(num_stattest="ks"), DataQualityPreset()])
        lazy.run(reference_data=FrameSource(reference, 30_000), current_data=FrameSource(current, 25_000))
    finally:
        configure(memory_budget=before.memory_budget, spill_budget=before.spill_budget or 8 << 30)
    assert_same(results(expected), results(lazy))
    assert list(tmp_path.iterdir()) == []


def test_a_text_column_with_too_many_values_to_count_is_refused_by_name(monkeypatch):
    import monitorflow.scale.side_profile as side_profile

    monkeypatch.setattr(side_profile, "MAX_CATEGORIES", 100)
    frame = pd.DataFrame({"user": [f"u{i}" for i in range(500)], "x": np.arange(500.0)})
    with pytest.raises(NotComputableLazily, match=r"column 'user'.*more than 100 distinct values"):
        Report(metrics=[DataQualityPreset()]).run(current_data=FrameSource(frame, 100))
