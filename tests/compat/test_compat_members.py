"""Members of Evidently's legacy API closed for issue 17, each compared with Evidently's own answer
(run in its interpreter on the same frame) or with pandas built from the result's fields."""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from monitorflow import checks
from monitorflow.column_mapping import build_definition
from monitorflow.core import ColumnType
from monitorflow.metrics import (
    ClassificationQualityByClass,
    ColumnCategoryMetric,
    ColumnCorrelationsMetric,
    ColumnDriftMetric,
)
from monitorflow.metrics.data_drift.feature_importance import FeatureImportanceMetricResult
from monitorflow.panels import (
    DashboardPanelPlot,
    DashboardPanelTestSuite,
    PanelValue,
    TestFilter,
    TestSuitePanelType,
)
from monitorflow.pipeline.column_mapping import ColumnMapping, RecomType
from monitorflow.report import Report
from monitorflow.test_suite import TestSuite
from monitorflow.tests import TestColumnDrift, TestNumberOfDriftedColumns, TestShareOfDriftedColumns
from monitorflow.tests.base_test import generate_column_tests
from monitorflow.workspace import Workspace

EVIDENTLY_CHILD = textwrap.dedent(
    """
    import json, sys
    import pandas as pd
    from evidently.legacy.core import ColumnType
    from evidently.legacy.metrics import ClassificationQualityByClass, ColumnCorrelationsMetric
    from evidently.legacy.pipeline.column_mapping import ColumnMapping
    from evidently.legacy.report import Report

    folder = sys.argv[1]
    frame = pd.read_parquet(f"{folder}/frame.parquet")
    report = Report(metrics=[ClassificationQualityByClass(), ColumnCorrelationsMetric(column_name="a")])
    mapping = ColumnMapping(numerical_features=["a", "b", "c"], categorical_features=["k"])
    report.run(reference_data=frame, current_data=frame.iloc[:30], column_mapping=mapping)
    results = [m.get_result() for m in report._inner_suite.context.metric_results]
    for i, result in enumerate(results):
        result.get_pandas().to_json(f"{folder}/pandas{i}.json", orient="split")
    mappings = {task: ColumnMapping(task=task, recommendations_type="rank") for task in TASKS}
    answers = {
        "column_type": {m.name: m.value for m in ColumnType},
        "tasks": {str(t): [m.is_classification_task(), m.is_regression_task()] for t, m in mappings.items()},
        "recom_type": [ColumnMapping().recom_type.value, mappings[None].recom_type.value],
        "metrics_dict": results[0].current.metrics_dict,
    }
    from evidently.legacy import tests as checks
    from evidently.legacy.utils.data_preprocessing import create_data_definition

    definition = create_data_definition(frame, frame.iloc[:30], mapping)
    answers["generated"] = {
        name: [
            [type(t).__name__, getattr(t.column_name, "name", t.column_name)]
            for t in getattr(checks, name)(**kwargs).generate(definition)
        ]
        for name, kwargs in GENERATORS
    }
    from evidently.legacy.tests.base_test import generate_column_tests

    by_columns = generate_column_tests(
        test_class=checks.TestColumnValueMin, columns="num", parameters={"gt": 0}
    )
    answers["by_columns"] = [[t.column_name.name, t.condition.gt] for t in by_columns.generate(definition)]
    json.dump(answers, open(f"{folder}/answers.json", "w"))
    """
)
TASKS = [None, "classification", "regression", "recsys"]
GENERATORS = [
    ("TestAllFeaturesValueDrift", {}),
    ("TestCustomFeaturesValueDrift", {"features": ["k", "a"]}),
    ("TestAllColumnsShareOfMissingValues", {}),
    ("TestAllColumnsMostCommonValueShare", {}),
    ("TestCatColumnsOutOfListValues", {}),
    ("TestNumColumnsMeanInNSigmas", {}),
    ("TestNumColumnsOutOfRangeValues", {}),
]


MAPPING = ColumnMapping(numerical_features=["a", "b", "c"], categorical_features=["k"])


def frame() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    columns = {name: rng.normal(size=50) for name in "abc"}
    labels = {"target": rng.integers(0, 3, 50), "prediction": rng.integers(0, 3, 50)}
    return pd.DataFrame({**columns, "k": rng.choice(["x", "y", "z"], 50), **labels})


@pytest.fixture(scope="module")
def evidently(tmp_path_factory, evidently_python) -> Path:
    folder = tmp_path_factory.mktemp("members")
    frame().to_parquet(folder / "frame.parquet")
    script = f"TASKS = {TASKS!r}\nGENERATORS = {GENERATORS!r}\n{EVIDENTLY_CHILD}"
    subprocess.run([str(evidently_python), "-c", script, str(folder)], check=True, timeout=300)
    return folder


