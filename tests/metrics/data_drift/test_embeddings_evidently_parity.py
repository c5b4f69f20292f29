"""Agreement with Evidently 0.7.23's legacy EmbeddingsDriftMetric, method by method.

Evidently runs in its own interpreter (``<repo>/.venv-evidently`` or ``MONITORFLOW_EVIDENTLY_PYTHON``,
as in test_drift_evidently_parity.py); frames travel as parquet and ``evidently_embeddings_child.py``
writes each metric's result as JSON. Every random draw of both sides is seeded the same way, so the
decisions must be equal and the scores equal to 1e-9 relative. The absolute tolerance of 1e-12 is for
MMD², a difference of kernel sums near 0 without drift: we sum the kernel block by block (to bound
memory) where Evidently sums one full matrix, so the last bits differ.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from monitorflow import ColumnMapping, Report
from monitorflow.metrics import EmbeddingsDriftMetric
from monitorflow.metrics.data_drift.embedding_drift_methods import distance, mmd, model, ratio
from tests.support.evidently_parity import run_evidently, write_case

HERE = Path(__file__).resolve().parent
CHILD = HERE / "evidently_embeddings_child.py"
REL_TOL, ABS_TOL = 1e-9, 1e-12

METHODS = {
    "default": None,
    "model": model(),
    "model_bootstrap": model(bootstrap=True),
    "model_pca": model(pca_components=6),
    "ratio": ratio(),
    "ratio_psi_pca": ratio(component_stattest="psi", component_stattest_threshold=0.05, pca_components=4),
    "distance": distance(),
    "distance_bootstrap": distance(bootstrap=True),
    "distance_cosine": distance(dist="cosine", threshold=0.01),
    "distance_cityblock_pca": distance(dist="cityblock", pca_components=2),
    "distance_chebyshev_bootstrap": distance(dist="chebyshev", bootstrap=True, quantile_probability=0.9),
    "mmd": mmd(),
    "mmd_bootstrap": mmd(bootstrap=True),  # Evidently's default quantile 0.05 flags almost any data
    "mmd_bootstrap_q95": mmd(bootstrap=True, quantile_probability=0.95),
    "mmd_pca": mmd(pca_components=3, threshold=0.005),
}
SCENARIOS = {
    # name: (n_ref, n_cur, dimensions, shift of current, seed)
    "drift_n600": (600, 500, 8, 0.3, 1),
    # from 1000 rows on: the default model method does not bootstrap, and mmd samples 1000 rows for its
    # kernel width
    "no_drift_n1200": (1200, 1000, 8, 0.0, 2),
    "drift_n1400": (1400, 1100, 12, 0.1, 3),
}


def _frames(
    n_ref: int, n_cur: int, dims: int, shift: float, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    rng = np.random.default_rng(seed)
    columns = [f"emb_{i}" for i in range(dims)]
    mixing = rng.normal(0, 1, (dims, dims)) / math.sqrt(dims)  # correlated dimensions, as real embeddings
    offset = rng.normal(0, 1, dims)  # not centred at 0, as real embeddings (matters for the cosine distance)

    def side(n: int, s: float) -> pd.DataFrame:
        frame = pd.DataFrame((rng.normal(0, 1, (n, dims)) + s) @ mixing + offset, columns=columns)
        frame["age"] = rng.normal(40, 10, n)
        return frame

    return side(n_ref, 0.0), side(n_cur, shift), {"vectors": columns}


def _spec(method) -> dict | None:
    return None if method is None else EmbeddingsDriftMetric("vectors", method).params()["drift_method"]


def _evidently_results(python: Path, workdir: Path) -> dict[str, dict]:
    methods = {key: _spec(method) for key, method in METHODS.items()}
    folders = []
    for name, args in SCENARIOS.items():
        reference, current, embeddings = _frames(*args)
        config = {"embeddings": embeddings, "methods": methods}
        folders.append(write_case(workdir / name, current, reference, config))
    return run_evidently(python, CHILD, folders)


@pytest.fixture(scope="module")
def evidently(tmp_path_factory, evidently_python) -> dict[str, dict]:
    return _evidently_results(evidently_python, tmp_path_factory.mktemp("evidently_embeddings"))


def _ours(name: str) -> dict[str, object]:
    reference, current, embeddings = _frames(*SCENARIOS[name])
    metrics = {key: EmbeddingsDriftMetric("vectors", method) for key, method in METHODS.items()}
    report = Report(metrics=list(metrics.values()))
    report.run(
        reference_data=reference, current_data=current, column_mapping=ColumnMapping(embeddings=embeddings)
    )
    return {key: report.result(metric) for key, metric in metrics.items()}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_embeddings_drift_matches_evidently(evidently, name):
    mismatches = []
    for key, got in _ours(name).items():
        expected = evidently[name][key]
        same = (
            got.method_name == expected["method_name"]
            and got.drift_detected == expected["drift_detected"]
            and math.isclose(got.drift_score, expected["drift_score"], rel_tol=REL_TOL, abs_tol=ABS_TOL)
        )
        if not same:
            mismatches.append(
                f"{key}: ours {got.method_name} score={got.drift_score!r} drift={got.drift_detected}; "
                f"Evidently {expected}"
            )
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.slow
def test_scenarios_cover_both_decisions(evidently):
    """Each method both detects and misses drift across the scenarios, so decisions are really compared."""
    for key in set(METHODS) - {"mmd_bootstrap"}:
        decisions = {evidently[name][key]["drift_detected"] for name in SCENARIOS}
        assert decisions == {True, False}, key
