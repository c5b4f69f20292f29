"""Evidently's import path of the ``chi_stat_test`` stattest (a re-export of :mod:`monitorflow.stattests`)."""

from monitorflow.stattests import chi_stat_test

__all__ = ["chi_stat_test"]
