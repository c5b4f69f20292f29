"""A/A false-alarm rates of the default stattests (monitorflow.stattests.calibration)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from monitorflow.stattests import false_alarm_rates

REPS = 400


def _band(p: float, reps: int = REPS) -> float:
    """Four binomial standard deviations."""
    return 4 * np.sqrt(p * (1 - p) / reps)


@pytest.fixture(scope="module")
def small_rates():
    return false_alarm_rates(sizes=(100, 1000), repetitions=REPS, column_types=("num",), seed=1)


def test_ks_false_alarm_rate_is_near_its_level_up_to_1000_rows(small_rates):
    assert set(small_rates["stattest"]) == {"ks"}
    for rate in small_rates["false_alarm_rate"]:
        assert abs(rate - 0.05) <= _band(0.05)


def test_z_false_alarm_rate_on_binary_columns_is_near_its_level():
    rates = false_alarm_rates(
        sizes=(100, 1000), repetitions=REPS, column_types=("cat",), category_shares=(0.6, 0.4)
    )
    assert set(rates["stattest"]) == {"z"}
    for rate in rates["false_alarm_rate"]:
        assert abs(rate - 0.05) <= _band(0.05)


def test_chisquare_default_is_anti_conservative_for_two_samples_like_evidently():
    """Reference counts are taken as the truth, so with equal sizes the statistic is about 2 x chi2(k-1).

    The A/A false-alarm rate at threshold 0.05 with 4 categories is then P(chi2_3 > q95 / 2) ~ 0.27.
    """
    rates = false_alarm_rates(sizes=(100, 1000), repetitions=REPS, column_types=("cat",))
    assert set(rates["stattest"]) == {"chisquare"}
    theory = stats.chi2.sf(stats.chi2.ppf(0.95, 3) / 2, 3)
    small, large = rates["false_alarm_rate"]
    assert small > 0.15
    assert abs(large - theory) <= _band(theory)


def test_distance_defaults_do_not_alarm_on_large_a_a_samples():
    rates = false_alarm_rates(sizes=(10_000, 100_000), repetitions=4)
    assert list(rates["stattest"]) == ["wasserstein", "jensenshannon", "wasserstein", "jensenshannon"]
    assert (rates["false_alarm_rate"] == 0).all()
