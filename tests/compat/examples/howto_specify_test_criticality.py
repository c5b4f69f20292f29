# ruff: noqa: F403, F405 (the notebook's own star import)
"""Re-creation of Evidently 0.4's examples/how_to_questions/how_to_specify_test_criticality.ipynb."""

from monitorflow.test_suite import TestSuite
from monitorflow.tests import *  # noqa: F403 (the notebook's own import)

ONE_SIDED = (
    "monitorflow's reference condition for a count of bad things is one-sided (docs/tests.md): fewer values "
    "not matching ^[0..9] than the reference scaled to the current size pass, Evidently's two-sided eq fails"
)
DIFFERENCES = {"*.tests.RegExp Match[education].status": ONE_SIDED, "*.summary": ONE_SIDED}


def data():
    from tests.compat.compat_data import adult_split

    reference, current = adult_split()
    return {"adult_ref": reference, "adult_cur": current}


def run(frames, workdir):
    out = {}
    for name, relaxed in (("critical", {}), ("not_critical", {"is_critical": False})):
        suite = TestSuite(
            tests=[
                TestColumnNumberOfMissingValues(column_name="education"),
                TestColumnShareOfMissingValues(column_name="education"),
                TestColumnNumberOfDifferentMissingValues(column_name="education"),
                TestColumnAllConstantValues(column_name="education", **relaxed),
                TestColumnAllUniqueValues(column_name="education", **relaxed),
                TestColumnRegExp(column_name="education", reg_exp="^[0..9]"),
                TestCategoryShare(column_name="education", category="Some-college", lt=0.5),
                TestCategoryShare(column_name="age", category=27.0, lt=0.5),
            ]
        )
        suite.run(reference_data=frames["adult_ref"], current_data=frames["adult_cur"])
        suite.show()
        out[name] = suite.as_dict()
    return out
