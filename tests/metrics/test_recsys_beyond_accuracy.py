"""Beyond-accuracy recsys metrics (diversity, serendipity, novelty, popularity bias, item/user bias,
example cases), their tests and RecsysPreset's full composition, against plain-loop definitions."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitorflow import ColumnMapping, Report, TestSuite
from monitorflow.checks import (
    TestARP,
    TestCoverage,
    TestDiversity,
    TestGiniIndex,
    TestNovelty,
    TestPersonalization,
    TestScoreEntropy,
    TestSerendipity,
    TestStatus,
)
from monitorflow.errors import ColumnNotFoundError, ColumnTypeError, InputDataError, MonitoringError
from monitorflow.metric_preset import RecsysPreset
from monitorflow.metrics import (
    DiversityMetric,
    ItemBiasMetric,
    NoveltyMetric,
    PopularityBias,
    RecCasesTable,
    SerendipityMetric,
    UserBiasMetric,
)
from tests.metrics.recsys_beyond import (
    FEATURES,
    expected_diversity,
    expected_novelty,
    expected_popularity,
    expected_serendipity,
    interactions,
)

RECSYS = ColumnMapping(task="recsys")


def _report(metrics, current, train=None, reference=None, reference_train=None, mapping=RECSYS) -> Report:
    extra = {}
    if train is not None:
        extra["current_train_data"] = train
    if reference_train is not None:
        extra["reference_train_data"] = reference_train
    report = Report(metrics=metrics)
    report.run(current_data=current, reference_data=reference, column_mapping=mapping, additional_data=extra)
    return report


def _result(metric, *args, **kwargs):
    return _report([metric], *args, **kwargs).result(metric)


# ------------------------------------------------------------------------------------ hand-checked values


SMALL = pd.DataFrame(
    {
        "user_id": [1, 1, 1, 2, 2, 2],
        "item_id": ["a", "b", "c", "a", "c", "d"],
        "target": [1, 0, 1, 0, 1, 0],
        "prediction": [0.9, 0.5, 0.1, 0.8, 0.6, 0.2],
        "f1": [1.0, 0.0, 1.0, 1.0, 1.0, 0.0],
        "f2": [0.0, 1.0, 1.0, 0.0, 1.0, 0.0],
    }
)
SMALL_TRAIN = pd.DataFrame(
    {
        "user_id": [1, 2, 3, 3],
        "item_id": ["a", "a", "b", "e"],
        "f1": [1.0, 1.0, 0.0, 2.0],
        "f2": [0.0, 0.0, 1.0, 2.0],
    }
)


def test_diversity_by_hand():
    # user 1 top-2: a=(1,0), b=(0,1): distance 1, / 2 items; user 2: a, c=(1,1): 1 - 1/sqrt(2), / 2
    result = _result(DiversityMetric(k=2, item_features=["f1", "f2"]), SMALL)
    assert result.current_value == pytest.approx((0.5 + (1 - 1 / math.sqrt(2)) / 2) / 2, abs=1e-12)
    # k=3: d (all zeros) is at distance 1 from every other item
    result = _result(DiversityMetric(k=3, item_features=["f1", "f2"]), SMALL)
    user1 = (1 + (1 - 1 / math.sqrt(2)) * 2) / 3
    user2 = ((1 - 1 / math.sqrt(2)) + 1 + 1) / 3
    assert result.current_value == pytest.approx((user1 + user2) / 2, abs=1e-12)


def test_novelty_and_popularity_by_hand():
    # training: 3 users; a seen by 2, b by 1, e by 1. Top-2: user 1 {a, b}, user 2 {a, c (unseen)}
    novelty = _result(NoveltyMetric(k=2), SMALL, SMALL_TRAIN)
    user1 = (-math.log2(2 / 3) - math.log2(1 / 3)) / 2
    assert novelty.current_value == pytest.approx((user1 - math.log2(2 / 3)) / 2, abs=1e-12)
    bias = _result(PopularityBias(k=2), SMALL, SMALL_TRAIN)
    assert bias.current_apr == pytest.approx((1.5 + 2) / 2)
    assert bias.current_coverage == pytest.approx(2 / 3)  # a and b of {a, b, e}
    # recommended counts: a 2, b 1, c 1 -> sorted (1, 1, 2): sum (2i - n - 1) x = -2 - 0 + 4 = 2; / (2 * 4)
    assert bias.current_gini == pytest.approx(0.25)
    normalized = _result(PopularityBias(k=2, normalize_arp=True), SMALL, SMALL_TRAIN)
    assert normalized.current_apr == pytest.approx((0.75 + 1) / 2)


def test_serendipity_by_hand():
    # relevant top-2: user 1 {a}, user 2 {c}; user 1 history {a}: 1 - 1/1 = 0;
    # user 2 history {a}: similarity(a, c) = 1/sqrt(2) -> 1 - 1/sqrt(2)
    result = _result(SerendipityMetric(k=2, item_features=["f1", "f2"]), SMALL, SMALL_TRAIN)
    assert result.current_value == pytest.approx((0 + 1 - 1 / math.sqrt(2)) / 2, abs=1e-12)
    strict = _result(SerendipityMetric(k=3, item_features=["f1", "f2"], min_rel_score=2), SMALL, SMALL_TRAIN)
    assert math.isnan(strict.current_value)  # nothing reaches relevance 2


def test_gini_is_nan_for_a_single_item_and_zero_for_equal_counts():
    one = SMALL.assign(item_id="a")
    assert math.isnan(_result(PopularityBias(k=1), one, SMALL_TRAIN).current_gini)
    equal = _result(PopularityBias(k=1), SMALL.assign(item_id=["a", "x", "x", "b", "x", "x"]), SMALL_TRAIN)
    assert equal.current_gini == 0


# ------------------------------------------------------------------------------------ against the loops


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("k", [1, 3, 6])
def test_metrics_match_plain_loops(seed, k):
    current, train = interactions(seed)
    metrics = [
        DiversityMetric(k=k, item_features=FEATURES),
        SerendipityMetric(k=k, item_features=FEATURES),
        NoveltyMetric(k=k),
        PopularityBias(k=k),
        PopularityBias(k=k, normalize_arp=True),
    ]
    report = _report(metrics, current, train)
    diversity, serendipity, novelty, bias, normalized = (report.result(m) for m in metrics)
    assert diversity.current_value == pytest.approx(expected_diversity(current, k), abs=1e-12, nan_ok=True)
    assert serendipity.current_value == pytest.approx(
        expected_serendipity(current, train, k), abs=1e-12, nan_ok=True
    )
    assert novelty.current_value == pytest.approx(expected_novelty(current, train, k), abs=1e-12)
    for result, normalize in ((bias, False), (normalized, True)):
        expected = expected_popularity(current, train, k, normalize)
        assert result.current_apr == pytest.approx(expected["apr"], abs=1e-12)
        assert result.current_coverage == pytest.approx(expected["coverage"], abs=1e-12)
        assert result.current_gini == pytest.approx(expected["gini"], abs=1e-12)


def test_reference_side_uses_its_own_training_data_or_the_current_one():
    current, train = interactions(1)
    reference, reference_train = interactions(2)
    metric = NoveltyMetric(k=3)
    own = _result(metric, current, train, reference, reference_train)
    assert own.reference_value == pytest.approx(expected_novelty(reference, reference_train, 3), abs=1e-12)
    shared = _result(metric, current, train, reference)
    assert shared.reference_value == pytest.approx(expected_novelty(reference, train, 3), abs=1e-12)
    bias = _result(PopularityBias(k=3), current, train, reference, reference_train)
    expected = expected_popularity(reference, reference_train, 3, False)
    assert bias.reference_coverage == pytest.approx(expected["coverage"])  # top-k, as on current


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), k=st.integers(1, 5), n_users=st.integers(1, 6))
def test_property_diversity_and_serendipity_match_pairwise_sums(seed, k, n_users):
    current, train = interactions(seed, n_users=n_users, per_user=(1, 6), n_items=8)
    metrics = [DiversityMetric(k=k, item_features=FEATURES), SerendipityMetric(k=k, item_features=FEATURES)]
    report = _report(metrics, current, train)
    diversity, serendipity = (report.result(m).current_value for m in metrics)
    assert diversity == pytest.approx(expected_diversity(current, k), abs=1e-9, nan_ok=True)
    assert serendipity == pytest.approx(expected_serendipity(current, train, k), abs=1e-9, nan_ok=True)
    # non-negative features: a pair is at most 1 apart, so a list of n items scores at most (n - 1) / 2
    longest = current.groupby("user_id").size().max()
    assert math.isnan(diversity) or 0 <= diversity <= (longest - 1) / 2 + 1e-9


# ------------------------------------------------------------------------------------ bias and cases


def test_item_and_user_bias_distributions():
    current, train = interactions(3)
    item = _result(ItemBiasMetric(k=2, column_name="genre"), current, train)
    top = current[current.groupby("user_id")["prediction"].rank(ascending=False) <= 2]
    assert (
        dict(zip(item.current_distr.x, item.current_distr.y, strict=True))
        == top["genre"].value_counts().to_dict()
    )
    per_item = train.drop_duplicates("item_id", keep="last")["genre"].value_counts().to_dict()
    assert dict(zip(item.current_train_distr.x, item.current_train_distr.y, strict=True)) == per_item
    user = _result(
        UserBiasMetric(column_name="age"),
        current,
        train,
        mapping=ColumnMapping(task="recsys", numerical_features=["age"]),
    )
    assert sum(user.current_distr.y) == current["user_id"].nunique()
    assert sum(user.current_train_distr.y) == train["user_id"].nunique()
    edges = np.asarray(user.current_distr.x)
    assert np.array_equal(edges, np.asarray(user.current_train_distr.x))  # shared bins
    assert user.get_dict() == {"column_name": "age"}  # distributions are render fields, as in Evidently


def test_rec_cases_table_lists_best_first_and_last_training_items():
    train = SMALL_TRAIN.assign(
        datetime=pd.to_datetime(["2024-01-03", "2024-01-01", "2024-01-02", "2024-01-01"])
    )
    result = _result(RecCasesTable(display_features=["f1"], train_item_num=1, item_num=2), SMALL, train)
    assert result.user_ids == ["1", "2"]  # in current and training data
    assert result.current["1"] == [
        {"prediction": "0.9", "item_id": "a", "f1": "1.0"},
        {"prediction": "0.5", "item_id": "b", "f1": "0.0"},
    ]
    assert result.current_train == {"1": ["a"], "2": ["a"]}
    chosen = _result(
        RecCasesTable(user_ids=[2]),
        SMALL.assign(prediction=[3, 2, 1, 1, 2, 3]),
        mapping=ColumnMapping(task="recsys", recommendations_type="rank"),
    )
    assert [row["item_id"] for row in chosen.current["2"]] == ["a", "c", "d"]
    assert chosen.current_train == {} and chosen.reference == {}


# ------------------------------------------------------------------------------------ bad input


def test_missing_training_data_names_the_key_and_the_fix():
    for metric in (NoveltyMetric(k=2), PopularityBias(k=2), SerendipityMetric(k=2, item_features=["f1"])):
        with pytest.raises(InputDataError, match="current_train_data") as caught:
            _result(metric, SMALL)
        assert "additional_data" in str(caught.value)


def test_training_data_without_a_column_names_it():
    with pytest.raises(ColumnNotFoundError, match="'item_id'.*current_train_data"):
        _result(NoveltyMetric(k=2), SMALL, SMALL_TRAIN.drop(columns="item_id"))
    with pytest.raises(ColumnNotFoundError, match="'f2'"):
        _result(SerendipityMetric(k=2, item_features=["f1", "f2"]), SMALL, SMALL_TRAIN.drop(columns="f2"))
    with pytest.raises(ColumnNotFoundError, match="'genre'"):
        _result(ItemBiasMetric(k=2, column_name="genre"), SMALL.assign(genre="x"), SMALL_TRAIN)


def test_missing_item_column_or_bad_features_are_clear_errors():
    with pytest.raises(ColumnNotFoundError, match="item_id"):
        _result(DiversityMetric(k=2, item_features=["f1"]), SMALL.drop(columns="item_id"))
    with pytest.raises(ColumnNotFoundError, match="'f9'"):
        _result(DiversityMetric(k=2, item_features=["f9"]), SMALL)
    with pytest.raises(ColumnTypeError, match="'f1'.*to_numeric"):
        _result(DiversityMetric(k=2, item_features=["f1"]), SMALL.assign(f1="x"))
    with pytest.raises(InputDataError, match="'f1'.*fillna"):
        _result(DiversityMetric(k=2, item_features=["f1"]), SMALL.assign(f1=[1.0, None, 1, 1, 1, 1]))
    with pytest.raises(MonitoringError, match="user_id"):
        _result(NoveltyMetric(k=2), SMALL.drop(columns="user_id"), SMALL_TRAIN)


# ------------------------------------------------------------------------------------ tests and preset


def _suite(tests, current, train=None, reference=None):
    suite = TestSuite(tests=tests)
    extra = {} if train is None else {"current_train_data": train}
    suite.run(current_data=current, reference_data=reference, column_mapping=RECSYS, additional_data=extra)
    return suite


def test_tests_take_their_metric_values_and_evidently_default_conditions():
    current, train = interactions(5)
    tests = [
        TestARP(k=3),
        TestCoverage(k=3),
        TestGiniIndex(k=3),
        TestNovelty(k=3),
        TestDiversity(k=3, item_features=FEATURES),
        TestSerendipity(k=3, item_features=FEATURES),
        TestPersonalization(k=3),
        TestScoreEntropy(k=3),
    ]
    suite = _suite(tests, current, train)
    expected = expected_popularity(current, train, 3, False)
    values = {r.type: r.parameters["value"] for r in suite.results}
    assert values["TestARP"] == pytest.approx(expected["apr"])
    assert values["TestCoverage"] == pytest.approx(expected["coverage"])
    assert values["TestGiniIndex"] == pytest.approx(expected["gini"])
    assert values["TestNovelty"] == pytest.approx(expected_novelty(current, train, 3))
    assert values["TestDiversity"] == pytest.approx(expected_diversity(current, 3))
    assert values["TestSerendipity"] == pytest.approx(expected_serendipity(current, train, 3))
    # no reference: above 0, the Gini index below 1
    assert all(r.status == TestStatus.SUCCESS for r in suite.results), [r.description for r in suite.results]
    with_reference = _suite(
        tests, current, train, reference=current.assign(prediction=-current["prediction"])
    )
    by_type = {r.type: r for r in with_reference.results}
    assert by_type["TestScoreEntropy"].status == TestStatus.SUCCESS  # same scores, mirrored
    assert by_type["TestNovelty"].parameters["condition"]["eq"]["relative"] == 0.1


def test_explicit_condition_and_missing_training_data():
    current, train = interactions(6)
    suite = _suite([TestGiniIndex(k=2, gt=1), TestARP(k=2, normalize_arp=True, lte=1)], current, train)
    assert [r.status for r in suite.results] == [TestStatus.FAIL, TestStatus.SUCCESS]
    errored = _suite([TestNovelty(k=2)], current)
    assert errored.results[0].status == TestStatus.ERROR
    assert "current_train_data" in errored.results[0].description


def test_preset_holds_evidently_metrics_in_evidently_order():
    current, train = interactions(7)
    preset = RecsysPreset(
        k=3,
        item_features=FEATURES,
        item_bias_columns=["genre"],
        user_bias_columns=["age"],
        normalize_arp=True,
    )
    report = _report([preset], current, train)
    assert [m["metric"] for m in report.as_dict()["metrics"]] == [
        "PrecisionTopKMetric",
        "RecallTopKMetric",
        "FBetaTopKMetric",
        "MAPKMetric",
        "NDCGKMetric",
        "MRRKMetric",
        "HitRateKMetric",
        "PopularityBias",
        "RecCasesTable",
        "ScoreDistribution",
        "PersonalizationMetric",
        "DiversityMetric",
        "SerendipityMetric",
        "NoveltyMetric",
        "ItemBiasMetric",
        "UserBiasMetric",
    ]
    without_train = _report([RecsysPreset(k=3, item_features=FEATURES)], current)
    assert [m["metric"] for m in without_train.as_dict()["metrics"]][7:] == [
        "RecCasesTable",
        "ScoreDistribution",
        "PersonalizationMetric",
        "DiversityMetric",
    ]


def test_as_dict_keys_are_evidently_keys_and_snapshot_round_trips(tmp_path):
    current, train = interactions(8)
    reference, _ = interactions(9)
    report = _report(
        [RecsysPreset(k=3, item_features=FEATURES, item_bias_columns=["genre"])], current, train, reference
    )
    results = {m["metric"]: m["result"] for m in report.as_dict()["metrics"]}
    value_keys = ["k", "current_value", "reference_value"]
    assert list(results["DiversityMetric"]) == value_keys
    assert list(results["NoveltyMetric"]) == value_keys
    assert list(results["SerendipityMetric"]) == value_keys
    assert list(results["PopularityBias"]) == [
        "k",
        "normalize_arp",
        "current_apr",
        "current_coverage",
        "current_gini",
        "reference_apr",
        "reference_coverage",
        "reference_gini",
    ]
    assert list(results["ItemBiasMetric"]) == ["k", "column_name"]
    assert list(results["RecCasesTable"]) == [
        "user_ids",
        "current",
        "current_train",
        "reference",
        "reference_train",
    ]
    loaded = Report.load(report.save(tmp_path / "recsys.json"))
    assert loaded.as_dict() == report.as_dict()
    html = report.get_html()
    assert "Popularity bias (top-3)" in html and "Diversity (top-3)" in html
    assert loaded.get_html() == html


@given(st.lists(st.integers(1, 50), min_size=2, max_size=30))
def test_property_gini_is_the_corrected_mean_absolute_difference(counts):
    from monitorflow.metrics.recsys.popularity_bias import gini_index

    values = np.asarray(counts, dtype="float64")
    n = values.size
    mad = np.abs(values[:, None] - values[None, :]).sum() / (n * n)
    expected = mad / (2 * values.mean()) * n / (n - 1)
    assert gini_index(values) == pytest.approx(expected, abs=1e-12)
    assert 0 <= gini_index(values) <= 1 + 1e-12
