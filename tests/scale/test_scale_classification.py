"""ClassificationPreset and the classification tests out of core give the in-memory engine's results.

The expected side is the in-memory engine on the whole frame (its own tests check it against
scikit-learn and Evidently); a few numbers are checked against scikit-learn here too. Frames have
missing targets and predictions, ties in the scores, and are cut into partitions of several sizes
with a memory budget so small that every per-label score sample spills into sorted runs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn import metrics as skm

from monitorflow import ColumnMapping, Report, TestSuite
from monitorflow.errors import InputDataError, MonitoringError
from monitorflow.metric_preset import ClassificationPreset
from monitorflow.metrics import ClassificationDummyMetric, ClassificationQualityMetric, ClassificationRocCurve
from monitorflow.metrics.classification import ClassificationPRTable
from monitorflow.metrics.classification_by_feature import ClassificationQualityByFeatureTable
from monitorflow.metrics.classification_plots import ClassificationLiftCurve, ClassificationLiftTable
from monitorflow.metrics.classification_side import side_data
from monitorflow.scale import FrameSource, ParquetSource, configure, options
from monitorflow.scale.context import prepare
from monitorflow.scale.spill import SortedFile
from monitorflow.test_preset import (
    BinaryClassificationTestPreset,
    BinaryClassificationTopKTestPreset,
    MulticlassClassificationTestPreset,
)
from tests.scale.test_scale_parity import (
    assert_same,
    tiny_budget,  # noqa: F401 - autouse: 64 values per sorted run
)


def binary_probas(n: int, seed: int) -> pd.DataFrame:
    """A float 0/1 target and the probability of 1, rounded (ties), with missing values in both."""
    rng = np.random.default_rng(seed)
    target = rng.integers(0, 2, n).astype(np.float64)
    score = np.clip(np.round(0.3 * target + 0.7 * rng.random(n), 2), 0, 1)
    target[rng.random(n) < 0.05] = np.nan
    score[rng.random(n) < 0.05] = np.nan
    return pd.DataFrame({"target": target, "prediction": score, "x": rng.normal(size=n)})


def binary_labels(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    values = np.array(["no", "yes"], dtype=object)
    target, prediction = values[rng.integers(0, 2, n)], values[rng.integers(0, 2, n)]
    target[rng.random(n) < 0.05] = None
    return pd.DataFrame({"target": target, "prediction": prediction})


def multiclass_probas(n: int, seed: int) -> pd.DataFrame:
    """Three labels, one probability column each (rounded: ties), missing targets and probabilities."""
    rng = np.random.default_rng(seed)
    raw = np.round(rng.random((n, 3)), 1) + 0.05
    frame = pd.DataFrame(raw / raw.sum(axis=1, keepdims=True), columns=["a", "b", "c"])
    target = np.array(["a", "b", "c"], dtype=object)[rng.integers(0, 3, n)]
    target[rng.random(n) < 0.05] = None
    frame["target"] = target
    frame.loc[rng.random(n) < 0.05, "b"] = np.nan
    return frame


def multiclass_labels(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    target = rng.integers(0, 4, n)
    prediction = np.where(rng.random(n) < 0.6, target, rng.integers(0, 4, n))
    return pd.DataFrame({"target": target, "prediction": prediction})


CASES = {
    "binary probabilities": (binary_probas, ColumnMapping(task="classification", pos_label=1.0)),
    "binary labels": (binary_labels, ColumnMapping(task="classification", pos_label="yes")),
    "multiclass probabilities": (
        multiclass_probas,
        ColumnMapping(task="classification", prediction=["a", "b", "c"]),
    ),
    "multiclass labels": (multiclass_labels, ColumnMapping(task="classification")),
}


def results(make, current, reference, mapping, parts=None, render=True):
    """(in-memory result, out-of-core result): ``as_dict`` with the chart fields."""
    outcomes = []
    lazy = (FrameSource(current, parts[0]), FrameSource(reference, parts[1])) if parts else None
    for cur, ref in ((current, reference), lazy):
        suite = make()
        suite.run(reference_data=ref, current_data=cur, column_mapping=mapping)
        data = suite.as_dict(include_render=True) if isinstance(suite, Report) and render else suite.as_dict()
        data.pop("timestamp", None)
        outcomes.append(data)
    return outcomes


def report() -> Report:
    return Report(
        metrics=[
            ClassificationPreset(),
            ClassificationDummyMetric(),
            ClassificationLiftTable(),
            ClassificationLiftCurve(),
        ]
    )


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("parts", [(10_000, 10_000), (7, 13), (97, 64)])
def test_classification_preset_matches_the_in_memory_engine(case, parts):
    make, mapping = CASES[case]
    expected, got = results(report, make(900, 1), make(600, 2), mapping, parts)
    assert_same(expected, got)  # errors too (the lift table of predicted labels)


@pytest.mark.parametrize("case", list(CASES))
def test_classification_test_presets_match_the_in_memory_engine(case):
    make, mapping = CASES[case]
    binary = case.startswith("binary")

    def suite() -> TestSuite:
        tests = [BinaryClassificationTestPreset() if binary else MulticlassClassificationTestPreset()]
        if case == "binary probabilities":
            tests.append(BinaryClassificationTopKTestPreset(k=50))
        return TestSuite(tests=tests)

    expected, got = results(suite, make(500, 3), make(400, 4), mapping, (31, 50))
    assert_same(expected, got)
    assert [t["status"] for t in got["tests"]] == [t["status"] for t in expected["tests"]]


def test_the_thresholds_and_top_k_of_binary_probabilities_match():
    make, mapping = CASES["binary probabilities"]

    def thresholds() -> Report:
        return Report(
            metrics=[
                ClassificationPreset(columns=[], probas_threshold=0.37),
                ClassificationQualityMetric(k=25),
                ClassificationDummyMetric(k=40),
                ClassificationDummyMetric(probas_threshold=0.8),
            ]
        )

    expected, got = results(thresholds, make(700, 5), make(300, 6), mapping, (19, 23))
    assert_same(expected, got)


def test_out_of_core_numbers_equal_scikit_learn():
    current = binary_probas(800, 7)
    mapping = CASES["binary probabilities"][1]
    run = Report(metrics=[ClassificationQualityMetric(), ClassificationRocCurve()])
    run.run(reference_data=None, current_data=FrameSource(current, 45), column_mapping=mapping)
    result = run.as_dict()["metrics"][0]["result"]["current"]
    kept = current.dropna(subset=["target", "prediction"])
    assert result["roc_auc"] == pytest.approx(
        skm.roc_auc_score(kept["target"], kept["prediction"]), rel=1e-12
    )
    assert result["log_loss"] == pytest.approx(skm.log_loss(kept["target"], kept["prediction"]), rel=1e-9)
    predicted = (kept["prediction"] >= 0.5).astype(float)
    assert result["accuracy"] == pytest.approx(skm.accuracy_score(kept["target"], predicted))
    assert result["number_of_dropped_rows"] == len(current) - len(kept)

    frame = multiclass_labels(700, 8)
    run = Report(metrics=[ClassificationPreset(columns=[])])
    run.run(reference_data=None, current_data=FrameSource(frame, 33), column_mapping=ColumnMapping())
    matrix = next(m for m in run.as_dict()["metrics"] if m["metric"] == "ClassificationConfusionMatrix")
    expected = skm.confusion_matrix(frame["target"], frame["prediction"], labels=[0, 1, 2, 3])
    assert matrix["result"]["current_matrix"]["values"] == expected.tolist()


def test_per_label_scores_are_sorted_on_disk_within_the_budget():
    frame = multiclass_probas(600, 9)
    mapping = CASES["multiclass probabilities"][1]
    ctx = prepare(FrameSource(frame, 40), None, mapping)
    try:
        data = side_data(ctx, "current")
        kept = frame.dropna(subset=["target", "a", "b", "c"])
        for i, label in enumerate(["a", "b", "c"]):
            on_label = data.sorted_scores(i, positive=True)
            assert isinstance(on_label, SortedFile)  # 512 bytes: spilled, not held
            expected = np.sort(kept.loc[kept["target"] == label, label].to_numpy())
            assert np.array_equal(np.asarray(on_label), expected)
            auc = data.curve(i).roc_auc()
            assert auc == pytest.approx(skm.roc_auc_score(kept["target"] == label, kept[label]), rel=1e-12)
    finally:
        ctx.close()


def test_parquet_row_groups_match_the_in_memory_engine(tmp_path):
    make, mapping = CASES["binary probabilities"]
    paths = []
    for name, frame in (("current", make(800, 10)), ("reference", make(500, 11))):
        path = tmp_path / f"{name}.parquet"
        frame.to_parquet(path, row_group_size=90, index=False)
        paths.append(path)
    outcomes = []
    for cur, ref in (
        (pd.read_parquet(paths[0]), pd.read_parquet(paths[1])),
        (ParquetSource(paths[0]), ParquetSource(paths[1])),
    ):
        run = report()
        run.run(reference_data=ref, current_data=cur, column_mapping=mapping)
        outcomes.append(run.as_dict(include_render=True))
    assert_same(*outcomes)


def with_features(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Features of every kind: floats with NaN and infinities, few integers, texts with None."""
    rng = np.random.default_rng(seed)
    n = len(frame.index)
    number = rng.normal(size=n)
    number[rng.random(n) < 0.05] = np.nan
    number[rng.random(n) < 0.02] = np.inf
    text = np.array(["u", "v", "w", "x", "y"], dtype=object)[rng.integers(0, 5, n)]
    text[rng.random(n) < 0.05] = None
    return frame.assign(number=number, few=rng.integers(0, 3, n), text=text)


