"""The out-of-core engine gives the in-memory engine's results: any frame, cut into any partitions,
with a memory budget so small that every sorted column spills into runs that are merged on disk.

The expected side is the in-memory engine on the whole frame (its own tests check it against
pandas, scipy and Evidently); the lazy side never holds the frame.
"""

from __future__ import annotations

import math
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitorflow import ColumnMapping, Report, TestSuite
from monitorflow.errors import MonitoringError
from monitorflow.metric_preset import DataDriftPreset, DataQualityPreset
from monitorflow.scale import FrameSource, configure, options
from monitorflow.stattests import STATTESTS
from monitorflow.test_preset import DataQualityTestPreset, DataStabilityTestPreset
from tests.support.compare import assert_same, magnitude

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def tiny_budget():
    """64 values per sorted run: columns of more than 64 values spill and merge runs."""
    before = options()
    configure(memory_budget=512, workers=2)
    yield
    configure(memory_budget=before.memory_budget, workers=before.workers)


floats = st.one_of(
    st.floats(-1e6, 1e6),
    st.sampled_from([math.nan, math.inf, -math.inf, 0.0, -0.0, 2.5]),
)


def column(kind: str, n: int) -> st.SearchStrategy[pd.Series]:
    if kind == "float":
        return st.lists(floats, min_size=n, max_size=n).map(lambda v: pd.Series(v, dtype="float64"))
    if kind == "round":  # many ties
        return st.lists(st.integers(-3, 30).map(float) | st.just(math.nan), min_size=n, max_size=n).map(
            lambda v: pd.Series(v, dtype="float64")
        )
    if kind == "int":
        return st.lists(st.integers(-50, 50), min_size=n, max_size=n).map(
            lambda v: pd.Series(v, dtype="int64")
        )
    if kind == "few":
        return st.lists(st.integers(0, 3), min_size=n, max_size=n).map(lambda v: pd.Series(v, dtype="int64"))
    if kind == "bool":
        return st.lists(st.booleans(), min_size=n, max_size=n).map(lambda v: pd.Series(v, dtype=bool))
    if kind == "string":
        values = st.one_of(st.none(), st.sampled_from(["a", "b", "c", "", "é"]))
        return st.lists(values, min_size=n, max_size=n).map(lambda v: pd.Series(v, dtype="str"))
    stamps = st.one_of(
        st.none(), st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2020, 1, 3))
    )
    return st.lists(stamps, min_size=n, max_size=n).map(lambda v: pd.Series(pd.to_datetime(v)))


KINDS = ("float", "round", "int", "few", "bool", "string", "datetime")


@st.composite
def frames(draw, schema: dict[str, str]) -> pd.DataFrame:
    n = draw(st.integers(1, 150))
    return pd.DataFrame({name: draw(column(kind, n)).reset_index(drop=True) for name, kind in schema.items()})


@st.composite
def runs(draw):
    schema = draw(
        st.dictionaries(st.sampled_from(list("abcdefg")), st.sampled_from(KINDS), min_size=1, max_size=6)
    )
    current, reference = draw(frames(schema)), draw(frames(schema))
    if draw(st.booleans()):  # a duplicated column
        name = draw(st.sampled_from(sorted(schema)))
        current["copy"], reference["copy"] = current[name], reference[name]
    if draw(st.booleans()):  # duplicated rows
        current = pd.concat([current, current.iloc[: draw(st.integers(1, 20))]], ignore_index=True)
    parts = (draw(st.integers(1, 60)), draw(st.integers(1, 60)))
    return current, reference, parts


def both(make, current, reference, parts, mapping=None):
    """(in-memory result, out-of-core result) of a Report or TestSuite, or the same error type."""
    outcomes = []
    for cur, ref in (
        (current, reference),
        (FrameSource(current, parts[0]), FrameSource(reference, parts[1])),
    ):
        suite = make()
        try:
            suite.run(reference_data=ref, current_data=cur, column_mapping=mapping)
        except MonitoringError as exc:
            outcomes.append(type(exc))
            continue
        data = suite.as_dict()
        data.pop("timestamp", None)
        outcomes.append(data)
    return outcomes


