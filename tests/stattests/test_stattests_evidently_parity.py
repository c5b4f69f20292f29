"""Scores and decisions equal Evidently 0.7.23's on stored samples (fixture computed with Evidently itself).

Randomised tests (TVD, empirical_mmd) and the cases where Evidently raises (fisher_exact / g_test on
unequal sizes) are not in the fixture; see the module docstrings of those tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from monitorflow.stattests import STATTESTS

FIXTURE = json.loads((Path(__file__).parent / "data" / "evidently_0_7_23_scores.json").read_text())
CASES = [
    pytest.param(case, name, id=f"{case}-{name}")
    for case, spec in FIXTURE["cases"].items()
    for name in spec["evidently"]
]


@pytest.mark.parametrize(("case", "name"), CASES)
def test_score_and_decision_match_evidently(case, name):
    spec = FIXTURE["cases"][case]
    score, drifted = spec["evidently"][name]
    result = STATTESTS[name](pd.Series(spec["reference"]), pd.Series(spec["current"]), spec["column_type"])
    # rel 1e-7: the exact Cramér-von Mises p-value differs in the 8th digit (Evidently counts in floats)
    assert result.drift_score == pytest.approx(score, rel=1e-7, abs=1e-15)
    assert result.drifted is drifted
