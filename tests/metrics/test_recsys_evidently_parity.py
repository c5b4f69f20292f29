"""Agreement with Evidently 0.7.23's legacy recsys metrics, curve by curve.

Evidently runs in its own interpreter (``<repo>/.venv-evidently`` or ``MONITORFLOW_EVIDENTLY_PYTHON``,
as in tests/metrics/test_integrity_evidently_parity.py); frames travel as parquet and
``evidently_recsys_child.py`` writes each result as JSON.

Every top-k metric must agree at every k of Evidently's curve. One deliberate difference: Evidently's
MAP and MAR take the relevance "at rank k" from the last row, in data order, ranked within k, which
is the item at rank k only when rows are sorted by rank and the user has at least k items
(otherwise MAP can exceed 1). Those two are compared on sorted frames only; docs/recsys.md says more.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from monitorflow import ColumnMapping, Report
from monitorflow import metrics as mf_metrics
from tests.metrics.recsys_frames import recommendations
from tests.support.evidently_parity import run_evidently, write_case

HERE = Path(__file__).resolve().parent
CHILD = HERE / "evidently_recsys_child.py"
TOP_K = [
    "PrecisionTopKMetric",
    "RecallTopKMetric",
    "FBetaTopKMetric",
    "MAPKMetric",
    "MARKMetric",
    "NDCGKMetric",
    "MRRKMetric",
    "HitRateKMetric",
]
ORDER_DEPENDENT = {"MAPKMetric", "MARKMetric"}
RANK = {"recommendations_type": "rank"}

CASES = {
    # name: (current, reference, column mapping, options, rows sorted by rank within user)
    "scores": (recommendations(1), recommendations(2), {}, {"k": 5}, True),
    "k above ten": (recommendations(3), None, {}, {"k": 12}, True),
    "graded, min_rel_score": (
        recommendations(4, graded=True),
        recommendations(5, graded=True),
        {},
        {"k": 3, "min_rel_score": 2},
        True,
    ),
    "graded gains": (recommendations(6, graded=True), None, {}, {"k": 4}, True),
    "no feedback users": (
        recommendations(7),
        recommendations(8),
        {},
        {"k": 4, "no_feedback_users": True},
        True,
    ),
    "ranks": (recommendations(9, rank=True), recommendations(10, rank=True), RANK, {"k": 5}, True),
    "ranks shuffled": (recommendations(11, rank=True, shuffle=True), None, RANK, {"k": 5}, False),
    "ragged shuffled": (recommendations(12, sizes=(1, 15), shuffle=True), None, {}, {"k": 5}, False),
    "f_beta 2": (recommendations(13), None, {}, {"k": 3, "beta": 2.0}, True),
}


def _config(options: dict, mapping: dict) -> dict:
    k = options["k"]
    metrics = {
        name: {
            "metric": name,
            "options": {o: v for o, v in options.items() if o != "beta" or name == "FBetaTopKMetric"},
        }
        for name in TOP_K
    }
    metrics["PersonalizationMetric"] = {"metric": "PersonalizationMetric", "options": {"k": k}}
    if mapping.get("recommendations_type") != "rank":
        metrics["ScoreDistribution"] = {"metric": "ScoreDistribution", "options": {"k": k}}
    return {"column_mapping": mapping, "metrics": metrics}


@pytest.fixture(scope="module")
def evidently(tmp_path_factory, evidently_python) -> dict[str, dict]:
    root = tmp_path_factory.mktemp("evidently_recsys")
    folders = [
        write_case(root / f"case{i}", current, reference, _config(options, mapping))
        for i, (current, reference, mapping, options, _) in enumerate(CASES.values())
    ]
    results = run_evidently(evidently_python, CHILD, folders)
    return {name: results[folder.name] for name, folder in zip(CASES, folders, strict=True)}


def _ours(name: str, metric_name: str, options: dict):
    current, reference, mapping, _, _ = CASES[name]
    if metric_name != "FBetaTopKMetric":
        options = {o: v for o, v in options.items() if o != "beta"}
    metric = getattr(mf_metrics, metric_name)(**options)
    report = Report(metrics=[metric])
    report.run(current_data=current, reference_data=reference, column_mapping=ColumnMapping(**mapping))
    return report.result(metric)


COMPARED = [(n, m) for n, case in CASES.items() for m in TOP_K if case[4] or m not in ORDER_DEPENDENT]


@pytest.mark.parametrize(("name", "metric_name"), COMPARED)
def test_top_k_curves_match_evidently(evidently, name, metric_name):
    theirs = evidently[name][metric_name]
    assert "error" not in theirs, theirs
    ours = _ours(name, metric_name, CASES[name][3])
    for side in ("current", "reference"):
        expected = theirs[side]
        if expected is None:
            assert getattr(ours, side) is None
            continue
        values = [v for _, v in expected]  # Evidently's index starts at 0 or 1 depending on the metric
        got = [getattr(ours, side)[k] for k in range(1, len(values) + 1)]
        assert got == pytest.approx(values, nan_ok=True), side
        assert len(getattr(ours, side)) == max(len(values), CASES[name][3]["k"])


@pytest.mark.parametrize("name", [n for n, case in CASES.items() if case[2] != RANK])
def test_score_entropy_matches_evidently(evidently, name):
    theirs = evidently[name]["ScoreDistribution"]
    ours = _ours(name, "ScoreDistribution", {"k": CASES[name][3]["k"]})
    assert ours.current_entropy == pytest.approx(theirs["current_entropy"])
    if theirs["reference_entropy"] is not None:
        assert ours.reference_entropy == pytest.approx(theirs["reference_entropy"])


@pytest.mark.parametrize("name", list(CASES))
def test_personalization_matches_evidently(evidently, name):
    theirs = evidently[name]["PersonalizationMetric"]
    ours = _ours(name, "PersonalizationMetric", {"k": CASES[name][3]["k"]})
    assert ours.current_value == pytest.approx(theirs["current_value"])
    if theirs["reference_value"] is not None:
        assert ours.reference_value == pytest.approx(theirs["reference_value"])
    # the same counts; items tied on a count may be listed in another order
    assert sorted(ours.current_table.values()) == sorted(theirs["current_table"].values())


def test_evidently_map_can_exceed_one_where_ours_cannot(evidently):
    """The documented difference, shown on the shuffled frame with short lists."""
    theirs = [v for _, v in evidently["ragged shuffled"]["MARKMetric"]["current"]]
    ours = _ours("ragged shuffled", "MARKMetric", {"k": 5})
    assert max(theirs) > 1 and max(ours.current.values()) <= 1
