"""A Parquet file written from pandas keeps its nullable dtypes out of core, as ``pd.read_parquet`` does."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from monitorflow import TestSuite
from monitorflow.scale import ParquetSource
from monitorflow.scale.source import declared_dtypes
from monitorflow.test_preset import DataStabilityTestPreset
from monitorflow.tests import TestColumnsType
from tests.support.compare import assert_same


def nullable_frame(seed: int, n: int = 120) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    gaps = rng.random(n) < 0.2
    return pd.DataFrame(
        {
            "count": pd.array(np.where(gaps, None, rng.integers(0, 9, n)), dtype="Int64"),
            "score": pd.array(np.where(gaps, None, rng.normal(0, 1, n)), dtype="Float64"),
            "flag": pd.array(np.where(gaps, None, rng.integers(0, 2, n).astype(bool)), dtype="boolean"),
            "plain": rng.integers(0, 9, n),
            "gappy_int": np.where(gaps, np.nan, rng.integers(0, 9, n)),
        }
    )


def test_declared_dtypes_are_the_nullable_ones_pandas_restores(tmp_path):
    path = tmp_path / "w.parquet"
    nullable_frame(0).to_parquet(path)
    restored = pd.read_parquet(path).dtypes
    declared = declared_dtypes(pa.parquet.read_schema(path))
    assert declared == {c: restored[c] for c in ("count", "score", "flag")}
    assert declared_dtypes(pa.schema([pa.field("x", pa.int64())])) == {}


@pytest.mark.parametrize(
    "suite",
    [lambda: TestSuite(tests=[TestColumnsType()]), lambda: TestSuite(tests=[DataStabilityTestPreset()])],
)
def test_nullable_columns_give_the_results_of_the_frame_read_back(tmp_path, suite):
    for name, seed in (("current", 1), ("reference", 2)):
        nullable_frame(seed).to_parquet(tmp_path / f"{name}.parquet", row_group_size=25)
    frames = {name: pd.read_parquet(tmp_path / f"{name}.parquet") for name in ("current", "reference")}
    in_memory, lazy = suite(), suite()
    in_memory.run(current_data=frames["current"], reference_data=frames["reference"])
    lazy.run(
        current_data=ParquetSource(tmp_path / "current.parquet"),
        reference_data=ParquetSource(tmp_path / "reference.parquet"),
    )
    expected, got = in_memory.as_dict(), lazy.as_dict()
    expected.pop("timestamp", None), got.pop("timestamp", None)
    assert_same(expected, got)
    types = {
        c["column_name"]: c["actual_type"]
        for t in got["tests"]
        if t["name"] == "Column Types"
        for c in t["parameters"]["columns"]
    }
    if types:
        assert types["count"] == "int64" and types["gappy_int"] == "float64"
