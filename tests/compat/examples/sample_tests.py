# ruff: noqa: F403, F405 (the notebook's own star import)
"""Re-creation of Evidently 0.4's examples/sample_notebooks/evidently_tests.ipynb.

Data: a generated Adult-like frame (the notebook downloads it from OpenML), a California-housing-like
frame, scikit-learn's breast cancer and iris sets with a random forest's predictions.
"""

from monitorflow.options import ColorOptions
from monitorflow.test_suite import TestSuite
from monitorflow.tests import *  # noqa: F403 (the notebook's own import)

ONE_SIDED = (
    "monitorflow's reference condition for a count of bad things is one-sided (docs/tests.md): the current "
    "data has fewer values not matching ^[0..9] than the reference scaled to its size, which Evidently's "
    "two-sided eq approx(...) fails"
)
CATEGORICAL_TARGET = (
    "iris' target is categorical and every feature numerical: Evidently's 'target (prediction) and features' "
    "maximum runs over the prediction column too and is the target-prediction association; monitorflow has "
    "no feature of the target's kind to correlate and says so (ERROR), see docs/evidently-compat.md"
)
DIFFERENCES = {
    ".data_integrity_column.tests.RegExp Match[education].status": ONE_SIDED,
    ".data_integrity_column.summary": ONE_SIDED,
    ".data_quality_dataset.tests.Correlation between Target and Features": CATEGORICAL_TARGET,
    ".data_quality_dataset.tests.Correlation between Prediction and Features": CATEGORICAL_TARGET,
    ".data_quality_dataset.summary": CATEGORICAL_TARGET,
}


def data():
    import numpy as np

    from tests.compat.compat_data import adult_split, breast_cancer, housing, iris

    adult_ref, adult_cur = adult_split()
    house = housing().rename(columns={"MedHouseVal": "target"})
    house["prediction"] = house["target"].values + np.random.default_rng(1).normal(0, 3, house.shape[0])
    bc_ref, bc_cur, bcl_ref, bcl_cur = breast_cancer()
    iris_ref, iris_cur = iris(75)
    return {
        "adult_ref": adult_ref,
        "adult_cur": adult_cur,
        "housing_ref": house.sample(n=1500, random_state=1),
        "housing_cur": house.sample(n=1500, random_state=2),
        "bcancer_ref": bc_ref,
        "bcancer_cur": bc_cur,
        "bcancer_label_ref": bcl_ref,
        "bcancer_label_cur": bcl_cur,
        "iris_ref": iris_ref,
        "iris_cur": iris_cur,
    }


def _suite(tests, frames, data, **kwargs):
    suite = TestSuite(tests=tests, **kwargs)
    suite.run(reference_data=frames[f"{data}_ref"], current_data=frames[f"{data}_cur"])
    return suite.as_dict()


