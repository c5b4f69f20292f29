"""Drift tests and presets: default conditions, Evidently's preset composition (evidently-facts §4.3),
the seed example, TargetDriftPreset and text columns."""

from __future__ import annotations

import sys
import types

import numpy as np
import pandas as pd
import pytest

from monitorflow import ColumnMapping, Report, TestSuite
from monitorflow.checks import (
    TestAllFeaturesValueDrift,
    TestColumnDrift,
    TestNumberOfDriftedColumns,
    TestShareOfDriftedColumns,
    TestStatus,
)
from monitorflow.column_mapping import build_definition
from monitorflow.errors import MissingDependencyError
from monitorflow.metric_preset import TargetDriftPreset
from monitorflow.metrics import ColumnDriftMetric, DataDriftTable
from monitorflow.test_preset import DataDriftTestPreset, NoTargetPerformanceTestPreset

# --------------------------------------------------------------------------------------------- helpers


def _drifted(
    rng: np.random.Generator, drifted: int, total: int, n: int = 300
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``total`` numerical columns; the first ``drifted`` shift strongly, the rest are identical."""
    ref = {f"f{i}": rng.normal(size=n) for i in range(total)}
    cur = {name: values + 5.0 if i < drifted else values for i, (name, values) in enumerate(ref.items())}
    return pd.DataFrame(ref), pd.DataFrame(cur)


def _batch(rng: np.random.Generator, n: int, shift: float = 0.0) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "age": rng.normal(40 + shift, 10, n),
            "income": rng.lognormal(10, 0.5, n),
            "plan": rng.choice(["basic", "plus", "pro"], n),
            "visits": rng.integers(0, 4, n),
            "when": pd.date_range("2024-01-01", periods=n, freq="min"),
            "uid": np.arange(n),
            "target": rng.integers(0, 2, n),
            "prediction": rng.random(n),
        }
    )


def _shape(tests) -> list[tuple[str, str | None]]:
    return [(type(t).__name__, getattr(t, "column_name", None)) for t in tests]


# ------------------------------------------------------------------------- share / number of drifted


@pytest.mark.parametrize(
    ("drifted", "kwargs", "condition", "status"),
    [
        (1, {}, {"lt": 0.3}, TestStatus.SUCCESS),  # 0.25 < 0.3
        (2, {}, {"lt": 0.3}, TestStatus.FAIL),  # 0.5
        (2, {"drift_share": 0.5}, {"lt": 0.5}, TestStatus.FAIL),  # strict: 0.5 < 0.5 is false
        (2, {"drift_share": 0.6}, {"lt": 0.6}, TestStatus.SUCCESS),
        (2, {"lte": 0.5}, {"lte": 0.5}, TestStatus.SUCCESS),  # an explicit condition wins
        (2, {"lte": 0.5, "drift_share": 0.1}, {"lte": 0.5}, TestStatus.SUCCESS),
    ],
)
def test_share_of_drifted_columns_default_condition(run_tests, rng, drifted, kwargs, condition, status):
    ref, cur = _drifted(rng, drifted, 4)
    result = run_tests([TestShareOfDriftedColumns(**kwargs)], ref, cur).results[0]
    assert result.status == status
    assert result.parameters["condition"] == condition
    assert result.parameters["value"] == drifted / 4


@pytest.mark.parametrize(
    ("drifted", "total", "kwargs", "condition", "status"),
    [
        (1, 6, {}, {"lt": 2}, TestStatus.SUCCESS),
        (2, 6, {}, {"lt": 2}, TestStatus.FAIL),
        (
            0,
            2,
            {},
            {"lt": 0},
            TestStatus.FAIL,
        ),  # max(0, 2 // 3) = 0: fewer than 3 columns always fail, as Evidently
        (2, 6, {"lte": 2}, {"lte": 2}, TestStatus.SUCCESS),
    ],
)
def test_number_of_drifted_columns_default_condition(
    run_tests, rng, drifted, total, kwargs, condition, status
):
    ref, cur = _drifted(rng, drifted, total)
    result = run_tests([TestNumberOfDriftedColumns(**kwargs)], ref, cur).results[0]
    assert (result.status, result.parameters["condition"], result.parameters["value"]) == (
        status,
        condition,
        drifted,
    )


def test_drifted_columns_tests_respect_columns_and_options(run_tests, rng):
    ref, cur = _drifted(rng, 2, 6)
    suite = run_tests(
        [
            TestShareOfDriftedColumns(columns=["f0", "f3", "f4", "f5"]),
            TestNumberOfDriftedColumns(columns=["f2", "f3", "f4"]),
            # a threshold no column can reach: nothing drifts
            TestShareOfDriftedColumns(num_stattest="wasserstein", num_stattest_threshold=1e6),
        ],
        ref,
        cur,
    )
    assert [r.parameters["value"] for r in suite.results] == [0.25, 0, 0.0]
    assert [r.status for r in suite.results] == [TestStatus.SUCCESS] * 3


def test_drift_tests_without_reference_are_errors(run_tests, rng):
    ref, _ = _drifted(rng, 0, 3)
    suite = run_tests(
        [TestShareOfDriftedColumns(), TestNumberOfDriftedColumns(), TestColumnDrift("f0")], None, ref
    )
    assert all(r.status == TestStatus.ERROR and "reference_data" in r.description for r in suite.results)


def test_column_drift_test_reports_not_computable_columns_as_error(run_tests):
    ref = pd.DataFrame({"x": [np.nan] * 10, "y": np.arange(10.0)})
    cur = pd.DataFrame({"x": np.arange(10.0), "y": np.arange(10.0)})
    suite = run_tests([TestColumnDrift("x"), TestColumnDrift("y")], ref, cur)
    assert [r.status for r in suite.results] == [TestStatus.ERROR, TestStatus.SUCCESS]
    assert "not computable" in suite.results[0].description
    assert suite.results[1].parameters["stattest_key"] == "ks"


# ------------------------------------------------------------------------------- preset composition


@pytest.fixture
def definition(rng):
    ref, cur = _batch(rng, 200), _batch(rng, 150)
    return build_definition(ColumnMapping(id="uid"), cur, ref)[0]


#: As Evidently 0.7's legacy API orders them on this data (checked): categorical features, then
#: numerical. Within a kind Evidently's order of inferred columns varies from one process to the next
#: (it comes from a set of names); monitorflow keeps the frame's order.
FEATURES = [
    ("TestColumnDrift", "plan"),
    ("TestColumnDrift", "visits"),
    ("TestColumnDrift", "age"),
    ("TestColumnDrift", "income"),
]
#: Evidently's column order (DataDefinition.get_columns): id, target, prediction, then numerical,
#: categorical and datetime features.
ALL_COLUMNS = ["uid", "target", "prediction", "age", "income", "plan", "visits", "when"]


def test_all_features_value_drift_generates_one_test_per_feature(definition):
    tests = TestAllFeaturesValueDrift(num_stattest="psi", stattest_threshold=0.2).generate_tests(definition)
    assert _shape(tests) == FEATURES  # categorical, then numerical; no target, prediction, datetime or id
    assert all(t.num_stattest == "psi" and t.stattest_threshold == 0.2 for t in tests)
    assert _shape(
        TestAllFeaturesValueDrift(columns=["age", "target", "plan"]).generate_tests(definition)
    ) == [
        ("TestColumnDrift", "plan"),
        ("TestColumnDrift", "age"),
    ]


def test_data_drift_test_preset_composition(definition):
    # As Evidently's preset (checked against Evidently 0.7's legacy API on this data): the prediction
    # here is a probability of a binary target, which gets no drift test of its own.
    tests = DataDriftTestPreset().generate_tests(definition)
    assert _shape(tests) == [
        ("TestShareOfDriftedColumns", None),
        ("TestColumnDrift", "target"),
        *FEATURES,
    ]
    assert tests[0].drift_share is None and tests[0].columns is None

    tuned = DataDriftTestPreset(columns=["age"], drift_share=0.4, stattest="psi", cat_stattest_threshold=0.3)
    tests = tuned.generate_tests(definition)
    assert _shape(tests) == [
        ("TestShareOfDriftedColumns", None),
        ("TestColumnDrift", "target"),
        ("TestColumnDrift", "age"),
    ]
    assert (tests[0].drift_share, tests[0].columns) == (0.4, ["age"])
    assert all(t.stattest == "psi" and t.cat_stattest_threshold == 0.3 for t in tests)


def test_data_drift_test_preset_with_probabilities_has_no_prediction_test(rng):
    frame = _batch(rng, 100).drop(columns=["prediction"]).assign(p_no=0.3, p_yes=0.7)
    definition = build_definition(ColumnMapping(id="uid", prediction=["p_no", "p_yes"]), frame, frame)[0]
    assert _shape(DataDriftTestPreset().generate_tests(definition)) == [
        ("TestShareOfDriftedColumns", None),
        ("TestColumnDrift", "target"),
        *FEATURES,
    ]


def test_no_target_performance_test_preset_composition(definition):
    tests = NoTargetPerformanceTestPreset(drift_share=0.2, num_stattest="wasserstein").generate_tests(
        definition
    )
    numerical, categorical = ["age", "income"], ["plan", "visits"]
    assert sorted(ALL_COLUMNS) == sorted(definition.column_names)
    assert _shape(tests) == [  # as Evidently's (checked): no drift test of a probability prediction
        ("TestShareOfDriftedColumns", None),
        ("TestColumnsType", None),
        *[("TestColumnShareOfMissingValues", c) for c in ALL_COLUMNS],
        *[("TestShareOfOutRangeValues", c) for c in numerical],
        *[("TestShareOfOutListValues", c) for c in categorical],
        *[("TestMeanInNSigmas", c) for c in numerical],
    ]
    assert tests[0].num_stattest == "wasserstein"
    assert tests[0].drift_share == 0.2


def test_no_target_performance_test_preset_without_prediction(rng):
    frame = _batch(rng, 100).drop(columns=["prediction"])
    definition = build_definition(ColumnMapping(id="uid"), frame, frame)[0]
    assert _shape(NoTargetPerformanceTestPreset().generate_tests(definition))[:2] == [
        ("TestShareOfDriftedColumns", None),
        ("TestColumnsType", None),
    ]


# ---------------------------------------------------------------------------------------- seed example


def test_seed_example_runs_with_monitorflow_imports(rng):
    reference_batch, batch1 = (
        _batch(rng, 500).drop(columns="uid"),
        _batch(rng, 400, shift=8.0).drop(columns="uid"),
    )

    suite = TestSuite(tests=[DataDriftTestPreset()])
    suite.run(reference_data=reference_batch, current_data=batch1)

    by_column = {r.parameters.get("column_name"): r for r in suite.results}
    assert by_column["age"].status == TestStatus.FAIL  # the shifted feature
    assert by_column["plan"].status == TestStatus.SUCCESS
    share = by_column[None]
    assert share.name == "Share of Drifted Columns" and share.parameters["condition"] == {"lt": 0.3}
    assert share.parameters["value"] == pytest.approx(1 / 6)  # target, prediction, age, income, plan, visits
    assert suite.metadata["test_presets"] == ["DataDriftTestPreset"]
    assert suite.as_dict()["summary"]["total_tests"] == 6  # no drift test of the probability prediction
    assert not suite  # one column drifted


def test_overlapping_presets_run_shared_tests_once(rng):
    reference_batch, batch1 = _batch(rng, 300), _batch(rng, 300)
    suite = TestSuite(tests=[DataDriftTestPreset(), NoTargetPerformanceTestPreset()])
    suite.run(reference_data=reference_batch, current_data=batch1, column_mapping=ColumnMapping(id="uid"))
    names = [(r.type, r.parameters.get("column_name")) for r in suite.results]
    assert names.count(("TestColumnDrift", "prediction")) == 0  # a probability: no test (as Evidently)
    assert names.count(("TestShareOfDriftedColumns", None)) == 1


# ------------------------------------------------------------------------------------ TargetDriftPreset


def _correlations_metric(monkeypatch):
    """The real ColumnCorrelationsMetric, or a stand-in while monitorflow.metrics.correlations does not
    exist."""
    try:
        from monitorflow.metrics.correlations import ColumnCorrelationsMetric
    except ImportError:
        module = types.ModuleType("monitorflow.metrics.correlations")

        class ColumnCorrelationsMetric:  # not a Metric subclass: it must not enter the METRICS registry
            def __init__(self, column_name):
                self.column_name = column_name

        module.ColumnCorrelationsMetric = ColumnCorrelationsMetric
        monkeypatch.setitem(sys.modules, "monitorflow.metrics.correlations", module)
    return ColumnCorrelationsMetric


def test_target_drift_preset_composition(monkeypatch, definition, rng):
    _correlations_metric(monkeypatch)
    metrics = TargetDriftPreset(stattest="psi", stattest_threshold=0.2).generate_metrics(definition)
    # As Evidently's preset (checked against Evidently 0.7 on this data): a probability prediction of a
    # binary target gets neither a drift nor a correlation metric (listed probability columns: the same rule).
    assert _shape(metrics) == [
        ("ColumnDriftMetric", "target"),
        ("ColumnCorrelationsMetric", "target"),
        ("TargetByFeaturesTable", None),
    ]
    assert all(
        m.stattest == "psi" and m.stattest_threshold == 0.2
        for m in metrics
        if isinstance(m, ColumnDriftMetric)
    )

    frame = _batch(rng, 100).drop(columns=["prediction"]).assign(p_no=0.3, p_yes=0.7)
    with_probas = build_definition(ColumnMapping(id="uid", prediction=["p_no", "p_yes"]), frame, frame)[0]
    assert _shape(TargetDriftPreset().generate_metrics(with_probas)) == [
        ("ColumnDriftMetric", "target"),
        ("ColumnCorrelationsMetric", "target"),
        ("TargetByFeaturesTable", None),
    ]


def test_target_drift_preset_runs_end_to_end(rng):
    reference_batch, batch1 = _batch(rng, 400), _batch(rng, 300)
    batch1["target"] = (batch1["age"] > 30).astype(int)  # ~84% ones against ~50%: the target drifts
    report = Report(metrics=[TargetDriftPreset()])
    report.run(reference_data=reference_batch, current_data=batch1, column_mapping=ColumnMapping(id="uid"))
    entries = report.as_dict()["metrics"]
    assert [e["metric"] for e in entries] == [
        "ColumnDriftMetric",
        "ColumnCorrelationsMetric",
        "TargetByFeaturesTable",
    ]
    assert all("result" in e for e in entries), entries
    assert entries[0]["result"]["column_name"] == "target" and entries[0]["result"]["drift_detected"] is True


# ------------------------------------------------------------------------------------------ text columns


def _texts(rng: np.random.Generator, n: int, extra: list[str]) -> list[str]:
    words = [
        "alpha",
        "beta",
        "gamma",
        "delta",
        "epsilon",
        "zeta",
        "eta",
        "theta",
        "iota",
        "kappa",
        "lambda",
        "omicron",
    ] + extra
    return [" ".join(rng.choice(words, 7)) for _ in range(n)]


@pytest.mark.filterwarnings("ignore:Maximum number of iteration")
@pytest.mark.parametrize(
    ("n", "expected"), [(300, "perc_text_content_drift"), (1200, "abs_text_content_drift")]
)
def test_text_columns_use_the_domain_classifier(run_metric, rng, n, expected):
    ref = pd.DataFrame({"review": _texts(rng, n, [])})
    shifted = pd.DataFrame({"review": _texts(rng, n, ["refund", "broken", "late"] * 4)})
    same = pd.DataFrame({"review": _texts(rng, n, [])})
    mapping = ColumnMapping(text_features=["review"])
    drifted = run_metric(ColumnDriftMetric("review"), ref, shifted, mapping)
    assert (drifted.column_type, drifted.stattest, drifted.drift_detected) == ("text", expected, True)
    assert drifted.drift_score > 0.9  # ROC AUC of the domain classifier
    stable = run_metric(ColumnDriftMetric("review"), ref, same, mapping)
    assert stable.stattest == expected and stable.drift_detected is False
    # listed in text_features, so also a feature of DataDriftTable and TestAllFeaturesValueDrift
    assert list(run_metric(DataDriftTable(), ref, shifted, mapping).drift_by_columns) == ["review"]


def test_text_drift_without_scikit_learn_names_the_extra(monkeypatch, rng):
    for name in [m for m in sys.modules if m == "sklearn" or m.startswith("sklearn.")] + ["sklearn"]:
        monkeypatch.setitem(sys.modules, name, None)  # import sklearn... now raises ImportError
    ref = pd.DataFrame({"review": _texts(rng, 100, [])})
    mapping = ColumnMapping(text_features=["review"])
    metric = ColumnDriftMetric("review")
    report = Report(metrics=[metric])
    report.run(reference_data=ref, current_data=ref, column_mapping=mapping)
    with pytest.raises(MissingDependencyError, match=r"pip install 'monitorflow\[text\]'"):
        report.result(metric)
    suite = TestSuite(tests=[TestColumnDrift("review")])
    suite.run(reference_data=ref, current_data=ref, column_mapping=mapping)
    assert suite.results[0].status == TestStatus.ERROR
    assert "pip install 'monitorflow[text]'" in suite.results[0].description
