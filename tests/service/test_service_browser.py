"""The pages in a real browser: Python Playwright driving Debian's headless Chromium (``chromium`` fixture).

Checks that charts drew their points (each panel sets ``data-points`` after drawing; canvases are
not blank), that times show in the viewer's time zone, that hostile text stays text, and saves
screenshots under ``test-artifacts/service/``. Every wait polls a condition in the page (Playwright's
auto-waiting locators, ``expect``, ``wait_for_function``) up to Playwright's timeout; none sleeps.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect, sync_playwright

from monitorflow.demo.data import CATEGORICAL, DRIFT_DAY, NUMERICAL, START
from monitorflow.service.app import create_app
from monitorflow.service.demo import ensure_demo_project
from monitorflow.service.testing import running
from tests.service.svc_helpers import ARTIFACTS, XSS, hostile_workspace

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
#: The dashboard loaded its data and every panel of the shown tab finished drawing (uPlot draws after
#: ``data-ready`` is set, then its draw hook sets ``data-drawn``).
SETTLED = """() => { const root = document.querySelector('#dashboard');
  if (!root || root.dataset.ready !== '1') return false;
  const panels = [...document.querySelectorAll('[data-tab-panels]:not([hidden]) section.panel')];
  return panels.length > 0
    && panels.every(p => p.dataset.drawn !== undefined || p.querySelector('.error')); }"""
NON_BLANK = """canvas => {
  const c = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0; for (let i = 3; i < c.length; i += 4) if (c[i]) n++; return n; }"""


#: Days of the demo the browser tests serve: the drift starts on day 35, labels lag 14 days.
DEMO_DAYS = 38
#: The drift table's rows by Evidently's rule: the features the demo's mapping lists, and the prediction
#: (region and model_version are in the data but not listed as features; ids and times are never tested).
DRIFT_COLUMNS = [*NUMERICAL, *CATEGORICAL, "prediction"]
#: The browser's clock in the tests that read it: months after the demo's data (2026-01-05 on).
NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def settled(page: Any) -> None:
    """Wait until the dashboard's reload finished and every shown panel drew."""
    page.wait_for_function(SETTLED)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A live service over a workspace with the demo project (38 days, written as ``ui --demo`` does)
    and a hostile project."""
    root = tmp_path_factory.mktemp("browser")
    ws, hostile, hostile_ids = hostile_workspace(root / "ws")
    demo = ensure_demo_project(ws, days=DEMO_DAYS)
    with running(create_app(ws)) as url:
        yield {"url": url, "ws": ws, "demo": demo, "hostile": hostile, "hostile_ids": hostile_ids}
    ws.close()


@pytest.fixture(scope="module")
def browser(site: dict[str, Any], chromium: Path) -> Iterator[Any]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1360, "height": 900}, timezone_id="America/New_York")
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
    page.on("dialog", lambda dialog: (page.errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield page
    assert page.errors == []
    context.close()


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def panels(page: Any) -> list[dict[str, Any]]:
    return page.eval_on_selector_all(
        "[data-tab-panels]:not([hidden]) section.panel",
        "els => els.map(e => ({title: e.querySelector('h3').textContent, kind: e.dataset.kind,"
        " points: Number(e.dataset.points || 0), drawn: e.dataset.drawn, error: "
        "!!e.querySelector('.error')}))",
    )


def test_project_list_links_to_the_dashboard(page: Any, site: dict[str, Any]) -> None:
    page.goto(site["url"] + "/")
    expect(page.get_by_role("link", name=site["demo"].name)).to_be_visible()
    shot(page, "projects")
    page.get_by_role("link", name=site["demo"].name).click()
    settled(page)
    assert page.url.endswith(f"/projects/{site['demo'].id}")


TABS = ("Data drift", "Data quality", "Tests", "Model quality")


def test_demo_dashboard_draws_points_in_every_panel_of_every_tab(page: Any, site: dict[str, Any]) -> None:
    """The one demo as a new user opens it: every tab's panels draw points (lines not blank; test
    cells drawn), and the range it opens on shows the data."""
    page.goto(f"{site['url']}/projects/{site['demo'].id}")
    for i, tab in enumerate(TABS):
        if i:
            page.get_by_role("button", name=tab).click()
        settled(page)
        shown = panels(page)
        assert shown and not any(p["error"] for p in shown), shown
        assert all(p["points"] > 0 and int(p["drawn"] or 0) > 0 for p in shown), (tab, shown)
        styles = page.eval_on_selector_all(
            "[data-tab-panels]:not([hidden]) section.panel[data-styles]",
            "els => els.map(e => e.dataset.styles)",
        )
        assert styles or tab == "Tests"
        for looks in map(json.loads, styles):
            assert len(set(looks)) == len(looks), looks  # no two lines of a panel look alike (13 in one)
        for canvas in page.query_selector_all("[data-tab-panels]:not([hidden]) canvas"):
            assert canvas.evaluate(NON_BLANK) > 500
        assert page.locator("#range-hint").is_hidden()
        shot(page, f"dashboard-{i + 1}-{tab.split()[0].lower()}")
        if tab == "Data drift":
            page.screenshot(path=str(ARTIFACTS / "demo-dashboard.png"))  # make demo's 60 days: docs/images
        if tab == "Tests":
            _drift_test_fails_from_the_drift_day(page)
    cells = page.query_selector_all("[data-tab-panels]:not([hidden]) .heat rect")
    assert not cells  # the model-quality tab has no test grid
    assert "tab=" in page.url  # the state is in the URL


def _drift_test_fails_from_the_drift_day(page: Any) -> None:
    """The test grid tells the demo's story: the drift test's cells are red from the drift day on and
    (weekend seasonality and model v2's own scores aside) green before it."""
    cells = page.eval_on_selector_all(
        ".heat rect",
        "els => els.filter(e => e.querySelector('title').textContent.startsWith('Share of Drifted Columns'))"
        ".map(e => [Number(e.dataset.x), e.dataset.status])",
    )
    drift = DRIFT_DAY.timestamp()
    before = [status for x, status in cells if x < drift]
    after = [status for x, status in cells if x >= drift]
    assert len(before) == (DRIFT_DAY - START).days and len(after) == DEMO_DAYS - len(before)
    assert set(after) == {"FAIL"} and before.count("FAIL") <= 2, before


def test_lines_split_by_segment_and_model_version_and_count_axes_are_integers(
    page: Any, site: dict[str, Any]
) -> None:
    page.goto(f"{site['url']}/projects/{site['demo'].id}")
    settled(page)
    legend = page.locator('section.panel:has(h3:text-is("Share of drifted columns")) .u-legend').inner_text()
    for region in ("eu", "us"):
        for version in ("v1", "v2"):
            assert f"segment:{region}, model_version:{version}" in legend
    page.get_by_role("button", name="Data quality").click()
    settled(page)
    rows = page.locator('section.panel:has(h3:text-is("Rows per window"))')
    assert rows.get_attribute("data-integer") == "1"
    ticks = json.loads(rows.get_attribute("data-yticks") or "[]")
    assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks), ticks


