"""Evidently's import path of the ``cramer_von_mises`` stattest (a re-export of
:mod:`monitorflow.stattests`)."""

from monitorflow.stattests import cramer_von_mises

__all__ = ["cramer_von_mises"]
