"""SQL push-down on a real PostgreSQL server and on DuckDB: the database computes the profile.

Expected numbers come from pandas and numpy on the same rows read with ``pd.read_sql_query`` (what
the in-memory engine would get), never from the push-down code; the profile must also equal the
engine's own ``profile_series`` on those rows (the parity the engine relies on).
"""

from __future__ import annotations

import math
import pickle
from datetime import UTC, datetime
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from monitorflow.errors import ColumnTypeError, SourceError
from monitorflow.scale.profile import MAX_TRACKED_VALUES, ColumnProfile, profile_series
from monitorflow.scale.sql import SQLTableSource

from .sql_tables import mixed_columns, read_back, write_table
from .test_scale_profile import assert_same

pytest.importorskip("sqlalchemy")

KINDS = {"x": "num", "far": "num", "ints": "num", "ints_null": "cat", "text": "cat", "flag": "cat"}


@pytest.fixture(params=[pytest.param("postgresql", marks=pytest.mark.postgres), "duckdb"])
def db_url(request, tmp_path) -> str:
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    pytest.importorskip("duckdb_engine")
    return f"duckdb:///{tmp_path / 'data.duckdb'}"


@pytest.fixture
def mixed(db_url) -> tuple[str, pd.DataFrame]:
    write_table(db_url, "events", mixed_columns(600))
    return db_url, read_back(db_url, "events")


def expected_numeric(series: pd.Series) -> dict:
    values = pd.to_numeric(series).to_numpy(dtype="float64", na_value=np.nan)
    finite = values[np.isfinite(values)]
    return {
        "rows": values.size,
        "missing": int(np.isnan(values).sum()),
        "positive_infinite": int((values == np.inf).sum()),
        "negative_infinite": int((values == -np.inf).sum()),
        "count": finite.size,
        "minimum": finite.min(),
        "maximum": finite.max(),
        "mean": finite.mean(),
        "m2": float(((finite - finite.mean()) ** 2).sum()),
        "values": pd.Series(finite).value_counts(),
    }


def assert_numeric(profile: ColumnProfile, series: pd.Series) -> None:
    want = expected_numeric(series)
    for name in ("rows", "missing", "positive_infinite", "negative_infinite", "minimum", "maximum"):
        assert getattr(profile, name) == want[name], name
    assert profile.nan == want["missing"]
    assert profile.moments.count == want["count"]
    assert profile.moments.mean == pytest.approx(want["mean"], rel=1e-12)
    assert profile.moments.m2 == pytest.approx(want["m2"], rel=1e-9)
    got = profile.values.series().sort_index()
    pd.testing.assert_series_equal(
        got, want["values"].sort_index(), check_names=False, check_index_type=False
    )


def assert_same_profile(a: ColumnProfile, b: ColumnProfile) -> None:
    """The profile tests' comparison (counts bitwise, value counts as series), moments within 1e-9
    relative or, for the mean, the rounding of a double-precision sum (``n * eps * max|x|``: the
    database sums ``x - AVG(x)`` in doubles, where +-1e12 beside small values cancel)."""
    assert_same(a, b)
    if a.moments.count:
        scale = max(abs(b.minimum), abs(b.maximum))
        rounding = 4 * a.moments.count * float(np.finfo(np.float64).eps) * scale
        assert a.moments.mean == pytest.approx(b.moments.mean, rel=1e-9, abs=rounding)
        assert a.moments.m2 == pytest.approx(b.moments.m2, rel=1e-9, abs=1e-300)


def test_numerical_profile_equals_pandas_on_the_same_rows(mixed):
    url, frame = mixed
    profiles = SQLTableSource(url, table="events").profile({"x": "num", "far": "num", "ints": "num"}).profiles
    for column in ("x", "far", "ints"):
        assert_numeric(profiles[column], frame[column])
    # NaN and NULL are both missing, infinities are neither
    x = profiles["x"]
    assert x.missing == sum(1 for i in range(600) if i % 11 == 0 or i % 13 == 0)
    assert x.positive_infinite + x.negative_infinite == sum(
        1 for i in range(600) if i % 29 == 0 and i % 11 and i % 13
    )


