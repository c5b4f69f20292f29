"""TargetByFeaturesTable: counts and means per feature bin computed independently with numpy / pandas,
for regression, classification, probabilities and text descriptors; TargetDriftPreset's composition."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from monitorflow import ColumnMapping
from monitorflow.column_mapping import build_definition
from monitorflow.metric_preset import TargetDriftPreset
from monitorflow.metrics.plots import FEATURE_BINS, VALUE_BINS, TargetByFeaturesTable
from tests.metrics.data_drift.plot_frames import _edges, _frame, _run

# ------------------------------------------------------------------------------ TargetByFeaturesTable


def test_target_by_features_regression_counts_and_means(rng, run_metric):
    reference, current = _frame(rng, 900), _frame(rng, 700, shift=0.5)
    current.loc[[1, 2], "num"] = np.nan
    current.loc[3, "target"] = np.nan
    mapping = ColumnMapping(datetime="ts")
    result = run_metric(TargetByFeaturesTable(), reference, current, mapping)
    assert result.task == "regression" and result.columns == ["num", "other", "cat"]
    value_edges = _edges(
        *(f[c].to_numpy() for f in (reference, current) for c in ("target", "prediction")), bins=VALUE_BINS
    )
    np.testing.assert_allclose(result.value_edges, value_edges)
    edges = _edges(reference["num"].to_numpy(), current["num"].to_numpy(), bins=FEATURE_BINS)
    feature = result.current["num"]
    np.testing.assert_allclose(feature.edges, edges)
    assert feature.count[-1] == 2 and sum(feature.count) == 700  # the last bucket: missing feature
    for role in ("target", "prediction"):
        ok = current["num"].notna() & current[role].notna()
        expected, _, _ = np.histogram2d(current["num"][ok], current[role][ok], bins=[edges, value_edges])
        counts = np.array(getattr(feature, role).counts)
        assert np.array_equal(counts[:-1], expected.astype(int))
        bins = np.clip(np.digitize(current["num"][ok], edges) - 1, 0, FEATURE_BINS - 1)
        means = current[role][ok].groupby(bins).mean().reindex(range(FEATURE_BINS))
        np.testing.assert_allclose(getattr(feature, role).mean[:-1], means.to_numpy())
    target_counts = np.array(feature.target.counts)
    assert target_counts.sum() == 699  # the row without a target is left out
    assert target_counts[-1].sum() == 2  # the rows without a feature value: the missing bucket
    cat = result.reference["cat"]
    assert cat.categories == ["a", "b", "c"] and cat.count[:3] == [
        int((reference["cat"] == a).sum()) for a in "abc"
    ]
    np.testing.assert_allclose(
        cat.target.mean[:3], reference.groupby("cat")["target"].mean().loc[list("abc")]
    )


def test_target_by_features_classification_counts_labels(rng, run_metric):
    reference, current = _frame(rng, 600), _frame(rng, 400)
    for frame in (reference, current):
        frame["target"] = np.where(frame["num"] > 0, "yes", "no")
        frame["prediction"] = np.where(frame["other"] > 0, "yes", "no")
    result = run_metric(TargetByFeaturesTable(columns=["cat", "num"]), reference, current)
    assert result.task == "classification" and result.labels == ["no", "yes"]
    assert result.columns == ["cat", "num"]
    table = pd.crosstab(current["cat"], current["prediction"])
    counts = np.array(result.current["cat"].prediction.counts)
    assert counts[:3, :2].tolist() == table.loc[list("abc"), ["no", "yes"]].to_numpy().tolist()
    assert counts[:, 2].sum() == 0  # no other label
    assert result.current["num"].target.mean is None


def test_target_by_features_probabilities_become_labels(rng, run_metric):
    reference, current = _frame(rng, 300), _frame(rng, 200)
    for frame in (reference, current):
        p = 1 / (1 + np.exp(-frame["num"].to_numpy()))
        frame["target"] = np.where(frame["num"] > 0, "yes", "no")
        frame["no"], frame["yes"] = 1 - p, p
    mapping = ColumnMapping(prediction=["no", "yes"], pos_label="yes")
    result = run_metric(TargetByFeaturesTable(columns=["cat"]), reference, current, mapping)
    predicted = np.where(1 / (1 + np.exp(-current["num"])) >= 0.5, "yes", "no")
    table = pd.crosstab(current["cat"], predicted)
    counts = np.array(result.current["cat"].prediction.counts)
    assert counts[:3, :2].tolist() == table.loc[list("abc"), ["no", "yes"]].to_numpy().tolist()

    without_target = ColumnMapping(target=None, prediction=["no", "yes"])
    result = run_metric(
        TargetByFeaturesTable(columns=["cat"]),
        reference.drop(columns="target"),
        current.drop(columns="target"),
        without_target,
    )
    assert result.target_name is None and result.labels == ["no", "yes"]
    assert (
        np.array(result.current["cat"].prediction.counts)[:3, :2].tolist()
        == table.loc[list("abc")].to_numpy().tolist()
    )


def test_target_by_features_text_descriptors(rng, run_metric):
    texts = ["hello world", "a-b!", None, "ok?"]
    reference = pd.DataFrame({"txt": texts * 25, "target": rng.normal(size=100)})
    current = pd.DataFrame({"txt": texts[::-1] * 25, "target": rng.normal(size=100)})
    result = run_metric(
        TargetByFeaturesTable(), reference, current, ColumnMapping(text_features=["txt"], task="regression")
    )
    assert result.columns == ["txt: Text Length", "txt: Non Letter Character %"]
    lengths = [len(t) if t else 0 for t in texts]  # Evidently counts a missing text as length 0
    length = result.current["txt: Text Length"]
    assert [length.edges[0], length.edges[-1]] == [min(lengths), max(lengths)]
    assert sum(length.count) == 100 and length.count[-1] == 0  # no missing bucket used
    non_letter = [0.0, 100 * 2 / 4, 0.0, 100 * 1 / 3]  # "a-b!" has 2 of 4, "ok?" 1 of 3; spaces are letters
    share = result.current["txt: Non Letter Character %"]
    assert share.edges[0] == 0 and share.edges[-1] == pytest.approx(max(non_letter))
    bins = np.clip(np.digitize(non_letter, share.edges) - 1, 0, FEATURE_BINS - 1)
    assert share.count[:FEATURE_BINS] == (25 * np.bincount(bins, minlength=FEATURE_BINS)).tolist()


# ----------------------------------------------------------------------------- TargetDriftPreset order


# Evidently 0.7.23, src/evidently/legacy/metric_preset/target_drift.py (TargetDriftPreset.generate_metrics):
# target: ColumnDriftMetric, ColumnValuePlot (regression task only), ColumnCorrelationsMetric; prediction:
# ColumnDriftMetric, ColumnCorrelationsMetric; then TargetByFeaturesTable when a target or prediction exists.
EVIDENTLY_REGRESSION = [
    ("ColumnDriftMetric", "target"),
    ("ColumnValuePlot", "target"),
    ("ColumnCorrelationsMetric", "target"),
    ("ColumnDriftMetric", "prediction"),
    ("ColumnCorrelationsMetric", "prediction"),
    ("TargetByFeaturesTable", None),
]


EVIDENTLY_CLASSIFICATION = [
    ("ColumnDriftMetric", "target"),
    ("ColumnCorrelationsMetric", "target"),
    ("ColumnDriftMetric", "prediction"),
    ("ColumnCorrelationsMetric", "prediction"),
    ("TargetByFeaturesTable", None),
]


def _shape(metrics) -> list[tuple[str, str | None]]:
    return [(type(m).__name__, getattr(m, "column_name", None)) for m in metrics]


def test_target_drift_preset_follows_evidentlys_order(rng):
    frame = _frame(rng, 200)
    regression = build_definition(ColumnMapping(datetime="ts"), frame, frame)[0]
    assert regression.task == "regression"
    assert _shape(TargetDriftPreset().generate_metrics(regression)) == EVIDENTLY_REGRESSION

    labelled = frame.assign(target=np.where(frame["num"] > 0, "yes", "no"), prediction="yes")
    classification = build_definition(ColumnMapping(datetime="ts"), labelled, labelled)[0]
    assert classification.task == "classification"
    metrics = TargetDriftPreset(columns=["num"]).generate_metrics(classification)
    assert _shape(metrics) == EVIDENTLY_CLASSIFICATION
    assert metrics[-1].columns == ["num"]

    only_prediction = build_definition(ColumnMapping(target=None), frame.drop(columns="target"), frame)[0]
    assert _shape(TargetDriftPreset().generate_metrics(only_prediction)) == EVIDENTLY_REGRESSION[3:]
    nothing = build_definition(ColumnMapping(target=None, prediction=None), frame, frame)[0]
    assert TargetDriftPreset().generate_metrics(nothing) == []


def test_target_drift_preset_runs_with_the_plot_metrics(rng):
    reference, current = _frame(rng, 400), _frame(rng, 300, shift=1.0)
    report = _run(
        [TargetDriftPreset(columns=["num", "cat"])], reference, current, ColumnMapping(datetime="ts")
    )
    entries = report.as_dict()["metrics"]
    assert [e["metric"] for e in entries] == [name for name, _ in EVIDENTLY_REGRESSION]
    assert all("error" not in e for e in entries), entries
    # as Evidently's, these plot results show nothing in as_dict() unless asked for their render data
    rendered = report.as_dict(include_render=True)["metrics"]
    assert rendered[-1]["result"]["columns"] == ["num", "cat"]
    assert rendered[1]["result"]["x_axis"] == "datetime"
