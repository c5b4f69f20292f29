"""Classification metrics equal scikit-learn's on the same inputs (binary and multiclass, labels and
probabilities, thresholds and top-k), curves are thinned subsets of scikit-learn's curves."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn import metrics as skm

from monitorflow.metrics.classification import (
    CURVE_POINTS,
    ClassificationClassBalance,
    ClassificationConfusionMatrix,
    ClassificationDummyMetric,
    ClassificationPRCurve,
    ClassificationPRTable,
    ClassificationQualityByClass,
    ClassificationQualityMetric,
    ClassificationRocCurve,
    stratified_dummy,
)
from monitorflow.metrics.classification_by_feature import ClassificationQualityByFeatureTable
from tests.metrics.mq_helpers import (
    approx,
    binary_frame,
    log_loss_sklearn,
    multiclass_frame,
    result_of,
    run_report,
)


def binary_expected(y: np.ndarray, pred: np.ndarray, pos, score: np.ndarray | None = None) -> dict:
    tn, fp, fn, tp = skm.confusion_matrix(y == pos, pred == pos, labels=[False, True]).ravel()
    rate = lambda a, b: a / (a + b) if a + b else math.nan  # noqa: E731
    expected = {
        "accuracy": skm.accuracy_score(y, pred),
        "precision": skm.precision_score(y, pred, pos_label=pos, zero_division=0),
        "recall": skm.recall_score(y, pred, pos_label=pos, zero_division=0),
        "f1": skm.f1_score(y, pred, pos_label=pos, zero_division=0),
        "tpr": rate(tp, fn),
        "tnr": rate(tn, fp),
        "fpr": rate(fp, tn),
        "fnr": rate(fn, tp),
    }
    if score is not None:
        expected["roc_auc"] = skm.roc_auc_score(y == pos, score)
        expected["log_loss"] = log_loss_sklearn(y == pos, score)
    return expected


def check_quality(quality, expected: dict) -> None:
    for name, value in expected.items():
        assert getattr(quality, name) == approx(value), name


# ------------------------------------------------------------------------------------ binary


def test_binary_probability_column_matches_sklearn_on_both_datasets():
    """One probability column of pos_label: every score of current and reference equals scikit-learn's."""
    reference, current = binary_frame(seed=1), binary_frame(seed=2, noise=2.0)
    result = result_of(ClassificationQualityMetric(), current, reference, prediction="proba")
    for frame, quality in ((current, result.current), (reference, result.reference)):
        y = frame["target"].to_numpy()
        pred = (frame["proba"].to_numpy() >= 0.5).astype(int)
        check_quality(quality, binary_expected(y, pred, 1, frame["proba"].to_numpy()))
        assert quality.number_of_rows == len(frame) and quality.number_of_dropped_rows == 0
    assert result.target_name == "target" and result.labels == [0, 1]


def test_binary_string_labels_with_two_probability_columns():
    """ColumnMapping(prediction=[neg, pos]) with string labels and pos_label: scores of pos_label."""
    frame = binary_frame(seed=3, labels=("no", "yes"))
    result = result_of(ClassificationQualityMetric(), frame, prediction=["no", "yes"], pos_label="yes")
    y = frame["target"].to_numpy()
    pred = np.where(frame["yes"] >= 0.5, "yes", "no")
    check_quality(result.current, binary_expected(y, pred, "yes", frame["yes"].to_numpy()))


def test_binary_predicted_labels_have_no_probability_scores():
    frame = binary_frame(seed=4)
    result = result_of(ClassificationQualityMetric(), frame, prediction="label_pred")
    y, pred = frame["target"].to_numpy(), frame["label_pred"].to_numpy()
    check_quality(result.current, binary_expected(y, pred, 1))
    assert (
        result.current.roc_auc is None
        and result.current.log_loss is None
        and result.current.plot_data is None
    )


