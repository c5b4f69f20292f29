"""Evidently's ``tests.custom_test`` path: ``CustomValueTest`` (a re-export of
:mod:`monitorflow.checks.custom`)."""

from monitorflow.checks.custom import CustomValueTest

__all__ = ["CustomValueTest"]
