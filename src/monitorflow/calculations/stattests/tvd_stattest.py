"""Evidently's import path of the ``tvd_test`` stattest (a re-export of :mod:`monitorflow.stattests`)."""

from monitorflow.stattests import tvd_test

__all__ = ["tvd_test"]