def test_pos_label_zero_scores_the_zero_class():
    frame = binary_frame(seed=5)
    result = result_of(ClassificationQualityMetric(), frame, prediction="label_pred", pos_label=0)
    check_quality(
        result.current, binary_expected(frame["target"].to_numpy(), frame["label_pred"].to_numpy(), 0)
    )


def test_probability_column_named_after_the_negative_label_is_that_labels_probability():
    """As in Evidently: a probability column named like the other label holds that label's probability."""
    frame = binary_frame(seed=6, labels=("no", "yes"))
    result = result_of(ClassificationQualityMetric(), frame, prediction="no", pos_label="yes")
    y = frame["target"].to_numpy()
    p_yes = 1 - frame["no"].to_numpy()
    pred = np.where(p_yes >= 0.5, "yes", "no")
    check_quality(result.current, binary_expected(y, pred, "yes", p_yes))


@pytest.mark.parametrize("threshold", [0.2, 0.5, 0.8])
def test_probas_threshold_turns_probabilities_into_labels(threshold):
    frame = binary_frame(seed=7)
    result = result_of(ClassificationQualityMetric(probas_threshold=threshold), frame, prediction="proba")
    pred = (frame["proba"].to_numpy() >= threshold).astype(int)
    check_quality(
        result.current, binary_expected(frame["target"].to_numpy(), pred, 1, frame["proba"].to_numpy())
    )


@pytest.mark.parametrize("k", [1, 10, 100, 10_000])
def test_top_k_predicts_the_k_highest_probabilities_positive(k):
    frame = binary_frame(seed=8)
    p = frame["proba"].to_numpy()
    result = result_of(ClassificationQualityMetric(k=k), frame, prediction="proba")
    kth = np.sort(p)[::-1][min(k, p.size) - 1]
    pred = (p >= kth).astype(int)
    assert pred.sum() == min(k, p.size)  # continuous probabilities: no ties
    check_quality(result.current, binary_expected(frame["target"].to_numpy(), pred, 1, p))


def test_rate_plot_data_is_the_thinned_roc_curve():
    frame = binary_frame(n=3000, seed=9)
    rates = result_of(ClassificationQualityMetric(), frame, prediction="proba").current.rate_plots_data
    fpr, tpr, thresholds = skm.roc_curve(frame["target"], frame["proba"])
    assert len(rates.thrs) <= CURVE_POINTS
    points = set(zip(fpr.round(12), tpr.round(12), strict=True))
    assert all((round(f, 12), round(t, 12)) in points for f, t in zip(rates.fpr, rates.tpr, strict=True))
    assert rates.fnr == approx(list(1 - np.array(rates.tpr)))
    assert math.isnan(rates.thrs[0])  # sklearn's +inf: nothing predicted positive


# -------------------------------------------------------------------------------- multiclass


def test_multiclass_probabilities_match_sklearn_macro_averages():
    reference, labels = multiclass_frame(seed=1)
    current, _ = multiclass_frame(seed=2, noise=2.0)
    result = result_of(ClassificationQualityMetric(), current, reference, prediction=labels)
    for frame, quality in ((current, result.current), (reference, result.reference)):
        y, pred, probas = frame["target"], frame["prediction"], frame[labels].to_numpy()
        assert quality.accuracy == approx(skm.accuracy_score(y, pred))
        for name, fn in (
            ("precision", skm.precision_score),
            ("recall", skm.recall_score),
            ("f1", skm.f1_score),
        ):
            assert getattr(quality, name) == approx(fn(y, pred, average="macro", zero_division=0)), name
        binarized = (y.to_numpy()[:, None] == np.array(labels)).astype(int)
        assert quality.roc_auc == approx(skm.roc_auc_score(binarized, probas, average="macro"))
        assert quality.log_loss == approx(log_loss_sklearn(y, probas, labels=labels))
        assert quality.tpr is None and quality.fnr is None  # binary only
        assert quality.plot_data.labels == labels
        assert quality.plot_data.means == approx(list(np.median(probas, axis=0)))


