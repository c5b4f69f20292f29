"""Fixtures shared by the drift tests."""

import numpy as np
import pytest

from monitorflow import Report, TestSuite


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20240611)


@pytest.fixture
def run_metric():
    """``run_metric(metric, reference, current, mapping=None)`` -> the metric's result."""

    def run(metric, reference, current, mapping=None):
        report = Report(metrics=[metric])
        report.run(reference_data=reference, current_data=current, column_mapping=mapping)
        return report.result(metric)

    return run


@pytest.fixture
def run_tests():
    """``run_tests(tests, reference, current, mapping=None)`` -> the TestSuite after run."""

    def run(tests, reference, current, mapping=None):
        suite = TestSuite(tests=tests)
        suite.run(reference_data=reference, current_data=current, column_mapping=mapping)
        return suite

    return run
