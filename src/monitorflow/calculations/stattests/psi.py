"""Evidently's import path of the ``psi_stat_test`` stattest (a re-export of :mod:`monitorflow.stattests`)."""

from monitorflow.stattests import psi_stat_test

__all__ = ["psi_stat_test"]
