"""Generic decomposition of result dicts into rows, keyed tables and charts."""

from __future__ import annotations

from monitorflow.render.layout import NO_SIDE, decompose, is_histogram, is_value_counts

HIST = {"edges": [0.0, 1.0, 2.0], "current": [1, 2], "reference": [3, 4]}


def test_current_and_reference_objects_pair_up_field_by_field() -> None:
    layout = decompose({"column_name": "x", "current": {"mean": 1.0, "extra": 5}, "reference": {"mean": 2.0}})
    rows = {r.path: (r.current, r.reference) for r in layout.rows}
    assert rows == {("column_name",): ("x", NO_SIDE), ("mean",): (1.0, 2.0), ("extra",): (5, None)}


def test_prefixed_pairs_keep_the_rest_of_their_name() -> None:
    layout = decompose(
        {
            "reference_characteristics": {"count": 9},
            "current_characteristics": {"count": 3},
            "number_of_values_current": 3,
            "number_of_values_reference": 9,
        }
    )
    assert [(r.path, r.current, r.reference) for r in layout.rows] == [
        (("characteristics", "count"), 3, 9),
        (("number_of_values",), 3, 9),
    ]


def test_missing_reference_object_gives_none_not_a_reference_column() -> None:
    layout = decompose({"current": {"n": 1}, "reference": None})
    assert [(r.current, r.reference, r.paired) for r in layout.rows] == [(1, None, True)]


def test_sibling_mappings_with_the_same_keys_form_one_table() -> None:
    layout = decompose(
        {
            "current": {"nans": {"a": 1, "b": 2}, "types": {"a": "int", "b": "str"}, "n": 3},
            "reference": {"nans": {"a": 0, "b": 5}, "types": {"a": "int", "b": "str"}, "n": 4},
        }
    )
    assert [r.path for r in layout.rows] == [("n",)]
    (table,) = layout.tables
    assert table.keys == ["a", "b"] and table.columns == [("nans",), ("types",)]
    cell = table.cells[("b", ("nans",))]
    assert (cell.current, cell.reference) == (2, 5)


def test_lone_short_mapping_is_flattened_and_long_one_is_a_table() -> None:
    short = decompose({"missing": {"null": 1, "": 0}})
    assert [r.path for r in short.rows] == [("missing", "null"), ("missing", "")]
    long = decompose({"counts": {f"k{i}": i for i in range(12)}})
    assert long.rows == [] and long.tables[0].path == ("counts",) and len(long.tables[0].keys) == 12


def test_mapping_of_objects_is_a_table_with_nested_charts_under_their_key() -> None:
    layout = decompose({"by_column": {"a": {"score": 0.1, "dist": HIST}, "b": {"score": 0.2, "dist": None}}})
    (table,) = layout.tables
    assert table.path == ("by_column",) and table.columns == [("score",)]  # "dist" only has charts
    assert table.cells[("a", ("score",))].current == 0.1
    assert [c.path for c in layout.charts] == [("by_column", "a", "dist")]


def test_chart_shapes_are_recognised() -> None:
    assert is_histogram(HIST) and is_histogram({"edges": [0, 1], "current": [4]})
    assert not is_histogram({"edges": [0, 1], "current": [4, 5]})
    assert is_value_counts({"values": ["a"], "counts": [2], "other": 0})
    assert not is_value_counts({"values": ["a"], "counts": [2], "share": 1})
    layout = decompose(
        {
            "plot": {
                "histogram": HIST,
                "current_counts": {"values": ["a"], "counts": [1]},
                "reference_counts": {"values": ["b"], "counts": [2]},
            }
        }
    )
    assert [(c.kind, c.path) for c in layout.charts] == [
        ("histogram", ("plot", "histogram")),
        ("counts", ("plot", "counts")),
    ]
    assert layout.charts[1].reference == {"values": ["b"], "counts": [2]}


def test_histograms_of_each_side_with_the_same_edges_merge() -> None:
    side = {"edges": [0.0, 1.0], "current": [7]}
    (chart,) = decompose({"current": {"d": side}, "reference": {"d": {**side, "current": [3]}}}).charts
    assert (chart.current, chart.reference, chart.edges) == ([7], [3], [0.0, 1.0])


def test_list_of_objects_is_a_table_indexed_by_position() -> None:
    layout = decompose({"items": [{"label": "x", "value": 1}, {"label": "y", "value": 2}]})
    (table,) = layout.tables
    assert table.keys == ["0", "1"] and table.columns == [("label",), ("value",)]


def test_table_columns_without_values_or_repeating_the_key_are_dropped() -> None:
    layout = decompose(
        {
            "by": {
                "a": {"column_name": "a", "message": None, "x": 1},
                "b": {"column_name": "b", "message": None, "x": 2},
            }
        }
    )
    assert layout.tables[0].columns == [("x",)]


def test_absent_charts_beside_present_ones_are_not_rows() -> None:
    layout = decompose(
        {
            "plot": {
                "histogram": None,
                "current_counts": {"values": [1], "counts": [1]},
                "reference_counts": None,
            }
        }
    )
    assert layout.rows == [] and len(layout.charts) == 1
