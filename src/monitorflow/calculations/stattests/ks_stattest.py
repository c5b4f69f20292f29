"""Evidently's import path of the ``ks_stat_test`` stattest (a re-export of :mod:`monitorflow.stattests`)."""

from monitorflow.stattests import ks_stat_test

__all__ = ["ks_stat_test"]