def test_multiclass_labels_macro_average_over_labels_present():
    """A label present in reference only does not count in current's macro average (sklearn's labels)."""
    current = pd.DataFrame({"target": [1, 2, 3, 1, 2, 3, 1], "prediction": [1, 2, 2, 1, 3, 3, 2]})
    reference = pd.DataFrame({"target": [1, 2, 3, 4, 4, 1, 2], "prediction": [1, 2, 3, 4, 1, 1, 4]})
    result = result_of(ClassificationQualityMetric(), current, reference, task="classification")
    assert result.labels == [1, 2, 3, 4]
    for frame, quality in ((current, result.current), (reference, result.reference)):
        for name, fn in (
            ("precision", skm.precision_score),
            ("recall", skm.recall_score),
            ("f1", skm.f1_score),
        ):
            expected = fn(frame["target"], frame["prediction"], average="macro", zero_division=0)
            assert getattr(quality, name) == approx(expected), name


def test_confusion_matrix_matches_sklearn_with_shared_sorted_labels():
    reference, labels = multiclass_frame(seed=3)
    current, _ = multiclass_frame(seed=4)
    result = result_of(ClassificationConfusionMatrix(), current, reference, target_names={"class_0": "zero"})
    assert result.current_matrix.labels == labels
    assert (
        result.current_matrix.values
        == skm.confusion_matrix(current["target"], current["prediction"], labels=labels).tolist()
    )
    assert (
        result.reference_matrix.values
        == skm.confusion_matrix(reference["target"], reference["prediction"], labels=labels).tolist()
    )
    assert result.target_names == {"class_0": "zero"}


def test_quality_by_class_matches_sklearn_per_label():
    frame, labels = multiclass_frame(seed=5, k=4)
    result = result_of(ClassificationQualityByClass(), frame, prediction=labels)
    precision, recall, f1, support = skm.precision_recall_fscore_support(
        frame["target"],
        frame[labels].to_numpy().argmax(axis=1).choose(labels),
        labels=labels,
        zero_division=0,
    )
    binarized = (frame["target"].to_numpy()[:, None] == np.array(labels)).astype(int)
    aucs = skm.roc_auc_score(binarized, frame[labels].to_numpy(), average=None)
    for i, label in enumerate(labels):
        metric = result.current.metrics[label]
        assert (metric.precision, metric.recall, metric.f1) == (
            approx(precision[i]),
            approx(recall[i]),
            approx(f1[i]),
        )
        assert metric.support == support[i]
        assert metric.roc_auc == approx(aucs[i])
    assert result.current.roc_aucs == approx(list(aucs))


def test_class_balance_counts_target_labels():
    reference, labels = multiclass_frame(seed=6)
    current, _ = multiclass_frame(seed=7, n=500)
    result = result_of(ClassificationClassBalance(), current, reference)
    assert result.plot_data.labels == labels
    assert result.plot_data.current == [int((current["target"] == label).sum()) for label in labels]
    assert result.plot_data.reference == [int((reference["target"] == label).sum()) for label in labels]


# ------------------------------------------------------------------------------------ curves


def _subset(points: list[tuple], universe: list[tuple]) -> bool:
    known = {tuple(round(v, 12) if math.isfinite(v) else None for v in p) for p in universe}
    return all(tuple(round(v, 12) if math.isfinite(v) else None for v in p) in known for p in points)


