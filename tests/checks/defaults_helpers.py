"""Running one test on a frame, and the small frames the default-condition tests build."""

from __future__ import annotations

import pandas as pd

from monitorflow import TestSuite
from monitorflow.checks import TestStatus

S, F, E = TestStatus.SUCCESS, TestStatus.FAIL, TestStatus.ERROR


def result(test, current, reference=None):
    suite = TestSuite(tests=[test])
    suite.run(reference_data=reference, current_data=current)
    return suite.results[0]


def status(test, current, reference=None):
    return result(test, current, reference).status


def col(values, name="x") -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(values)})
