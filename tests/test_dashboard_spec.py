"""A monitor's declared dashboard: the panels it builds, and bad specs refused with the field named."""

from __future__ import annotations

import pytest

from monitorflow.dashboard_spec import DashboardSpec, apply_dashboard
from monitorflow.dashboards import DashboardConfig
from monitorflow.errors import MonitoringError
from monitorflow.monitoring import parse_monitor
from monitorflow.panels import DashboardPanelPlot, DashboardPanelTestSuite, TestSuitePanelType, WidgetSize
from tests.support.flows import monitor_dict


def spec(*panels: dict) -> DashboardSpec:
    return DashboardSpec.model_validate({"tabs": [{"title": "T", "panels": list(panels)}]})


def test_each_kind_builds_its_panel() -> None:
    config = DashboardConfig(name="p")
    apply_dashboard(
        config,
        spec(
            {
                "title": "a",
                "metric": "M",
                "field": "f.*",
                "args": {"column_name": "x"},
                "split_by": "segment",
                "tags": ["ground_truth"],
                "size": "full",
            },
            {
                "title": "b",
                "kind": "bar",
                "metric": "M",
                "field": "g",
                "split_by": ["region:", "model_version"],
            },
            {"title": "c", "kind": "test_grid"},
        ),
        "p",
    )
    line, bar, grid = config.panels
    assert (
        isinstance(line, DashboardPanelPlot)
        and line.split_by_tag == "segment:"
        and line.size == WidgetSize.FULL
    )
    assert line.values[0].metric_args == {"column_name": "x"} and line.filter.tag_values == ["ground_truth"]
    assert bar.plot_type.value == "bar" and bar.split_by_tag == ["region:", "model_version:"]
    assert isinstance(grid, DashboardPanelTestSuite) and grid.panel_type == TestSuitePanelType.DETAILED
    assert grid.filter.include_test_suites and grid.time_agg == "1D"


def test_the_same_spec_twice_changes_nothing_and_ids_come_from_project_tab_and_title() -> None:
    a, b = DashboardConfig(name="p"), DashboardConfig(name="p")
    s = spec({"title": "a", "metric": "M", "field": "f"})
    assert apply_dashboard(a, s, "p") and not apply_dashboard(a, s, "p")
    apply_dashboard(b, s, "p")
    assert a.model_dump() == b.model_dump()
    c = DashboardConfig(name="q")
    apply_dashboard(c, s, "q")
    assert c.panels[0].id != a.panels[0].id


@pytest.mark.parametrize(
    ("panel", "words"),
    [
        ({"title": "x", "metric": "M"}, "needs metric and field"),
        ({"title": "x", "kind": "pie"}, "kind"),
        ({"title": "x", "metric": "M", "field": "f", "colour": "red"}, "colour"),
    ],
)
def test_bad_panels_are_refused_naming_the_problem(tmp_path, panel: dict, words: str) -> None:  # noqa: ANN001
    config = monitor_dict(tmp_path, dashboard={"tabs": [{"title": "T", "panels": [panel]}]})
    with pytest.raises(MonitoringError) as info:
        parse_monitor(config)
    assert words in str(info.value) and "dashboard" in str(info.value)