@pytest.mark.parametrize("n", [40, 5000])
def test_roc_curve_points_are_sklearns_thinned(n):
    frame = binary_frame(n=n, seed=10)
    frame["proba"] = frame["proba"].round(3)  # ties
    curve = result_of(ClassificationRocCurve(), frame, prediction="proba").current_roc_curve["1"]
    fpr, tpr, thresholds = skm.roc_curve(frame["target"], frame["proba"])
    ours = list(zip(curve.fpr, curve.tpr, curve.thrs, strict=True))
    theirs = list(zip(fpr, tpr, thresholds, strict=True))
    assert len(ours) == min(len(theirs), CURVE_POINTS)
    assert _subset(ours, theirs)
    assert ours[0][:2] == (0.0, 0.0) and ours[-1][:2] == (1.0, 1.0)
    if len(theirs) <= CURVE_POINTS:
        assert curve.fpr == approx(list(fpr)) and curve.tpr == approx(list(tpr))


def test_multiclass_roc_and_pr_curves_have_one_entry_per_label():
    reference, labels = multiclass_frame(seed=11)
    current, _ = multiclass_frame(seed=12)
    report = run_report(
        [ClassificationRocCurve(), ClassificationPRCurve()], current, reference, prediction=labels
    )
    roc, pr = (report.result(m) for m in (ClassificationRocCurve(), ClassificationPRCurve()))
    assert set(roc.current_roc_curve) == set(roc.reference_roc_curve) == set(labels)
    assert set(pr.current_pr_curve) == set(labels)
    for label in labels:
        fpr, tpr, _ = skm.roc_curve(current["target"] == label, current[label])
        ours = list(zip(roc.current_roc_curve[label].fpr, roc.current_roc_curve[label].tpr, strict=True))
        assert _subset(ours, list(zip(fpr, tpr, strict=True)))


@pytest.mark.parametrize("n", [50, 5000])
def test_pr_curve_points_are_sklearns_thinned(n):
    frame = binary_frame(n=n, seed=13)
    frame["proba"] = frame["proba"].round(2)
    curve = result_of(ClassificationPRCurve(), frame, prediction="proba").current_pr_curve["1"]
    precision, recall, thresholds = skm.precision_recall_curve(
        frame["target"], frame["proba"], drop_intermediate=True
    )
    theirs = list(zip(precision[:-1], recall[:-1], thresholds, strict=True))
    ours = list(zip(curve.pr, curve.rcl, curve.thrs, strict=True))
    assert len(ours) == min(len(theirs), CURVE_POINTS)
    assert _subset(ours, theirs)
    assert curve.thrs == sorted(curve.thrs)


def test_pr_table_counts_true_positives_in_the_top_rows():
    # Evidently's table row for row: ties keep the data order (a stable sort), ``prob`` is the rounded
    # probability of the row after the step, percentages are rounded to one place.
    frame = binary_frame(n=1000, seed=14)
    frame["proba"] = frame["proba"].round(2)
    table = result_of(ClassificationPRTable(), frame, prediction="proba").current["1"]
    y = frame["target"].to_numpy()
    order = np.argsort(-frame["proba"].to_numpy(), kind="stable")
    hits, scores_sorted = y[order], frame["proba"].to_numpy()[order]
    assert len(table) == 20
    for top, count, prob, tp, fp, precision, recall in table:
        assert count == round(top * len(y) / 100)
        assert tp == hits[:count].sum() and fp == count - tp
        assert prob == round(scores_sorted[min(count, len(y) - 1)], 2)
        assert precision == round(100 * tp / count, 1) and recall == round(100 * tp / y.sum(), 1)
    assert table[-1][1] == len(y) and table[-1][6] == approx(100.0)


# ------------------------------------------------------------------------------------- dummy


