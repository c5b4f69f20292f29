"""Statistical tests for data drift, with Evidently's names, thresholds and drift rules.

``get_stattest(spec, column_type)`` resolves a registered name, a :class:`StatTest` or a callable;
``default_stattest`` picks the test Evidently would; ``STATTESTS`` lists every registered test.

>>> import pandas as pd
>>> ref, cur = pd.Series([0.1, 0.4, 0.3, 0.9] * 50), pd.Series([0.2, 0.4, 0.8, 0.9] * 50)
>>> result = get_stattest("wasserstein", "num")(ref, cur, "num")
>>> round(result.drift_score, 3), result.drifted, result.threshold
(0.509, True, 0.1)
"""

from .anderson import anderson_darling_test
from .calibration import false_alarm_rates
from .chisquare import chi_stat_test
from .cvm import cramer_von_mises
from .default import default_stattest
from .energy_distance import energy_dist_test
from .epps_singleton import epps_singleton_test
from .fisher_exact import fisher_exact_test
from .gtest import g_test
from .hellinger import hellinger_stat_test
from .jensenshannon import jensenshannon_stat_test
from .kl_div import kl_div_stat_test
from .ks import ks_stat_test
from .mann_whitney import mann_whitney_u_stat_test
from .mmd import empirical_mmd
from .psi import psi_stat_test
from .registry import (
    STATTESTS,
    StatTest,
    StatTestColumnTypeError,
    StatTestComputationError,
    StatTestResult,
    get_stattest,
    register_stattest,
)
from .text_content_drift import abs_text_content_drift_stat_test, perc_text_content_drift_stat_test
from .ttest import t_test
from .tvd import tvd_test
from .utils import clean
from .wasserstein import wasserstein_stat_test
from .z import z_stat_test

__all__ = [
    "STATTESTS",
    "StatTest",
    "StatTestColumnTypeError",
    "StatTestComputationError",
    "StatTestResult",
    "abs_text_content_drift_stat_test",
    "anderson_darling_test",
    "chi_stat_test",
    "clean",
    "cramer_von_mises",
    "default_stattest",
    "empirical_mmd",
    "energy_dist_test",
    "epps_singleton_test",
    "false_alarm_rates",
    "fisher_exact_test",
    "g_test",
    "get_stattest",
    "hellinger_stat_test",
    "jensenshannon_stat_test",
    "kl_div_stat_test",
    "ks_stat_test",
    "mann_whitney_u_stat_test",
    "perc_text_content_drift_stat_test",
    "psi_stat_test",
    "register_stattest",
    "t_test",
    "tvd_test",
    "wasserstein_stat_test",
    "z_stat_test",
]
