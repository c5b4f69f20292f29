"""Evidently's import path of the ``fisher_exact_test`` stattest (a re-export of
:mod:`monitorflow.stattests`)."""

from monitorflow.stattests import fisher_exact_test

__all__ = ["fisher_exact_test"]
