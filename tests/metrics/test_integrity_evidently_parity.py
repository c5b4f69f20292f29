"""Agreement with Evidently 0.7.23's legacy ColumnRegExpMetric and DataQualityStabilityMetric.

Evidently runs in its own interpreter (``<repo>/.venv-evidently`` or ``MONITORFLOW_EVIDENTLY_PYTHON``,
as in tests/metrics/data_drift/test_drift_evidently_parity.py); frames travel as parquet and
``evidently_integrity_child.py`` writes each result as JSON.

Both must agree field by field (the regexp counts, top tables and their order; the stability
counts, on groups of two and of three rows).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from monitorflow import ColumnMapping, Report
from monitorflow.metrics import ColumnRegExpMetric, DataQualityStabilityMetric
from tests.support.evidently_parity import run_evidently, write_case

HERE = Path(__file__).resolve().parent
CHILD = HERE / "evidently_integrity_child.py"
LABELS = {"target": "target", "prediction": "prediction"}


def _codes(seed: int, n: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    good = [f"{z:05d}" for z in rng.integers(0, 100_000, n)]
    bad = rng.choice(["1234", "ABCDE", "12345-678", " 12345", "x", "", "<b>"], n)
    zips = np.where(rng.random(n) < 0.2, bad, good).astype(object)
    zips[rng.random(n) < 0.05] = None
    floats = rng.choice([0.0, -0.0, 1.5, 10.25, np.inf, -np.inf, np.nan, 3.0], n)
    return pd.DataFrame(
        {
            "zip": zips,
            "f": floats,
            "f32": floats.astype("float32") / 3,
            "i": rng.integers(-50, 150, n),
            "b": rng.random(n) < 0.3,
            "d": pd.to_datetime("2024-01-01") + pd.to_timedelta(rng.integers(0, 900, n), unit="D"),
        }
    )


def _pairs(seed: int) -> pd.DataFrame:
    """Unique feature rows, some repeated exactly once (groups of at most two rows), random labels."""
    rng = np.random.default_rng(seed)
    age = np.tile(np.arange(50, dtype=float), 3)
    age[age == 0] = np.nan
    plan = np.repeat(np.array(["a", "b", None], dtype=object), 50)
    base = pd.DataFrame({"age": age, "plan": plan})
    frame = pd.concat([base, base.iloc[rng.choice(len(base), 70, replace=False)]], ignore_index=True)
    frame = frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)
    frame["target"] = rng.integers(0, 2, len(frame))
    frame["prediction"] = rng.integers(0, 3, len(frame))
    return frame


TRIPLES = pd.DataFrame({"x": [1, 1, 1, 2, 2], "target": [0, 0, 1, 4, 5], "prediction": [1, 1, 1, 0, 0]})

REGEXP = {
    # name: (column, reg_exp, top, with reference)
    "zip_codes": ("zip", r"\d{5}$", 4, True),
    "zip_prefix": ("zip", r"\d", 10, False),
    "floats": ("f", r"-?\d+\.\d*5", 3, True),
    "float32": ("f32", r"0\.", 10, False),
    "integers": ("i", r"-?1", 5, True),
    "booleans": ("b", "True", 10, False),
    "datetimes": ("d", "2025-", 6, True),
}
STABILITY = {"pairs": _pairs(3), "triples": TRIPLES}


def _cases(root: Path) -> list[Path]:
    current, reference = _codes(1, 1500), _codes(2, 700)
    folders = [
        write_case(
            root / f"regexp_{name}",
            current,
            reference if with_reference else None,
            {
                "metric": "ColumnRegExpMetric",
                "options": {"column_name": column, "reg_exp": reg_exp, "top": top},
            },
        )
        for name, (column, reg_exp, top, with_reference) in REGEXP.items()
    ]
    folders += [
        write_case(
            root / f"stability_{name}",
            frame,
            None,
            {"metric": "DataQualityStabilityMetric", "column_mapping": LABELS},
        )
        for name, frame in STABILITY.items()
    ]
    return folders


@pytest.fixture(scope="module")
def evidently(tmp_path_factory, evidently_python) -> dict[str, dict]:
    return run_evidently(
        evidently_python, CHILD, _cases(tmp_path_factory.mktemp("evidently_integrity")), timeout=300
    )


def _without_type(stat: dict | None) -> dict | None:
    return None if stat is None else {k: v for k, v in stat.items() if k != "type"}


@pytest.mark.parametrize("name", list(REGEXP))
def test_regexp_metric_matches_evidently(evidently, name):
    column, reg_exp, top, with_reference = REGEXP[name]
    theirs = evidently[f"regexp_{name}"]
    current, reference = _codes(1, 1500), _codes(2, 700)
    metric = ColumnRegExpMetric(column, reg_exp, top=top)
    report = Report(metrics=[metric])
    report.run(current_data=current, reference_data=reference if with_reference else None)
    ours = report.result(metric).model_dump(mode="json")
    assert (ours["column_name"], ours["reg_exp"], ours["top"]) == (column, reg_exp, top)
    for side in ("current", "reference"):
        expected = _without_type(theirs[side])
        assert ours[side] == expected, side
        if expected is not None:  # same order of the top values, not only the same dict
            assert list(ours[side]["table_of_not_matched"]) == list(expected["table_of_not_matched"])
            assert list(ours[side]["table_of_matched"]) == list(expected["table_of_matched"])
    assert theirs["current"]["number_of_matched"] > 0 and theirs["current"]["number_of_not_matched"] > 0


def _stability(frame: pd.DataFrame):
    report = Report(metrics=[DataQualityStabilityMetric()])
    report.run(current_data=frame, column_mapping=ColumnMapping(**LABELS))
    return report.result(DataQualityStabilityMetric())


@pytest.mark.parametrize("name", sorted(STABILITY))
def test_stability_matches_evidently(evidently, name):
    theirs = evidently[f"stability_{name}"]
    ours = _stability(STABILITY[name])
    assert ours.number_not_stable_target == theirs["number_not_stable_target"]
    assert ours.number_not_stable_prediction == theirs["number_not_stable_prediction"]
    assert ours.number_not_stable_target > 0
