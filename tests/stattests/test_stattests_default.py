"""The automatic stattest choice follows Evidently's table (evidently-facts §1.2), boundaries included."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from monitorflow.stattests import STATTESTS, default_stattest, get_stattest
from monitorflow.stattests.registry import StatTestColumnTypeError


def _series(n: int, k: int, offset: int = 0) -> pd.Series:
    """n values cycling through k distinct values (offset shifts the labels)."""
    return pd.Series(np.arange(n) % k + offset, dtype=float)


@pytest.mark.parametrize(
    ("n_ref", "k_ref", "k_cur_offset", "column_type", "expected"),
    [
        # n <= 1000, numerical
        (1000, 6, 0, "num", "ks"),
        (1000, 5, 1, "num", "ks"),  # 5 + 1 new value in current: k = 6 over the union
        (1000, 5, 0, "num", "chisquare"),
        (1000, 3, 0, "num", "chisquare"),
        (1000, 2, 0, "num", "z"),
        (1000, 1, 1, "num", "z"),  # one value each side, two together
        (1000, 1, 0, "num", "z"),
        # n <= 1000, categorical
        (1000, 2, 0, "cat", "z"),
        (1000, 3, 0, "cat", "chisquare"),
        (1000, 2, 1, "cat", "chisquare"),
        (1000, 50, 0, "cat", "chisquare"),
        # n > 1000
        (1001, 6, 0, "num", "wasserstein"),
        (1001, 5, 1, "num", "wasserstein"),
        (1001, 5, 0, "num", "jensenshannon"),
        (1001, 2, 0, "num", "jensenshannon"),
        (1001, 2, 0, "cat", "jensenshannon"),
        (1001, 50, 0, "cat", "jensenshannon"),
    ],
)
def test_default_selection_table(n_ref, k_ref, k_cur_offset, column_type, expected):
    ref = _series(n_ref, k_ref)
    cur = _series(300, k_ref, offset=k_cur_offset)
    if column_type == "cat":
        ref, cur = ref.map("c{:.0f}".format), cur.map("c{:.0f}".format)
    assert default_stattest(ref, cur, column_type).name == expected


@pytest.mark.parametrize(
    ("n_ref", "expected"), [(1000, "perc_text_content_drift"), (1001, "abs_text_content_drift")]
)
def test_default_for_text_switches_at_1000_reference_rows(n_ref, expected):
    texts = pd.Series([f"word{i % 17}" for i in range(n_ref)])
    assert default_stattest(texts, texts[:10], "text").name == expected


def test_only_reference_size_decides_small_or_large():
    big_current = _series(50_000, 100)
    assert default_stattest(_series(1000, 100), big_current, "num").name == "ks"
    assert default_stattest(_series(1001, 100), _series(10, 100), "num").name == "wasserstein"


def test_auto_path_uses_z_on_a_binary_numerical_column_without_the_type_check():
    ref, cur = pd.Series([0.0, 1.0] * 100), pd.Series([0.0, 1.0, 1.0] * 50)
    test = default_stattest(ref, cur, "num")
    assert test is STATTESTS["z"]
    assert 0 <= test(ref, cur, "num").drift_score <= 1
    with pytest.raises(StatTestColumnTypeError):
        get_stattest("z", "num")


def test_default_is_the_builtin_even_if_a_name_is_re_registered():
    ks = STATTESTS["ks"]
    try:
        STATTESTS["ks"] = STATTESTS["t_test"]
        assert default_stattest(_series(100, 50), _series(100, 50), "num") is ks
    finally:
        STATTESTS["ks"] = ks
