"""Evidently's import path of the ``t_test`` stattest (a re-export of :mod:`monitorflow.stattests`)."""

from monitorflow.stattests import t_test

__all__ = ["t_test"]
