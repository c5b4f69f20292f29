"""Re-creation of Evidently 0.4's example notebook
examples/how_to_questions/how_to_apply_tests_and_metrics_generators.ipynb.
"""

import numpy as np

from monitorflow.metrics import ColumnValueRangeMetric
from monitorflow.metrics.base_metric import generate_column_metrics
from monitorflow.report import Report
from monitorflow.test_suite import TestSuite
from monitorflow.tests import TestColumnQuantile, TestColumnShareOfMissingValues, TestColumnValueMin
from monitorflow.tests.base_test import generate_column_tests

ONE_SIDED = "one-sided reference condition for missing values (docs/tests.md): fewer missing values pass"
DIFFERENCES = {}


def data():
    from tests.compat.compat_data import adult

    frame = adult(8000, seed=5)
    frame["target"] = frame["education-num"]
    frame["preds"] = frame["education-num"].values + np.random.default_rng(0).normal(0, 6, frame.shape[0])
    return {"adult_ref": frame[:3000], "adult_cur": frame[3000:]}


def _suite(tests, frames):
    suite = TestSuite(tests=tests)
    suite.run(current_data=frames["adult_cur"], reference_data=frames["adult_ref"])
    return suite.as_dict()


def run(frames, workdir):
    report = Report(
        metrics=[
            generate_column_metrics(
                ColumnValueRangeMetric, columns="num", parameters={"left": 0, "right": 10}
            )
        ]
    )
    report.run(current_data=frames["adult_cur"], reference_data=frames["adult_ref"])
    return {
        "quantiles": _suite(
            [TestColumnQuantile(column_name="education-num", quantile=q) for q in [0.5, 0.9, 0.99]], frames
        ),
        "positive": _suite(
            [TestColumnValueMin(column_name=c, gt=0) for c in ["age", "fnlwgt", "education-num"]], frames
        ),
        "missing": _suite([generate_column_tests(TestColumnShareOfMissingValues)], frames),
        "missing_all": _suite(
            [generate_column_tests(TestColumnShareOfMissingValues, columns="all", parameters={"lt": 0.5})],
            frames,
        ),
        "min_num": _suite([generate_column_tests(TestColumnValueMin, columns="num")], frames),
        "missing_cat": _suite(
            [generate_column_tests(TestColumnShareOfMissingValues, columns="cat", parameters={"lt": 0.1})],
            frames,
        ),
        "min_listed": _suite(
            [
                generate_column_tests(
                    TestColumnValueMin, columns=["age", "fnlwgt", "education-num"], parameters={"gt": 0}
                )
            ],
            frames,
        ),
        "range_report": report.as_dict(),
    }
