"""Automatic stattest choice (Evidently's ``_get_default_stattest``): p-value tests up to 1000 reference
values, distances above, because p-values flag negligible shifts once samples are large.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from .chisquare import chi_stat_test
from .jensenshannon import jensenshannon_stat_test
from .ks import ks_stat_test
from .registry import StatTest, check_column_type
from .text_content_drift import abs_text_content_drift_stat_test, perc_text_content_drift_stat_test
from .wasserstein import wasserstein_stat_test
from .z import z_stat_test

SMALL_SAMPLE_MAX = 1000
FEW_VALUES_MAX = 5


def default_stattest(
    reference: pd.Series, current: pd.Series, column_type: str, n_values: int | None = None
) -> StatTest:
    """The test Evidently would pick for cleaned ``reference``/``current`` of ``column_type``.

    n = reference size, k = distinct values of reference and current together (``n_values``, when
    the caller knows it or a lower bound above 5, saves counting). This returns the test without
    checking its declared column types: binary numerical columns get ``z``.

    >>> default_stattest(pd.Series(range(10)), pd.Series(range(10)), "num").name
    'ks'
    """

    def count_values() -> int:
        if n_values is not None:
            return n_values
        return int(pd.concat([reference, current], ignore_index=True).nunique())

    return choose_default(column_type, len(reference), count_values)


def choose_default(column_type: str, n_reference: int, n_values: Callable[[], int]) -> StatTest:
    """:func:`default_stattest` from the reference size and a function counting k (called only
    when the choice depends on it)."""
    check_column_type(column_type)
    small = n_reference <= SMALL_SAMPLE_MAX
    if column_type == "text":
        return perc_text_content_drift_stat_test if small else abs_text_content_drift_stat_test
    if not small and column_type == "cat":
        return jensenshannon_stat_test
    k = n_values()
    if column_type == "num" and k > FEW_VALUES_MAX:
        return ks_stat_test if small else wasserstein_stat_test
    if not small:
        return jensenshannon_stat_test
    return z_stat_test if k <= 2 else chi_stat_test
