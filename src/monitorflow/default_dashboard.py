"""The dashboard a project gets before anyone writes one: generated from what its snapshots contain.

It looks up which metric fields, tags and kinds of snapshot the project's index holds, and declares
(as a :class:`~monitorflow.dashboard_spec.DashboardSpec`) the panels a reader looks for first:
drift share and per-column drift, rows and missing values, test results per day, and model quality
from ground truth; lines split by segment and model version where the snapshots carry those tags.
Nothing is stored until the user keeps it (then it is an ordinary dashboard to edit).

>>> class Index:
...     def fields(self, metric, pattern): return [pattern] if metric == "DatasetDriftMetric" else []
...     def tags(self, prefix): return ["segment:eu", "segment:us"] if prefix == "segment:" else []
...     def has_test_suites(self): return True
>>> spec = generated_spec(Index())
>>> [(t.title, [p.title for p in t.panels]) for t in spec.tabs]
[('Data drift', ['Share of drifted columns']), ('Tests', ['Test results per day', 'Each test per day'])]
>>> spec.tabs[0].panels[0].split_by
['segment']
"""

from __future__ import annotations

from typing import Any, Protocol

from monitorflow.dashboard_spec import DashboardSpec, PanelSpec, TabSpec, apply_dashboard
from monitorflow.dashboards import DashboardConfig

#: Tags every monitor writes, by the ``split_by`` name of their prefix.
SPLITS = {"segment": "segment:", "model_version": "model_version:"}
GROUND_TRUTH = "ground_truth"


class Catalog(Protocol):
    """What the generator asks of a project's index."""

    def fields(self, metric: str, pattern: str) -> list[str]: ...
    def tags(self, prefix: str) -> list[str]: ...
    def has_test_suites(self) -> bool: ...


def _first(catalog: Catalog, candidates: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The first (metric, field) the project has."""
    return next(((m, f) for m, f in candidates if catalog.fields(m, f)), None)


def _panel(title: str, found: tuple[str, str] | None, **options: Any) -> list[PanelSpec]:
    return [PanelSpec(title=title, metric=found[0], field=found[1], **options)] if found else []


def generated_spec(catalog: Catalog) -> DashboardSpec | None:
    """The default dashboard for what the project holds (None: nothing to show yet)."""
    splits = [name for name, prefix in SPLITS.items() if len(catalog.tags(prefix)) > 1]
    by_segment = ["segment"] if "segment" in splits else None
    by_version = ["model_version"] if "model_version" in splits else None
    drift = _panel(
        "Share of drifted columns",
        _first(
            catalog,
            [
                ("DatasetDriftMetric", "share_of_drifted_columns"),
                ("DataDriftTable", "share_of_drifted_columns"),
            ],
        ),
        split_by=splits or None,
    )
    drift += _panel(
        "Drift score by column",
        _first(catalog, [("DataDriftTable", "drift_by_columns.*.drift_score")]),
        size="full",
    )
    rows = [
        ("DatasetSummaryMetric", "current.number_of_rows"),
        ("DatasetMissingValuesMetric", "current.number_of_rows"),
    ]
    quality = _panel("Rows per window", _first(catalog, rows), kind="bar", split_by=by_segment, agg="sum")
    quality += _panel(
        "Share of missing values",
        _first(catalog, [("DatasetMissingValuesMetric", "current.share_of_missing_values")]),
        split_by=by_segment,
    )
    quality += _panel(
        "Missing values by column",
        _first(catalog, [("DatasetMissingValuesMetric", "current.number_of_missing_values_by_column.*")]),
        size="full",
    )
    tests = (
        [
            PanelSpec(title="Test results per day", kind="tests", size="full"),
            PanelSpec(title="Each test per day", kind="test_grid", size="full"),
        ]
        if catalog.has_test_suites()
        else []
    )
    labelled = [GROUND_TRUTH] if catalog.tags(GROUND_TRUTH) else []
    model: list[PanelSpec] = []
    for title, metric, field in (
        ("ROC AUC", "ClassificationQualityMetric", "current.roc_auc"),
        ("Accuracy", "ClassificationQualityMetric", "current.accuracy"),
        ("F1", "ClassificationQualityMetric", "current.f1"),
        ("RMSE", "RegressionQualityMetric", "current.rmse"),
        ("Mean absolute error", "RegressionQualityMetric", "current.mean_abs_error"),
        ("R²", "RegressionQualityMetric", "current.r2_score"),
    ):
        suffix = " from the labels" if labelled else ""
        model += _panel(
            title + suffix, _first(catalog, [(metric, field)]), split_by=by_version, tags=labelled
        )
    tabs = [
        TabSpec(title=t, panels=p)
        for t, p in (
            ("Data drift", drift),
            ("Data quality", quality),
            ("Tests", tests),
            ("Model quality", model),
        )
        if p
    ]
    return DashboardSpec(tabs=tabs) if tabs else None


class WorkspaceCatalog:
    """The generator's questions, answered from a workspace's index."""

    def __init__(self, ws: Any, project_id: Any) -> None:
        self.ws, self.project_id = ws, project_id

    def fields(self, metric: str, pattern: str) -> list[str]:
        return self.ws.field_paths(self.project_id, metric, pattern)

    def tags(self, prefix: str) -> list[str]:
        return self.ws.tag_values(self.project_id, prefix)

    def has_test_suites(self) -> bool:
        return bool(self.ws.list_snapshots(self.project_id, kind="test_suite", limit=1))


def generated_dashboard(ws: Any, project: Any) -> DashboardConfig | None:
    """The dashboard shown for ``project`` while it has no panels (None: it has some, or its
    snapshots hold nothing to draw)."""
    if project.dashboard.panels:
        return None
    spec = generated_spec(WorkspaceCatalog(ws, project.id))
    if spec is None:
        return None
    config = DashboardConfig(name=project.dashboard.name or project.name)
    apply_dashboard(config, spec, project.name)
    return config
