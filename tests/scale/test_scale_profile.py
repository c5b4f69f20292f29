"""Column profiles: profiling the parts and merging equals profiling the whole, in any order.

Expected values come from numpy and pandas on the whole column, never from the profile code.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitorflow.scale.profile import (
    MAX_TRACKED_VALUES,
    ColumnProfile,
    FixedHistogram,
    merge_profiles,
    profile_series,
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

EPS = float(np.finfo(np.float64).eps)

floats = st.one_of(
    st.floats(min_value=-1e12, max_value=1e12),
    st.sampled_from([math.nan, math.inf, -math.inf, 0.0, -0.0, 1.5]),
)


@st.composite
def split(draw, values: list) -> list[tuple[int, int]]:
    """Cut points of ``values`` into contiguous parts (empty parts allowed)."""
    n = len(values)
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=5)))
    bounds = [0, *cuts, n]
    return list(zip(bounds[:-1], bounds[1:], strict=True))


def profile_parts(series: pd.Series, kind: str, bounds: list[tuple[int, int]]) -> list[ColumnProfile]:
    return [profile_series(series.iloc[a:b], kind, row_offset=a) for a, b in bounds]


def assert_same(a: ColumnProfile, b: ColumnProfile) -> None:
    """Counts bitwise, moments to rounding, value counts as series (value, count, order)."""
    for name in ("kind", "rows", "missing", "nan", "positive_infinite", "negative_infinite"):
        assert getattr(a, name) == getattr(b, name), name
    for name in ("minimum", "maximum"):
        x, y = getattr(a, name), getattr(b, name)
        assert (math.isnan(x) and math.isnan(y)) or x == y, name
    assert a.moments.count == b.moments.count
    if a.moments.count:
        # a sum of +1e12 and -1e12 keeps only ~1e12 * eps of the rest: the tolerance scales with |x|
        scale = max(abs(a.minimum), abs(a.maximum))
        assert a.moments.mean == pytest.approx(b.moments.mean, rel=1e-9, abs=max(1e-6, 64 * EPS * scale))
        assert a.moments.m2 == pytest.approx(b.moments.m2, rel=1e-7, abs=1e-3)
    assert (a.values is None) == (b.values is None)
    if a.values is not None:
        pd.testing.assert_series_equal(a.values.series(), b.values.series(), check_index_type=False)


@SETTINGS
@given(data=st.data())
def test_numeric_profile_of_parts_merges_to_profile_of_whole(data):
    values = data.draw(st.lists(floats, max_size=80))
    series = pd.Series(values, dtype="float64")
    bounds = data.draw(split(values))
    parts = profile_parts(series, "num", bounds)
    whole = profile_series(series, "num")
    assert_same(merge_profiles(parts), whole)
    shuffled = data.draw(st.permutations(parts))
    assert_same(merge_profiles(shuffled), whole)  # commutative


@SETTINGS
@given(data=st.data())
def test_numeric_profile_matches_numpy_and_pandas(data):
    values = np.array(data.draw(st.lists(floats, max_size=80)), dtype=np.float64)
    profile = profile_series(pd.Series(values), "num")
    finite = values[np.isfinite(values)]
    assert profile.rows == values.size
    assert profile.missing == int(pd.Series(values).isna().sum())
    assert profile.positive_infinite == int(np.sum(values == np.inf))
    assert profile.negative_infinite == int(np.sum(values == -np.inf))
    assert profile.moments.count == finite.size
    if finite.size:
        assert profile.minimum == finite.min() and profile.maximum == finite.max()
        scale = float(np.abs(finite).max())  # cancellation: both sums keep ~n * eps * max|x|
        assert profile.moments.mean == pytest.approx(
            finite.mean(), rel=1e-12, abs=max(1e-9, 64 * EPS * scale)
        )
    if finite.size > 1:
        assert profile.moments.std == pytest.approx(np.std(finite, ddof=1), rel=1e-9, abs=1e-6)
    expected = pd.Series(finite).value_counts().sort_index()
    got = profile.values.series().sort_index()
    assert got.index.tolist() == expected.index.tolist() and got.tolist() == expected.tolist()


@SETTINGS
@given(data=st.data())
def test_integer_profile_counts_values(data):
    values = data.draw(st.lists(st.integers(-(2**40), 2**40) | st.integers(-3, 3), max_size=60))
    series = pd.Series(values, dtype="int64")
    bounds = data.draw(split(values))
    merged = merge_profiles(profile_parts(series, "num", bounds))
    assert merged.rows == len(values) and merged.missing == 0
    expected = series.value_counts()
    assert dict(zip(merged.values.keys.tolist(), merged.values.counts.tolist(), strict=True)) == {
        float(k): int(v) for k, v in expected.items()
    }


categories = st.one_of(st.none(), st.sampled_from(["a", "b", "c", "", "é"]), st.just(math.nan))


@SETTINGS
@given(data=st.data())
def test_categorical_profile_of_parts_gives_value_counts_of_whole(data):
    """Counts and their order (count, then first appearance) equal pandas' value_counts."""
    kind = data.draw(st.sampled_from(["str", "object", "bool"]))
    if kind == "bool":
        values = data.draw(st.lists(st.booleans(), max_size=60))
        series = pd.Series(values, dtype=bool)
    else:
        values = data.draw(st.lists(categories, max_size=60))
        series = pd.Series(values, dtype="str" if kind == "str" else object)
    bounds = data.draw(split(values))
    parts = profile_parts(series, "cat", bounds)
    expected = series.value_counts(dropna=True)
    for order in (parts, data.draw(st.permutations(parts))):
        merged = merge_profiles(order)
        assert merged.rows == len(series)
        assert merged.missing == int(series.isna().sum())
        got = merged.values.series()
        assert got.index.tolist() == expected.index.tolist()
        assert got.tolist() == expected.tolist()


