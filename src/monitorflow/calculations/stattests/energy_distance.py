"""Evidently's import path of the ``energy_dist_test`` stattest (a re-export of
:mod:`monitorflow.stattests`)."""

from monitorflow.stattests import energy_dist_test

__all__ = ["energy_dist_test"]
