"""Whole presets on real data sets under both libraries: the cases of ``test_compat_presets.py``.

Like an example re-creation (``compat_harness.py``), this source runs in our interpreter and, with the
import prefix ``monitorflow`` replaced by ``evidently.legacy``, in Evidently's; ``run(frames, workdir)``
runs every case of one data set (named by the case folder, ``workdir``'s parent) and returns
``{case: as_dict()}``. The frames come from ``compat_data.preset_datasets()``. Each case is a preset
with options: the presets' defaults with inferred and with explicit column lists, every stat test both
libraries register through the option that fits its column types (``stattest=`` for tests of both
types, ``num_stattest=``, ``cat_stattest=``), with the default and an explicit threshold,
``per_column_stattest=`` with its thresholds, and every test preset that applies to the data set's task.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from monitorflow.metric_preset import (
    ClassificationPreset,
    DataDriftPreset,
    DataQualityPreset,
    RegressionPreset,
    TargetDriftPreset,
)
from monitorflow.pipeline.column_mapping import ColumnMapping
from monitorflow.report import Report
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

#: Column roles per data set (``numerical`` and ``categorical`` are the explicit feature lists; ``binary``
#: gives two-valued categorical columns a stat test only they take, in ``per_column_stattest``).
DATASETS: dict[str, dict[str, Any]] = {
    "iris": {
        "task": "multiclass",
        "target": "target",
        "prediction": "prediction",
        "numerical": [
            "sepal length (cm)",
            "sepal width (cm)",
            "petal length (cm)",
            "petal width (cm)",
            "level",
        ],
        "categorical": ["band"],
    },
    "wine": {
        "task": "multiclass",
        "target": "target",
        "prediction": "prediction",
        "numerical": ["alcohol", "malic_acid", "ash", "magnesium", "flavanoids", "hue", "proline", "level"],
        "categorical": ["band"],
    },
    "breast_cancer": {
        "task": "binary",
        "target": "target",
        "prediction": "prediction",
        "numerical": [
            "mean radius",
            "mean texture",
            "mean smoothness",
            "mean concavity",
            "worst area",
            "worst symmetry",
            "level",
        ],
        "categorical": ["band"],
    },
    "diabetes": {
        "task": "regression",
        "target": "target",
        "prediction": "prediction",
        "numerical": ["age", "bmi", "bp", "s1", "s3", "s5", "level"],
        "categorical": ["sex", "band"],
        "binary": {"sex": "z"},
    },
    "digits": {
        "task": "multiclass",
        "target": "target",
        "prediction": "prediction",
        "numerical": [
            "pixel_0_3",
            "pixel_1_2",
            "pixel_2_4",
            "pixel_3_3",
            "pixel_4_5",
            "pixel_5_6",
            "pixel_6_2",
            "pixel_7_4",
        ],
        "categorical": ["pixel_3_6", "pixel_5_1"],
    },
    "adult": {
        "task": "binary",
        "target": "class",
        "prediction": "prediction",
        "numerical": ["age", "fnlwgt", "education-num", "capital-gain", "hours-per-week"],
        "categorical": ["workclass", "education", "marital-status", "sex", "native-country"],
        "binary": {"sex": "z"},
    },
}

#: The stat tests both libraries register, by the column types they take (the text ones need text
#: columns, which these data sets do not have).
BOTH_TYPES = ["hellinger", "jensenshannon", "kl_div", "psi"]
NUMERICAL_ONLY = [
    "anderson",
    "cramer_von_mises",
    "ed",
    "empirical_mmd",
    "es",
    "ks",
    "mannw",
    "t_test",
    "wasserstein",
]
CATEGORICAL_ONLY = ["TVD", "chisquare", "fisher_exact", "g_test", "z"]
THRESHOLD = 0.07  # an explicit threshold, unlike every default (0.05 for p-values, 0.1 for distances)

TIES = "ties for the most common value: monitorflow takes the smallest (docs/evidently-compat.md, ties)"
DIFFERENCES: dict[str, str] = {
    "*.reason": "a refusal's message is each library's own",
    "*_characteristics.most_common": TIES,
    "*.tests.Share of the Most Common Value*.parameters.condition*": TIES,
    "*.DataDriftPreset(drift_share=0.3).metrics.DataDriftTable.result.dataset_drift": (
        "Evidently's DataDriftPreset passes drift_share to DatasetDriftMetric only, so its DataDriftTable "
        "judges the same share against 0.5 and contradicts it; monitorflow passes it to both"
    ),
    **{
        f"*{name}*.{field}": (
            f"{name} is a permutation test: Evidently draws its permutations from numpy's global generator "
            "(empirical_mmd unseeded, so its p-value changes from run to run); monitorflow from a local "
            "seeded one (TVD: 1000 permutations drawn as hypergeometric counts), so p-values differ by "
            "sampling error"
        )
        for name in ("empirical_mmd", "TVD")
        for field in (
            "drift_score",
            "drift_detected",
            "number_of_drifted_columns",
            "share_of_drifted_columns",
            "dataset_drift",
            "score",
            "detected",
            "status",
            "value",
            "success_tests",
            "failed_tests",
            "by_status.*",
            "all_passed",
        )
    },
    **{
        pattern: "OPEN, not yet explained (docs/evidently-compat.md, not yet the same)"
        for pattern in (
            "*.DataQualityTestPreset.tests.Share of the Most Common Value*.status",
            "*.DataQualityTestPreset.summary.*",
            "*(per_column_stattest).refused",  # es on the Adult-like capital-gain
            "*DataDriftTestPreset(per_column_stattest).tests.Share of Drifted Columns.status",
            # Evidently's ERROR has no column
            "*DataDriftTestPreset(per_column_stattest).tests.Drift per Column",
            "*DataDriftTestPreset(per_column_stattest).summary.*",
        )
    },
    **{
        f"*MulticlassClassificationTestPreset*.{part}": (
            "one-sided reference conditions (docs/tests.md): on digits, class 2's precision (0.82 against "
            "0.65) and class 8's recall (0.15 against 0.12) beat the reference by more than 20%; Evidently "
            "fails them, monitorflow passes an improvement (values and the rest of the tests compared)"
        )
        for part in ("tests.*Score by Class*.status", "summary.*")
    },
    **{
        f"*BinaryClassification*TestPreset*.{part}": (
            "one-sided reference conditions (docs/tests.md): on the Adult-like frame current's precision, "
            "recall and F1 beat the reference by more than 20%; Evidently fails them, monitorflow passes an "
            "improvement (values compared)"
        )
        for part in (
            "tests.Precision Score.status",
            "tests.Recall Score.status",
            "tests.F1 Score.status",
            "summary.*",
        )
    },
    **{
        f"*BinaryClassificationTopKTestPreset*.tests.{name} Score.parameters.value": (
            "top-k: monitorflow counts the k most probable rows as positive; Evidently's threshold is the "
            "(k+1)-th highest probability, so it counts k+1 (precision 10/11 for k=10 on the Adult-like "
            "frame)"
        )
        for name in ("Accuracy", "Precision", "Recall", "F1")
    },
    **{
        f"*{name}*.{part}": (
            f"{name} needs reference and current of equal length in Evidently (ERROR, or the whole report "
            "refused, otherwise); monitorflow tests the table of counts, the standard test for any sizes "
            "(against scipy in tests/stattests, against Evidently at equal sizes in tests/metrics/data_drift)"
        )
        for name in ("fisher_exact", "g_test")
        for part in ("refused", "tests.*", "summary.*")
    },
}


def columns(dataset: str) -> list[str]:
    """The columns of the data set's frames: its roles' (the inferred cases see these and no others)."""
    roles = DATASETS[dataset]
    prediction = roles["prediction"] if isinstance(roles["prediction"], list) else [roles["prediction"]]
    return [*roles["numerical"], *roles["categorical"], roles["target"], *prediction]


def stattest_options() -> list[tuple[str, str]]:
    """(option, stat test name) for every stat test: the option that applies it to every column it fits."""
    return [
        *(("stattest", name) for name in BOTH_TYPES),
        *(("num_stattest", name) for name in NUMERICAL_ONLY),
        *(("cat_stattest", name) for name in CATEGORICAL_ONLY),
    ]


def sweep(dataset: str) -> list[tuple[str, str, bool]]:
    """(option, stat test, with its threshold option?) run on this data set: each stat test on two of the
    six data sets, once with the default threshold (DataDriftPreset) and once with an explicit one
    (DataDriftTestPreset). Evidently takes seconds for some (TVD, empirical_mmd) on every column."""
    turn = list(DATASETS).index(dataset)
    return [(*option, turn >= 3) for i, option in enumerate(stattest_options()) if (i + turn) % 3 == 0]


def _per_column(roles: dict[str, Any]) -> tuple[dict[str, str], dict[str, float]]:
    """Each feature its own stat test (cycling through those that fit its type), half of them a threshold."""
    seeded = [name for name in NUMERICAL_ONLY + BOTH_TYPES if name != "empirical_mmd"]  # see DIFFERENCES
    tests = {c: seeded[i % len(seeded)] for i, c in enumerate(roles["numerical"])}
    tests.update({c: (["chisquare", *BOTH_TYPES])[i % 5] for i, c in enumerate(roles["categorical"])})
    return tests, {c: THRESHOLD for c in list(tests)[::2]}


def _task_presets(roles: dict[str, Any]) -> list[tuple[str, Any]]:
    task = roles["task"]
    if task == "regression":
        return [("RegressionPreset", RegressionPreset()), ("RegressionTestPreset", RegressionTestPreset())]
    cases: list[tuple[str, Any]] = [
        ("ClassificationPreset", ClassificationPreset()),
        ("ClassificationPreset(probas_threshold=0.6)", ClassificationPreset(probas_threshold=0.6)),
    ]
    if task == "multiclass":
        return cases + [
            ("MulticlassClassificationTestPreset", MulticlassClassificationTestPreset()),
            (
                "MulticlassClassificationTestPreset(psi, 0.07)",
                MulticlassClassificationTestPreset(stattest="psi", stattest_threshold=THRESHOLD),
            ),
        ]
    return cases + [
        ("BinaryClassificationTestPreset", BinaryClassificationTestPreset()),
        (
            "BinaryClassificationTestPreset(jensenshannon, 0.07, probas 0.4)",
            BinaryClassificationTestPreset(
                stattest="jensenshannon", stattest_threshold=THRESHOLD, probas_threshold=0.4
            ),
        ),
        ("BinaryClassificationTopKTestPreset(k=10)", BinaryClassificationTopKTestPreset(k=10)),
        (
            "BinaryClassificationTopKTestPreset(k=3, psi)",
            BinaryClassificationTopKTestPreset(k=3, stattest="psi"),
        ),
    ]


def cases(dataset: str) -> list[tuple[str, bool, Any]]:
    """(case name, explicit feature lists?, preset) for one data set."""
    roles = DATASETS[dataset]
    first_two = roles["numerical"][:2]
    per_column, per_column_threshold = _per_column(roles)
    out: list[tuple[str, bool, Any]] = [
        ("inferred DataDriftPreset", False, DataDriftPreset()),
        ("inferred DataQualityPreset", False, DataQualityPreset()),
        ("inferred DataStabilityTestPreset", False, DataStabilityTestPreset()),
        ("DataDriftPreset", True, DataDriftPreset()),
        ("DataDriftPreset(drift_share=0.3)", True, DataDriftPreset(drift_share=0.3)),
        ("DataQualityPreset", True, DataQualityPreset()),
        ("TargetDriftPreset", True, TargetDriftPreset()),
        (
            "TargetDriftPreset(psi, 0.07)",
            True,
            TargetDriftPreset(stattest="psi", stattest_threshold=THRESHOLD),
        ),
        ("DataStabilityTestPreset", True, DataStabilityTestPreset()),
        ("DataQualityTestPreset", True, DataQualityTestPreset()),
        ("DataDriftTestPreset", True, DataDriftTestPreset()),
        ("NoTargetPerformanceTestPreset", True, NoTargetPerformanceTestPreset()),
        ("NoTargetPerformanceTestPreset(columns)", True, NoTargetPerformanceTestPreset(columns=first_two)),
        (
            "DataDriftPreset(per_column_stattest)",
            True,
            DataDriftPreset(
                per_column_stattest=per_column, per_column_stattest_threshold=per_column_threshold
            ),
        ),
        (
            "DataDriftTestPreset(per_column_stattest)",
            True,
            DataDriftTestPreset(per_column_stattest=per_column),
        ),
    ]
    if roles["categorical"]:
        out.append(
            (
                "DataDriftPreset(num ks 0.07, cat psi 0.07)",
                True,
                DataDriftPreset(
                    num_stattest="ks",
                    num_stattest_threshold=THRESHOLD,
                    cat_stattest="psi",
                    cat_stattest_threshold=THRESHOLD,
                ),
            )
        )
    for option, name, with_threshold in sweep(dataset):
        if with_threshold:
            threshold = {f"{option}_threshold": THRESHOLD}
            out.append(
                (
                    f"DataDriftTestPreset({option}={name}, {option}_threshold={THRESHOLD})",
                    True,
                    DataDriftTestPreset(**{option: name}, **threshold),
                )
            )
        else:
            out.append((f"DataDriftPreset({option}={name})", True, DataDriftPreset(**{option: name})))
    return out + [(name, True, preset) for name, preset in _task_presets(roles)]


def _mapping(roles: dict[str, Any], explicit: bool) -> ColumnMapping:
    task = "regression" if roles["task"] == "regression" else "classification"
    features = {"numerical_features": roles["numerical"], "categorical_features": roles["categorical"]}
    return ColumnMapping(
        target=roles["target"], prediction=roles["prediction"], task=task, **(features if explicit else {})
    )


def run_case(preset: Any, mapping: ColumnMapping, frames: dict[str, Any]) -> dict[str, Any]:
    is_test_preset = type(preset).__name__.endswith("TestPreset")
    runner = TestSuite(tests=[preset]) if is_test_preset else Report(metrics=[preset])
    try:
        runner.run(reference_data=frames["reference"], current_data=frames["current"], column_mapping=mapping)
        return runner.as_dict()
    except Exception as exc:  # compared: both libraries refuse the same cases
        return {"refused": True, "reason": f"{type(exc).__name__}: {exc}"[:300]}


def run(frames: dict[str, Any], workdir: Any) -> dict[str, Any]:
    # writable copies: Evidently's hellinger drops NaN in place, which fails on arrays read from Parquet
    frames = {key: frame.copy() for key, frame in frames.items()}
    dataset = Path(workdir).parent.name
    roles = DATASETS[dataset]
    return {
        name: run_case(preset, _mapping(roles, explicit), frames) for name, explicit, preset in cases(dataset)
    }