@pytest.fixture(scope="module")
def ours() -> list[pd.DataFrame]:
    data = frame()
    report = Report(metrics=[ClassificationQualityByClass(), ColumnCorrelationsMetric(column_name="a")])
    mapping = MAPPING
    report.run(reference_data=data, current_data=data.iloc[:30], column_mapping=mapping)
    return [metric.get_result().get_pandas() for metric in report.metrics]


def test_column_type_has_evidentlys_names_and_values(evidently):
    theirs = json.loads((evidently / "answers.json").read_text())["column_type"]
    assert {name: ColumnType[name].value for name in theirs} == theirs
    assert ColumnType.Numerical is ColumnType.NUMERICAL and ColumnType.Categorical is ColumnType.CATEGORICAL
    assert ColumnType("id") is ColumnType.Id and ColumnType.Date == "data"


def test_column_mapping_task_questions_as_evidently(evidently):
    answers = json.loads((evidently / "answers.json").read_text())
    for task in TASKS:
        mapping = ColumnMapping(task=task, recommendations_type="rank")
        assert [mapping.is_classification_task(), mapping.is_regression_task()] == answers["tasks"][str(task)]
    assert [ColumnMapping().recom_type, ColumnMapping(recommendations_type="rank").recom_type] == [
        RecomType.SCORE,
        RecomType.RANK,
    ]
    assert [RecomType.SCORE.value, RecomType.RANK.value] == answers["recom_type"]


def theirs_frame(folder: Path, index: int) -> pd.DataFrame:
    return pd.read_json(folder / f"pandas{index}.json", orient="split").reset_index(drop=True)


def test_classification_quality_by_class_get_pandas_as_evidently(evidently, ours):
    theirs, mine = theirs_frame(evidently, 0), ours[0]
    assert list(mine.columns) == list(theirs.columns)
    mine = mine.assign(class_value=mine["class_value"].astype(int))
    numbers = ["precision", "recall", "f1", "support"]
    pd.testing.assert_frame_equal(mine[numbers], theirs[numbers], check_dtype=False)
    assert (
        mine[["class_value", "dataset"]].values.tolist() == theirs[["class_value", "dataset"]].values.tolist()
    )
    assert mine["roc_auc"].isna().all() and theirs["roc_auc"].isna().all()


def test_column_correlations_get_pandas_as_evidently(evidently, ours):
    theirs, mine = theirs_frame(evidently, 1), ours[1]
    assert sorted(mine.columns) == sorted(theirs.columns)
    pd.testing.assert_frame_equal(mine[theirs.columns], theirs, check_dtype=False)


def test_column_correlations_get_pandas_matches_pandas_corr(ours):
    data = frame()
    current = ours[1].dropna(subset=["current_kind"])
    for kind, other, value in current[["current_kind", "current_column_name", "current_value"]].values:
        assert value == pytest.approx(data.iloc[:30]["a"].corr(data.iloc[:30][other], method=kind))


def test_feature_importance_get_pandas_is_a_row_per_dataset():
    result = FeatureImportanceMetricResult(current={"a": 0.7, "b": 0.3}, reference={"a": 0.4, "b": 0.6})
    expected = pd.DataFrame({"a": [0.7, 0.4], "b": [0.3, 0.6], "dataset": ["current", "reference"]})
    pd.testing.assert_frame_equal(result.get_pandas(), expected)
    assert FeatureImportanceMetricResult(current={"a": 1.0}).get_pandas()["dataset"].tolist() == ["current"]


@pytest.mark.parametrize(("name", "kwargs"), GENERATORS, ids=[name for name, _ in GENERATORS])
def test_generators_generate_evidentlys_tests(evidently, name, kwargs):
    theirs = json.loads((evidently / "answers.json").read_text())["generated"][name]
    data = frame()
    definition = build_definition(MAPPING, data.iloc[:30], data)[0]
    generated = getattr(checks, name)(**kwargs).generate(definition)
    assert [[type(t).__name__, t.column_name] for t in generated] == theirs


def test_panel_value_metric_hash_selects_that_metric_as_its_fingerprint(tmp_path):
    rng = np.random.default_rng(1)
    reference = pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200)})
    current = pd.DataFrame({"a": rng.normal(0.3, size=200), "b": rng.normal(size=200)})
    drift_a, drift_b = ColumnDriftMetric(column_name="a"), ColumnDriftMetric(column_name="b")
    report = Report(metrics=[drift_a, drift_b])
    report.run(reference_data=reference, current_data=current)
    ws = Workspace(tmp_path)
    project = ws.create_project("p")
    ws.add_report(project.id, report)
    for metric in (drift_a, drift_b):
        with pytest.warns(DeprecationWarning, match="metric_fingerprint"):
            value = PanelValue(metric_hash=metric.get_fingerprint(), field_path="drift_score")
        assert value == PanelValue(metric_fingerprint=metric.get_fingerprint(), field_path="drift_score")
        project.dashboard.add_panel(DashboardPanelPlot(title=metric.column_name, values=[value]))
    project.save()
    panels = ws.dashboard_data(project.id)["panels"]
    p_values = [stats.ks_2samp(reference[c], current[c]).pvalue for c in "ab"]
    assert [panel["data"]["traces"][0]["y"] for panel in panels] == [[pytest.approx(p)] for p in p_values]


