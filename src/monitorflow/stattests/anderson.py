"""``anderson``: k-sample Anderson-Darling p-value (midrank variant) of reference versus current.

scipy interpolates the p-value from a table, so it is clipped to [0.001, 0.25]; its warnings about the
clipping are silenced. Both samples equal to one constant (which scipy rejects) give p = 1.
"""

from __future__ import annotations

import inspect
import warnings

from scipy import stats

from .registry import StatTest, register_stattest
from .utils import as_float, same_constant

# scipy >= 1.17 replaces ``midrank=True`` by ``variant="midrank"`` (same statistic and p-value).
_MIDRANK = (
    {"variant": "midrank"}
    if "variant" in inspect.signature(stats.anderson_ksamp).parameters
    else {"midrank": True}
)


def _anderson_pvalue(reference, current, column_type):
    ref, cur = as_float(reference), as_float(current)
    if same_constant(ref, cur):
        return 1.0
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="p-value (capped|floored)", category=UserWarning)
        return stats.anderson_ksamp([ref, cur], **_MIDRANK).pvalue


anderson_darling_test = register_stattest(
    StatTest("anderson", "Anderson-Darling", "p_value", frozenset({"num"}), 0.1, _anderson_pvalue)
)
