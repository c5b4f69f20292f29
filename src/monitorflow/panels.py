"""Dashboard panels (Evidently's legacy model): what a project dashboard shows, as JSON-ready models.

Every panel has a ``title``, a ``filter`` (tags, metadata, test suites) and a ``size``; values are
``PanelValue(metric_id=<class name>, field_path=<dotted path>, metric_args={...}, legend=...)``
matched against the workspace index, so a dashboard never opens a snapshot. The ``type`` of a
panel is its class name (Evidently's ``"evidently:dashboard_panel:<Class>"`` is accepted too).

>>> plot = DashboardPanelPlot(
...     title="Share of drifted columns",
...     values=[PanelValue(metric_id="DatasetDriftMetric", field_path="share_of_drifted_columns")],
...     plot_type=PlotType.LINE,
...     split_by_tag="segment:",
... )
>>> parse_panel(plot.model_dump(mode="json")) == plot
True
>>> from monitorflow.dashboards import DashboardConfig
>>> config = DashboardConfig(name="churn")
>>> _ = add_panel(config, plot, tab="Drift")
>>> [t.title for t in config.tabs], len(config.panels)
(['Drift'], 1)
"""

from __future__ import annotations

import warnings
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, BeforeValidator, Field, TypeAdapter, ValidationError, field_validator

from monitorflow._types import WidgetSize
from monitorflow.errors import ConfigurationError
from monitorflow.ids import uuid7

if TYPE_CHECKING:
    from monitorflow.dashboards import DashboardConfig

#: Evidently's JSON names a panel type ``evidently:dashboard_panel:<Class>``; we keep the class name.
_EVIDENTLY_PREFIXES = (
    "evidently:dashboard_panel:",
    "evidently.ui.dashboards.reports.",
    "evidently.ui.dashboards.test_suites.",
    "evidently.ui.dashboards.base.",
)


class PlotType(StrEnum):
    LINE = "line"
    BAR = "bar"
    SCATTER = "scatter"
    HISTOGRAM = "histogram"


class CounterAgg(StrEnum):
    """How a counter reduces its series: NONE shows only the text, LAST the newest value."""

    NONE = "none"
    LAST = "last"
    SUM = "sum"
    MEAN = "mean"


class BucketAgg(StrEnum):
    """How a line's points that fall in one time bucket are combined into its one point there."""

    MEAN = "mean"
    LAST = "last"
    MIN = "min"
    MAX = "max"
    SUM = "sum"


class TestSuitePanelType(StrEnum):
    """AGGREGATE: status counts per time bucket; DETAILED: one cell per test and time bucket."""

    __test__ = False

    AGGREGATE = "aggregate"
    DETAILED = "detailed"


class HistBarMode(StrEnum):
    """Bars of a distribution: stacked, side by side, overlaid, or stacked shares (relative)."""

    STACK = "stack"
    GROUP = "group"
    OVERLAY = "overlay"
    RELATIVE = "relative"


class ReportFilter(BaseModel):
    """Which snapshots a panel reads: all ``tag_values`` present, every ``metadata_values`` key equal;
    test suites count only with ``include_test_suites`` (Evidently's default: reports only)."""

    metadata_values: dict[str, Any] = {}
    tag_values: list[str] = []
    include_test_suites: bool = False

    def filter(self, report: Any) -> bool:
        """Whether this filter selects ``report`` (a Report, or a TestSuite)."""
        from monitorflow.panel_match import (
            report_matches,
        )  # cycle: panel_match types its selectors with panels

        return report_matches(self, report)


