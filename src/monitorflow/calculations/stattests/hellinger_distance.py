"""Evidently's import path of the ``hellinger_stat_test`` stattest (a re-export of
:mod:`monitorflow.stattests`)."""

from monitorflow.stattests import hellinger_stat_test

__all__ = ["hellinger_stat_test"]