@pytest.mark.parametrize("case", list(CASES))
def test_quality_by_feature_matches_the_in_memory_engine(case):
    make, mapping = CASES[case]
    current, reference = with_features(make(700, 12), 1), with_features(make(500, 13), 2)

    def table() -> Report:
        return Report(metrics=[ClassificationQualityByFeatureTable(), ClassificationPreset(columns=["text"])])

    expected, got = results(table, current, reference, mapping, (45, 70))
    assert "error" not in got["metrics"][0]
    assert set(got["metrics"][0]["result"]["current"]) >= {"number", "few", "text"}
    assert_same(expected, got)


def test_a_bad_probability_in_a_late_partition_is_refused_naming_its_row():
    frame = binary_probas(300, 13)
    frame.loc[250, "prediction"] = 1.5
    run = Report(metrics=[ClassificationQualityMetric()])
    mapping = CASES["binary probabilities"][1]
    with pytest.raises(InputDataError, match=r"1\.5 in row 250"):
        run.run(reference_data=None, current_data=FrameSource(frame, 40), column_mapping=mapping)


scores = st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0, np.nan])


@st.composite
def binary_runs(draw):
    n = draw(st.integers(2, 120))
    target = draw(st.lists(st.sampled_from([0.0, 1.0, np.nan]), min_size=n, max_size=n))
    score = draw(st.lists(scores, min_size=n, max_size=n))
    frame = pd.DataFrame({"target": target, "prediction": score})
    return frame, draw(st.integers(1, 40)), draw(st.integers(1, 30))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(binary_runs())
