"""Dashboard panels: the models (Python and JSON), tabs, and every panel type's data from the index."""

from __future__ import annotations

import json
import warnings
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

with warnings.catch_warnings():  # starlette: "Using httpx with starlette.testclient is deprecated"
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient
from monitorflow.errors import ConfigurationError
from monitorflow.panel_data import DashboardQuery
from monitorflow.panels import (
    CounterAgg,
    DashboardPanelCounter,
    DashboardPanelDistribution,
    DashboardPanelHistogram,
    DashboardPanelPlot,
    DashboardPanelTestSuite,
    DashboardPanelTestSuiteCounter,
    HistBarMode,
    PanelValue,
    PlotType,
    ReportFilter,
    TestFilter,
    TestSuitePanelType,
    WidgetSize,
    panels_by_tab,
    parse_panel,
)
from monitorflow.remote import RemoteWorkspace
from monitorflow.service.app import create_app
from monitorflow.service.testing import running
from monitorflow.storage.python_reads import PythonReads, StoreRows
from monitorflow.workspace import Workspace
from tests.service.svc_helpers import T0, snapshot

ROWS = PanelValue(metric_id="DatasetSummaryMetric", field_path="current.number_of_rows", legend="rows")
AGE_DRIFT = PanelValue(
    metric_id="ColumnDriftMetric", field_path="drift_score", metric_args={"column_name": "age"}
)


