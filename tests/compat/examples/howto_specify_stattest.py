# ruff: noqa: F403, F405 (the notebook's own star import)
"""Re-creation of Evidently 0.4's examples/how_to_questions/how_to_specify_stattest_for_a_testsuite.ipynb.

The notebook's ``StatTest(name=..., display_name=..., func=..., allowed_feature_types=...)`` is the
constructor of Evidently 0.4's first releases; the Evidently side runs it through
``register_stattest(..., default_impl=func)``, its later spelling (``func=`` was dropped in 0.4.10).
"""

import numpy as np
import pandas as pd
from scipy.stats import mannwhitneyu

from monitorflow.calculations.stattests import StatTest
from monitorflow.test_suite import TestSuite
from monitorflow.tests import *  # noqa: F403 (the notebook's own import)

NOT_REGISTERED = (
    "Evidently 0.7 cannot run the notebook's custom StatTest: registered with default_impl it is still "
    "'not implemented for PythonEngine' (ERROR); monitorflow runs it as the 0.4 notebook did"
)
DIFFERENCES = {"*.custom.tests": NOT_REGISTERED, "*.custom.summary": NOT_REGISTERED}


def data():
    from tests.compat.compat_data import adult_split

    reference, current = adult_split()
    return {"adult_ref": reference, "adult_cur": current}


def _suite(tests, frames):
    suite = TestSuite(tests=tests)
    suite.run(reference_data=frames["adult_ref"], current_data=frames["adult_cur"])
    return suite.as_dict()


def _mann_whitney_u(reference_data: pd.Series, current_data: pd.Series, _feature_type: str, threshold: float):
    p_value = mannwhitneyu(np.array(reference_data), np.array(current_data))[1]
    return p_value, p_value < threshold


def _custom_stattest():
    try:
        return StatTest(
            name="mann-whitney-u",
            display_name="mann-whitney-u test",
            func=_mann_whitney_u,
            allowed_feature_types=["num"],
        )
    except TypeError:  # Evidently after 0.4.9: the function is registered with the test
        from monitorflow.calculations.stattests import register_stattest

        stattest = StatTest(
            name="mann-whitney-u", display_name="mann-whitney-u test", allowed_feature_types=["num"]
        )
        register_stattest(stattest, default_impl=_mann_whitney_u)
        return stattest


def run(frames, workdir):
    per_column_stattest = {x: "wasserstein" for x in ["age", "education-num"]}
    for column in ["sex", "class"]:
        per_column_stattest[column] = "z"
    for column in ["workclass", "education"]:
        per_column_stattest[column] = "kl_div"
    for column in ["relationship", "race", "native-country"]:
        per_column_stattest[column] = "jensenshannon"
    for column in ["fnlwgt", "hours-per-week"]:
        per_column_stattest[column] = "anderson"
    for column in ["capital-gain", "capital-loss"]:
        per_column_stattest[column] = "cramer_von_mises"
    return {
        "column": _suite(
            [
                TestColumnDrift(column_name="education-num"),
                TestColumnDrift(column_name="education-num", stattest="psi"),
            ],
            frames,
        ),
        "share_psi": _suite([TestShareOfDriftedColumns(stattest="psi")], frames),
        "share_by_type": _suite(
            [TestShareOfDriftedColumns(num_stattest="psi", cat_stattest="jensenshannon")], frames
        ),
        "per_column": _suite([TestShareOfDriftedColumns(per_column_stattest=per_column_stattest)], frames),
        "custom": _suite([TestShareOfDriftedColumns(num_stattest=_custom_stattest())], frames),
    }
