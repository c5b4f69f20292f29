"""Evidently's import path of the ``epps_singleton_test`` stattest (a re-export of
:mod:`monitorflow.stattests`)."""

from monitorflow.stattests import epps_singleton_test

__all__ = ["epps_singleton_test"]
