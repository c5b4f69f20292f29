"""Charts and display formatting."""

from __future__ import annotations

import math

import pytest

from monitorflow.render.format import fmt_number, fmt_text, humanize
from monitorflow.render.svg import counts_svg, histogram_svg


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (3, "3"),
        (3846, "3846"),
        (48000, "48,000"),
        (True, "True"),
        (44.486252, "44.49"),
        (0.031, "0.031"),
        (200.0, "200"),
        (12345.6, "12,346"),
        (0.0000123456, "1.235e-05"),
        (0.0, "0"),
        (math.nan, "NaN"),
        (-math.inf, "-∞"),
    ],
)
def test_numbers_are_rounded_for_display(value: float, shown: str) -> None:
    assert fmt_number(value) == shown


def test_values_and_labels() -> None:
    assert fmt_text(None) == "—" and fmt_text(False) == "false"
    assert fmt_text(list(range(15))) == "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 … (+3 more)]"
    assert humanize("number_of_rows") == "number of rows" and humanize("My_Col") == "My_Col"


def test_histogram_draws_one_bar_per_bin_and_side_as_shares() -> None:
    svg = histogram_svg([0.0, 1.0, 2.0, 3.0], [1, 1, 2], [10, 0, 10])
    assert svg.count('<rect class="cur"') == 3 and svg.count('<rect class="ref"') == 3
    assert "current: 2 (50.0%)" in svg and "reference: 10 (50.0%)" in svg
    assert ">50.0%<" in svg and "[2, 3]" in svg
    assert histogram_svg([0.0, 1.0], [5]).count("<rect") == 1


def test_value_counts_union_categories_and_escape_labels() -> None:
    svg = counts_svg(
        {"values": ["<a>", 1], "counts": [3, 1], "other": 4}, {"values": [1, "z"], "counts": [5, 5]}
    )
    assert "&lt;a&gt;" in svg and "<a>" not in svg
    assert svg.count("<g>") == 4  # <a>, 1, z, other
    assert "(other values)" in svg and "reference: 0 (0.0%)" in svg and "current: 4 (50.0%)" in svg


def test_long_category_labels_are_cut_with_the_full_label_in_the_tooltip() -> None:
    label = "a very long category label indeed"
    svg = counts_svg({"values": [label], "counts": [1]})
    assert f"<title>{label}\n" in svg and ">a very long categor…<" in svg
