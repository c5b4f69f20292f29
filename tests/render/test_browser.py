"""The page in a real headless browser (Debian's chromium; skipped where it is not installed)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from monitorflow import Report

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")


def test_browser_parses_the_page_with_its_charts(report: Report, tmp_path: Path) -> None:
    page = report.save_html(tmp_path / "report.html")
    done = subprocess.run(
        [str(CHROMIUM), *FLAGS, "--dump-dom", page.resolve().as_uri()],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    dom = done.stdout
    assert "<h1>Weekly &lt;quality&gt; check</h1>" in dom
    assert dom.count("<svg") == report.get_html().count("<svg") > 0