def test_an_empty_range_says_where_the_data_is_and_jumps_there(page: Any, site: dict[str, Any]) -> None:
    """The demo's data lies months back: "Last 7 days" is empty, says so with the first and last
    snapshot, and one click shows the data."""
    page.clock.set_fixed_time(NOW)  # "last 7 days" counts from here, not from the wall clock
    page.goto(f"{site['url']}/projects/{site['demo'].id}")
    settled(page)
    every = panels(page)
    page.select_option("select[name=range]", "7d")
    settled(page)
    hint = page.locator("#range-hint")
    expect(hint).to_be_visible()
    assert "No snapshots in this range" in hint.inner_text() and "snapshots run from" in hint.inner_text()
    assert all(p["points"] == 0 for p in panels(page))
    shot(page, "dashboard-empty-range")
    hint.get_by_role("button").click()
    settled(page)
    assert hint.is_hidden() and all(p["points"] > 0 for p in panels(page))
    assert "range=custom" in page.url and "from=2026-01-04T19%3A00" in page.url  # 00:00 UTC in New York
    assert all(
        p["points"] == q["points"] for p, q in zip(panels(page), every, strict=True)
    )  # the last day too


def test_tag_filter_reloads_the_data(page: Any, site: dict[str, Any]) -> None:
    page.goto(f"{site['url']}/projects/{site['demo'].id}")
    settled(page)
    everything = next(p for p in panels(page) if p["title"] == "Share of drifted columns")
    assert everything["points"] == 4 * DEMO_DAYS  # one line per segment and model version
    page.check('input[name=tag][value="segment:eu"]')
    settled(page)
    only_eu = next(p for p in panels(page) if p["title"] == "Share of drifted columns")
    assert only_eu["points"] == 2 * DEMO_DAYS
    assert "tag=segment%3Aeu" in page.url
    shot(page, "dashboard-filtered")


def test_model_quality_page_draws_its_roc_curve_and_confusion_matrix(page: Any, site: dict[str, Any]) -> None:
    """A ground-truth snapshot's page: the ROC curve is a line and the confusion matrix a grid of
    cells whose counts add up to the labelled rows, with no list of numbers printed."""
    ws, demo = site["ws"], site["demo"]
    info = ws.list_snapshots(demo.id, tags=["ground_truth", "model_version:v1", "segment:eu"], limit=1)[0]
    page.goto(f"{site['url']}/projects/{demo.id}/snapshots/{info.id}")
    frame = page.frame_locator("iframe.report")
    roc = frame.locator("figure:has(figcaption:text-matches('^ROC curve'))").first
    expect(roc.locator("polyline.line.cur")).to_have_count(1)
    assert len(roc.locator("polyline.line.cur").get_attribute("points").split()) > 10
    matrix = frame.locator("figure.fig-matrix").first
    counts = [
        int(t.split(": ")[1].split(" ")[0].replace(",", ""))
        for t in matrix.locator("g.cell title").evaluate_all("els => els.map(e => e.textContent)")
    ]
    assert len(counts) == 4 and sum(counts) == info.metadata["labelled_rows"]
    text = frame.locator("body").inner_text()
    assert "plot data [" not in text and "fpr [" not in text.lower()
    shot(page, "model-quality")


