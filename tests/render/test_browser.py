"""The page in a real headless browser (Debian's chromium: the ``chromium`` fixture)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from monitorflow import Report

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def test_browser_parses_the_page_with_its_charts(report: Report, tmp_path: Path, chromium: Path) -> None:
    page = report.save_html(tmp_path / "report.html")
    done = subprocess.run(
        [str(chromium), *FLAGS, "--dump-dom", page.resolve().as_uri()],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    dom = done.stdout
    assert "<h1>Weekly &lt;quality&gt; check</h1>" in dom
    assert dom.count("<svg") == report.get_html().count("<svg") > 0
