"""Evidently's import path of the ``mann_whitney_u_stat_test`` stattest (a re-export of
:mod:`monitorflow.stattests`)."""

from monitorflow.stattests import mann_whitney_u_stat_test

__all__ = ["mann_whitney_u_stat_test"]
