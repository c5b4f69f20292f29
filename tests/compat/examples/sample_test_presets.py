"""Re-creation of Evidently 0.4's examples/sample_notebooks/evidently_test_presets.ipynb.

Data: a generated Adult-like frame (the notebook downloads it from OpenML), a California-housing-like
frame, scikit-learn's breast cancer and iris sets with a random forest's predictions.
"""

from monitorflow.test_preset import (
    BinaryClassificationTestPreset,
    BinaryClassificationTopKTestPreset,
    DataDriftTestPreset,
    DataQualityTestPreset,
    DataStabilityTestPreset,
    MulticlassClassificationTestPreset,
    NoTargetPerformanceTestPreset,
    RegressionTestPreset,
)
from monitorflow.test_suite import TestSuite

DIFFERENCES = {}


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


def run(frames, workdir):
    out = {}
    cases = [
        ("data_stability", DataStabilityTestPreset(), "adult"),
        ("data_quality", DataQualityTestPreset(), "adult"),
        ("data_drift", DataDriftTestPreset(stattest="psi"), "adult"),
        (
            "no_target_performance",
            NoTargetPerformanceTestPreset(
                columns=["education-num", "hours-per-week"], num_stattest="ks", cat_stattest="psi"
            ),
            "adult",
        ),
        ("regression_performance", RegressionTestPreset(), "housing"),
        ("classification_performance", MulticlassClassificationTestPreset(stattest="psi"), "iris"),
        ("label_binary_classification_performance", BinaryClassificationTestPreset(), "bcancer_label"),
        (
            "prob_binary_classification_performance",
            BinaryClassificationTestPreset(stattest="psi", probas_threshold=0.89),
            "bcancer",
        ),
        (
            "binary_topK_classification_performance",
            BinaryClassificationTopKTestPreset(k=10, stattest="psi"),
            "bcancer",
        ),
    ]
    for name, preset, data in cases:
        suite = TestSuite(tests=[preset])
        suite.run(reference_data=frames[f"{data}_ref"], current_data=frames[f"{data}_cur"])
        out[name] = suite.as_dict()
    return out
