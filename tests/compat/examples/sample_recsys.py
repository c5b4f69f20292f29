"""Evidently 0.4-style recommender-system monitoring (the recsys metrics, tests and preset of its
"recsys" how-to), on generated interactions with item features and training data.

The beyond-accuracy metrics take the training interactions from ``additional_data``, as in Evidently.
"""

from monitorflow import ColumnMapping
from monitorflow.metric_preset import RecsysPreset
from monitorflow.metrics import (
    DiversityMetric,
    ItemBiasMetric,
    NoveltyMetric,
    PersonalizationMetric,
    PopularityBias,
    RecCasesTable,
    SerendipityMetric,
    UserBiasMetric,
)
from monitorflow.report import Report
from monitorflow.test_suite import TestSuite
from monitorflow.tests import (
    TestARP,
    TestCoverage,
    TestDiversity,
    TestGiniIndex,
    TestNovelty,
    TestPersonalization,
    TestScoreEntropy,
    TestSerendipity,
)

CASES_AS_ROWS = (
    "RecCasesTable: Evidently's as_dict() holds each user's rows as the text of a DataFrame; monitorflow's "
    "as a list of {column: text} rows (docs/recsys.md)"
)
REFERENCE_COVERAGE = (
    "PopularityBias.reference_coverage: Evidently counts every reference item, not only the top-k items seen "
    "in training (its current coverage's definition), which monitorflow uses on both sides (docs/recsys.md)"
)
TIED_ITEMS = (
    "PersonalizationMetric's table of the ten most recommended items: items tied on a count may be listed in "
    "another order (the counts are the same)"
)
DIFFERENCES = {
    "*.RecCasesTable.result.current": CASES_AS_ROWS,
    "*.RecCasesTable.result.reference": CASES_AS_ROWS,
    "*.PopularityBias*.result.reference_coverage": REFERENCE_COVERAGE,
    "*.PersonalizationMetric.result.reference_table.*": TIED_ITEMS,
    "*.tests.Coverage (top-k)*.parameters.condition*": REFERENCE_COVERAGE,
    ".preset_with_reference.results*.reference_coverage": REFERENCE_COVERAGE,
    ".preset_with_reference.results*.current.*": CASES_AS_ROWS,
    ".preset_with_reference.results*.reference.*": CASES_AS_ROWS,
    ".preset_with_reference.results*.reference_table.*": TIED_ITEMS,
}
FEATURES = ["f1", "f2", "f3"]


def data():
    import numpy as np

    from tests.metrics.recsys_beyond import interactions

    current, train = interactions(21, n_users=40, per_user=(4, 12))
    reference, _ = interactions(22, n_users=40, per_user=(4, 12), catalogue_seed=21)
    for seed, frame in enumerate((current, reference)):  # scores without ties: every user has a top-k
        frame["prediction"] = np.random.default_rng(seed).random(len(frame))
    return {"current": current, "reference": reference, "train": train}


def _mapping():
    return ColumnMapping(
        recommendations_type="score",
        target="target",
        prediction="prediction",
        item_id="item_id",
        user_id="user_id",
    )


def _report(metrics, frames, reference=True):
    report = Report(metrics=metrics)
    report.run(
        reference_data=frames["reference"] if reference else None,
        current_data=frames["current"],
        column_mapping=_mapping(),
        additional_data={"current_train_data": frames["train"]},
    )
    return report.as_dict()


def _suite(tests, frames, reference=True):
    suite = TestSuite(tests=tests)
    suite.run(
        reference_data=frames["reference"] if reference else None,
        current_data=frames["current"],
        column_mapping=_mapping(),
        additional_data={"current_train_data": frames["train"]},
    )
    return suite.as_dict()


def run(frames, workdir):
    metrics = [
        PopularityBias(k=3),
        PopularityBias(k=5, normalize_arp=True),
        NoveltyMetric(k=3),
        DiversityMetric(k=3, item_features=FEATURES),
        SerendipityMetric(k=3, item_features=FEATURES),
        SerendipityMetric(k=5, item_features=FEATURES, min_rel_score=1),
        PersonalizationMetric(k=3),
        ItemBiasMetric(k=3, column_name="genre"),
        UserBiasMetric(column_name="age"),
        RecCasesTable(display_features=["genre"], item_num=3),
    ]
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
    preset = RecsysPreset(
        k=3,
        item_features=FEATURES,
        item_bias_columns=["genre"],
        user_bias_columns=["age"],
        display_features=["f1"],
    )
    return {
        "metrics_current_only": _report(metrics, frames, reference=False),
        "metrics_with_reference": _report(metrics, frames),
        "tests_current_only": _suite(tests, frames, reference=False),
        "tests_with_reference": _suite(tests, frames),
        "preset_with_reference": _beyond_accuracy(_report([preset], frames)),
    }


def _beyond_accuracy(result):
    """The preset's metrics in order, and the results of those after the top-k curves."""
    names = [m["metric"] for m in result["metrics"]]
    return {"metrics": names, "results": [m["result"] for m in result["metrics"][7:]]}