def test_any_binary_frame_in_any_partitions_matches_the_in_memory_engine(run):
    frame, part, k = run
    mapping = ColumnMapping(task="classification", pos_label=1.0)

    def make() -> Report:
        return Report(
            metrics=[
                ClassificationQualityMetric(),
                ClassificationQualityMetric(k=k),
                ClassificationRocCurve(),
                ClassificationPRTable(),
                ClassificationLiftTable(),
                ClassificationDummyMetric(),
            ]
        )

    outcomes = []
    for data in (frame, FrameSource(frame, part)):
        report_ = make()
        try:
            report_.run(reference_data=None, current_data=data, column_mapping=mapping)
        except MonitoringError as exc:
            outcomes.append(type(exc))
            continue
        entries = report_.as_dict(include_render=True)["metrics"]
        outcomes.append([e.get("result", e.get("error", "").split(":")[0]) for e in entries])
    assert_same(outcomes[0], outcomes[1])


def test_a_cached_reference_keeps_its_score_files_and_gives_the_same_results(tmp_path):
    """The reference's per-label score samples are sorted once into its profile cache; the second run
    finds them (adds no file) and gives the same results."""
    make, mapping = CASES["multiclass probabilities"]
    current, reference = make(400, 14), make(300, 15)
    paths = []
    for name, frame in (("current", current), ("reference", reference)):
        paths.append(tmp_path / f"{name}.parquet")
        frame.to_parquet(paths[-1], row_group_size=70, index=False)
    in_memory = report()
    in_memory.run(reference_data=reference, current_data=current, column_mapping=mapping)
    expected = in_memory.as_dict(include_render=True)
    cache = tmp_path / "cache"
    before = options()
    configure(cache_dir=cache)
    listings = []
    try:
        for _ in range(2):  # the second run reads the reference's profile from the cache
            run = report()
            run.run(
                reference_data=ParquetSource(paths[1]),
                current_data=ParquetSource(paths[0]),
                column_mapping=mapping,
            )
            assert_same(expected, run.as_dict(include_render=True))
            listings.append(sorted(p.name for p in cache.rglob("*") if p.is_file()))
    finally:
        configure(cache_dir=before.cache_dir)
    assert listings[0] == listings[1]
    samples = [name for name in listings[0] if "True" in name or "False" in name]
    assert len(samples) == 6  # three labels, on their rows and on the others
