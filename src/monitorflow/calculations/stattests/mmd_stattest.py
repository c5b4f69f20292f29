"""Evidently's import path of the ``empirical_mmd`` stattest (a re-export of :mod:`monitorflow.stattests`)."""

from monitorflow.stattests import empirical_mmd

__all__ = ["empirical_mmd"]