@pytest.fixture(autouse=True, params=["in-index", "in-python"])
def reduction(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every panel test runs twice: series reduced by SQL in the index, and in Python from ``series``."""
    if request.param == "in-python":
        monkeypatch.setattr(Workspace, "reads", property(lambda ws: PythonReads(StoreRows(ws.store))))
    return request.param


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace = Workspace.create(tmp_path / "ws")
    yield workspace
    workspace.close()


@pytest.fixture
def project(ws: Workspace) -> Any:
    """Days 0..9: reports alternating segment a/b (rows 100+i, drift i/100); days 0..9 also a test
    suite in segment a whose drift test fails from day 6 on (drift 0.1 * i)."""
    project = ws.create_project("p")
    for i in range(10):
        ws.add_snapshot(project.id, snapshot(i, segment="ab"[i % 2]))
        ws.add_snapshot(project.id, snapshot(i, segment="a", kind="test_suite", drift=0.1 * i, rows=7))
    return project


def data(ws: Workspace, project: Any, *panels: Any, **query: Any) -> list[dict[str, Any]]:
    project.dashboard.panels = []
    for panel in panels:
        project.dashboard.add_panel(panel)
    project.save()
    out = ws.dashboard_data(project.id, DashboardQuery(**query))["panels"]
    for item in out:
        assert "error" not in item, item
    return [item["data"] for item in out]


# ----------------------------------------------------------------------------------- models


def test_panels_round_trip_through_json_with_stable_type_names() -> None:
    panels = [
        DashboardPanelPlot(
            title="p",
            values=[ROWS, AGE_DRIFT],
            plot_type=PlotType.BAR,
            split_by_tag="segment:",
            filter=ReportFilter(tag_values=["x"], metadata_values={"m": 1}),
            size=WidgetSize.HALF,
        ),
        DashboardPanelCounter(title="c", agg=CounterAgg.MEAN, value=ROWS, text="t"),
        DashboardPanelTestSuite(
            title="t",
            test_filters=[TestFilter(test_id="TestColumnDrift", test_args={"column_name": "age"})],
            panel_type=TestSuitePanelType.DETAILED,
            time_agg="1D",
        ),
        DashboardPanelTestSuiteCounter(title="tc", agg=CounterAgg.LAST, statuses=["FAIL"]),
        DashboardPanelDistribution(title="d", value=ROWS, barmode=HistBarMode.RELATIVE),
    ]
    for panel in panels:
        dumped = json.loads(panel.model_dump_json())
        assert dumped["type"] == type(panel).__name__
        assert parse_panel(dumped) == panel
    assert DashboardPanelHistogram is DashboardPanelDistribution


def test_evidently_json_is_accepted() -> None:
    panel = parse_panel(
        {
            "type": "evidently:dashboard_panel:DashboardPanelPlot",
            "title": "drift",
            "size": 1,
            "filter": {"metadata_values": {}, "tag_values": ["prod"], "include_test_suites": False},
            "values": [
                {
                    "field_path": "drift_score",
                    "metric_id": "ColumnDriftMetric",
                    "metric_args": {"column_name.name": "age"},
                    "legend": "age",
                }
            ],
            "plot_type": "line",
        }
    )
    assert isinstance(panel, DashboardPanelPlot) and panel.size == WidgetSize.HALF
    assert panel.values[0].metric_args == {"column_name": "age"}
    assert parse_panel({"type": "DashboardPanelHistogram", "title": "h"}).type == "DashboardPanelDistribution"


def test_bad_panels_raise_configuration_errors_naming_the_problem() -> None:
    with pytest.raises(ConfigurationError, match="unknown panel type 'Pie'"):
        parse_panel({"type": "Pie", "title": "x"})
    with pytest.raises(ConfigurationError, match="invalid DashboardPanelPlot 'x'"):
        parse_panel({"type": "DashboardPanelPlot", "title": "x", "plot_type": "donut", "values": []})


def test_add_panel_with_tabs_persists_through_the_workspace(ws: Workspace) -> None:
    project = ws.create_project("p")
    a = project.dashboard.add_panel(DashboardPanelCounter(title="a"), tab="Overview")
    b = project.dashboard.add_panel(DashboardPanelPlot(title="b", values=[ROWS]), tab="Drift")
    c = project.dashboard.add_panel(DashboardPanelPlot(title="c", values=[ROWS]))
    overview = project.dashboard.create_tab("Overview")
    project.dashboard.add_panel({"type": "DashboardPanelCounter", "title": "d"}, tab=overview.id)
    with pytest.raises(ConfigurationError, match="no tab"):
        project.dashboard.add_panel(DashboardPanelCounter(title="e"), tab="Nope", create_if_not_exists=False)
    project.save()
    again = ws.get_project(project.id)
    assert [type(p).__name__ for p in again.dashboard.panels] == [
        "DashboardPanelCounter",
        "DashboardPanelPlot",
        "DashboardPanelPlot",
        "DashboardPanelCounter",
    ]
    tabs = panels_by_tab(again.dashboard)
    assert [(title, [p.title for p in items]) for _, title, items in tabs] == [
        ("General", ["c"]),
        ("Overview", ["a", "d"]),
        ("Drift", ["b"]),
    ]
    assert {str(a.id), str(b.id), str(c.id)} <= {str(p.id) for p in again.dashboard.panels}


# ------------------------------------------------------------------------------ panel data


def test_plot_traces_split_by_tag_and_reports_only_by_default(ws: Workspace, project: Any) -> None:
    [plot] = data(ws, project, DashboardPanelPlot(title="rows", values=[ROWS], split_by_tag="segment:"))
    assert plot["kind"] == "timeseries" and plot["plot_type"] == "line"
    a, b = plot["traces"]
    assert (a["label"], b["label"]) == ("rows [segment:a]", "rows [segment:b]")
    assert a["y"] == [100.0, 102.0, 104.0, 106.0, 108.0]  # the test suites (rows=7) are left out
    assert b["x"][0] - (T0 + timedelta(days=1)).timestamp() == 0
    [with_suites] = data(
        ws,
        project,
        DashboardPanelPlot(title="all", values=[ROWS], filter=ReportFilter(include_test_suites=True)),
    )
    # a report (rows 100 + i) and a test suite (rows 7) each day: one point per day, their mean
    assert with_suites["traces"][0]["y"] == [(100 + i + 7) / 2 for i in range(10)]


@pytest.mark.parametrize("agg", ["mean", "last", "min", "max", "sum"])
def test_points_of_one_line_at_one_time_become_one_point_by_the_panels_agg(ws: Workspace, agg: str) -> None:
    """Two segments (three snapshots) at each time and no split: one point per time, combined as
    pandas combines them; the viewer's ``agg`` overrides the panel's."""
    project = ws.create_project("same times")
    written = []
    for i in range(6):
        for j, seg in enumerate(("a", "b", "c")):
            info = ws.add_snapshot(project.id, snapshot(i, segment=seg, rows=100 + 7 * i + 3 * j))
            written.append((i, str(info.id), 100 + 7 * i + 3 * j))
    # "last" among points at one time: the last by snapshot id (ties have no other order)
    frame = pd.DataFrame(written, columns=["day", "id", "rows"]).sort_values(["day", "id"])
    expected = frame.groupby("day")["rows"].agg(agg).astype(float).tolist()
    [own] = data(ws, project, DashboardPanelPlot(title="rows", values=[ROWS], agg=agg))
    [overridden] = data(ws, project, DashboardPanelPlot(title="rows", values=[ROWS]), agg=agg)
    for plot in (own, overridden):
        [trace] = plot["traces"]
        assert trace["y"] == expected and trace["n"] == 18 and len(trace["x"]) == 6
        assert plot["agg"] == agg and trace["integer"]


def test_a_line_per_combination_of_two_split_prefixes(ws: Workspace) -> None:
    project = ws.create_project("two splits")
    for i in range(3):
        for seg in ("a", "b"):
            for version in ("v1", "v2"):
                ws.add_snapshot(
                    project.id,
                    snapshot(
                        i,
                        segment=seg,
                        rows=100 + i + (10 if version == "v2" else 0),
                        extra_tags=(f"model_version:{version}",),
                    ),
                )
    [plot] = data(
        ws,
        project,
        DashboardPanelPlot(title="rows", values=[ROWS], split_by_tag=["segment:", "model_version:"]),
    )
    lines = {t["label"]: t["y"] for t in plot["traces"]}
    assert lines == {
        f"rows [segment:{s}, model_version:{v}]": [100.0 + i + (10 if v == "v2" else 0) for i in range(3)]
        for s in ("a", "b")
        for v in ("v1", "v2")
    }


def test_the_answer_says_where_the_projects_data_is(ws: Workspace, project: Any) -> None:
    """``span``: first and last snapshot (epoch s) and how many, whatever the range; ``range_count``:
    how many in the range asked."""
    answer = ws.dashboard_data(project.id, DashboardQuery(start=T0 + timedelta(days=30)))
    assert answer["span"] == {
        "first": T0.timestamp(),
        "last": (T0 + timedelta(days=9)).timestamp(),
        "count": 20,
    }
    assert answer["range_count"] == 0
    inside = ws.dashboard_data(
        project.id, DashboardQuery(start=T0 + timedelta(days=2), end=T0 + timedelta(days=4))
    )
    assert inside["range_count"] == 4


def test_filters_time_range_and_viewer_tags(ws: Workspace, project: Any) -> None:
    panel = DashboardPanelPlot(
        title="drift", values=[AGE_DRIFT], filter=ReportFilter(metadata_values={"segment": "a"})
    )
    [plot] = data(ws, project, panel, start=T0 + timedelta(days=2), end=T0 + timedelta(days=7))
    assert [round(v, 6) for v in plot["traces"][0]["y"]] == [0.02, 0.04, 0.06]
    [tagged] = data(ws, project, panel, tags=["segment:b"])
    assert tagged["traces"] == []


def test_wildcard_field_path_gives_one_trace_per_key(ws: Workspace, project: Any) -> None:
    value = PanelValue(
        metric_id="DataDriftTable", field_path="drift_by_columns.*.drift_score", legend="drift"
    )
    [plot] = data(ws, project, DashboardPanelPlot(title="w", values=[value]))
    assert [t["label"] for t in plot["traces"]] == ["drift: age", "drift: city"]


def test_counters_none_last_sum_mean_and_split(ws: Workspace, project: Any) -> None:
    panels = [
        DashboardPanelCounter(title="n", text="hello"),
        DashboardPanelCounter(title="l", agg=CounterAgg.LAST, value=ROWS),
        DashboardPanelCounter(title="s", agg=CounterAgg.SUM, value=ROWS),
        DashboardPanelCounter(title="m", agg=CounterAgg.MEAN, value=ROWS, split_by_tag="segment:"),
    ]
    none, last, total, mean = data(ws, project, *panels)
    assert none == {"kind": "counter", "agg": "none", "text": "hello", "items": []}
    assert last["items"] == [{"label": "rows", "value": 109.0}]
    assert total["items"][0]["value"] == sum(range(100, 110))
    assert mean["items"] == [{"label": "segment:a", "value": 104.0}, {"label": "segment:b", "value": 105.0}]


def test_histogram_of_values(ws: Workspace, project: Any) -> None:
    [hist] = data(ws, project, DashboardPanelPlot(title="h", values=[ROWS], plot_type=PlotType.HISTOGRAM))
    assert hist["kind"] == "histogram" and sum(hist["traces"][0]["counts"]) == 10
    assert hist["edges"][0] == 100.0 and hist["edges"][-1] == 109.0


def test_test_suite_aggregate_detailed_and_counters(ws: Workspace, project: Any) -> None:
    suites = ReportFilter(include_test_suites=True)
    panels = [
        DashboardPanelTestSuite(title="agg", filter=suites),
        DashboardPanelTestSuite(title="det", filter=suites, panel_type=TestSuitePanelType.DETAILED),
        DashboardPanelTestSuite(
            title="drift only",
            filter=suites,
            time_agg="2D",
            test_filters=[TestFilter(test_id="TestColumnDrift")],
        ),
        DashboardPanelTestSuiteCounter(title="last", agg=CounterAgg.LAST),
        DashboardPanelTestSuiteCounter(title="fails", statuses=["FAIL"]),
    ]
    agg, det, drift_only, last, fails = data(ws, project, *panels)
    assert len(agg["x"]) == 10
    assert agg["statuses"]["SUCCESS"] == [2] * 6 + [1] * 4 and agg["statuses"]["FAIL"] == [0] * 6 + [1] * 4
    tests = {t["name"]: t for t in det["tests"]}
    assert tests["Drift per Column"]["detail"] == "age"
    assert tests["Drift per Column"]["cells"] == ["SUCCESS"] * 6 + ["FAIL"] * 4
    assert drift_only["statuses"]["SUCCESS"] == [2, 2, 2, 0, 0] and drift_only["statuses"]["FAIL"] == [
        0,
        0,
        0,
        2,
        2,
    ]
    assert (last["count"], last["total"]) == (1, 2)
    assert (fails["count"], fails["total"]) == (4, 20)


def test_distribution_over_time_from_a_dict_field(ws: Workspace, project: Any) -> None:
    value = PanelValue(metric_id="DatasetSummaryMetric", field_path="current.missing_by_column")
    stack, relative = data(
        ws,
        project,
        DashboardPanelDistribution(title="d", value=value),
        DashboardPanelDistribution(title="r", value=value, barmode=HistBarMode.RELATIVE),
    )
    assert [t["label"] for t in stack["traces"]] == ["age", "city"] and len(stack["x"]) == 10
    assert stack["traces"][0]["y"][:3] == [0.0, 1.0, 2.0]
    assert relative["traces"][1]["y"][1] == 0.5  # day 1: age 1, city 1


def test_long_series_are_bucketed_to_max_points(ws: Workspace) -> None:
    project = ws.create_project("long")
    for i in range(60):
        ws.add_snapshot(project.id, snapshot(i, hours=1))
    [plot] = data(ws, project, DashboardPanelPlot(title="rows", values=[ROWS]), max_points=12)
    trace = plot["traces"][0]
    assert trace["bucketed"] and trace["n"] == 60 and len(trace["y"]) <= 12
    assert trace["y"][0] == pytest.approx(102.0)  # mean of rows 100..104 in the first bucket


def test_a_broken_panel_reports_its_error_and_the_others_still_draw(ws: Workspace, project: Any) -> None:
    project.dashboard.panels = [
        {"type": "NoSuchPanel", "title": "bad"},
        DashboardPanelCounter(title="ok", text="t"),
    ]
    project.save()
    out = ws.dashboard_data(project.id, DashboardQuery())["panels"]
    assert "unknown panel type 'NoSuchPanel'" in out[0]["error"]
    assert out[1]["data"]["text"] == "t"


def test_dashboard_data_never_opens_a_snapshot_blob(
    ws: Workspace, project: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any) -> None:
        raise AssertionError("a snapshot blob was opened")

    monkeypatch.setattr(ws.store, "get_snapshot", refuse)
    panels = [
        DashboardPanelPlot(title="p", values=[ROWS], split_by_tag="segment:"),
        DashboardPanelTestSuite(
            title="t", filter=ReportFilter(include_test_suites=True), panel_type=TestSuitePanelType.DETAILED
        ),
    ]
    assert all(d for d in data(ws, project, *panels))


def test_one_request_returns_every_panel_or_one_tab(ws: Workspace, project: Any) -> None:
    project.dashboard.add_panel(DashboardPanelCounter(title="a", agg=CounterAgg.LAST, value=ROWS), tab="One")
    project.dashboard.add_panel(DashboardPanelPlot(title="b", values=[ROWS]), tab="Two")
    project.save()
    client = TestClient(create_app(ws))
    url = f"/api/projects/{project.id}/dashboard"
    whole = client.get(url).json()
    assert [t["title"] for t in whole["tabs"]] == ["One", "Two"] and len(whole["panels"]) == 2
    tab_two = whole["tabs"][1]["id"]
    assert [p["title"] for p in client.get(url, params={"tab": tab_two}).json()["panels"]] == ["b"]
    window = client.get(
        url, params={"start": (T0 + timedelta(days=5)).isoformat(), "tag": "segment:a"}
    ).json()
    assert window["panels"][0]["data"]["items"][0]["value"] == 108.0


def test_long_test_histories_are_bucketed_and_keep_every_count(ws: Workspace) -> None:
    project = ws.create_project("suites")
    for i in range(60):
        ws.add_snapshot(project.id, snapshot(i, kind="test_suite", drift=0.9 if i >= 30 else 0.1, hours=1))
    suites = ReportFilter(include_test_suites=True)
    agg, det = data(
        ws,
        project,
        DashboardPanelTestSuite(title="a", filter=suites),
        DashboardPanelTestSuite(title="d", filter=suites, panel_type=TestSuitePanelType.DETAILED),
        max_points=12,
    )
    assert (
        len(agg["x"]) <= 12 and sum(agg["statuses"]["SUCCESS"]) == 90 and sum(agg["statuses"]["FAIL"]) == 30
    )
    drift = next(t for t in det["tests"] if t["name"] == "Drift per Column")
    assert len(drift["cells"]) <= 12 and drift["cells"][0] == "SUCCESS" and drift["cells"][-1] == "FAIL"


def test_a_remote_workspace_draws_the_same_dashboard(ws: Workspace, project: Any) -> None:
    """RemoteWorkspace builds the panels from the service's index reads: the same data as the local
    workspace, to the last float."""
    suites = ReportFilter(include_test_suites=True)
    panels = [
        DashboardPanelPlot(title="rows", values=[ROWS], split_by_tag="segment:"),
        DashboardPanelPlot(title="hist", values=[AGE_DRIFT], plot_type=PlotType.HISTOGRAM),
        DashboardPanelCounter(title="last", agg=CounterAgg.LAST, value=ROWS, split_by_tag="segment:"),
        DashboardPanelTestSuite(title="det", filter=suites, panel_type=TestSuitePanelType.DETAILED),
        DashboardPanelTestSuiteCounter(title="fails", statuses=["FAIL"]),
        DashboardPanelDistribution(
            title="d",
            value=PanelValue(metric_id="DatasetSummaryMetric", field_path="current.missing_by_column"),
        ),
    ]
    local = data(ws, project, *panels, max_points=4)
    with running(create_app(ws)) as url, RemoteWorkspace(url) as remote:
        answer = remote.dashboard_data(project.id, DashboardQuery(max_points=4))
    assert [p["data"] for p in answer["panels"]] == local


# ------------------------------------------------------------------------ generated dashboard


def test_a_project_without_panels_shows_a_generated_dashboard_it_can_keep(
    ws: Workspace, project: Any
) -> None:
    """Panels from what the snapshots hold (drift share, per-column drift, rows, tests; lines per
    segment), with data; kept, they are the project's own and stay as they are."""
    from fastapi.testclient import TestClient

    client = TestClient(create_app(ws))
    page = client.get(f"/projects/{project.id}").text
    assert "generated from the metrics and tests" in page and "Keep this dashboard" in page
    answer = client.get(f"/api/projects/{project.id}/dashboard").json()
    titles = {p["title"]: p for p in answer["panels"]}
    assert set(titles) == {
        "Share of drifted columns",
        "Drift score by column",
        "Rows per window",
        "Test results per day",
        "Each test per day",
    }
    assert all("error" not in p for p in answer["panels"])
    drift = titles["Share of drifted columns"]["data"]["traces"]
    assert [t["label"] for t in drift] == [
        "share_of_drifted_columns [segment:a]",
        "share_of_drifted_columns [segment:b]",
    ]
    assert drift[0]["y"] == [i / 200 for i in range(0, 10, 2)]  # DataDriftTable's share: drift / 2
    assert ws.get_project(project.id).dashboard.panels == []  # nothing stored by looking
    kept = client.post(f"/projects/{project.id}/dashboard/keep", follow_redirects=False)
    assert kept.status_code == 303
    stored = ws.get_project(project.id).dashboard
    assert sorted(p.title for p in stored.panels) == sorted(titles)
    assert "generated from" not in client.get(f"/projects/{project.id}").text
    again = client.post(f"/api/projects/{project.id}/dashboard/keep").json()
    assert again["dashboard"] == stored.model_dump(mode="json")


def test_a_project_with_nothing_indexed_gets_no_generated_dashboard(ws: Workspace) -> None:
    from fastapi.testclient import TestClient

    empty = ws.create_project("empty")
    page = TestClient(create_app(ws)).get(f"/projects/{empty.id}").text
    assert "no panels yet" in page and "generated from" not in page