class PanelValue(BaseModel):
    """One numeric result field over time.

    ``metric_id`` is the metric class name (``"ColumnDriftMetric"``), ``metric_fingerprint`` one
    configured metric; ``metric_args`` must equal the metric's parameters (``{"column_name": "age"}``;
    Evidently's ``"column_name.name"`` is accepted); ``field_path`` is dotted into the result, and
    ``*`` stands for any one key (``"drift_by_columns.*.drift_score"``: one trace per column).
    """

    field_path: str
    metric_id: str | None = None
    metric_fingerprint: str | None = None
    metric_args: dict[str, Any] = {}
    legend: str | None = None

    def __init__(self, *, metric_hash: str | None = None, **data: Any) -> None:
        """``metric_hash`` is Evidently's former name of ``metric_fingerprint`` (deprecated there too)."""
        super().__init__(**_renamed(data, "metric_hash", metric_hash, "metric_fingerprint"))

    @field_validator("metric_args")
    @classmethod
    def _evidently_args(cls, value: dict[str, Any]) -> dict[str, Any]:
        return _plain_args(value)

    @field_validator("field_path", mode="before")
    @classmethod
    def _path_text(cls, value: Any) -> Any:
        """``Metric.fields.current.number_of_rows`` (a FieldPath) is its dotted text."""
        return value if isinstance(value, str) or not hasattr(value, "get_path") else value.get_path()

    @property
    def label(self) -> str:
        return self.legend or self.field_path

    @property
    def field_path_str(self) -> str:
        return self.field_path

    @classmethod
    def validate_field_path(cls, value: Any) -> Any:
        """A FieldPath (``Metric.fields.current.number_of_rows``) as its dotted text."""
        return cls._path_text(value)

    def metric_matched(self, metric: Any) -> bool:
        from monitorflow.panel_match import (
            metric_matches,
        )  # cycle: panel_match types its selectors with panels

        return metric_matches(self, metric)

    def get(self, report: Any) -> dict[Any, Any]:
        """The value at ``field_path`` of each matched metric of a run Report or TestSuite."""
        from monitorflow.panel_match import (
            metric_values,
        )  # cycle: panel_match types its selectors with panels

        return metric_values(self, report)


class TestFilter(BaseModel):
    """Tests a test-suite panel counts: by class name, one configured test, and/or parameters."""

    __test__ = False

    test_id: str | None = None
    test_fingerprint: str | None = None
    test_args: dict[str, Any] = {}

    def __init__(self, *, test_hash: str | None = None, **data: Any) -> None:
        """``test_hash`` is Evidently's former name of ``test_fingerprint`` (deprecated there too)."""
        super().__init__(**_renamed(data, "test_hash", test_hash, "test_fingerprint"))

    @field_validator("test_args")
    @classmethod
    def _evidently_args(cls, value: dict[str, Any]) -> dict[str, Any]:
        return _plain_args(value)

    def test_matched(self, test: Any) -> bool:
        from monitorflow.panel_match import test_matches  # cycle: panel_match types its selectors with panels

        return test_matches(self, test)

    def get(self, test_suite: Any) -> dict[Any, Any]:
        """Each matched test of a run TestSuite with its ``TestInfo`` (suite id, status, description)."""
        from monitorflow.panel_match import test_infos  # cycle: panel_match types its selectors with panels

        return test_infos(self, test_suite)


def _renamed(data: dict[str, Any], old: str, value: str | None, new: str) -> dict[str, Any]:
    """``data`` with ``value`` of the deprecated argument ``old`` under its new name (a warning says so)."""
    if value is None:
        return data
    warnings.warn(f"{old} is deprecated: use {new}", DeprecationWarning, stacklevel=3)
    return {**data, new: value}


def _plain_args(value: dict[str, Any]) -> dict[str, Any]:
    """Evidently names a column argument ``"column_name.name"`` (its ColumnName object); ours is the name."""
    return {(k[: -len(".name")] if k.endswith("column_name.name") else k): v for k, v in value.items()}


class DashboardPanel(BaseModel):
    """Fields every panel has."""

    id: UUID = Field(default_factory=uuid7)
    title: str
    filter: ReportFilter = ReportFilter()
    size: WidgetSize = WidgetSize.FULL

    @field_validator("size", mode="before")
    @classmethod
    def _size_name(cls, value: Any) -> Any:
        return (
            WidgetSize[value.upper()]
            if isinstance(value, str) and value.upper() in WidgetSize.__members__
            else value
        )


