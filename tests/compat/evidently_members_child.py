"""Run in Evidently's interpreter by ``test_compat_members.py``: Evidently's answers for the members closed
second (test results, groups, stattest results, DatasetColumns, dashboard selectors), as JSON."""

import json
import sys

import pandas as pd
from evidently.legacy import tests as checks
from evidently.legacy.calculations.stattests import ks_stat_test, wasserstein_stat_test
from evidently.legacy.metrics import DataDriftTable, DatasetSummaryMetric, RegressionQualityMetric
from evidently.legacy.pipeline.column_mapping import ColumnMapping
from evidently.legacy.report import Report
from evidently.legacy.test_suite import TestSuite
from evidently.legacy.tests.base_test import TestResult, TestStatus
from evidently.legacy.ui.dashboards import PanelValue, ReportFilter, TestFilter

folder = sys.argv[1]
frame = pd.read_parquet(f"{folder}/frame.parquet")
answers = {}
result = TestResult(name="n", description="d", status=TestStatus.SUCCESS, group="g", parameters=None)
steps = []
for step in ("mark_as_fail", "mark_as_warning", "mark_as_error", "mark_as_success"):
    getattr(result, step)(f"after {step}" if step != "mark_as_warning" else None)
    steps.append([result.status.value, result.description, result.is_passed()])
result.set_status(TestStatus.FAIL)
steps.append([result.status.value, result.description, result.is_passed(), result.exception])
answers["test_result_steps"] = steps
answers["groups"] = [
    t.get_groups()
    for t in (
        checks.TestColumnDrift(column_name="a"),
        checks.TestNumberOfColumns(),
        checks.TestColumnValueMin(column_name="a", gt=0),
    )
]
ref, cur = frame["a"], frame["b"] + 0.3
answers["stattest"] = [
    [r.drift_score, r.drifted, r.actual_threshold]
    for r in (
        ks_stat_test(ref, cur, "num", None),
        ks_stat_test(ref, cur, "num", 0.2),
        wasserstein_stat_test(ref, cur, "num", None),
    )
]
mapping = ColumnMapping(
    target="target", prediction="prediction", numerical_features=["a", "b", "c"], categorical_features=["k"]
)
summary, table, quality = DatasetSummaryMetric(), DataDriftTable(), RegressionQualityMetric()
report = Report(metrics=[summary, table, quality], tags=["t1"], metadata={"m": "x"})
report.run(reference_data=frame, current_data=frame.iloc[:30], column_mapping=mapping)
answers["columns_type"] = {k: str(v) for k, v in summary.get_result().current.columns_type.items()}
columns = {"table": table.get_result().dataset_columns, "quality": quality.get_result().columns}
answers["dataset_columns"] = {
    name: {
        "task": c.task,
        "target_type": c.target_type,
        "features": [
            c.get_all_features_list(),
            c.get_all_features_list(cat_before_num=False, include_datetime_feature=True),
        ],
        "columns": [
            c.get_all_columns_list(),
            c.get_all_columns_list(skip_id_column=True, skip_text_columns=True),
        ],
        "len": [c.get_features_len(), c.get_features_len(include_time_columns=True)],
        "target_names_list": c.target_names_list,
        "dict": json.loads(c.json(exclude={"task", "target_type"})),
    }
    for name, c in columns.items()
}
answers["in_dict"] = "dataset_columns" in report.as_dict()["metrics"][1]["result"]
value = PanelValue(metric_id="DataDriftTable", field_path="drift_by_columns.a.drift_score")
answers["panel_get"] = [value.field_path_str, [[type(m).__name__, v] for m, v in value.get(report).items()]]
answers["panel_matched"] = [
    PanelValue(field_path="x", **kw).metric_matched(m)
    for kw in (
        {"metric_id": "DataDriftTable"},
        {"metric_id": "DatasetSummaryMetric"},
        {"metric_args": {"columns": None}},
        {"metric_args": {"nope": 1}},
    )
    for m in (summary, table)
]
suite = TestSuite(
    tests=[
        checks.TestColumnValueMin(column_name="a", gt=-10),
        checks.TestColumnValueMin(column_name="b", gt=0),
        checks.TestNumberOfColumns(),
    ],
    tags=["t1"],
)
suite.run(reference_data=frame, current_data=frame.iloc[:30], column_mapping=mapping)
flt = TestFilter(test_id="TestColumnValueMin")
answers["test_get"] = [
    [t.column_name.name, info.status.value, info.description] for t, info in flt.get(suite).items()
]
answers["test_matched"] = [
    TestFilter(**kw).test_matched(t)
    for kw in (
        {"test_id": "TestColumnValueMin"},
        {"test_args": {"column_name.name": "b"}},
        {"test_args": {"gt": 0}},
    )
    for t in suite._inner_suite.context.tests
]
answers["report_filter"] = [
    ReportFilter(**{"metadata_values": {}, "tag_values": [], **kw}).filter(r)
    for kw in (
        {},
        {"tag_values": ["t1"]},
        {"tag_values": ["t2"]},
        {"metadata_values": {"m": "x"}},
        {"include_test_suites": True},
    )
    for r in (report, suite)
]
with open(f"{folder}/answers2.json", "w") as out:
    json.dump(answers, out, default=str)