def test_empty_and_all_null_parts_are_neutral():
    whole = pd.Series([1.0, 2.0, np.nan])
    parts = [pd.Series([], dtype="float64"), pd.Series([np.nan, np.nan]), whole]
    merged = merge_profiles([profile_series(p, "num") for p in parts])
    assert merged.rows == 5 and merged.missing == 3 and merged.moments.count == 2
    assert merged.minimum == 1.0 and merged.maximum == 2.0 and merged.moments.mean == 1.5
    empty = ColumnProfile.empty("num")
    assert_same(empty.merge(merged), merged)
    assert_same(merged.merge(empty), merged)


def test_value_tracking_stops_above_the_limit_and_stays_stopped():
    many = pd.Series(np.arange(MAX_TRACKED_VALUES + 1, dtype="float64"))
    few = pd.Series([1.0, 2.0])
    assert profile_series(many, "num").values is None
    assert profile_series(few, "num").merge(profile_series(many, "num")).values is None
    half = pd.Series(np.arange(MAX_TRACKED_VALUES // 2 + 1, dtype="float64"))
    other = pd.Series(np.arange(MAX_TRACKED_VALUES // 2 + 1, dtype="float64") + 0.5)
    assert profile_series(half, "num").merge(profile_series(other, "num")).values is None


def test_moments_stay_accurate_far_from_zero():
    """Chan's merge keeps the variance of values near 1e9, where a sum of squares loses all of it."""
    rng = np.random.default_rng(0)
    values = 1e9 + rng.normal(0, 1e-2, 10_000)
    parts = [profile_series(pd.Series(values[i : i + 997]), "num") for i in range(0, values.size, 997)]
    merged = merge_profiles(parts)
    assert merged.moments.std == pytest.approx(np.std(values, ddof=1), rel=1e-5)
    naive = math.sqrt(max(0.0, (np.sum(values**2) - values.sum() ** 2 / values.size) / (values.size - 1)))
    assert naive != pytest.approx(np.std(values, ddof=1), rel=0.5)


@SETTINGS
@given(data=st.data())
def test_fixed_histograms_merge_to_numpy_histogram(data):
    values = np.array(data.draw(st.lists(st.floats(-100, 100), min_size=1, max_size=60)))
    edges = np.linspace(-100, 100, data.draw(st.integers(1, 12)) + 1)
    bounds = data.draw(split(values.tolist()))
    parts = [FixedHistogram.of(values[a:b], edges) for a, b in bounds]
    merged = parts[0]
    for part in parts[1:]:
        merged = merged.merge(part)
    assert merged.counts.tolist() == np.histogram(values, bins=edges)[0].tolist()


def test_histograms_on_other_edges_do_not_merge():
    a = FixedHistogram.of(np.array([1.0]), np.array([0.0, 1.0]))
    b = FixedHistogram.of(np.array([1.0]), np.array([0.0, 2.0]))
    with pytest.raises(ValueError, match="different edges"):
        a.merge(b)


@SETTINGS
@given(data=st.data())
def test_profiles_round_trip_through_json_form(data):
    kind = data.draw(st.sampled_from(["num", "cat"]))
    if kind == "num":
        series = pd.Series(data.draw(st.lists(floats, max_size=30)), dtype="float64")
    else:
        series = pd.Series(data.draw(st.lists(categories, max_size=30)), dtype=object)
    profile = profile_series(series, kind)
    assert_same(ColumnProfile.from_dict(profile.to_dict()), profile)


def test_a_profile_of_another_version_is_refused():
    data = profile_series(pd.Series([1.0]), "num").to_dict()
    data["version"] = 999
    with pytest.raises(ValueError, match="version 999"):
        ColumnProfile.from_dict(data)


def test_arrow_profiles_equal_pandas_profiles_including_late_first_appearances():
    """The Arrow path (Parquet partitions) gives the profile of the pandas path (frames)."""
    import pyarrow as pa

    from monitorflow.scale.profile import profile_arrow

    rng = np.random.default_rng(7)
    n = 200_000
    texts = rng.choice(["a", "b", "c"], n).astype(object)
    texts[rng.random(n) < 0.05] = None
    texts[150_001] = "late"  # first seen far beyond the prefix searched first
    texts[10] = ""
    numbers = rng.integers(0, 4, n).astype("float64")
    numbers[120_000] = 9.0
    numbers[rng.random(n) < 0.01] = np.nan
    for values, kind in ((pd.Series(texts, dtype="str"), "cat"), (pd.Series(numbers), "num")):
        arrow = pa.chunked_array([pa.array(values.to_numpy(), from_pandas=True)])
        if kind == "cat":
            arrow = pa.chunked_array([arrow.combine_chunks().dictionary_encode()])
        got, missing, default_missing = profile_arrow(arrow, kind, row_offset=1000)
        assert_same(got, profile_series(values, kind, row_offset=1000))
        assert missing.tolist() == values.isna().tolist()
        blank = (values == "").fillna(False).to_numpy() if kind == "cat" else np.zeros(n, bool)
        assert default_missing.tolist() == (values.isna().to_numpy() | blank).tolist()
    text_profile = profile_arrow(pa.chunked_array([pa.array(texts, from_pandas=True)]), "cat", 0)[0]
    first = dict(zip(text_profile.values.keys.tolist(), text_profile.values.first_rows.tolist(), strict=True))
    assert first["late"] == 150_001 and first[""] == 10