class DashboardPanelPlot(DashboardPanel):
    """One or more values over time (one trace per value and matched metric); ``split_by_tag`` draws
    one trace per tag with that prefix, e.g. ``"segment:"`` -> ``segment:a``, ``segment:b``, or per
    combination of two prefixes (``["segment:", "model_version:"]`` -> ``segment:a model_version:v1``)."""

    type: Literal["DashboardPanelPlot"] = "DashboardPanelPlot"
    values: list[PanelValue]
    plot_type: PlotType = PlotType.LINE
    split_by_tag: str | list[str] | None = None
    #: How the points of one line in one time bucket (e.g. two runs of a day) become one point.
    agg: BucketAgg = BucketAgg.MEAN


class DashboardPanelCounter(DashboardPanel):
    """A big number: ``agg`` of ``value`` over the time range (or only ``text`` with agg NONE)."""

    type: Literal["DashboardPanelCounter"] = "DashboardPanelCounter"
    agg: CounterAgg = CounterAgg.NONE
    value: PanelValue | None = None
    text: str | None = None
    split_by_tag: str | None = None


class DashboardPanelTestSuite(DashboardPanel):
    """Test statuses over time; ``time_agg`` is a pandas period (``"1D"``, ``"1W"``) or None (per run)."""

    type: Literal["DashboardPanelTestSuite"] = "DashboardPanelTestSuite"
    test_filters: list[TestFilter] = []
    panel_type: TestSuitePanelType = TestSuitePanelType.AGGREGATE
    time_agg: str | None = None


class DashboardPanelTestSuiteCounter(DashboardPanel):
    """``k/n`` tests with one of ``statuses``: over the range (NONE) or in the newest run (LAST)."""

    type: Literal["DashboardPanelTestSuiteCounter"] = "DashboardPanelTestSuiteCounter"
    agg: Literal[CounterAgg.NONE, CounterAgg.LAST] = CounterAgg.NONE
    test_filters: list[TestFilter] = []
    statuses: list[str] = ["SUCCESS"]


class DashboardPanelDistribution(DashboardPanel):
    """Bars per time bucket, one segment per value: ``values`` listed, or ``value`` whose field path
    is a dict of numbers in the result (``current.number_of_missing_values_by_column``): one segment
    per key found in the index."""

    type: Literal["DashboardPanelDistribution"] = "DashboardPanelDistribution"
    value: PanelValue | None = None
    values: list[PanelValue] = []
    barmode: HistBarMode = HistBarMode.STACK


#: Evidently's alias.
DashboardPanelHistogram = DashboardPanelDistribution

#: A panel of one of the known kinds.
AnyPanel = (
    DashboardPanelPlot
    | DashboardPanelCounter
    | DashboardPanelTestSuite
    | DashboardPanelTestSuiteCounter
    | DashboardPanelDistribution
)
Panel = Annotated[
    AnyPanel,
    Field(discriminator="type"),
]
PANEL_TYPES: dict[str, type[DashboardPanel]] = {
    cls.__name__: cls
    for cls in (
        DashboardPanelPlot,
        DashboardPanelCounter,
        DashboardPanelTestSuite,
        DashboardPanelTestSuiteCounter,
        DashboardPanelDistribution,
    )
}
_ADAPTER: TypeAdapter[AnyPanel] = TypeAdapter(Panel)


def _type_name(value: Any) -> Any:
    if isinstance(value, str):
        for prefix in _EVIDENTLY_PREFIXES:
            if value.startswith(prefix):
                value = value[len(prefix) :]
        return "DashboardPanelDistribution" if value == "DashboardPanelHistogram" else value
    return value


def parse_panel(data: Any) -> AnyPanel:
    """A panel model from a model or its JSON dict; ConfigurationError names the problem."""
    if isinstance(data, AnyPanel):
        return data
    if not isinstance(data, dict):
        raise ConfigurationError(f"a panel must be a dict or a panel model, got {type(data).__name__}")
    data = {**data, "type": _type_name(data.get("type"))}
    if data["type"] not in PANEL_TYPES:
        raise ConfigurationError(
            f"unknown panel type {data['type']!r}; use one of {sorted(PANEL_TYPES)}", argument="type"
        )
    try:
        return _ADAPTER.validate_python(data)
    except ValidationError as exc:
        raise ConfigurationError(
            f"invalid {data['type']} {data.get('title')!r}: {exc}", argument="panel"
        ) from None


