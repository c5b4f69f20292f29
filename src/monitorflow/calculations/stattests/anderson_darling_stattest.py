"""Evidently's import path of the ``anderson_darling_test`` stattest (a re-export of
:mod:`monitorflow.stattests`)."""

from monitorflow.stattests import anderson_darling_test

__all__ = ["anderson_darling_test"]
