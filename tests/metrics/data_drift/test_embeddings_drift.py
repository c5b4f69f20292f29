"""Embeddings drift: ColumnMapping.embeddings, EmbeddingsDriftMetric and its four methods, TestEmbeddingsDrift
and the drift presets. Expected numbers are computed here with numpy, scipy and scikit-learn directly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import cdist, cosine
from scipy.stats import wasserstein_distance
from sklearn.decomposition import PCA
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from monitorflow import ColumnMapping, Report, TestSuite
from monitorflow.checks import TestEmbeddingsDrift, TestStatus
from monitorflow.column_mapping import build_definition
from monitorflow.errors import (
    ColumnNotFoundError,
    ColumnTypeError,
    ConfigurationError,
    MetricError,
    MonitoringError,
)
from monitorflow.metric_preset import DataDriftPreset
from monitorflow.metrics import ColumnDriftMetric, DataDriftTable, EmbeddingsDriftMetric
from monitorflow.metrics.data_drift.embedding_drift_methods import (
    DistanceDriftMethod,
    ModelDriftMethod,
    distance,
    mmd,
    model,
    ratio,
)
from monitorflow.test_preset import DataDriftTestPreset, NoTargetPerformanceTestPreset

DIMS = 6
COLUMNS = [f"e{i}" for i in range(DIMS)]
MAPPING = ColumnMapping(embeddings={"vec": COLUMNS})


def _side(rng: np.random.Generator, n: int, shift: float = 0.0) -> pd.DataFrame:
    frame = pd.DataFrame(rng.normal(shift, 1, (n, DIMS)) + np.arange(DIMS), columns=COLUMNS)
    frame["age"] = rng.normal(40, 10, n)
    return frame


@pytest.fixture
def drifted(rng) -> tuple[pd.DataFrame, pd.DataFrame]:
    return _side(rng, 500), _side(rng, 400, shift=0.5)


@pytest.fixture
def same(rng) -> tuple[pd.DataFrame, pd.DataFrame]:
    return _side(rng, 1500), _side(rng, 1500)


def _matrices(reference: pd.DataFrame, current: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    return reference[COLUMNS].to_numpy(), current[COLUMNS].to_numpy()


# ------------------------------------------------------------------------------ expected numbers


def _expected_auc(ref: np.ndarray, cur: np.ndarray) -> tuple[float, np.ndarray]:
    x = np.vstack([ref, cur])
    y = np.r_[np.ones(len(ref)), np.zeros(len(cur))]
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.5, random_state=42, shuffle=True)
    classifier = SGDClassifier(loss="log_loss", random_state=42).fit(x_train, y_train)
    return roc_auc_score(y_test, classifier.predict_proba(x_test)[:, 1]), y_test


def test_model_method_is_the_seeded_domain_classifier_auc(run_metric, drifted):
    reference, current = drifted
    expected, y_test = _expected_auc(*_matrices(reference, current))
    result = run_metric(EmbeddingsDriftMetric("vec", model()), reference, current, MAPPING)
    assert result.drift_score == pytest.approx(expected, rel=1e-12)
    assert result.drift_detected == (expected > 0.55) and result.method_name == "model"


def test_model_bootstrap_compares_with_the_quantile_of_random_aucs(run_metric, drifted):
    reference, current = drifted
    expected, y_test = _expected_auc(*_matrices(reference, current))
    random_aucs = [roc_auc_score(y_test, np.random.RandomState(i).rand(len(y_test))) for i in range(100)]
    cut = np.percentile(random_aucs, 90)
    result = run_metric(
        EmbeddingsDriftMetric("vec", model(bootstrap=True, quantile_probability=0.9)),
        reference,
        current,
        MAPPING,
    )
    assert result.drift_score == pytest.approx(expected, rel=1e-12)
    assert result.drift_detected == (expected > cut)


def test_default_method_is_model_with_bootstrap_below_1000_reference_rows(run_metric, rng):
    small_ref, small_cur = _side(rng, 999), _side(rng, 300, shift=0.05)
    default = run_metric(EmbeddingsDriftMetric("vec"), small_ref, small_cur, MAPPING)
    assert default == run_metric(
        EmbeddingsDriftMetric("vec", model(bootstrap=True)), small_ref, small_cur, MAPPING
    )
    large_ref = _side(rng, 1000)
    default = run_metric(EmbeddingsDriftMetric("vec"), large_ref, small_cur, MAPPING)
    assert default == run_metric(EmbeddingsDriftMetric("vec", model()), large_ref, small_cur, MAPPING)


def test_ratio_method_is_the_share_of_dimensions_drifted_by_normed_wasserstein(run_metric, rng):
    reference = _side(rng, 400)
    current = reference.copy()
    current[["e0", "e1"]] += 0.5  # 2 of 6 dimensions shift by half a standard deviation
    ref, cur = _matrices(reference, current)
    drifted = [
        wasserstein_distance(ref[:, i], cur[:, i]) / max(np.std(ref[:, i]), 0.001) >= 0.1 for i in range(DIMS)
    ]
    assert sum(drifted) == 2
    result = run_metric(EmbeddingsDriftMetric("vec", ratio()), reference, current, MAPPING)
    assert result.drift_score == pytest.approx(2 / 6) and result.drift_detected  # 1/3 > 0.2
    result = run_metric(EmbeddingsDriftMetric("vec", ratio(threshold=0.4)), reference, current, MAPPING)
    assert result.drift_score == pytest.approx(2 / 6) and not result.drift_detected


@pytest.mark.parametrize("dist", ["euclidean", "cosine", "cityblock", "chebyshev"])
def test_distance_method_is_the_distance_between_mean_vectors(run_metric, drifted, dist):
    ref, cur = _matrices(*drifted)
    diff = ref.mean(axis=0) - cur.mean(axis=0)
    expected = {
        "euclidean": np.sqrt((diff**2).sum()),
        "cosine": cosine(ref.mean(axis=0), cur.mean(axis=0)),
        "cityblock": np.abs(diff).sum(),
        "chebyshev": np.abs(diff).max(),
    }[dist]
    result = run_metric(EmbeddingsDriftMetric("vec", distance(dist=dist)), *drifted, MAPPING)
    assert result.drift_score == pytest.approx(expected, rel=1e-9)
    assert result.drift_detected == (expected > 0.2) and result.method_name == "distance"


def test_distance_bootstrap_compares_with_reference_resamples(run_metric, drifted):
    ref, cur = _matrices(*drifted)
    m, n = len(ref), len(cur)
    null = []
    for i in range(100):
        draw = np.random.RandomState(i)
        a, b = draw.choice(m, int(m * m / (m + n))), draw.choice(m, int(n * m / (m + n)))
        null.append(np.linalg.norm(ref[a].mean(axis=0) - ref[b].mean(axis=0)))
    observed = np.linalg.norm(ref.mean(axis=0) - cur.mean(axis=0))
    result = run_metric(EmbeddingsDriftMetric("vec", distance(bootstrap=True)), *drifted, MAPPING)
    assert result.drift_score == pytest.approx(observed, rel=1e-9)
    assert result.drift_detected == bool(observed > np.percentile(null, 95))


def _expected_mmd2(ref: np.ndarray, cur: np.ndarray) -> float:
    gamma = 1 / np.median(cdist(ref, cur)) ** 2
    both = np.vstack([ref, cur])
    kernel = np.exp(-gamma * cdist(both, both, "sqeuclidean"))
    m, n = len(ref), len(cur)
    kx, ky, kxy = kernel[:m, :m], kernel[m:, m:], kernel[:m, m:]
    return (
        (kx.sum() - np.trace(kx)) / (m * (m - 1))
        + (ky.sum() - np.trace(ky)) / (n * (n - 1))
        - 2 * kxy.sum() / (m * n)
    )


def test_mmd_method_is_the_unbiased_mmd2_with_the_median_heuristic(run_metric, drifted):
    expected = _expected_mmd2(*_matrices(*drifted))
    result = run_metric(EmbeddingsDriftMetric("vec", mmd()), *drifted, MAPPING)
    assert result.drift_score == pytest.approx(expected, rel=1e-9)
    assert result.drift_detected == (expected > 0.015) and result.method_name == "mmd"


def test_pca_components_project_both_sides_on_the_reference_components(run_metric, drifted):
    ref, cur = _matrices(*drifted)
    pca = PCA(n_components=2, random_state=0).fit(ref)
    expected = np.linalg.norm(pca.transform(ref).mean(axis=0) - pca.transform(cur).mean(axis=0))
    result = run_metric(EmbeddingsDriftMetric("vec", distance(pca_components=2)), *drifted, MAPPING)
    assert result.drift_score == pytest.approx(expected, rel=1e-9)


# ------------------------------------------------------------------------------ drift vs no drift

ALL_METHODS = [model(), model(bootstrap=True), ratio(), distance(), distance(bootstrap=True), mmd()]


@pytest.mark.parametrize("method", ALL_METHODS, ids=repr)
def test_each_method_detects_a_shift_and_not_a_same_distribution_sample(run_metric, drifted, same, method):
    assert run_metric(EmbeddingsDriftMetric("vec", method), *drifted, MAPPING).drift_detected
    assert not run_metric(EmbeddingsDriftMetric("vec", method), *same, MAPPING).drift_detected


def test_results_are_deterministic(drifted):
    def run() -> list:
        metrics = [EmbeddingsDriftMetric("vec", m) for m in [*ALL_METHODS, mmd(bootstrap=True)]]
        report = Report(metrics=metrics)
        report.run(reference_data=drifted[0], current_data=drifted[1], column_mapping=MAPPING)
        return [report.result(m).model_dump() for m in metrics]

    assert run() == run()


def test_methods_can_be_called_directly_with_frames_as_in_evidently(drifted):
    reference, current = drifted
    score, detected, name = distance()(current[COLUMNS], reference[COLUMNS])
    assert (name, detected) == ("distance", True) and isinstance(score, float)


def test_result_has_evidentlys_fields_and_a_small_picture(run_metric, drifted):
    result = run_metric(EmbeddingsDriftMetric("vec", distance()), *drifted, MAPPING)
    assert result.embeddings_name == "vec"
    assert len(result.x_edges) == len(result.y_edges) == 21
    assert sum(map(sum, result.reference.counts)) == 500 and sum(map(sum, result.current.counts)) == 400


# ------------------------------------------------------------------------------ mapping and features


def test_embedding_columns_are_no_features(run_metric, drifted):
    definition, _, _ = build_definition(MAPPING, drifted[1], drifted[0])
    assert definition.embeddings == {"vec": COLUMNS}
    assert definition.features == ["age"] and definition.embedding_columns["e3"] == "vec"
    table = run_metric(DataDriftTable(), *drifted, MAPPING)
    assert list(table.drift_by_columns) == ["age"]


def test_a_default_role_name_used_by_an_embedding_set_loses_its_role(rng):
    frame = _side(rng, 50).rename(columns={"e0": "target"})
    mapping = ColumnMapping(embeddings={"vec": ["target", *COLUMNS[1:]]})
    definition, _, _ = build_definition(mapping, frame, frame)
    assert definition.target is None and definition.task is None


@pytest.mark.parametrize(
    "mapping, message",
    [
        (
            ColumnMapping(embeddings={"a": COLUMNS[:3], "b": COLUMNS[2:]}),
            "'e2' is in column_mapping.embeddings['b']",
        ),
        (
            ColumnMapping(embeddings={"a": COLUMNS}, numerical_features=["e1"]),
            "listed as a numerical feature",
        ),
        (
            ColumnMapping(embeddings={"a": COLUMNS}, target="e0"),
            "column_mapping.target and an embedding column",
        ),
        (
            ColumnMapping(embeddings={"a": COLUMNS}, prediction=["e0", "e1"]),
            "also in column_mapping.prediction",
        ),
        (ColumnMapping(embeddings={"a": []}), "has no columns"),
    ],
)
def test_conflicting_mappings_raise_configuration_error(rng, mapping, message):
    frame = _side(rng, 20)
    with pytest.raises(ConfigurationError, match=message.replace("[", r"\[").replace("]", r"\]")):
        build_definition(mapping, frame, frame)


def test_a_missing_embedding_column_names_the_set_and_the_dataset(rng):
    reference, current = _side(rng, 20), _side(rng, 20).drop(columns="e4")
    with pytest.raises(ColumnNotFoundError) as caught:
        Report(metrics=[EmbeddingsDriftMetric("vec")]).run(
            reference_data=reference, current_data=current, column_mapping=MAPPING
        )
    assert caught.value.column == "e4" and "column_mapping.embeddings['vec']" in str(caught.value)
    assert "current_data" in str(caught.value)


def test_a_non_numeric_embedding_column_names_the_column_the_value_and_the_fix(rng):
    reference, current = _side(rng, 20), _side(rng, 20)
    current["e2"] = current["e2"].astype(object)
    current.loc[3, "e2"] = "n/a"
    with pytest.raises(ColumnTypeError) as caught:
        Report(metrics=[EmbeddingsDriftMetric("vec")]).run(
            reference_data=reference, current_data=current, column_mapping=MAPPING
        )
    message = str(caught.value)
    assert caught.value.column == "e2" and "'n/a'" in message and "current_data" in message
    assert "one numeric column per dimension" in message and isinstance(caught.value, MonitoringError)


def test_a_column_of_vectors_is_explained(rng):
    frame = pd.DataFrame({"vector": [rng.normal(size=3) for _ in range(10)]})
    with pytest.raises(ColumnTypeError, match=r"tolist\(\)"):
        build_definition(ColumnMapping(embeddings={"v": ["vector"]}), frame, frame)


def test_an_unknown_set_name_names_the_known_sets(drifted):
    with pytest.raises(
        ConfigurationError, match=r"'other' is not in column_mapping.embeddings \(the sets are \['vec'\]"
    ):
        Report(metrics=[EmbeddingsDriftMetric("other")]).run(
            reference_data=drifted[0], current_data=drifted[1], column_mapping=MAPPING
        )
    with pytest.raises(ConfigurationError, match="it has none"):
        Report(metrics=[EmbeddingsDriftMetric("vec")]).run(reference_data=drifted[0], current_data=drifted[1])


def test_missing_values_in_embeddings_fail_the_metric_naming_the_column(drifted):
    reference, current = drifted[0], drifted[1].copy()
    current.loc[[1, 5], "e3"] = np.nan
    report = Report(metrics=[EmbeddingsDriftMetric("vec")])
    report.run(reference_data=reference, current_data=current, column_mapping=MAPPING)
    with pytest.raises(MetricError, match="'e3' .* has 2 missing or infinite values in current_data"):
        report.result(report.metrics[0])


def test_without_reference_the_test_errors_with_the_fix(drifted):
    suite = TestSuite(tests=[TestEmbeddingsDrift("vec")])
    suite.run(current_data=drifted[1], column_mapping=MAPPING)
    assert suite.results[0].status == TestStatus.ERROR and "reference_data" in suite.results[0].description


def test_bad_method_arguments_raise_configuration_error(drifted):
    with pytest.raises(ConfigurationError, match="dist"):
        distance(dist="manhattan")
    with pytest.raises(ConfigurationError, match="pca_components <= 6"):
        Report(metrics=[EmbeddingsDriftMetric("vec", mmd(pca_components=7))]).run(
            reference_data=drifted[0], current_data=drifted[1], column_mapping=MAPPING
        )


def test_column_drift_of_an_embedding_column_points_to_the_embeddings_metric(drifted):
    with pytest.raises(ConfigurationError, match=r"EmbeddingsDriftMetric\('vec'\)"):
        Report(metrics=[ColumnDriftMetric("e0")]).run(
            reference_data=drifted[0], current_data=drifted[1], column_mapping=MAPPING
        )


# ------------------------------------------------------------------------------ tests and presets


def test_test_embeddings_drift_fails_on_drift_and_passes_without(run_tests, drifted, same):
    method = distance()
    assert (
        run_tests([TestEmbeddingsDrift("vec", method)], *drifted, MAPPING).results[0].status
        == TestStatus.FAIL
    )
    passed = run_tests([TestEmbeddingsDrift("vec", method)], *same, MAPPING).results[0]
    assert passed.status == TestStatus.SUCCESS and passed.parameters["method_name"] == "distance"
    assert passed.parameters["drift_method"] == {"type": "DistanceDriftMethod"}


def _two_sets(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame, ColumnMapping]:
    reference, current = _side(rng, 300), _side(rng, 300, shift=0.5)
    mapping = ColumnMapping(embeddings={"first": COLUMNS[:3], "second": COLUMNS[3:]})
    return reference, current, mapping


def test_data_drift_preset_adds_a_metric_per_set(rng):
    reference, current, mapping = _two_sets(rng)
    definition, _, _ = build_definition(mapping, current, reference)
    metrics = DataDriftPreset().generate_metrics(definition)
    assert [(type(m).__name__, getattr(m, "embeddings_name", None)) for m in metrics] == [
        ("DatasetDriftMetric", None),
        ("DataDriftTable", None),
        ("EmbeddingsDriftMetric", "first"),
        ("EmbeddingsDriftMetric", "second"),
    ]
    chosen = DataDriftPreset(embeddings=["second"], embeddings_drift_method={"second": distance()})
    assert chosen.generate_metrics(definition)[2:] == [EmbeddingsDriftMetric("second", distance())]
    assert len(DataDriftPreset().generate_metrics(build_definition(None, current, reference)[0])) == 2


def test_drift_test_presets_add_a_test_per_set(rng):
    reference, current, mapping = _two_sets(rng)
    definition, _, _ = build_definition(mapping, current, reference)
    for preset in (DataDriftTestPreset, NoTargetPerformanceTestPreset):
        tests = preset(embeddings_drift_method={"first": ratio()}).generate_tests(definition)
        embedded = [t for t in tests if isinstance(t, TestEmbeddingsDrift)]
        assert embedded == [TestEmbeddingsDrift("first", ratio()), TestEmbeddingsDrift("second")]
        assert not {getattr(t, "column_name", None) for t in tests} & set(COLUMNS)
    suite = TestSuite(tests=[DataDriftTestPreset(embeddings=["first"])])
    suite.run(reference_data=reference, current_data=current, column_mapping=mapping)
    assert [r.status for r in suite.results if r.type == "TestEmbeddingsDrift"] == [TestStatus.FAIL]


def test_presets_take_evidentlys_positional_order():
    preset = DataDriftTestPreset(None, ["vec"], {"vec": mmd()}, 0.4)
    assert (preset.embeddings, preset.drift_share) == (["vec"], 0.4)
    assert DataDriftPreset(None, ["vec"], None, 0.3).drift_share == 0.3


def test_presets_reject_sets_the_mapping_does_not_have(rng):
    reference, current, mapping = _two_sets(rng)
    definition, _, _ = build_definition(mapping, current, reference)
    with pytest.raises(ConfigurationError, match="'third'"):
        DataDriftPreset(embeddings=["third"]).generate_metrics(definition)
    with pytest.raises(ConfigurationError, match="'third'"):
        DataDriftTestPreset(embeddings_drift_method={"third": model()}).generate_tests(definition)


# ------------------------------------------------------------------------------ snapshot and HTML


def test_snapshot_round_trip_keeps_the_method_and_the_result(tmp_path, drifted):
    metrics = [
        EmbeddingsDriftMetric("vec", distance(dist="cosine", bootstrap=True)),
        EmbeddingsDriftMetric("vec"),
    ]
    report = Report(metrics=metrics)
    report.run(reference_data=drifted[0], current_data=drifted[1], column_mapping=MAPPING)
    loaded = Report.load(report.save(tmp_path / "snap.json"))
    assert loaded.metrics == metrics
    assert isinstance(loaded.metrics[0].drift_method, DistanceDriftMethod)
    assert [loaded.result(m) for m in loaded.metrics] == [report.result(m) for m in metrics]
    assert loaded.to_snapshot().data_definition.embeddings == {"vec": COLUMNS}


def test_html_shows_the_verdict_and_both_projections(drifted):
    report = Report(metrics=[EmbeddingsDriftMetric("vec", ModelDriftMethod())])
    report.run(reference_data=drifted[0], current_data=drifted[1], column_mapping=MAPPING)
    html = report.get_html()
    assert "EmbeddingsDriftMetric" in html and "drift detection method" in html and "detected" in html
    assert "component 1 × component 2 · reference" in html and "component 1 × component 2 · current" in html
    assert html.count("<svg") >= 2
