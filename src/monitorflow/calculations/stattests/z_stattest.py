"""Evidently's import path of the ``z_stat_test`` stattest (a re-export of :mod:`monitorflow.stattests`)."""

from monitorflow.stattests import z_stat_test

__all__ = ["z_stat_test"]