@SETTINGS
@given(runs())
def test_data_drift_and_quality_presets_match_the_in_memory_engine(run):
    current, reference, parts = run
    expected, got = both(
        lambda: Report(metrics=[DataDriftPreset(), DataQualityPreset()]), current, reference, parts
    )
    assert_same(expected, got, scale=magnitude(current, reference))


@SETTINGS
@given(runs())
def test_stability_and_quality_test_presets_match_the_in_memory_engine(run):
    current, reference, parts = run
    make = lambda: TestSuite(tests=[DataStabilityTestPreset(), DataQualityTestPreset()])  # noqa: E731
    expected, got = both(make, current, reference, parts)
    if isinstance(expected, dict):
        for data in (expected, got):
            for test in data["tests"]:
                test.pop("group", None)
    assert_same(expected, got)


NUMERIC_TESTS = sorted(
    name for name, t in STATTESTS.items() if "num" in t.column_types and name != "empirical_mmd"
)


@pytest.mark.parametrize("stattest", NUMERIC_TESTS)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_numerical_stattest_matches_the_in_memory_engine(stattest, data):
    schema = {"x": data.draw(st.sampled_from(["float", "round", "int"])), "y": "float"}
    current, reference = data.draw(frames(schema)), data.draw(frames(schema))
    parts = (data.draw(st.integers(1, 50)), data.draw(st.integers(1, 50)))
    mapping = ColumnMapping(numerical_features=["x", "y"])
    make = lambda: Report(metrics=[DataDriftPreset(num_stattest=stattest)])  # noqa: E731
    expected, got = both(make, current, reference, parts, mapping)
    assert_same(expected, got)


def test_a_column_larger_than_the_budget_is_sorted_exactly(tmp_path):
    rng = np.random.default_rng(5)
    reference = pd.DataFrame({"x": np.round(rng.normal(0, 1, 20_000), 3)})
    current = pd.DataFrame({"x": np.round(rng.normal(0.1, 1, 30_000), 3)})
    configure(memory_budget=8 * 1000, spill_dir=tmp_path)  # 30 runs of 1,000 values
    expected, got = both(
        lambda: Report(metrics=[DataDriftPreset(num_stattest="ks"), DataQualityPreset()]),
        current,
        reference,
        (3333, 4096),
    )
    assert_same(expected, got)
    assert list(tmp_path.iterdir()) == []  # the spill folder of the run is gone


def parquet_both(make, current, reference, parts, folder):
    """(in-memory result on the files as pandas reads them, out-of-core result on the files)."""
    from monitorflow.scale import ParquetSource

    paths = []
    for name, frame, size in (("current", current, parts[0]), ("reference", reference, parts[1])):
        path = folder / f"{name}.parquet"
        frame.to_parquet(path, row_group_size=size, index=False)
        paths.append(path)
    outcomes = []
    for cur, ref in (
        (pd.read_parquet(paths[0]), pd.read_parquet(paths[1])),
        (ParquetSource(paths[0]), ParquetSource(paths[1])),
    ):
        suite = make()
        try:
            suite.run(reference_data=ref, current_data=cur)
        except MonitoringError as exc:
            outcomes.append(type(exc))
            continue
        data = suite.as_dict()
        data.pop("timestamp", None)
        outcomes.append(data)
    return outcomes


@SETTINGS
@given(run=runs())
def test_parquet_files_read_through_arrow_match_the_in_memory_engine(run, tmp_path_factory):
    current, reference, parts = run
    folder = tmp_path_factory.mktemp("parquet")
    make = lambda: Report(metrics=[DataDriftPreset(), DataQualityPreset()])  # noqa: E731
    expected, got = parquet_both(make, current, reference, parts, folder)
    assert_same(expected, got, scale=magnitude(current, reference))
