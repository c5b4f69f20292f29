"""The pages in a real browser: Python Playwright driving Debian's headless Chromium (``chromium`` fixture).

Checks that charts drew their points (each panel sets ``data-points`` after drawing; canvases are
not blank), that times show in the viewer's time zone, that hostile text stays text, and saves
screenshots under ``test-artifacts/service/``. Every wait polls a condition in the page (Playwright's
auto-waiting locators, ``expect``, ``wait_for_function``) up to Playwright's timeout; none sleeps.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect, sync_playwright
from svc_helpers import ARTIFACTS, XSS, hostile_workspace

from monitorflow.service.app import create_app
from monitorflow.service.demo import ensure_demo_project
from monitorflow.service.testing import running

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]  # fmt: skip
#: The dashboard loaded its data and every panel of the shown tab finished drawing (uPlot draws after
#: ``data-ready`` is set, then its draw hook sets ``data-drawn``).
SETTLED = """() => { const root = document.querySelector('#dashboard');
  if (!root || root.dataset.ready !== '1') return false;
  const panels = [...document.querySelectorAll('[data-tab-panels]:not([hidden]) section.panel')];
  return panels.length > 0 && panels.every(p => p.dataset.drawn !== undefined || p.querySelector('.error')); }"""
#: The demo's 14 daily batches end at END; the browser's clock reads NOW.
END = datetime(2026, 1, 15, tzinfo=UTC)
NOW = END + timedelta(hours=12)
NON_BLANK = """canvas => { const c = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0; for (let i = 3; i < c.length; i += 4) if (c[i]) n++; return n; }"""


def settled(page: Any) -> None:
    """Wait until the dashboard's reload finished and every shown panel drew."""
    page.wait_for_function(SETTLED)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A live service over a workspace with the demo project (14 days) and a hostile project."""
    root = tmp_path_factory.mktemp("browser")
    ws, hostile, hostile_ids = hostile_workspace(root / "ws")
    demo = ensure_demo_project(ws, days=14, end=END)
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
        " points: Number(e.dataset.points || 0), drawn: e.dataset.drawn, error: !!e.querySelector('.error')}))",
    )


def test_project_list_links_to_the_dashboard(page: Any, site: dict[str, Any]) -> None:
    page.goto(site["url"] + "/")
    expect(page.get_by_role("link", name=site["demo"].name)).to_be_visible()
    shot(page, "projects")
    page.get_by_role("link", name=site["demo"].name).click()
    settled(page)
    assert page.url.endswith(f"/projects/{site['demo'].id}")


def test_dashboard_draws_every_panel_of_every_tab(page: Any, site: dict[str, Any]) -> None:
    page.goto(f"{site['url']}/projects/{site['demo'].id}")
    for i, tab in enumerate(("Overview", "Data drift", "Model & tests")):
        if i:
            page.get_by_role("button", name=tab).click()
        settled(page)
        shown = panels(page)
        assert shown and not any(p["error"] for p in shown), shown
        charts = [
            p for p in shown if p["kind"] in ("timeseries", "test_aggregate", "distribution", "histogram")
        ]
        assert charts and all(p["points"] > 0 and int(p["drawn"]) > 0 for p in charts), charts
        for canvas in page.query_selector_all("[data-tab-panels]:not([hidden]) canvas"):
            assert canvas.evaluate(NON_BLANK) > 500
        shot(page, f"dashboard-{i + 1}-{tab.split()[0].lower()}")
    cells = page.query_selector_all("[data-tab-panels]:not([hidden]) .heat rect")
    assert len(cells) >= 14 * 7  # one cell per test and day
    assert "tab=" in page.url  # the state is in the URL


def test_time_range_and_tag_filters_reload_the_data(page: Any, site: dict[str, Any]) -> None:
    page.clock.set_fixed_time(NOW)  # "last 7 days" counts from here, not from the wall clock
    page.goto(f"{site['url']}/projects/{site['demo'].id}")
    settled(page)
    title = "Share of drifted columns by segment"  # one point per report and segment
    reports = site["ws"].list_snapshots(site["demo"].id, kind="report", limit=1000)
    in_week = [s for s in reports if s.timestamp >= NOW - timedelta(days=7)]
    assert len(reports) == 2 * 14 and 0 < len(in_week) < len(reports)
    assert next(p for p in panels(page) if p["title"] == title)["points"] == len(reports)
    page.select_option("select[name=range]", "7d")  # its change handler starts the reload at once
    settled(page)
    assert next(p for p in panels(page) if p["title"] == title)["points"] == len(in_week)
    page.check('input[name=tag][value="segment:a"]')
    settled(page)
    only_a = [s for s in in_week if "segment:a" in s.tags]
    assert next(p for p in panels(page) if p["title"] == title)["points"] == len(only_a) > 0
    assert "range=7d" in page.url and "tag=segment%3Aa" in page.url
    shot(page, "dashboard-filtered")


def test_snapshot_page_shows_the_rendered_report_in_local_time(page: Any, site: dict[str, Any]) -> None:
    ws, demo = site["ws"], site["demo"]
    info = ws.list_snapshots(demo.id, kind="report", limit=1)[0]
    page.goto(f"{site['url']}/projects/{demo.id}/snapshots/{info.id}")
    frame = page.frame_locator("iframe.report")
    expect(frame.locator("h1").first).to_be_visible()
    expect(frame.locator("svg").first).to_be_attached()  # the renderer's charts
    local = page.locator("dl.meta time").first
    assert local.get_attribute("datetime") == info.timestamp.isoformat()
    assert "07:00 PM" in local.inner_text() or "19:00" in local.inner_text()  # 00:00 UTC in New York
    shot(page, "snapshot")


def test_snapshot_list_selects_two_and_compares(page: Any, site: dict[str, Any]) -> None:
    page.goto(f"{site['url']}/projects/{site['demo'].id}/snapshots?kind=report&tag=segment:b")
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
    for path in ("/", f"/projects/{project.id}", f"/projects/{project.id}/snapshots",
                 f"/projects/{project.id}/snapshots/{ids[0]}", f"/projects/{project.id}/compare?a={ids[0]}&b={ids[1]}"):  # fmt: skip
        page.goto(site["url"] + path)
        if path == f"/projects/{project.id}":
            settled(page)
            page.get_by_role("button", name=f"tab {XSS}").click()
            settled(page)
            expect(page.get_by_text(f"drift {XSS}")).to_be_visible()
        page.wait_for_load_state("networkidle")  # whatever the page fetches and frames has arrived
        assert page.locator("img[src=x]").count() == 0
    shot(page, "hostile-compare")