def test_snapshot_page_shows_the_rendered_report_in_local_time(page: Any, site: dict[str, Any]) -> None:
    ws, demo = site["ws"], site["demo"]
    info = ws.list_snapshots(demo.id, kind="report", tags=["segment:us"], limit=1)[0]
    page.goto(f"{site['url']}/projects/{demo.id}/snapshots/{info.id}")
    frame = page.frame_locator("iframe.report")
    expect(frame.locator("h1").first).to_be_visible()
    expect(frame.locator("table.drift td.dist svg")).to_have_count(len(DRIFT_COLUMNS))  # one per row
    names = [t.splitlines()[0] for t in frame.locator("table.drift tbody th[scope=row]").all_inner_texts()]
    assert sorted(names) == sorted(DRIFT_COLUMNS)
    local = page.locator("dl.meta time").first
    assert local.get_attribute("datetime") == info.timestamp.isoformat()
    assert "07:00 PM" in local.inner_text() or "19:00" in local.inner_text()  # 00:00 UTC in New York
    shot(page, "snapshot")


def test_snapshot_list_selects_two_and_compares(page: Any, site: dict[str, Any]) -> None:
    page.goto(f"{site['url']}/projects/{site['demo'].id}/snapshots?kind=report&tag=segment:eu")
    boxes = page.locator('input[name="s"]')
    assert page.locator("#compare").is_disabled()
    boxes.nth(0).check()
    boxes.nth(1).check()
    assert boxes.nth(2).is_disabled() and page.locator("#compare").is_enabled()
    shot(page, "snapshots")
    page.locator("#compare").click()
    page.wait_for_url("**/compare?*")
    expect(page.get_by_role("heading", name="Drift per column")).to_be_visible()
    assert page.locator("table.compare").first.locator("tbody tr").count() >= 7  # one row per column
    assert page.locator("details.metric[open]").count() >= 1
    shot(page, "compare")


def test_hostile_text_stays_text_in_the_browser(page: Any, site: dict[str, Any]) -> None:
    project, ids = site["hostile"], site["hostile_ids"]
    for path in (
        "/",
        f"/projects/{project.id}",
        f"/projects/{project.id}/snapshots",
        f"/projects/{project.id}/snapshots/{ids[0]}",
        f"/projects/{project.id}/compare?a={ids[0]}&b={ids[1]}",
    ):
        page.goto(site["url"] + path)
        if path == f"/projects/{project.id}":
            settled(page)
            page.get_by_role("button", name=f"tab {XSS}").click()
            settled(page)
            expect(page.get_by_text(f"drift {XSS}")).to_be_visible()
        page.wait_for_load_state("networkidle")  # whatever the page fetches and frames has arrived
        assert page.locator("img[src=x]").count() == 0
    shot(page, "hostile-compare")


def _operations(site: dict[str, Any]) -> list[tuple[str, str]]:
    import json
    import urllib.request

    with urllib.request.urlopen(site["url"] + "/api/openapi.json") as response:
        paths = json.load(response)["paths"]
    return [(method.upper(), path) for path, methods in paths.items() for method in methods]


def test_swagger_ui_draws_every_operation_offline(page: Any, site: dict[str, Any]) -> None:
    """/api/docs under the service's CSP, assets from the service: one block per operation of the schema."""
    outside: list[str] = []
    page.on(
        "request",
        lambda r: r.url.startswith(site["url"]) or r.url.startswith("data:") or outside.append(r.url),
    )
    page.goto(site["url"] + "/api/docs")
    page.wait_for_selector(".opblock", timeout=15000)
    drawn = page.eval_on_selector_all(
        ".opblock",
        "els => els.map(e => [e.querySelector('.opblock-summary-method').textContent,"
        " e.querySelector('.opblock-summary-path').dataset.path])",
    )
    assert sorted(map(tuple, drawn)) == sorted(_operations(site))
    assert outside == []
    shot(page, "api-docs")


def test_redoc_draws_every_operation_offline(page: Any, site: dict[str, Any]) -> None:
    """/api/redoc: every operation of the schema gets its section. ReDoc's footer logo points at its
    CDN; the CSP blocks it, so nothing leaves the machine (that one console message is expected)."""
    page.goto(site["url"] + "/api/redoc")
    page.wait_for_selector("[data-section-id^='operation/']", timeout=20000)
    sections = page.eval_on_selector_all("[data-section-id^='operation/']", "els => els.length")
    assert sections == len(_operations(site))
    shot(page, "api-redoc")
    blocked_logo = [e for e in page.errors if "redoc" in e and "logo" in e and "Content Security Policy" in e]
    page.errors[:] = [e for e in page.errors if e not in blocked_logo]
