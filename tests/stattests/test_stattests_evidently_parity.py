"""Scores and decisions equal Evidently 0.7.23's on stored samples.

The stored file is what ``data/make_evidently_scores.py`` writes when run in Evidently's venv; the last
test runs it again and fails when file and script disagree. Randomised tests (TVD, empirical_mmd) and
the cases where Evidently raises (fisher_exact / g_test on unequal sizes) are not in the file; see the
module docstrings of those tests.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from monitorflow.stattests import STATTESTS

DATA = Path(__file__).parent / "data"
FIXTURE = json.loads((DATA / "evidently_0_7_23_scores.json").read_text())
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


def test_the_stored_scores_are_what_the_script_computes_with_evidently(evidently_python, tmp_path):
    fresh_path = tmp_path / "scores.json"
    run = subprocess.run(
        [str(evidently_python), str(DATA / "make_evidently_scores.py"), str(fresh_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    fresh = json.loads(fresh_path.read_text())
    assert fresh["source"].split(" (")[0] == FIXTURE["source"].split(" (")[0] == "evidently 0.7.23"
    assert list(fresh["cases"]) == list(FIXTURE["cases"])
    for name, stored in FIXTURE["cases"].items():
        new = fresh["cases"][name]
        assert (new["column_type"], new["reference"], new["current"]) == (
            stored["column_type"],
            stored["reference"],
            stored["current"],
        ), name
        assert list(new["evidently"]) == list(stored["evidently"]), name
        for test, (score, drifted) in stored["evidently"].items():
            # Evidently sums category counts in set order (string hashing varies by process): last digits move
            assert new["evidently"][test] == [pytest.approx(score, rel=1e-12, abs=1e-300), drifted], (
                name,
                test,
            )
