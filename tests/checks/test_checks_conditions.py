"""Condition operators and ``approx`` semantics (evidently-facts §4.1); explicit conditions win."""

from __future__ import annotations

import pandas as pd
import pytest

from monitorflow import TestSuite, approx
from monitorflow.checks import TestColumnValueMean, TestNumberOfRows, TestStatus
from monitorflow.conditions import TestValueCondition
from monitorflow.errors import ConfigurationError


def status(test, current, reference=None):
    suite = TestSuite(tests=[test])
    suite.run(reference_data=reference, current_data=current)
    return suite.results[0].status


def rows(n: int) -> pd.DataFrame:
    return pd.DataFrame({"x": range(n)})


# ------------------------------------------------------------------------------------- approx


def test_approx_defaults_and_tolerance():
    a = approx(500)
    assert (a.relative, a.absolute) == (1e-6, 1e-12)
    assert a.tolerance == pytest.approx(500e-6)
    assert approx(500, relative=0.1).tolerance == pytest.approx(50)
    assert approx(0, relative=0.1).tolerance == 1e-12
    assert approx(0.001, relative=0.1, absolute=0.5).tolerance == 0.5
    assert approx(-200, relative=0.1).tolerance == pytest.approx(20)
    assert approx(500, 0.1).relative == 0.1  # second positional argument is relative


def test_approx_rejects_non_positive_relative_and_negative_absolute():
    with pytest.raises(ConfigurationError):
        approx(1, relative=0)
    with pytest.raises(ConfigurationError):
        approx(1, relative=-0.1)
    with pytest.raises(ConfigurationError):
        approx(1, absolute=-1)


def test_approx_renders_and_serialises():
    assert str(approx(500, relative=0.1)) == "500 ± 50"
    assert approx(500, relative=0.1).model_dump() == {"value": 500.0, "relative": 0.1, "absolute": 1e-12}


@pytest.mark.parametrize(
    ("operator", "value", "expected"),
    [
        # approx(100, relative=0.1): [90, 110]
        ("eq", 90, True),
        ("eq", 110, True),
        ("eq", 89.99, False),
        ("eq", 110.01, False),
        ("not_eq", 100, False),
        ("not_eq", 110.01, True),
        ("gt", 110, False),
        ("gt", 110.01, True),
        ("gte", 90, True),
        ("gte", 89.99, False),
        ("lt", 90, False),
        ("lt", 89.99, True),
        ("lte", 110, True),
        ("lte", 110.01, False),
    ],
)
def test_condition_with_approx(operator, value, expected):
    condition = TestValueCondition(**{operator: approx(100, relative=0.1)})
    assert condition.check(value) is expected


@pytest.mark.parametrize(
    ("condition", "value", "expected"),
    [
        ({"eq": 5}, 5, True),
        ({"eq": 5}, 5.0000001, False),
        ({"not_eq": 5}, 4, True),
        ({"not_eq": 5}, 5, False),
        ({"gt": 5}, 5, False),
        ({"gt": 5}, 6, True),
        ({"gte": 5}, 5, True),
        ({"gte": 5}, 4.99, False),
        ({"lt": 5}, 5, False),
        ({"lt": 5}, 4, True),
        ({"lte": 5}, 5, True),
        ({"lte": 5}, 5.01, False),
        ({"is_in": [1, 2, 3]}, 2, True),
        ({"is_in": [1, 2, 3]}, 4, False),
        ({"not_in": [1, 2, 3]}, 4, True),
        ({"not_in": [1, 2, 3]}, 3, False),
        ({"gt": 1, "lt": 3}, 2, True),  # all conditions are AND-ed
        ({"gt": 1, "lt": 3}, 3, False),
        ({"gte": 0, "lte": approx(10, absolute=1)}, 11, True),
        ({"gte": 0, "lte": approx(10, absolute=1)}, 11.5, False),
    ],
)
def test_condition_operators(condition, value, expected):
    assert TestValueCondition(**condition).check(value) is expected


def test_nan_never_satisfies_a_condition():
    assert TestValueCondition(lte=10).check(float("nan")) is False
    assert TestValueCondition(not_eq=1).check(None) is False


def test_condition_text():
    condition = TestValueCondition(gte=1, lt=approx(10, relative=0.1))
    assert str(condition) == "gte=1 and lt=10 ± 1"
    assert condition.in_words(3) == "3 >= 1 and 3 < 10 ± 1"


# -------------------------------------------------------------------- explicit conditions win


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"eq": 50}, TestStatus.SUCCESS),
        ({"eq": 100}, TestStatus.FAIL),  # the reference value, but the explicit condition is eq 50
        ({"not_eq": 50}, TestStatus.FAIL),
        ({"gt": 49}, TestStatus.SUCCESS),
        ({"gt": 50}, TestStatus.FAIL),
        ({"gte": 50}, TestStatus.SUCCESS),
        ({"lt": 50}, TestStatus.FAIL),
        ({"lte": 50}, TestStatus.SUCCESS),
        ({"is_in": [10, 50]}, TestStatus.SUCCESS),
        ({"not_in": [10, 50]}, TestStatus.FAIL),
        ({"eq": approx(55, relative=0.1)}, TestStatus.SUCCESS),  # 55 ± 5.5
        ({"eq": approx(56, relative=0.1)}, TestStatus.FAIL),  # 56 ± 5.6 -> [50.4, 61.6]
        ({"eq": approx(45, absolute=5)}, TestStatus.SUCCESS),
        ({"eq": approx(44, absolute=5)}, TestStatus.FAIL),
    ],
)
def test_explicit_condition_overrides_the_reference_default(condition, expected):
    # the default with this reference would be eq 100 ± 10, which 50 rows FAIL
    assert status(TestNumberOfRows(**condition), rows(50), rows(100)) == expected
    assert status(TestNumberOfRows(**condition), rows(50)) == expected


def test_explicit_condition_makes_a_reference_unnecessary():
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0]})
    assert status(TestColumnValueMean(column_name="x"), frame) == TestStatus.ERROR
    assert status(TestColumnValueMean(column_name="x", gte=1.5, lte=2.5), frame) == TestStatus.SUCCESS
    assert status(TestColumnValueMean("x", eq=approx(2.1, absolute=0.05)), frame) == TestStatus.FAIL


def test_condition_is_recorded_in_the_parameters():
    suite = TestSuite(tests=[TestNumberOfRows(eq=approx(50, relative=0.1))])
    suite.run(current_data=rows(52))
    parameters = suite.as_dict()["tests"][0]["parameters"]
    assert parameters["condition"] == {"eq": {"value": 50.0, "relative": 0.1, "absolute": 1e-12}}
    assert parameters["value"] == 52


def test_condition_fields_are_keyword_only():
    assert TestColumnValueMean("x", lte=3).column_name == "x"
    with pytest.raises(ConfigurationError):
        TestColumnValueMean("x", 3)


def test_invalid_condition_value_is_a_configuration_error():
    with pytest.raises(ConfigurationError, match="TestNumberOfRows"):
        TestNumberOfRows(eq="many")