def test_dummy_is_a_seeded_stratified_classifier_with_sklearn_scores():
    reference, labels = multiclass_frame(seed=15)
    current, _ = multiclass_frame(seed=16, n=700)
    state = np.random.get_state()
    result = result_of(ClassificationDummyMetric(), current, reference, prediction=labels)
    assert np.random.get_state()[1].tolist() == state[1].tolist()  # no global random state used
    # As Evidently: numpy's legacy RandomState(0) choosing among the labels in value_counts order
    counts = current["target"].value_counts()
    dummy = counts.index.to_numpy()[
        np.random.RandomState(0).choice(len(counts), len(current), p=(counts / counts.sum()).to_numpy())
    ]
    assert result.dummy.accuracy == approx(skm.accuracy_score(current["target"], dummy))
    assert result.dummy.f1 == approx(skm.f1_score(current["target"], dummy, average="macro"))
    assert result.dummy.roc_auc == 0.5 and result.dummy.log_loss == approx(math.log(len(labels)))
    precision = skm.precision_score(current["target"], dummy, labels=labels, average=None, zero_division=0)
    assert [result.metrics_matrix[label].precision for label in labels] == approx(list(precision))
    assert result.model_quality.accuracy == approx(
        skm.accuracy_score(current["target"], current["prediction"])
    )
    assert result.by_reference_dummy is not None
    again = result_of(ClassificationDummyMetric(), current, reference, prediction=labels)
    assert again.model_dump() == result.model_dump()  # deterministic


def test_stratified_dummy_follows_frequencies():
    draws = stratified_dummy(np.array([1.0, 3.0]), 100_000, seed=0)
    assert abs(draws.mean() - 0.75) < 0.01
    assert np.array_equal(draws, stratified_dummy(np.array([1.0, 3.0]), 100_000, seed=0))


def test_binary_dummy_with_threshold_applies_evidently_correction():
    frame = binary_frame(seed=17)
    plain = result_of(ClassificationDummyMetric(), frame, prediction="proba").dummy
    shifted = result_of(ClassificationDummyMetric(probas_threshold=0.75), frame, prediction="proba").dummy
    assert shifted.precision == approx(plain.precision)  # coefficient min(1, 0.5 / 0.25) = 1
    assert shifted.recall == approx(plain.recall * 0.5)  # (1 - 0.75) / 0.5
    assert shifted.tpr == approx(plain.tpr * 0.5)


# ---------------------------------------------------------------------------- quality by feature


def test_quality_by_feature_matches_groupby_per_bin_and_category():
    columns = ["target", "proba", "num", "cat"]
    reference = binary_frame(n=2000, seed=18)[columns]
    current = binary_frame(n=1500, seed=19)[columns].copy()
    current.loc[current.index[:10], "num"] = np.nan
    result = result_of(ClassificationQualityByFeatureTable(), current, reference, prediction="proba")
    assert set(result.current) == {"num", "cat"} and result.columns == ["num", "cat"]
    y = current["target"].to_numpy()
    pred = (current["proba"].to_numpy() >= 0.5).astype(int)

    num = result.current["num"]
    edges = np.array(num.edges)
    both = pd.concat([reference["num"], current["num"]]).dropna()
    assert edges[0] == both.min() and edges[-1] == both.max() and len(edges) == 21
    bucket = pd.cut(current["num"], edges, include_lowest=True, labels=False, right=False).fillna(
        len(edges) - 2
    )
    bucket[current["num"] == edges[-1]] = len(edges) - 2
    bucket[current["num"].isna()] = len(edges) - 1
    bucket = bucket.astype(int).to_numpy()
    assert num.count == np.bincount(bucket, minlength=len(edges)).tolist()
    assert num.count[-1] == 10
    for b in range(len(edges)):
        rows = bucket == b
        if rows.any():
            assert num.accuracy[b] == approx(skm.accuracy_score(y[rows], pred[rows]))
            assert num.precision[b] == approx(skm.precision_score(y[rows], pred[rows], zero_division=0))
        else:
            assert math.isnan(num.accuracy[b])

    cat = result.current["cat"]
    assert cat.categories == sorted(cat.categories) or len(cat.categories) == 3
    for i, category in enumerate(cat.categories):
        rows = (current["cat"] == category).to_numpy()
        assert cat.count[i] == rows.sum()
        assert cat.recall[i] == approx(skm.recall_score(y[rows], pred[rows], zero_division=0))
        assert cat.target_counts[i] == np.bincount(y[rows], minlength=2).tolist()
        assert cat.prediction_counts[i] == np.bincount(pred[rows], minlength=2).tolist()
    assert cat.count[-2:] == [0, 0]  # other categories, missing