def test_moments_far_from_zero_are_exact(db_url):
    rng = np.random.default_rng(3)
    values = (1.7e9 + rng.normal(0, 1e-3, 500)).tolist()  # 13 significant digits cancel
    write_table(db_url, "far", {"v": ("float", values)})
    moments = SQLTableSource(db_url, table="far").profile({"v": "num"}).profiles["v"].moments
    exact = [Fraction(v) for v in values]
    mean = sum(exact) / len(exact)
    assert moments.mean == float(mean)
    assert moments.m2 == pytest.approx(float(sum((v - mean) ** 2 for v in exact)), rel=1e-12)


def test_categorical_value_counts_equal_pandas_value_counts_in_row_order(mixed):
    url, frame = mixed
    profiles = (
        SQLTableSource(url, table="events", order_by="id")
        .profile({"text": "cat", "ints_null": "cat", "flag": "cat"})
        .profiles
    )
    for column in ("text", "ints_null", "flag"):
        profile = profiles[column]
        assert profile.rows == len(frame)
        assert profile.missing == int(frame[column].isna().sum())
        want = frame[column].value_counts()  # most frequent first, ties by first appearance
        pd.testing.assert_series_equal(
            profile.values.series(), want, check_names=False, check_index_type=False
        )
    # an integer column with NULLs reads as float64 in pandas: its missing values count as NaN
    assert profiles["ints_null"].nan == profiles["ints_null"].missing > 0
    assert profiles["text"].nan == 0


def test_every_profile_equals_the_engines_profile_of_the_rows(mixed):
    url, frame = mixed
    source = SQLTableSource(url, table="events", order_by="id")
    pushed = source.profile(KINDS).profiles
    for column, kind in KINDS.items():
        assert_same_profile(pushed[column], profile_series(frame[column], kind))


def test_histograms_use_numpys_bins_with_values_on_the_edges(db_url):
    values = [0.0, 0.5, 1.0, 1.0, 2.0, 2.5, 3.0, 3.0, -1.0, 4.0, math.nan, None, math.inf]
    write_table(db_url, "edges", {"v": ("float", values)})
    edges = np.array([0.0, 1.0, 2.0, 3.0])
    got = SQLTableSource(db_url, table="edges").histograms({"v": edges})["v"]
    finite = np.array([v for v in values if v is not None and math.isfinite(v)])
    want, _ = np.histogram(finite, bins=edges)
    assert got.counts.tolist() == want.tolist() == [2, 2, 4]  # the last bin holds 3.0: closed
    assert np.array_equal(got.edges, edges)


