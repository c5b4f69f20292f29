"""Evidently's import path of the ``g_test`` stattest (a re-export of :mod:`monitorflow.stattests`)."""

from monitorflow.stattests import g_test

__all__ = ["g_test"]
