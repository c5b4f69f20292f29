"""Reconciliation: the realized quality of a window (labels arrived) against its estimate.

For each window and segment with labels, the ground-truth flow writes a ``reconciliation`` test
suite: one :class:`~monitorflow.checks.TestConceptDrift` per score, on the labelled rows, with the
same estimator state the monitor used. Each test knows whether the window's realized score left the
band and, through ``history``, whether the earlier windows did: windows are reconciled in order, and
a chunk of windows starts from the ``consecutive - 1`` windows before it (re-evaluated, not stored),
so chunks stay independent and the result does not depend on how windows were chunked.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from monitorflow.checks.estimation import TestConceptDrift
from monitorflow.dashboards import DashboardConfig
from monitorflow.metrics.estimation import SCORE_FIELDS, _ClassifierEstimate, estimation_metrics
from monitorflow.monitoring.definition import Monitor
from monitorflow.monitoring.results import Evaluation
from monitorflow.panels import DashboardPanelPlot, PanelValue, ReportFilter

DEFAULT_SCORES = {"classification": ["accuracy", "roc_auc"], "regression": ["mae", "rmse"]}
#: Per segment and test (its config without history): outside-band flags of the windows so far.
Histories = dict[tuple[str | None, str], list[bool]]


def drift_tests(monitor: Monitor) -> list[TestConceptDrift]:
    """One test per score of each of the monitor's estimates (none without estimates or when disabled)."""
    spec = monitor.ground_truth
    if spec is None or not spec.concept_drift.enabled:
        return []
    tests = []
    for metric in estimation_metrics([*monitor.build_metrics(), *monitor.build_tests()]):
        task = "classification" if isinstance(metric, _ClassifierEstimate) else "regression"
        wanted = spec.concept_drift.scores or DEFAULT_SCORES[task]
        settings = metric.model_dump(exclude={"metrics"})
        for score in wanted:
            if (score in SCORE_FIELDS) == (task == "regression"):
                tests.append(
                    TestConceptDrift(score=score, consecutive=spec.concept_drift.consecutive, **settings)
                )
    return list({t.fingerprint: t for t in tests}.values())


def lookback(monitor: Monitor) -> int:
    """Windows before a chunk whose outcome the chunk's first windows need."""
    tests = drift_tests(monitor)
    return max((t.consecutive for t in tests), default=1) - 1


def with_history(
    tests: list[TestConceptDrift], segment: str | None, histories: Histories
) -> list[TestConceptDrift]:
    return [t.model_copy(update={"history": histories.get((segment, t.fingerprint), [])}) for t in tests]


def record(
    tests: list[TestConceptDrift], segment: str | None, evaluation: Evaluation, histories: Histories
) -> None:
    """Append the window's outside-band flags to the histories (a window without a result adds none)."""
    if evaluation.snapshot is None:
        return
    for test, result in zip(
        tests, evaluation.snapshot.tests, strict=False
    ):  # results follow the tests' order
        flag = result.parameters.get("outside_band")
        if isinstance(flag, bool):
            histories.setdefault((segment, test.fingerprint), []).append(flag)


def labelled_share(rows: pd.DataFrame, predicted: pd.DataFrame) -> dict[str, Any]:
    return {"labelled_rows": len(rows), "labelled_share": round(len(rows) / max(len(predicted), 1), 4)}


def estimation_panels(monitor: Monitor, model_version: str | None = None) -> list[DashboardPanelPlot]:
    """Estimated (with its band) against realized, over time and per segment: one panel per score."""
    tags = [f"monitor:{monitor.name}"] + ([f"model_version:{model_version}"] if model_version else [])
    panels = []
    for test in drift_tests(monitor):
        score = test.score
        regression = score in SCORE_FIELDS
        estimate_metric = "EstimatedRegressionQuality" if regression else "EstimatedClassificationQuality"
        error_metric = "RegressionEstimationError" if regression else "ClassificationEstimationError"
        field = SCORE_FIELDS.get(score, score)
        values = [
            PanelValue(
                metric_id=estimate_metric, field_path=f"current.{field}.{part}", legend=f"estimated {part}"
            )
            for part in ("value", "lower", "upper")
        ]
        values.append(PanelValue(metric_id=error_metric, field_path=f"{field}.realized", legend="realized"))
        panels.append(
            DashboardPanelPlot(
                title=f"{monitor.name}: estimated vs realized {score}",
                filter=ReportFilter(tag_values=tags, include_test_suites=True),
                values=values,
                split_by_tag="segment:" if monitor.segments is not None else None,
            )
        )
    return panels


def add_estimation_panels(
    dashboard: DashboardConfig, monitor: Monitor, model_version: str | None = None
) -> bool:
    """Add the panels missing from ``dashboard`` (by title); returns whether any was added."""
    titles = {getattr(p, "title", None) for p in dashboard.panels}
    added = False
    for panel in estimation_panels(monitor, model_version):
        if panel.title not in titles:
            dashboard.add_panel(panel, tab="Estimated quality")
            added = True
    return added


__all__ = [
    "DEFAULT_SCORES",
    "Histories",
    "add_estimation_panels",
    "drift_tests",
    "estimation_panels",
    "labelled_share",
    "lookback",
    "record",
    "with_history",
]
