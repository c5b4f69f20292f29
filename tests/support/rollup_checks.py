"""The daily rollup checked against pandas: ``mf_rollup`` and ``mf_test_rollup`` must equal sums
recomputed from the index's points and test results on every rolled-up day."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from monitorflow.storage import index as index_module
from monitorflow.storage.index import ROLLUP_US
from monitorflow.workspace import Workspace

DAY = ROLLUP_US


def read(ws: Workspace, sql: str) -> list[tuple[Any, ...]]:
    return ws.store.index.runner.read(lambda tx: tx.fetchall(sql))


def expected_rollup(ws: Workspace) -> pd.DataFrame:
    """The rollup recomputed from the points with pandas: per series, UTC day, tag ('' = all), kind."""
    points = pd.DataFrame(read(ws, "SELECT series_id, ts, snapshot_id, value, suite FROM mf_points"),
                          columns=["series_id", "ts", "snapshot_id", "value", "suite"])  # fmt: skip
    tags = pd.DataFrame(
        read(ws, "SELECT snapshot_id, tag FROM mf_snapshot_tags"), columns=["snapshot_id", "tag"]
    )
    points["day"] = (
        pd.to_datetime(points["ts"], unit="us").dt.floor("D").astype("datetime64[us]").astype("int64")
    )
    points["dt"] = points["ts"] - points["day"]
    every = points.assign(tag="")
    tagged = points.merge(tags[tags["tag"] != ""], on="snapshot_id")
    both = pd.concat([every, tagged], ignore_index=True)
    out = both.groupby(["series_id", "tag", "day", "suite"], as_index=False).agg(
        n=("value", "size"), sum_dt=("dt", "sum"), sum_value=("value", "sum")
    )
    return out.sort_values(["series_id", "tag", "day", "suite"]).reset_index(drop=True)


def actual_rollup(ws: Workspace) -> pd.DataFrame:
    rows = read(ws, "SELECT series_id, tag, day, suite, n, sum_dt, sum_value FROM mf_rollup")
    out = pd.DataFrame(rows, columns=["series_id", "tag", "day", "suite", "n", "sum_dt", "sum_value"])
    return out.sort_values(["series_id", "tag", "day", "suite"]).reset_index(drop=True)


def expected_test_rollup(ws: Workspace) -> pd.DataFrame:
    """Test results recomputed with pandas: per project, tag ('' = all), UTC day, test and status."""
    tests = pd.DataFrame(read(ws, "SELECT project_id, snapshot_id, ts, test_fingerprint, status, test_type, name FROM mf_tests"),
                         columns=["project_id", "snapshot_id", "ts", "test_fingerprint", "status", "test_type", "name"])  # fmt: skip
    tags = pd.DataFrame(
        read(ws, "SELECT snapshot_id, tag FROM mf_snapshot_tags"), columns=["snapshot_id", "tag"]
    )
    tests["day"] = (
        pd.to_datetime(tests["ts"], unit="us").dt.floor("D").astype("datetime64[us]").astype("int64")
    )
    both = pd.concat(
        [tests.assign(tag=""), tests.merge(tags[tags["tag"] != ""], on="snapshot_id")], ignore_index=True
    )
    keys = ["project_id", "tag", "day", "test_fingerprint", "status"]
    out = both.groupby(keys, as_index=False).agg(test_type=("test_type", "min"), name=("name", "min"),
                                                 n=("ts", "size"), snapshot_id=("snapshot_id", "min"))  # fmt: skip
    return out.sort_values(keys).reset_index(drop=True)


def actual_test_rollup(ws: Workspace) -> pd.DataFrame:
    keys = ["project_id", "tag", "day", "test_fingerprint", "status"]
    columns = [*keys, "test_type", "name", "n", "snapshot_id"]
    rows = read(ws, f"SELECT {', '.join(columns)} FROM mf_test_rollup")
    return pd.DataFrame(rows, columns=columns).sort_values(keys).reset_index(drop=True)


def dirty_days(ws: Workspace) -> set[int]:
    return {d for (d,) in read(ws, "SELECT DISTINCT day FROM mf_rollup_dirty")}


def sparse_days(ws: Workspace) -> pd.DataFrame:
    return pd.DataFrame(
        read(ws, "SELECT project_id, day FROM mf_rollup_sparse"), columns=["project_id", "day"]
    )


def dense_days(ws: Workspace) -> set[tuple[str, int]]:
    """(project, day) with at least ROLLUP_MIN_SNAPSHOTS snapshots: the days writes roll up."""
    snaps = pd.DataFrame(read(ws, "SELECT project_id, ts FROM mf_snapshots"), columns=["project_id", "ts"])
    snaps["day"] = snaps["ts"] // DAY * DAY
    counts = snaps.groupby(["project_id", "day"]).size()
    return {(p, int(d)) for (p, d), n in counts.items() if n >= index_module.ROLLUP_MIN_SNAPSHOTS}


def assert_rollup_matches_points(ws: Workspace) -> None:
    """After the pending days are recomputed, both rollups equal pandas' sums of the index rows on
    the rolled-up days, and have no rows on the others."""
    ws.store.index.compact_rollup()
    assert dirty_days(ws) == set()
    sparse = sparse_days(ws).assign(sparse=True)
    owner = pd.DataFrame(
        read(ws, "SELECT id, project_id FROM mf_series"), columns=["series_id", "project_id"]
    )
    expected = (
        expected_rollup(ws).merge(owner, on="series_id").merge(sparse, on=["project_id", "day"], how="left")
    )
    expected = (
        expected[expected["sparse"].isna()].drop(columns=["project_id", "sparse"]).reset_index(drop=True)
    )
    actual = actual_rollup(ws)
    assert len(actual) == len(expected) > 0
    for column in ["series_id", "tag", "day", "suite", "n", "sum_dt"]:
        assert actual[column].astype(expected[column].dtype).tolist() == expected[column].tolist(), column
    np.testing.assert_allclose(
        actual["sum_value"].astype(float), expected["sum_value"], rtol=1e-12, atol=1e-9
    )
    expected = expected_test_rollup(ws).merge(sparse, on=["project_id", "day"], how="left")
    expected = expected[expected["sparse"].isna()].drop(columns="sparse").reset_index(drop=True)
    actual = actual_test_rollup(ws)
    assert len(actual) == len(expected) > 0
    for column in expected.columns:
        assert actual[column].astype(expected[column].dtype).tolist() == expected[column].tolist(), column