def _known_panel(item: Any) -> Any:
    """Dicts of a known panel type become models; anything else is kept as given."""
    if isinstance(item, dict) and _type_name(item.get("type")) in PANEL_TYPES:
        return parse_panel(item)
    return item


#: The item type of ``DashboardConfig.panels``: a panel model, or a dict of an unknown type kept as is.
PanelItem = Annotated[Panel | dict[str, Any], BeforeValidator(_known_panel)]


class DashboardTab(BaseModel):
    """A tab of a dashboard: panels are placed in it by id (``DashboardConfig.tab_id_to_panel_ids``)."""

    id: UUID = Field(default_factory=uuid7)
    title: str


def create_tab(config: DashboardConfig, title: str) -> DashboardTab:
    """The tab titled ``title``, created if missing."""
    for tab in config.tabs:
        if tab.title == title:
            return tab
    tab = DashboardTab(title=title)
    config.tabs.append(tab)
    config.tab_id_to_panel_ids.setdefault(str(tab.id), [])
    return tab


def _find_tab(config: DashboardConfig, tab: Any, create: bool) -> DashboardTab:
    if isinstance(tab, DashboardTab):
        if all(t.id != tab.id for t in config.tabs):
            config.tabs.append(tab)
        return tab
    for existing in config.tabs:
        if str(existing.id) == str(tab) or existing.title == str(tab):
            return existing
    if not create or isinstance(tab, UUID):
        raise ConfigurationError(
            f"dashboard has no tab {tab!r}; tabs: {[t.title for t in config.tabs]}", argument="tab"
        )
    return create_tab(config, str(tab))


def add_panel(
    config: DashboardConfig, panel: Any, tab: Any = None, create_if_not_exists: bool = True
) -> DashboardPanel:
    """Append ``panel`` to the dashboard, in ``tab`` (a title, a tab id or a DashboardTab) if given."""
    model = parse_panel(panel)
    found = None if tab is None else _find_tab(config, tab, create_if_not_exists)
    config.panels.append(model)
    if found is not None:
        config.tab_id_to_panel_ids.setdefault(str(found.id), []).append(str(model.id))
    return model


def _panel_key(panel: Any, position: int) -> str:
    key = panel.get("id") if isinstance(panel, dict) else getattr(panel, "id", None)
    return str(key) if key else f"#{position}"


def panels_by_tab(config: DashboardConfig) -> list[tuple[str | None, str, list[Any]]]:
    """``[(tab id, title, panels)]`` in tab order; panels in no tab come first as "General"."""
    items = {_panel_key(p, i): p for i, p in enumerate(config.panels)}
    placed: set[str] = set()
    tabs: list[tuple[str | None, str, list[Any]]] = []
    for tab in config.tabs:
        ids = config.tab_id_to_panel_ids.get(str(tab.id), [])
        placed.update(ids)
        tabs.append((str(tab.id), tab.title, [items[i] for i in ids if i in items]))
    rest = [p for key, p in items.items() if key not in placed]
    if rest or not tabs:
        tabs.insert(0, (None, "General", rest))
    return tabs


__all__ = [
    "PANEL_TYPES",
    "BucketAgg",
    "CounterAgg",
    "DashboardPanel",
    "DashboardPanelCounter",
    "DashboardPanelDistribution",
    "DashboardPanelHistogram",
    "DashboardPanelPlot",
    "DashboardPanelTestSuite",
    "DashboardPanelTestSuiteCounter",
    "HistBarMode",
    "Panel",
    "PanelItem",
    "PanelValue",
    "PlotType",
    "ReportFilter",
    "TestFilter",
    "TestSuitePanelType",
    "WidgetSize",
    "add_panel",
    "create_tab",
    "panels_by_tab",
    "parse_panel",
]
