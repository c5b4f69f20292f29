"""Evidently's import path of the ``wasserstein_stat_test`` stattest (a re-export of
:mod:`monitorflow.stattests`)."""

from monitorflow.stattests import wasserstein_stat_test

__all__ = ["wasserstein_stat_test"]
