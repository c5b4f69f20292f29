"""Agreement with Evidently 0.7.23's legacy DataDriftTable, column by column.

Evidently cannot be imported next to pandas 3, so it runs in its own interpreter: ``<repo>/.venv-evidently``
(``make evidently-venv``) or the one named by ``MONITORFLOW_EVIDENTLY_PYTHON``. The generated frames go to
parquet; ``evidently_parity_child.py`` runs Evidently on them with the same ColumnMapping and options and
writes its per-column results, which must match ours: same stattest, same threshold, same drift decision,
and a drift score within 1e-9 relative (plus 1e-15 absolute: Evidently's z-test computes
``2 * (1 - Phi(|z|))``, exact only to ~2e-16 near 0, where we use the survival function).

Types are given explicitly (numerical_features / categorical_features / text_features) because Evidently's
DataDriftTable infers types differently from its own other metrics and from us (docs/drift.md).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from monitorflow import ColumnMapping, Report
from monitorflow.metrics import DataDriftTable
from tests.support.evidently_parity import run_evidently, write_case

HERE = Path(__file__).resolve().parent
CHILD = HERE / "evidently_parity_child.py"
REL_TOL, ABS_TOL = 1e-9, 1e-15

NUMERICAL = ["num_shift", "num_same", "num_nan", "int_low", "int_binary", "int_many", "num_const"]
CATEGORICAL = ["cat_str", "cat_new", "cat_binary", "cat_nan", "cat_const"]
WORDS = [
    "apple",
    "banana",
    "cherry",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliet",
    "kilo",
    "lima",
    "mike",
    "november",
    "oscar",
    "papa",
]


def _side(rng: np.random.Generator, n: int, current: bool, text: bool) -> pd.DataFrame:
    s = 0.3 if current else 0.0
    frame = pd.DataFrame(
        {
            "target": rng.normal(s, 1, n),
            "prediction": rng.beta(2 + s, 2, n),
            "num_shift": rng.normal(2 * s, 1, n),
            "num_same": rng.gamma(2.0, 1.0, n),
            "num_nan": rng.normal(0, 1 + s, n),
            "int_low": rng.integers(0, 4, n),  # low-cardinality integers, declared numerical
            "int_binary": rng.binomial(1, 0.3 + s / 3, n),
            "int_many": rng.integers(0, 40, n),
            "num_const": np.full(n, 7.0),
            "cat_str": rng.choice(list("abcd"), n, p=[0.4, 0.3, 0.2, 0.1]),
            "cat_new": rng.choice(
                ["x", "y", "z", "new"] if current else ["x", "y", "z"], n
            ),  # a new category
            "cat_binary": rng.choice(["yes", "no"], n, p=[0.5 + s / 3, 0.5 - s / 3]),
            "cat_nan": rng.choice(["u", "v", "w"], n).astype(object),
            "cat_const": np.full(n, "k", dtype=object),
        }
    )
    frame.loc[rng.random(n) < 0.12, "num_nan"] = np.nan
    frame.loc[rng.random(n) < 0.02, "num_nan"] = np.inf
    frame.loc[rng.random(n) < 0.02, "num_nan"] = -np.inf
    frame.loc[rng.random(n) < 0.1, "cat_nan"] = None
    if text:
        extra = ["refund", "broken", "late"] * 3 if current else []
        frame["review"] = [" ".join(rng.choice(WORDS + extra, 8)) for _ in range(n)]
    return frame


def _frames(n_ref: int, n_cur: int, seed: int, text: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    return _side(rng, n_ref, False, text), _side(rng, n_cur, True, text)


def _mapping(text: bool) -> dict:
    return {
        "target": "target",
        "prediction": "prediction",
        "numerical_features": NUMERICAL,
        "categorical_features": CATEGORICAL,
        "text_features": ["review"] if text else None,
    }


# A p-value or distance test for every column, on equal sizes (Evidently's g_test and fisher_exact need them).
PER_COLUMN = {
    "target": "cramer_von_mises",
    "prediction": "t_test",
    "num_shift": "psi",
    "num_same": "kl_div",
    "num_nan": "hellinger",
    "int_low": "anderson",
    "int_binary": "mannw",
    "int_many": "ed",
    "num_const": "wasserstein",
    "cat_str": "g_test",
    "cat_new": "psi",
    "cat_binary": "fisher_exact",
    "cat_nan": "hellinger",
    "cat_const": "kl_div",
}

SCENARIOS = {
    # name: (n_ref, n_cur, seed, text, DataDriftTable options)
    "small_n600": (600, 500, 1, True, {}),
    "large_n3000": (3000, 2500, 2, True, {}),
    # 1010 reference rows, but num_nan keeps ~850 after dropping NaN/inf: K-S there, distances elsewhere
    "boundary_n1010": (1010, 900, 3, False, {}),
    "options_n800": (
        800,
        800,
        4,
        False,
        {
            "per_column_stattest": PER_COLUMN,
            "cat_stattest": "jensenshannon",
            "num_stattest_threshold": 0.2,
            "per_column_stattest_threshold": {"cat_str": 0.3},
        },
    ),
    "epps_singleton_n700": (
        700,
        650,
        5,
        False,
        {
            "per_column_stattest": dict.fromkeys(["num_shift", "num_same", "num_nan", "int_many"], "es"),
            "stattest_threshold": 0.01,
        },
    ),
}


def _evidently_results(python: Path, workdir: Path) -> dict[str, dict]:
    folders = []
    for name, (n_ref, n_cur, seed, text, options) in SCENARIOS.items():
        reference, current = _frames(n_ref, n_cur, seed, text)
        config = {"column_mapping": _mapping(text), "options": options}
        folders.append(write_case(workdir / name, current, reference, config))
    return run_evidently(python, CHILD, folders, timeout=300)


@pytest.fixture(scope="module")
def evidently(tmp_path_factory, evidently_python) -> dict[str, dict]:
    return _evidently_results(evidently_python, tmp_path_factory.mktemp("evidently_parity"))


def _ours(name: str):
    n_ref, n_cur, seed, text, options = SCENARIOS[name]
    reference, current = _frames(n_ref, n_cur, seed, text)
    metric = DataDriftTable(**options)
    report = Report(metrics=[metric])
    report.run(reference_data=reference, current_data=current, column_mapping=ColumnMapping(**_mapping(text)))
    return report.result(metric)


@pytest.mark.filterwarnings("ignore:Maximum number of iteration")
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_data_drift_table_matches_evidently(evidently, name):
    theirs = evidently[name]
    ours = _ours(name)

    # same columns; the order differs (Evidently sorts feature names, we keep the frame's order)
    assert sorted(ours.drift_by_columns) == sorted(theirs["columns"])
    mismatches = []
    for column, expected in theirs["columns"].items():
        got = ours.drift_by_columns[column]
        assert got.message is None, got.message
        same = (
            got.column_type == expected["column_type"]
            and got.stattest_name == expected["stattest_name"]
            and got.stattest_threshold == expected["stattest_threshold"]
            and got.drift_detected == expected["drift_detected"]
            and math.isclose(got.drift_score, expected["drift_score"], rel_tol=REL_TOL, abs_tol=ABS_TOL)
        )
        if not same:
            mismatches.append(
                f"{column}: ours {got.column_type} {got.stattest_name} thr={got.stattest_threshold} "
                f"score={got.drift_score!r} drift={got.drift_detected}; Evidently {expected}"
            )
    assert not mismatches, "\n".join(mismatches)
    assert ours.number_of_columns == theirs["number_of_columns"]
    assert ours.number_of_drifted_columns == theirs["number_of_drifted_columns"]
    assert ours.share_of_drifted_columns == pytest.approx(theirs["share_of_drifted_columns"], rel=1e-12)
    assert ours.dataset_drift == theirs["dataset_drift"]


def test_scenarios_cover_what_they_claim(evidently):
    """Both size regimes, the post-cleaning boundary and both drift decisions actually occur."""
    small = {c: r["stattest_name"] for c, r in evidently["small_n600"]["columns"].items()}
    large = {c: r["stattest_name"] for c, r in evidently["large_n3000"]["columns"].items()}
    boundary = {c: r["stattest_name"] for c, r in evidently["boundary_n1010"]["columns"].items()}
    assert set(small.values()) >= {
        "K-S p_value",
        "chi-square p_value",
        "Z-test p_value",
        "Percentile text content drift",
    }
    assert set(large.values()) >= {
        "Wasserstein distance (normed)",
        "Jensen-Shannon distance",
        "Absolute text content drift",
    }
    assert (boundary["num_nan"], boundary["num_shift"]) == ("K-S p_value", "Wasserstein distance (normed)")
    assert (
        evidently["small_n600"]["columns"]["cat_new"]["drift_score"] == 0.0
    )  # new category: chi-square p = 0
    for name in SCENARIOS:
        decisions = {r["drift_detected"] for r in evidently[name]["columns"].values()}
        assert decisions == {True, False}, name
