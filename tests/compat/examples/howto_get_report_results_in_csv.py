"""Re-creation of Evidently 0.4's examples/how_to_questions/how_to_get_report_results_in_csv.ipynb."""

import pandas as pd

from monitorflow import ColumnMapping
from monitorflow.metrics import ColumnMissingValuesMetric, ColumnSummaryMetric
from monitorflow.metrics.base_metric import generate_column_metrics
from monitorflow.report import Report
from monitorflow.test_suite import TestSuite
from monitorflow.tests import (
    TestColumnsType,
    TestNumberOfColumns,
    TestNumberOfDuplicatedColumns,
    TestNumberOfDuplicatedRows,
    TestNumberOfEmptyColumns,
    TestNumberOfEmptyRows,
)

TIE = (
    "a tie for the most common value: Evidently takes the first of pandas' value_counts (an unstable sort), "
    "monitorflow the smallest value (docs/evidently-compat.md, ties)"
)
DIFFERENCES = {"*.ColumnSummaryMetric[fnlwgt].result.reference_characteristics.most_common": TIE}


def data():
    from tests.compat.compat_data import adult

    frame = adult(8000, seed=4)
    return {"adult_ref": frame[:4000], "adult_cur": frame[4000:]}


def run(frames, workdir):
    reference, current = frames["adult_ref"], frames["adult_cur"]
    columns = ColumnMapping(
        target="class",
        numerical_features=[
            "age",
            "fnlwgt",
            "education-num",
            "capital-gain",
            "capital-loss",
            "hours-per-week",
        ],
        categorical_features=[
            "workclass",
            "education",
            "marital-status",
            "occupation",
            "relationship",
            "race",
            "sex",
            "native-country",
        ],
    )
    column_summary = Report(metrics=[generate_column_metrics(ColumnSummaryMetric, columns="all")])
    column_summary.run(reference_data=reference, current_data=current, column_mapping=columns)
    data = {}
    for result in column_summary.as_dict()["metrics"]:
        data[result["result"]["column_name"]] = {
            **{f"ref_{key}": val for key, val in result["result"]["reference_characteristics"].items()},
            **{f"cur_{key}": val for key, val in result["result"]["current_characteristics"].items()},
        }
    column_summary_frame = pd.DataFrame.from_dict(data, orient="index")

    missing_values = Report(metrics=[generate_column_metrics(ColumnMissingValuesMetric, columns="all")])
    missing_values.run(reference_data=reference, current_data=current, column_mapping=columns)
    data = {}
    for result in missing_values.as_dict()["metrics"]:
        data[result["result"]["column_name"]] = {
            **{f"ref_{key}": val for key, val in result["result"]["reference"].items()},
            **{f"cur_{key}": val for key, val in result["result"]["current"].items()},
        }
    missing_values_frame = pd.DataFrame.from_dict(data, orient="index")
    missing_values_frame.to_csv(
        workdir / "missing_values_frame.csv", header="True", sep=",", index=True, index_label="column"
    )
    column_metrics_frame = pd.merge(
        column_summary_frame, missing_values_frame, left_index=True, right_index=True
    )

    dataset_tests = TestSuite(
        tests=[
            TestNumberOfColumns(),
            TestColumnsType(),
            TestNumberOfEmptyRows(),
            TestNumberOfEmptyColumns(),
            TestNumberOfDuplicatedRows(),
            TestNumberOfDuplicatedColumns(),
        ]
    )
    dataset_tests.run(reference_data=reference, current_data=current, column_mapping=columns)
    rows = [
        {"test": r["name"], "group": r["group"], "status": r["status"]}
        for r in dataset_tests.as_dict()["tests"]
    ]
    return {
        "column_summary": column_summary.as_dict(),
        "missing_values": missing_values.as_dict(),
        "merged_columns": sorted(column_metrics_frame.columns),
        "merged_rows": sorted(column_metrics_frame.index),
        "tests": sorted(rows, key=lambda r: r["test"]),
    }
