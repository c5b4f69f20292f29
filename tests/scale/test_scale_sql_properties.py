"""Property tests: for any rows, the database's profile equals the engine's profile of the same rows.

Hostile input included: NaN next to NULL, infinities, -0.0, empty tables, all-missing columns,
ties between equally frequent categories, unicode text.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitorflow.scale.profile import profile_series
from monitorflow.scale.sql import SQLTableSource

from .sql_tables import read_back, write_table
from .test_scale_sql import assert_same_profile

pytest.importorskip("sqlalchemy")

floats = st.one_of(
    st.none(),
    st.floats(min_value=-1e12, max_value=1e12),
    st.sampled_from([math.nan, math.inf, -math.inf, 0.0, -0.0, 1.5]),
)
texts = st.one_of(
    st.none(),
    st.sampled_from(["a", "b", "ü", "", " a"]),
    st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=3),
)  # valid UTF-8 without NUL, as databases store text
ints = st.one_of(st.none(), st.integers(-(2**40), 2**40), st.sampled_from([0, 1, 2]))


@st.composite
def tables(draw):
    n = draw(st.integers(0, 40))
    return {
        "x": ("float", draw(st.lists(floats, min_size=n, max_size=n))),
        "i": ("int", draw(st.lists(ints, min_size=n, max_size=n))),
        "s": ("text", draw(st.lists(texts, min_size=n, max_size=n))),
    }


def check(url: str, columns: dict) -> None:
    write_table(url, "prop", columns)
    frame = read_back(url, "prop")
    source = SQLTableSource(url, table="prop", order_by="id")
    kinds = {"x": "num", "i": "num", "s": "cat"}
    pushed = source.profile(kinds).profiles
    for column, kind in kinds.items():
        assert_same_profile(pushed[column], profile_series(frame[column], kind))
    pushed_cat = SQLTableSource(url, table="prop", order_by="id").profile({"x": "cat", "i": "cat"}).profiles
    for column in ("x", "i"):
        assert_same_profile(pushed_cat[column], profile_series(frame[column], "cat"))


def test_duckdb_profiles_equal_the_engines_on_any_rows(tmp_path):
    pytest.importorskip("duckdb_engine")
    url = f"duckdb:///{tmp_path / 'prop.duckdb'}"

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(columns=tables())
    def run(columns):
        check(url, columns)

    run()


def test_postgresql_profiles_equal_the_engines_on_any_rows(postgres_url):
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(columns=tables())
    def run(columns):
        check(postgres_url, columns)

    run()
