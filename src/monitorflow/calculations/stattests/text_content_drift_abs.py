"""Evidently's import path of the ``abs_text_content_drift_stat_test`` stattest (a re-export of
:mod:`monitorflow.stattests`)."""

from monitorflow.stattests import abs_text_content_drift_stat_test

__all__ = ["abs_text_content_drift_stat_test"]