def test_quality_by_feature_columns_selects_features():
    frame = binary_frame(seed=20)
    result = result_of(ClassificationQualityByFeatureTable(columns=["cat", "num"]), frame, prediction="proba")
    assert list(result.current) == ["num", "cat"] and result.reference is None


# ------------------------------------------------------------------------------------ property


@given(
    data=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=2, max_size=60),
)
def test_label_scores_equal_sklearn_for_any_labels(data):
    """For any target/prediction labels with at least two classes, scores equal scikit-learn's."""
    y = np.array([a for a, _ in data])
    pred = np.array([b for _, b in data])
    labels = np.union1d(y, pred)
    if labels.size < 2:
        return
    frame = pd.DataFrame({"target": y, "prediction": pred})
    quality = result_of(
        ClassificationQualityMetric(), frame, task="classification", pos_label=int(labels[-1])
    ).current
    assert quality.accuracy == approx(skm.accuracy_score(y, pred))
    if labels.size == 2:
        check_quality(
            quality,
            {
                k: v
                for k, v in binary_expected(y, pred, labels[-1]).items()
                if k in ("precision", "recall", "f1")
            },
        )
    else:
        assert quality.f1 == approx(skm.f1_score(y, pred, average="macro", zero_division=0))
        assert quality.precision == approx(skm.precision_score(y, pred, average="macro", zero_division=0))


@given(
    scores=st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0]), min_size=4, max_size=80),
    seed=st.integers(0, 10_000),
)
def test_roc_auc_and_log_loss_equal_sklearn_with_ties(scores, seed):
    p = np.array(scores)
    y = (np.random.default_rng(seed).random(p.size) < p).astype(int)
    if y.min() == y.max():
        return
    frame = pd.DataFrame({"target": y, "prediction": p})
    quality = result_of(ClassificationQualityMetric(), frame, task="classification").current
    assert quality.roc_auc == approx(skm.roc_auc_score(y, p))
    assert quality.log_loss == approx(log_loss_sklearn(y, p))


def test_binary_roc_auc_is_the_macro_mean_of_both_labels_as_evidently():
    """Scores like ``0.15 + 0.05 * a + 0.01 * b`` hold float near-ties (0.35 and 0.35000000000000003) that
    ``1 - p`` merges into one value. Evidently's binary ROC AUC is the macro mean of both labels' one-vs-rest
    curves (the negative label scored by ``1 - p``), so it counts those as ties on one side only; ``roc_aucs``
    lists the positive label first, as Evidently's probability columns."""
    rng = np.random.default_rng(3)
    a, b = rng.integers(0, 8, 600), rng.integers(-20, 20, 600)
    p = np.clip(0.15 + 0.05 * a + 0.01 * b, 0, 1)
    y = (rng.random(600) < p).astype(int)
    assert len(np.unique(1 - p)) < len(np.unique(p))  # the case: 1 - p merges distinct scores
    frame = pd.DataFrame({"target": y, "prediction": p})
    expected = skm.roc_auc_score(
        np.column_stack([y == 1, y == 0]), np.column_stack([p, 1 - p]), average="macro"
    )
    assert expected != skm.roc_auc_score(y, p)  # the two rules part here
    quality = result_of(ClassificationQualityMetric(), frame, task="classification").current
    assert quality.roc_auc == approx(expected, rel=1e-12)
    by_class = result_of(ClassificationQualityByClass(), frame, task="classification").current
    assert by_class.roc_aucs == approx([skm.roc_auc_score(y, p), skm.roc_auc_score(1 - y, 1 - p)], rel=1e-12)
    assert by_class.metrics["0"].roc_auc == approx(skm.roc_auc_score(1 - y, 1 - p), rel=1e-12)