def test_test_filter_test_hash_selects_that_test_as_its_fingerprint(tmp_path):
    rng = np.random.default_rng(1)
    reference = pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200)})
    current = pd.DataFrame({"a": rng.normal(0.5, size=200), "b": rng.normal(size=200)})
    drift_a, drift_b = TestColumnDrift(column_name="a"), TestColumnDrift(column_name="b")
    suite = TestSuite(tests=[drift_a, drift_b])
    suite.run(reference_data=reference, current_data=current)
    ws = Workspace(tmp_path)
    project = ws.create_project("p")
    ws.add_test_suite(project.id, suite)
    for test in (drift_a, drift_b):
        with pytest.warns(DeprecationWarning, match="test_fingerprint"):
            chosen = TestFilter(test_hash=test.get_fingerprint())
        assert chosen == TestFilter(test_fingerprint=test.get_fingerprint())
        detailed = TestSuitePanelType.DETAILED
        project.dashboard.add_panel(
            DashboardPanelTestSuite(title="t", test_filters=[chosen], panel_type=detailed)
        )
    project.save()
    panels = ws.dashboard_data(project.id)["panels"]
    expected = [
        [c, ["FAIL" if stats.ks_2samp(reference[c], current[c]).pvalue < 0.05 else "SUCCESS"]] for c in "ab"
    ]
    assert expected == [["a", ["FAIL"]], ["b", ["SUCCESS"]]]  # the data make one drift, one not
    assert [[t["detail"], t["cells"]] for panel in panels for t in panel["data"]["tests"]] == expected


def test_drifted_columns_tests_pass_feature_importance_to_their_table():
    rng = np.random.default_rng(1)
    reference = pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200)})
    current = pd.DataFrame({"a": rng.normal(0.5, size=200), "b": rng.normal(size=200)})
    importances = {"a": 0.7, "b": 0.3}
    suite = TestSuite(
        tests=[TestShareOfDriftedColumns(feature_importance=True), TestNumberOfDriftedColumns(lt=5)]
    )
    suite.run(
        reference_data=reference,
        current_data=current,
        additional_data={"current_feature_importance": importances},
    )
    drifted = [c for c in "ab" if stats.ks_2samp(reference[c], current[c]).pvalue < 0.05]
    assert drifted == ["a"]  # the data make one column drift
    assert [suite.results[0].parameters["value"], suite.results[1].parameters["value"]] == [
        len(drifted) / 2,
        len(drifted),
    ]
    tables = {
        e.params.get("feature_importance", False): e.result
        for e in suite.to_snapshot().metrics
        if e.type == "DataDriftTable"
    }
    assert tables[True]["current_fi"] == importances
    assert tables[False].get("current_fi") is None


def test_column_category_counts_of_values_are_value_counts():
    reference = pd.DataFrame({"k": ["x", "y", "y", "z", "z", "z"]})
    current = pd.DataFrame({"k": ["x", "x", "y", "z", None]})
    metric = ColumnCategoryMetric(column_name="k", category="x")
    Report(metrics=[metric]).run(reference_data=reference, current_data=current)
    frames = metric.get_result().counts_of_values
    for side, data in (("current", current), ("reference", reference)):
        expected = data["k"].value_counts().rename_axis("x").reset_index(name="count")
        pd.testing.assert_frame_equal(frames[side], expected, check_dtype=False)


def test_classification_quality_metrics_dict_as_evidently(evidently):
    theirs = json.loads((evidently / "answers.json").read_text())["metrics_dict"]
    data = frame()
    metric = ClassificationQualityByClass()
    Report(metrics=[metric]).run(reference_data=data, current_data=data.iloc[:30], column_mapping=MAPPING)
    ours = metric.get_result().current.metrics_dict
    assert ours.keys() == theirs.keys()
    for label, values in theirs.items():
        assert ours[label] == pytest.approx(values)


def test_generate_column_tests_takes_evidentlys_test_class_keyword(evidently):
    theirs = json.loads((evidently / "answers.json").read_text())["by_columns"]
    data = frame()
    definition = build_definition(MAPPING, data.iloc[:30], data)[0]
    generator = generate_column_tests(
        test_class=checks.TestColumnValueMin, columns="num", parameters={"gt": 0}
    )
    assert (
        [[t.column_name, t.gt] for t in generator.generate(definition)] == theirs == [[c, 0] for c in "abc"]
    )
