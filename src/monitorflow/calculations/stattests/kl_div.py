"""Evidently's import path of the ``kl_div_stat_test`` stattest (a re-export of
:mod:`monitorflow.stattests`)."""

from monitorflow.stattests import kl_div_stat_test

__all__ = ["kl_div_stat_test"]