def test_sorted_values_stream_and_answer_ranks_and_counts(db_url):
    import sqlalchemy as sa

    n = MAX_TRACKED_VALUES + 5_000  # more distinct values than profiles track: answered by the database
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS wide"))
        conn.execute(
            sa.text(
                "CREATE TABLE wide AS SELECT g AS id, CAST(((g * 7919) % 70001) AS DOUBLE PRECISION) / 7.0 "
                "AS v "
                f"FROM generate_series(0, {n - 1}) AS s(g)"
            )
        )
        conn.execute(sa.text("UPDATE wide SET v = NULL WHERE id % 1000 = 0"))
    engine.dispose()
    frame = read_back(db_url, "wide")
    want = np.sort(frame["v"].dropna().to_numpy())
    source = SQLTableSource(db_url, table="wide", chunk_rows=10_000)
    values = source.sorted_values("v")
    assert source.profile({"v": "num"}).profiles["v"].values is None
    assert values.size == want.size
    chunks = list(values)
    assert len(chunks) > 1 and all(c.size <= 10_000 for c in chunks)
    assert np.array_equal(np.concatenate(chunks), want)
    probes = np.array([want[0], want[100], 5000.0, want[-1] + 1])
    for side in ("left", "right"):
        assert values.searchsorted(probes, side).tolist() == np.searchsorted(want, probes, side).tolist()
        many = np.linspace(-1, want[-1], 1000)  # more probes than one counting scan: from the runs
        assert np.array_equal(values.searchsorted(many, side), np.searchsorted(want, many, side))
    ranks = np.array([0, 1, want.size // 2, want.size - 1])
    assert values.take(ranks).tolist() == want[ranks].tolist()
    assert values[-1] == want[-1]
    keys, counts = zip(*values.runs(), strict=True)
    assert np.array_equal(np.repeat(np.concatenate(keys), np.concatenate(counts)), want)


def test_few_distinct_values_are_answered_from_the_profile(mixed):
    url, frame = mixed
    values = SQLTableSource(url, table="events").sorted_values("ints")
    want = np.sort(frame["ints"].to_numpy(dtype="float64"))
    assert values.take(np.array([0, 300, 599])).tolist() == want[[0, 300, 599]].tolist()
    assert values.searchsorted(0.0, "right") == np.searchsorted(want, 0.0, "right")


def test_window_and_filters_are_pushed_into_the_where_clause(mixed):
    url, frame = mixed
    start, end = datetime(2026, 1, 2, tzinfo=UTC), datetime(2026, 1, 3, tzinfo=UTC)
    source = SQLTableSource(url, table="events", time_column="ts", start=start, end=end, order_by="id")
    eu = source.where(segment="eu")
    times = pd.to_datetime(frame["ts"], utc=True)
    rows = frame[(times >= start) & (times < end) & (frame["segment"] == "eu")].reset_index(drop=True)
    assert 0 < eu.rows() == len(rows) < source.rows() < len(frame)
    pushed = eu.profile({"x": "num", "text": "cat"}).profiles
    assert_same_profile(pushed["x"], profile_series(rows["x"], "num"))
    assert_same_profile(pushed["text"], profile_series(rows["text"], "cat"))
    both = source.where(segment=["eu", "us"])
    assert both.rows() == int(((times >= start) & (times < end) & frame["segment"].isin(["eu", "us"])).sum())


def test_a_query_with_parameters_is_a_source(mixed):
    url, frame = mixed
    source = SQLTableSource(url, query="SELECT * FROM events WHERE ints > :low", params={"low": 10})
    profile = source.profile({"ints": "num"}).profiles["ints"]
    assert profile.rows == int((frame["ints"] > 10).sum())
    assert profile.minimum == frame.loc[frame["ints"] > 10, "ints"].min()


def test_partitions_in_order_read_the_rows_and_pickle(mixed):
    url, frame = mixed
    source = SQLTableSource(url, table="events", order_by="id", rows_per_partition=250)
    parts = source.partitions()
    assert [(p.row_offset, p.rows) for p in parts] == [(0, 250), (250, 250), (500, 100)]
    again = pickle.loads(pickle.dumps(parts[1]))
    table = again.read(["id", "x", "text"])
    assert table.column("id").to_pylist() == list(range(250, 500))
    got = table.to_pandas()["x"].to_numpy()
    np.testing.assert_array_equal(got, frame["x"].to_numpy()[250:500])
    assert source.schema().field("x").type == "double" and source.schema().field("ints").type == "int64"


def test_a_numerical_profile_of_a_text_column_is_refused(mixed):
    url, _ = mixed
    with pytest.raises(ColumnTypeError, match="'text'.*numerical"):
        SQLTableSource(url, table="events").profile({"text": "num"})


def test_a_missing_table_raises_source_error_naming_it(db_url):
    with pytest.raises(SourceError, match="nowhere"):
        SQLTableSource(db_url, table="nowhere").schema()


def test_databases_without_tested_push_down_are_refused(tmp_path):
    with pytest.raises(SourceError, match="push-down supports"):
        SQLTableSource(f"sqlite:///{tmp_path / 'x.db'}", table="t")


def test_empty_windows_profile_as_zero_rows(mixed):
    url, _ = mixed
    source = SQLTableSource(url, table="events", filters={"segment": "nowhere"})
    profiles = source.profile({"x": "num", "text": "cat"}).profiles
    assert profiles["x"].rows == profiles["text"].rows == 0
    assert profiles["x"].moments.count == 0 and math.isnan(profiles["x"].minimum)
    assert len(profiles["text"].values) == 0


def test_the_engines_ecdf_statistics_read_the_database_sorted_values(db_url):
    """Drift statistics on profile-backed NumericalStats equal scipy's on the rows (the engine's path)."""
    from scipy import stats as scipy_stats

    from monitorflow.column_stats import NumericalStats
    from monitorflow.sorted_values import SortedValues
    from monitorflow.stattests.ecdf import ks_distance, wasserstein_distance

    rng = np.random.default_rng(5)
    n = 3000
    write_table(
        db_url,
        "pair",
        {"a": ("float", rng.normal(0, 1, n).tolist()), "b": ("float", rng.normal(0.3, 1.2, n).tolist())},
    )
    frame = read_back(db_url, "pair")
    source = SQLTableSource(db_url, table="pair", chunk_rows=700)

    def stats(column: str) -> NumericalStats:
        p = source.profile({column: "num"}).profiles[column]
        return NumericalStats.from_summary(
            rows=p.rows,
            missing=p.missing,
            positive_infinite=p.positive_infinite,
            negative_infinite=p.negative_infinite,
            finite_count=p.finite_count,
            mean=p.moments.mean,
            m2=p.moments.m2,
            minimum=p.minimum,
            maximum=p.maximum,
            load_sorted=lambda: source.sorted_values(column),
        )

    a, b = stats("a"), stats("b")
    assert isinstance(source.sorted_values("a"), SortedValues)
    x, y = frame["a"].to_numpy(), frame["b"].to_numpy()
    assert ks_distance(a, b) == pytest.approx(scipy_stats.ks_2samp(x, y).statistic, rel=1e-12)
    assert wasserstein_distance(a, b) == pytest.approx(scipy_stats.wasserstein_distance(x, y), rel=1e-9)
    assert a.quantile(0.5) == pytest.approx(np.quantile(x, 0.5), rel=1e-12)
    assert a.std == pytest.approx(np.std(x, ddof=1), rel=1e-9)


def test_pass_a_in_the_database_equals_the_engines_pass_a_of_the_rows(mixed):
    """Rows, empty rows and the default missing values (NULL, NaN, "", infinities) per column and row."""
    from monitorflow.scale.side import profile_partition
    from monitorflow.scale.source import FrameSource

    url, frame = mixed
    write_table(
        url,
        "holes",
        {"a": ("float", [None, math.nan, 1.0, math.inf, None]), "b": ("text", [None, None, "", "x", "y"])},
    )
    holes = read_back(url, "holes").drop(columns="id")
    for table, rows, kinds in (
        ("events", frame.drop(columns="id"), None),
        ("holes", holes, {"a": "num", "b": "cat"}),
    ):
        kinds = kinds or {**KINDS, "ts": "cat", "segment": "cat"}
        pushed = SQLTableSource(url, table=table).profile(kinds, {"ts": "datetime"} if "ts" in kinds else {})
        engine = profile_partition(FrameSource(rows).partitions()[0], kinds, {}, "current_data")
        assert (pushed.rows, pushed.empty_rows) == (engine.rows, engine.empty_rows)
        assert pushed.missing.by_value == engine.missing.by_value
        assert pushed.missing.by_column == engine.missing.by_column
        assert (pushed.missing.rows, pushed.missing.rows_with_any) == (
            engine.missing.rows,
            engine.missing.rows_with_any,
        )
    assert (pushed.empty_rows, pushed.missing.rows_with_any) == (2, 5)  # rows 0 and 1; every row


def test_a_declared_type_the_database_lacks_is_refused(mixed):
    url, _ = mixed
    with pytest.raises(ColumnTypeError, match="'text'.*CAST"):
        SQLTableSource(url, table="events").profile({"text": "num"}, {"text": "num"})


def test_tiny_and_huge_values_profile_without_database_errors(db_url):
    """PostgreSQL raises on float underflow: squares of tiny deviations must not reach it."""
    values = [0.0, 4.3335046758654194e-249, 1e-160, -1e-170, 3e-310]
    write_table(db_url, "tiny", {"v": ("float", values)})
    profile = SQLTableSource(db_url, table="tiny").profile({"v": "num"}).profiles["v"]
    finite = np.array(values)
    assert profile.moments.count == 5 and profile.minimum == -1e-170 and profile.maximum == 1e-160
    assert profile.moments.mean == pytest.approx(finite.mean(), rel=1e-9)
    assert profile.moments.m2 == pytest.approx(((finite - finite.mean()) ** 2).sum(), rel=1e-9, abs=1e-300)
