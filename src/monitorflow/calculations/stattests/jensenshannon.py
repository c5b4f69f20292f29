"""Evidently's import path of the ``jensenshannon_stat_test`` stattest (a re-export of
:mod:`monitorflow.stattests`)."""

from monitorflow.stattests import jensenshannon_stat_test

__all__ = ["jensenshannon_stat_test"]
