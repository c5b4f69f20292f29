"""Evidently's import path of the ``perc_text_content_drift_stat_test`` stattest (a re-export of
:mod:`monitorflow.stattests`)."""

from monitorflow.stattests import perc_text_content_drift_stat_test

__all__ = ["perc_text_content_drift_stat_test"]