def run(frames, workdir):
    color_scheme = ColorOptions(
        primary_color="#5a86ad",
        fill_color="#fff4f2",
        zero_line_color="#016795",
        current_data_color="#c292a1",
        reference_data_color="#017b92",
    )
    return {
        "data_integrity_dataset": _suite(
            [
                TestNumberOfColumns(),
                TestNumberOfRows(),
                TestNumberOfMissingValues(),
                TestShareOfMissingValues(),
                TestNumberOfColumnsWithMissingValues(),
                TestNumberOfRowsWithMissingValues(),
                TestShareOfColumnsWithMissingValues(),
                TestShareOfRowsWithMissingValues(),
                TestNumberOfDifferentMissingValues(),
                TestNumberOfConstantColumns(),
                TestNumberOfEmptyRows(),
                TestNumberOfEmptyColumns(),
                TestNumberOfDuplicatedRows(),
                TestNumberOfDuplicatedColumns(),
                TestColumnsType(),
            ],
            frames,
            "adult",
        ),
        "data_integrity_column": _suite(
            [
                TestColumnNumberOfMissingValues(column_name="education"),
                TestColumnShareOfMissingValues(column_name="education"),
                TestColumnNumberOfDifferentMissingValues(column_name="education"),
                TestColumnAllConstantValues(column_name="education"),
                TestColumnAllUniqueValues(column_name="education"),
                TestColumnRegExp(column_name="education", reg_exp="^[0..9]"),
                TestCategoryShare(column_name="education", category="Some-college", lt=0.5),
                TestCategoryShare(column_name="age", category=27.0, lt=0.5),
            ],
            frames,
            "adult",
        ),
        "data_quality_dataset": _suite(
            [
                TestConflictTarget(),
                TestConflictPrediction(),
                TestTargetPredictionCorrelation(),
                TestHighlyCorrelatedColumns(),
                TestTargetFeaturesCorrelations(),
                TestPredictionFeaturesCorrelations(),
                TestCorrelationChanges(),
            ],
            frames,
            "iris",
        ),
        "data_quality_column": _suite(
            [
                TestColumnValueMin(column_name="education-num"),
                TestColumnValueMax(column_name="education-num"),
                TestColumnValueMean(column_name="education-num"),
                TestColumnValueMedian(column_name="education-num"),
                TestColumnValueStd(column_name="education-num"),
                TestNumberOfUniqueValues(column_name="education"),
                TestUniqueValuesShare(column_name="education"),
                TestMostCommonValueShare(column_name="education"),
                TestMeanInNSigmas(column_name="education-num"),
                TestValueRange(column_name="education-num"),
                TestNumberOfOutRangeValues(column_name="education-num"),
                TestShareOfOutRangeValues(column_name="education-num"),
                TestValueList(column_name="education"),
                TestNumberOfOutListValues(column_name="education"),
                TestShareOfOutListValues(column_name="education"),
                TestColumnQuantile(column_name="education-num", quantile=0.25),
                TestShareOfOutListValues(column_name="education-num"),
            ],
            frames,
            "adult",
        ),
        "data_drift_dataset": _suite(
            [TestNumberOfDriftedColumns(), TestShareOfDriftedColumns()], frames, "adult"
        ),
        "data_drift_column": _suite(
            [TestColumnDrift(column_name="education-num", stattest="psi", stattest_threshold=0.3)],
            frames,
            "adult",
        ),
        "regression_dataset": _suite(
            [
                TestValueMAE(),
                TestValueRMSE(),
                TestValueMeanError(),
                TestValueMAPE(),
                TestValueAbsMaxError(),
                TestValueR2Score(),
            ],
            frames,
            "housing",
        ),
        "classification_dataset": _suite(
            [
                TestAccuracyScore(),
                TestPrecisionScore(),
                TestRecallScore(),
                TestF1Score(),
                TestPrecisionByClass(label=0),
                TestPrecisionByClass(label=1),
                TestPrecisionByClass(label=2),
                TestRecallByClass(label=0),
                TestRecallByClass(label=1),
                TestRecallByClass(label=2),
                TestF1ByClass(label=0),
                TestF1ByClass(label=1),
                TestF1ByClass(label=2),
            ],
            frames,
            "iris",
        ),
        "probabilistic_classification_dataset": _suite(
            [
                TestAccuracyScore(),
                TestPrecisionScore(),
                TestRecallScore(),
                TestF1Score(),
                TestRocAuc(),
                TestLogLoss(),
                TestPrecisionByClass(label=0),
                TestPrecisionByClass(label=1),
                TestRecallByClass(label=0),
                TestRecallByClass(label=1),
                TestF1ByClass(label=0),
                TestF1ByClass(label=1),
            ],
            frames,
            "bcancer",
        ),
        "feature_level": _suite(
            [
                TestMeanInNSigmas(column_name="hours-per-week", n_sigmas=3),
                TestShareOfOutRangeValues(column_name="hours-per-week", lte=0),
                TestColumnShareOfMissingValues(column_name="education", lt=0.2),
            ],
            frames,
            "adult",
        ),
        "colors": _suite(
            [TestColumnDrift(column_name="education-num", stattest="psi")],
            frames,
            "adult",
            options=[color_scheme],
        ),
    }
