"""``anderson``: k-sample Anderson-Darling p-value (midrank variant) of reference versus current.

scipy interpolates the p-value from a table, so it is clipped to [0.001, 0.25]; its warnings about the
clipping are silenced. Both samples equal to one constant (which scipy rejects) give p = 1.
"""

from __future__ import annotations

import inspect
import warnings

from .registry import StatTest, register_stattest
from .utils import as_float, same_constant


def _anderson_pvalue(reference, current, column_type):
    from scipy import stats  # lazy: scipy is slow to import

    ref, cur = as_float(reference), as_float(current)
    if same_constant(ref, cur):
        return 1.0
    # scipy >= 1.17 replaces ``midrank=True`` by ``variant="midrank"`` (same statistic and p-value).
    midrank = (
        {"variant": "midrank"}
        if "variant" in inspect.signature(stats.anderson_ksamp).parameters
        else {"midrank": True}
    )
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="p-value (capped|floored)", category=UserWarning)
        return stats.anderson_ksamp([ref, cur], **midrank).pvalue


anderson_darling_test = register_stattest(
    StatTest("anderson", "Anderson-Darling", "p_value", frozenset({"num"}), 0.1, _anderson_pvalue)
)
