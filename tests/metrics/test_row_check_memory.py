"""The row checks' lean helpers equal the pandas expressions they replace (property tests).

``column_hashes`` of a string column goes through its codes instead of a Python object per row;
``repeated`` sorts instead of building a hash table; ``empty_rows`` reads a column at a time.
Expected values come from pandas itself.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from monitorflow.frame_checks import column_hashes, empty_rows, repeated

TEXTS = st.lists(st.one_of(st.none(), st.text(max_size=4), st.sampled_from(["a", "b", "é", ""])), max_size=60)
STRING_DTYPES = ["str", "string", "string[pyarrow]", "string[python]"]


@settings(max_examples=60, deadline=None)
@given(values=TEXTS, dtype=st.sampled_from(STRING_DTYPES))
def test_string_column_hashes_are_pandas_hashes(values, dtype):
    series = pd.Series(values, dtype=dtype)
    expected = pd.util.hash_pandas_object(series, index=False).to_numpy()
    np.testing.assert_array_equal(column_hashes(series), expected)


def test_hashes_of_missing_strings_and_equal_values_across_dtypes():
    """None and NaN both hash as missing; equal text hashes equally in object and string columns."""
    as_object = pd.Series(["x", None, "y", "x"], dtype=object)
    as_string = pd.Series(["x", np.nan, "y", "x"], dtype="str")
    np.testing.assert_array_equal(
        column_hashes(as_string), pd.util.hash_pandas_object(as_object, index=False)
    )
    assert column_hashes(as_string)[1] == np.iinfo(np.uint64).max


@settings(max_examples=80, deadline=None)
@given(values=st.lists(st.integers(0, 2**64 - 1) | st.integers(0, 6), max_size=80))
def test_repeated_is_duplicated_keep_false(values):
    array = np.array(values, dtype=np.uint64)
    np.testing.assert_array_equal(repeated(array), pd.Series(array).duplicated(keep=False).to_numpy())


@settings(max_examples=60, deadline=None)
@given(
    cells=st.lists(st.tuples(st.none() | st.floats(0, 1), st.none() | st.sampled_from("ab")), max_size=40),
    width=st.integers(0, 2),
)
def test_empty_rows_is_all_missing_rows(cells, width):
    frame = pd.DataFrame(
        {"x": [c[0] for c in cells], "t": pd.Series([c[1] for c in cells], dtype="str")}
    ).iloc[:, :width]
    expected = int(frame.isna().all(axis=1).sum()) if width else 0
    assert empty_rows(frame) == expected
