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

from pydantic import BaseModel, ConfigDict, model_validator

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
    from monitorflow.panels import DashboardPanel

#: ``split_by`` names of the tags every monitor writes; anything else is a tag prefix as given.
SPLIT_PREFIXES = {"segment": "segment:", "model_version": "model_version:", "monitor": "monitor:"}


class PanelSpec(BaseModel):
    """One panel: a metric's field over time (``kind`` line or bar), its latest value (counter), or
    the test results per day (``tests``: counts by status; ``test_grid``: one row per test)."""

    model_config = ConfigDict(extra="forbid")

    title: str
    kind: Literal["line", "bar", "counter", "tests", "test_grid"] = "line"
    #: Metric class name and a dotted field of its result (``*`` for any one key: one line each).
    metric: str | None = None
    field: str | None = None
    #: The metric's parameters, to tell apart several metrics of one type (``{column_name: age}``).
    args: dict[str, Any] = {}
    #: One line per value of these tags: ``segment``, ``model_version`` or a tag prefix (``region:``).
    split_by: str | list[str] | None = None
    #: Only snapshots carrying all these tags (``[ground_truth]`` for model quality).
    tags: list[str] = []
    legend: str | None = None
    size: Literal["half", "full"] = "half"
    #: How a line's points in one time bucket (several runs or segments of a day) become one point.
    agg: Literal["mean", "last", "min", "max", "sum"] = "mean"

    @model_validator(mode="after")
    def _metric_panels_name_their_field(self) -> PanelSpec:
        if not self.kind.startswith("test") and (self.metric is None or self.field is None):
            raise ValueError(f"panel {self.title!r}: a {self.kind} panel needs metric and field")
        return self

    def prefixes(self) -> list[str]:
        names = [self.split_by] if isinstance(self.split_by, str) else list(self.split_by or [])
        return [SPLIT_PREFIXES.get(n, n if n.endswith(":") else f"{n}:") for n in names]


class TabSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str
    panels: list[PanelSpec]


class DashboardSpec(BaseModel):
    """Tabs of panels; see the module docstring for the YAML form."""

    model_config = ConfigDict(extra="forbid")

    tabs: list[TabSpec]


def build_panel(spec: PanelSpec, panel_id: Any) -> DashboardPanel:
    """The dashboard panel a spec describes."""
    size = WidgetSize.HALF if spec.size == "half" else WidgetSize.FULL
    common: dict[str, Any] = {"id": panel_id, "title": spec.title, "size": size,
                              "filter": ReportFilter(tag_values=spec.tags, include_test_suites=spec.kind.startswith("test"))}  # fmt: skip
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
