"""Errors cross process boundaries intact (Dask workers and Prefect results pickle them)."""

from __future__ import annotations

import pickle

import pytest

from monitorflow import errors
from monitorflow.stattests.registry import StatTestColumnTypeError

SAMPLES = [
    errors.ColumnNotFoundError("age", "numerical_features", "current_data", ["id", "income"]),
    errors.NotADataFrameError("current_data", [1, 2]),
    errors.EmptyDataError("reference_data"),
    errors.InvalidTimestampError("yesterday"),
    errors.ConfigurationError("bad threshold", argument="threshold"),
    errors.UnknownStatTestError("kss", ["ks", "psi"]),
    errors.MetricError("cannot compute", metric="ColumnDriftMetric", column="age"),
    errors.SourceError("cannot read x.csv", "x.csv", transient=False),
    errors.MissingDependencyError("boto3", "s3"),
]


@pytest.mark.parametrize("error", SAMPLES, ids=lambda e: type(e).__name__)
def test_an_error_survives_pickling_with_its_message_type_and_attributes(error: Exception) -> None:
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error) and str(back) == str(error) and vars(back) == vars(error)


def test_a_stattest_error_too() -> None:
    error = StatTestColumnTypeError.__new__(StatTestColumnTypeError)
    error.args, error.argument = ("ks does not take text",), "stattest"
    back = pickle.loads(pickle.dumps(error))
    assert str(back) == "ks does not take text" and back.argument == "stattest"


def test_bad_input_is_told_from_a_failed_read() -> None:
    assert errors.is_bad_input(errors.SourceError("bad template", "p", transient=False))
    assert not errors.is_bad_input(errors.SourceError("connection reset", "p"))
    assert errors.is_bad_input(SAMPLES[0]) and errors.is_bad_input(SAMPLES[4])
    assert not errors.is_bad_input(errors.MetricError("x")) and not errors.is_bad_input(ValueError("x"))
