"""A monitor's dashboard, declared beside its metrics: tabs of panels by metric and field.

::

    dashboard:
      tabs:
        - title: Data drift
          panels:
            - {title: Share of drifted columns, metric: DatasetDriftMetric, field: share_of_drifted_columns,
               split_by: [segment, model_version]}
            - {title: Tests per day, kind: tests}
        - title: Model quality
          panels:
            - {title: ROC AUC, metric: ClassificationQualityMetric, field: current.roc_auc,
               split_by: model_version, tags: [ground_truth]}

Applying it (:func:`apply_dashboard`, done by every flow run of the monitor) adds or updates those
panels on the project under ids derived from the project, tab and title, so a second run, or a second
monitor declaring the same panel, changes nothing; panels the user added are left alone.

>>> from monitorflow.dashboards import DashboardConfig
>>> spec = DashboardSpec(tabs=[TabSpec(title="Drift", panels=[PanelSpec(title="Drift share",
...     metric="DatasetDriftMetric", field="share_of_drifted_columns", split_by="segment")])])
>>> config = DashboardConfig(name="churn")
>>> apply_dashboard(config, spec, "churn"), apply_dashboard(config, spec, "churn")
(True, False)
>>> config.panels[0].split_by_tag
'segment:'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from monitorflow.dashboards import DashboardTab
from monitorflow.ids import stable_uuid
from monitorflow.panels import (
    BucketAgg,
    CounterAgg,
    DashboardPanelCounter,
    DashboardPanelPlot,
    DashboardPanelTestSuite,
    PanelValue,
    PlotType,
    ReportFilter,
    TestSuitePanelType,
    WidgetSize,
)

if TYPE_CHECKING:
    from monitorflow.dashboards import DashboardConfig
    from monitorflow.panels import AnyPanel

#: ``split_by`` names of the tags every monitor writes; anything else is a tag prefix as given.
SPLIT_PREFIXES = {"segment": "segment:", "model_version": "model_version:", "monitor": "monitor:"}


class PanelSpec(BaseModel):
    """One panel: a metric's field over time as a line or bars, its latest value, or the test results
    per day (counts by status, or one row per test)."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(description="The panel's title.")
    kind: Literal["line", "bar", "counter", "tests", "test_grid"] = Field(
        "line",
        description="Line or bar over time, counter (the latest value), tests or test_grid (test results "
        "per day).",
    )
    metric: str | None = Field(None, description="The metric's class name, for example DatasetDriftMetric.")
    field: str | None = Field(
        None, description="A dotted field of the metric's result; a * stands for any one key (one line each)."
    )
    args: dict[str, Any] = Field(
        {}, description="The metric's parameters, to tell several of one type apart."
    )
    split_by: str | list[str] | None = Field(
        None, description="One line per segment, model_version or tag prefix (or per combination of two)."
    )
    tags: list[str] = Field([], description="Only snapshots with all these tags, for example ground_truth.")
    legend: str | None = Field(None, description="The line's name in the legend (default: the field).")
    size: Literal["half", "full"] = Field("half", description="Half or full width of the dashboard.")
    agg: Literal["mean", "last", "min", "max", "sum"] = Field(
        "mean", description="How a line's points at one time (several runs or segments) become one point."
    )

    @model_validator(mode="after")
    def _metric_panels_name_their_field(self) -> PanelSpec:
        if not self.kind.startswith("test") and (self.metric is None or self.field is None):
            raise ValueError(f"panel {self.title!r}: a {self.kind} panel needs metric and field")
        return self

    def prefixes(self) -> list[str]:
        names = [self.split_by] if isinstance(self.split_by, str) else list(self.split_by or [])
        return [SPLIT_PREFIXES.get(n, n if n.endswith(":") else f"{n}:") for n in names]


class TabSpec(BaseModel):
    """A tab of the dashboard and its panels."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(description="The tab's title.")
    panels: list[PanelSpec] = Field(description="The panels of the tab, in order.")


class DashboardSpec(BaseModel):
    """Tabs of panels that the project's dashboard gets."""

    model_config = ConfigDict(extra="forbid")

    tabs: list[TabSpec] = Field(description="The tabs, in order.")


def build_panel(spec: PanelSpec, panel_id: Any) -> AnyPanel:
    """The dashboard panel a spec describes."""
    size = WidgetSize.HALF if spec.size == "half" else WidgetSize.FULL
    common: dict[str, Any] = {
        "id": panel_id,
        "title": spec.title,
        "size": size,
        "filter": ReportFilter(tag_values=spec.tags, include_test_suites=spec.kind.startswith("test")),
    }
    if spec.kind in ("tests", "test_grid"):
        detailed = TestSuitePanelType.DETAILED if spec.kind == "test_grid" else TestSuitePanelType.AGGREGATE
        return DashboardPanelTestSuite(**common, panel_type=detailed, time_agg="1D")
    if spec.metric is None or spec.field is None:
        raise ValueError(f"panel {spec.title!r}: a {spec.kind} panel needs metric and field")
    value = PanelValue(
        metric_id=spec.metric, field_path=spec.field, metric_args=spec.args, legend=spec.legend
    )
    prefixes = spec.prefixes()
    split: Any = (prefixes[0] if len(prefixes) == 1 else prefixes) if prefixes else None
    if spec.kind == "counter":
        return DashboardPanelCounter(**common, agg=CounterAgg.LAST, value=value, split_by_tag=split)
    plot = PlotType.BAR if spec.kind == "bar" else PlotType.LINE
    return DashboardPanelPlot(
        **common, values=[value], plot_type=plot, split_by_tag=split, agg=BucketAgg(spec.agg)
    )


def panel_id(project: str, tab: str, title: str) -> Any:
    """The id of a declared panel: the same for every monitor of the project declaring it."""
    return stable_uuid("monitorflow-panel", project, tab, title)


def apply_dashboard(config: DashboardConfig, spec: DashboardSpec, project: str) -> bool:
    """Add or update the declared panels (tabs created by title); True when the dashboard changed."""
    before = config.model_dump(mode="json")
    for tab_spec in spec.tabs:
        tab = next((t for t in config.tabs if t.title == tab_spec.title), None)
        if tab is None:  # an id from the title: concurrent first runs create the same tab
            tab = DashboardTab(
                id=stable_uuid("monitorflow-tab", project, tab_spec.title), title=tab_spec.title
            )
            config.tabs.append(tab)
        members = config.tab_id_to_panel_ids.setdefault(str(tab.id), [])
        for panel_spec in tab_spec.panels:
            panel = build_panel(panel_spec, panel_id(project, tab_spec.title, panel_spec.title))
            key = str(panel.id)
            at = next((i for i, p in enumerate(config.panels) if str(getattr(p, "id", "")) == key), None)
            if at is None:
                config.panels.append(panel)
            elif config.panels[at] != panel:
                config.panels[at] = panel
            if key not in members:
                members.append(key)
    return config.model_dump(mode="json") != before
