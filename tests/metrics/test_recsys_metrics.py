"""Top-k recommender metrics against user-by-user loops, sklearn's NDCG and hand-computed examples."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats
from sklearn import metrics as sklearn_metrics

from monitorflow import ColumnMapping
from monitorflow.errors import ColumnNotFoundError, ColumnTypeError, ConfigurationError, InputDataError
from monitorflow.metrics import (
    FBetaTopKMetric,
    HitRateKMetric,
    MAPKMetric,
    MARKMetric,
    MRRKMetric,
    NDCGKMetric,
    PersonalizationMetric,
    PrecisionTopKMetric,
    RecallTopKMetric,
    ScoreDistribution,
)
from tests.metrics.recsys_frames import expected_curves, recommendations, run_metric

METRICS = {
    "precision": PrecisionTopKMetric,
    "recall": RecallTopKMetric,
    "f_beta": FBetaTopKMetric,
    "map": MAPKMetric,
    "mar": MARKMetric,
    "ndcg": NDCGKMetric,
    "mrr": MRRKMetric,
    "hit_rate": HitRateKMetric,
}
RANK = ColumnMapping(recommendations_type="rank")

CASES = {
    # name: (frame, mapping, options)
    "scores": (recommendations(1), None, {}),
    "scores shuffled, ragged lists": (recommendations(2, sizes=(1, 15), shuffle=True), None, {}),
    "ranks shuffled": (recommendations(3, shuffle=True, rank=True), RANK, {}),
    "graded, min_rel_score": (recommendations(4, graded=True), None, {"min_rel_score": 2}),
    "graded gains": (recommendations(5, graded=True, sizes=(3, 14)), None, {}),
    "no feedback users included": (recommendations(6, sizes=(2, 12)), None, {"no_feedback_users": True}),
    "tied scores": (recommendations(7).assign(prediction=lambda f: f["prediction"].round(1)), None, {}),
}


@pytest.mark.parametrize("k", [1, 3, 10])
@pytest.mark.parametrize("case", list(CASES))
def test_every_top_k_metric_matches_the_user_by_user_definition(case, k):
    frame, mapping, options = CASES[case]
    by_score = mapping is None
    for name, metric_type in METRICS.items():
        result = run_metric(metric_type(k=k, **options), frame, mapping=mapping)
        for j in range(1, k + 1):
            expected = expected_curves(frame, j, by_score=by_score, **options)[name]
            assert result.current[j] == pytest.approx(expected, nan_ok=True), (name, j)
        assert result.current_value == result.current[k]
        assert result.reference is None and result.reference_value is None


def test_ndcg_equals_sklearn_per_user_mean():
    frame = recommendations(8, graded=True, sizes=(2, 15), shuffle=True)
    k = 5
    ours = run_metric(NDCGKMetric(k=k), frame).current_value
    scores = [
        sklearn_metrics.ndcg_score([rows["target"].to_numpy()], [rows["prediction"].to_numpy()], k=k)
        for _, rows in frame.groupby("user_id")
        if rows["target"].sum() > 0
    ]
    assert ours == pytest.approx(np.mean(scores))


def test_reference_curve_and_value_are_computed_the_same_way():
    current, reference = recommendations(9), recommendations(10)
    result = run_metric(RecallTopKMetric(k=4), current, reference)
    alone = run_metric(RecallTopKMetric(k=4), reference)
    assert result.reference == alone.current
    assert result.reference_value == alone.current_value


HAND = pd.DataFrame(
    {
        "user_id": ["a", "a", "a", "b", "b", "c", "c"],
        "target": [1, 0, 1, 0, 1, 0, 0],
        "prediction": [0.9, 0.8, 0.1, 0.7, 0.6, 0.5, 0.4],
    }
)


def test_hand_computed_values_at_k_2():
    """a: ranks 1, 2, 3 (relevant 1 and 3); b: ranks 1, 2 (relevant 2); c has no feedback."""
    at = {m: run_metric(t(k=2), HAND).current_value for m, t in METRICS.items()}
    assert at["precision"] == pytest.approx((1 / 2 + 1 / 2) / 2)
    assert at["recall"] == pytest.approx((1 / 2 + 1) / 2)
    assert at["map"] == pytest.approx((1 / 2 + 1 / 2) / 2)  # a: P@1 / 2 relevant; b: P@2 / 1
    assert at["mrr"] == pytest.approx((1 + 1 / 2) / 2)
    assert at["hit_rate"] == 1.0
    assert at["ndcg"] == pytest.approx((1 / (1 + 1 / math.log2(3)) + (1 / math.log2(3)) / 1) / 2)
    with_c = run_metric(PrecisionTopKMetric(k=2, no_feedback_users=True), HAND).current_value
    assert with_c == pytest.approx((1 / 2 + 1 / 2 + 0) / 3)


def test_users_with_fewer_than_k_items_are_scored_on_the_items_they_have():
    frame = pd.DataFrame({"user_id": ["a", "a", "b"], "target": [1, 1, 1], "prediction": [0.2, 0.1, 0.5]})
    result = run_metric(PrecisionTopKMetric(k=5), frame)
    assert result.current_value == 1.0  # a: 2 hits / min(5, 2) items; b: 1 / 1
    assert run_metric(MAPKMetric(k=5), frame).current_value == 1.0


def test_curve_reaches_k_even_beyond_the_longest_list():
    result = run_metric(PrecisionTopKMetric(k=25), recommendations(11))
    assert list(result.current) == list(range(1, 26))
    assert result.current_value == result.current[12]  # nothing changes after the last item


def test_curve_runs_to_ten_when_k_is_smaller():
    assert list(run_metric(NDCGKMetric(k=3), recommendations(12)).current) == list(range(1, 11))


def test_f_beta_weighs_recall_by_beta():
    frame = recommendations(13)
    p = run_metric(PrecisionTopKMetric(k=3), frame).current_value
    r = run_metric(RecallTopKMetric(k=3), frame).current_value
    f2 = run_metric(FBetaTopKMetric(k=3, beta=2), frame).current_value
    assert f2 == pytest.approx(5 * p * r / (4 * p + r))


def test_positional_arguments_follow_evidently():
    assert FBetaTopKMetric(5, 2).beta == 2
    assert PrecisionTopKMetric(5, 3, True).min_rel_score == 3
    with pytest.raises(ConfigurationError):
        PrecisionTopKMetric(k=0)


def test_personalization_is_one_minus_the_mean_overlap_of_two_users_top_k():
    frame = pd.DataFrame(
        {
            "user_id": [1, 1, 2, 2, 3, 3],
            "item_id": ["x", "y", "x", "z", "v", "w"],
            "target": 0,
            "prediction": [0.9, 0.8, 0.9, 0.8, 0.9, 0.8],
        }
    )
    result = run_metric(PersonalizationMetric(k=2), frame)
    overlaps = [1 / 2, 0, 0]  # pairs (1, 2), (1, 3), (2, 3)
    assert result.current_value == pytest.approx(1 - np.mean(overlaps))
    assert result.current_table["x"] == 2


def test_score_distribution_entropy_of_the_softmax_of_top_k_scores():
    frame = recommendations(14)
    result = run_metric(ScoreDistribution(k=3), frame)
    top = frame.sort_values("prediction", ascending=False).groupby("user_id").head(3)["prediction"].to_numpy()
    assert result.current_entropy == pytest.approx(stats.entropy(special.softmax(top)))
    assert sum(result.current_top_k_distr.counts) == top.size
    assert sum(result.current_other_distr.counts) == len(frame) - top.size


def test_score_distribution_refuses_ranks():
    with pytest.raises(ConfigurationError, match="recommendations_type='score'"):
        run_metric(ScoreDistribution(k=3), recommendations(15, rank=True), mapping=RANK)


# ----------------------------------------------------------------------------------- bad input


def test_missing_user_id_column_names_it_and_the_available_columns():
    frame = HAND.rename(columns={"user_id": "user"})
    with pytest.raises(
        ColumnNotFoundError, match=r"'user_id'.*available columns: \['user', 'target', 'prediction'\]"
    ):
        run_metric(PrecisionTopKMetric(k=2), frame)


def test_explicit_user_id_that_is_absent_fails_at_run():
    with pytest.raises(ColumnNotFoundError, match="column_mapping.user_id"):
        run_metric(PrecisionTopKMetric(k=2), HAND, mapping=ColumnMapping(user_id="customer"))


@pytest.mark.parametrize("task", [None, "recsys"])
def test_non_numeric_score_names_column_value_and_fix(task):
    frame = HAND.assign(prediction=["0.9", "0.8", "high", "0.7", "0.6", "0.5", "0.4"])
    with pytest.raises(ColumnTypeError, match=r"'prediction'.*'high'.*pd.to_numeric") as info:
        run_metric(NDCGKMetric(k=2), frame, mapping=ColumnMapping(task=task))
    assert info.value.column == "prediction"


def test_missing_score_is_refused():
    frame = HAND.assign(prediction=[0.9, None, 0.1, 0.7, 0.6, 0.5, 0.4])
    with pytest.raises(InputDataError, match="'prediction' in current_data has 1 missing"):
        run_metric(MRRKMetric(k=2), frame)


def test_ranks_below_one_are_refused():
    frame = HAND.assign(prediction=[0, 1, 2, 0, 1, 0, 1])
    with pytest.raises(InputDataError, match="ranks start at 1"):
        run_metric(MRRKMetric(k=2), frame, mapping=RANK)


def test_missing_target_column_is_named():
    with pytest.raises(ColumnNotFoundError, match="column_mapping.target"):
        run_metric(HitRateKMetric(k=2), HAND.drop(columns="target"))
