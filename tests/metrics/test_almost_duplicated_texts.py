"""Almost-duplicated text and boolean columns whose difference lies past the first block of rows.

The row checks keep the value hashes of the first block only; a pair equal there is hashed again in
full. Expected counts are pandas' ``Series.eq`` shares.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from monitorflow.metrics import DatasetSummaryMetric
from tests.metrics.integrity_frames import pandas_almost_duplicated_pairs
from tests.metrics.metric_runs import run_metric


@pytest.mark.parametrize("differing", [0, 10, 20, 21, 40])
def test_pairs_equal_in_the_first_block_are_compared_in_full(differing):
    n = 400  # 0.95: 20 unequal positions allowed, the first block is 104 rows
    rng = np.random.default_rng(differing)
    text = pd.Series(rng.choice(["a", "b", "c", None], n), dtype=object)
    other = text.copy()
    late = rng.choice(np.arange(200, n), differing, replace=False)
    other[late] = "z"
    flags = pd.Series(rng.random(n) < 0.5)
    flipped = flags.copy()
    flipped[late] = ~flipped[late]
    frame = pd.DataFrame({"t1": text, "t2": other, "s": text.astype("str"), "b1": flags, "b2": flipped})
    result = run_metric(DatasetSummaryMetric(), frame).current
    expected = pandas_almost_duplicated_pairs(frame, 0.95)
    assert result.number_of_almost_duplicated_columns == expected
    assert expected == (2 if differing <= 20 else 0)  # t1 ~ t2 and b1 ~ b2 (None equals None in objects)
