"""Re-creation of Evidently 0.4's example notebook
examples/how_to_questions/how_to_run_tests_with_different_missing_values.ipynb.
"""

import numpy as np

from monitorflow.test_suite import TestSuite
from monitorflow.tests import (
    TestColumnNumberOfDifferentMissingValues,
    TestColumnNumberOfMissingValues,
    TestColumnShareOfMissingValues,
    TestNumberOfColumnsWithMissingValues,
    TestNumberOfDifferentMissingValues,
    TestNumberOfMissingValues,
    TestNumberOfRowsWithMissingValues,
    TestShareOfColumnsWithMissingValues,
    TestShareOfMissingValues,
    TestShareOfRowsWithMissingValues,
)

DIFFERENCES = {}


def data():
    from tests.compat.compat_data import adult_split

    reference, current = adult_split()
    current.iloc[:2000, 12] = np.nan
    return {"adult_ref": reference, "adult_cur": current}


def _suite(tests, reference, current):
    suite = TestSuite(tests=tests)
    suite.run(current_data=current, reference_data=reference)
    return suite.as_dict()


def run(frames, workdir):
    reference, current = frames["adult_ref"], frames["adult_cur"].copy()
    out = {
        "dataset": _suite(
            [
                TestNumberOfMissingValues(),
                TestShareOfMissingValues(),
                TestNumberOfColumnsWithMissingValues(),
                TestShareOfColumnsWithMissingValues(),
                TestNumberOfRowsWithMissingValues(),
                TestShareOfRowsWithMissingValues(),
                TestNumberOfDifferentMissingValues(),
            ],
            reference,
            current,
        ),
        "column": _suite(
            [
                TestColumnNumberOfMissingValues(column_name="native-country"),
                TestColumnShareOfMissingValues(column_name="native-country"),
                TestColumnNumberOfDifferentMissingValues(column_name="native-country"),
            ],
            reference,
            current,
        ),
    }
    current["age"] = current["age"].astype(float)
    current.loc[current["age"] < 20, "age"] = 0
    current.loc[current["age"] > 30, "age"] = np.inf
    out["custom"] = _suite(
        [
            TestColumnNumberOfMissingValues(column_name="age"),
            TestColumnShareOfMissingValues(column_name="age"),
            TestColumnNumberOfDifferentMissingValues(column_name="age"),
            TestColumnNumberOfMissingValues(column_name="age", missing_values=[0], replace=False),
            TestColumnShareOfMissingValues(column_name="age", missing_values=[0], replace=False),
            TestColumnNumberOfDifferentMissingValues(column_name="age", missing_values=[0], replace=False),
            TestColumnNumberOfMissingValues(column_name="age", missing_values=[0, None], replace=True),
            TestColumnShareOfMissingValues(column_name="age", missing_values=[0, None], replace=True),
            TestColumnNumberOfDifferentMissingValues(column_name="age", missing_values=[0], replace=True),
        ],
        reference,
        current,
    )
    return out
