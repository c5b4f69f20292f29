"""The HTML page of a report or test suite: self-contained, complete, escaped, renderable from a snapshot."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from monitorflow import Report, Snapshot, TestSuite
from monitorflow.metric_preset import DataQualityPreset
from monitorflow.metrics import ColumnValueRangeMetric, DatasetSummaryMetric
from monitorflow.render import RENDERERS, render_snapshot
from monitorflow.render.format import fmt_number
from monitorflow.snapshot import MetricEntry
from tests.render.render_data import EVIL_COLUMN, WHEN, card, entry_of, make_frame


def test_save_html_writes_a_self_contained_page(report: Report, tmp_path: Path) -> None:
    """No URL, no external src/href, no script, stylesheet link or CSS import: it opens offline."""
    page = report.save_html(tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert "http://" not in page and "https://" not in page
    assert re.findall(r"\bsrc\s*=", page) == []
    assert all(target.startswith("#") for target in re.findall(r'\bhref="([^"]*)"', page))
    assert "<script" not in page.lower() and "<link" not in page.lower()
    assert "@import" not in page and "url(" not in page


class TagBalance(HTMLParser):
    """Records end tags that do not close the innermost open element."""

    VOID = frozenset({"meta", "rect", "line"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.mismatched: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if self.open and self.open[-1] == tag:
            self.open.pop()
        else:
            self.mismatched.append(tag)


def test_report_and_suite_pages_are_well_formed(report: Report, suite: TestSuite) -> None:
    for page in (report.get_html(), suite.get_html()):
        parser = TagBalance()
        parser.feed(page)
        assert (parser.mismatched, parser.open) == ([], [])


def test_page_has_header_with_time_tags_metadata_and_id(report: Report) -> None:
    snapshot = report.to_snapshot()
    page = report.get_html()
    assert "<dd>2026-03-01T00:00:00+00:00</dd>" in page and WHEN.isoformat() == "2026-03-01T00:00:00+00:00"
    assert str(snapshot.id) in page
    assert ">prod<" in page and ">m1<" in page and "model_id" in page


def test_page_shows_every_metric_with_numbers_computed_independently(report: Report, frames) -> None:
    """Row counts and the mean of 'age' (pandas), rounded as displayed, are in the right cards."""
    reference, current = frames
    snapshot = report.to_snapshot()
    page = report.get_html()
    for entry in snapshot.metrics:
        assert f">{entry.type}<" in card(page, entry)
    summary = card(page, entry_of(snapshot, "DatasetSummaryMetric"))
    assert f">{fmt_number(len(current))}<" in summary and f">{fmt_number(len(reference))}<" in summary
    age = card(page, entry_of(snapshot, "ColumnSummaryMetric", column_name="age"))
    for frame in (current, reference):
        assert f">{fmt_number(frame['age'].mean())}<" in age
        assert f">{fmt_number(int(frame['age'].isna().sum()))}<" in age
    assert f">{current['age'].mean():.4g}<" in age  # 4 significant digits


def test_numeric_column_gets_a_histogram_and_categorical_column_bars(report: Report) -> None:
    snapshot = report.to_snapshot()
    page = report.get_html()
    age = card(page, entry_of(snapshot, "ColumnSummaryMetric", column_name="age"))
    plan = card(page, entry_of(snapshot, "ColumnSummaryMetric", column_name="plan"))
    assert age.count("<svg") == 1 and 'aria-label="histogram"' in age
    assert plan.count("<svg") == 1 and 'aria-label="value counts"' in plan
    assert 'class="cur"' in age and 'class="ref"' in age


def test_user_text_is_escaped(report: Report) -> None:
    """Column names, category values, tags, metadata and the name cannot inject markup."""
    page = report.get_html()
    assert EVIL_COLUMN not in page and html.escape(EVIL_COLUMN) in page
    for raw in ("<b>bold</b>", "<b>team</b>", "<i>data team</i>", "<quality>"):
        assert raw not in page
        assert html.escape(raw) in page


def test_report_loaded_from_its_snapshot_renders_the_same_page(report: Report, tmp_path: Path) -> None:
    """Without the data; the page equals the one of the original run (up to the snapshot's created_at)."""
    snapshot = report.to_snapshot()
    path = snapshot.save(tmp_path / "snapshot.json")
    loaded = Report.load(path)
    assert loaded.datasets() == (None, None)
    assert loaded.get_html() == render_snapshot(snapshot)
    assert ">0.95<" in loaded.get_html()


def test_suite_page_shows_statuses_descriptions_and_counts(suite: TestSuite, tmp_path: Path) -> None:
    page = TestSuite.load(suite.save(tmp_path / "suite.json")).get_html()
    summary = suite.summary()
    assert summary.failed_tests > 0 and summary.success_tests > 0
    for result in suite.results:
        status = result.status.value
        assert f'{html.escape(result.description)}: <b class="status-word">{status}</b>' in page
    assert page.count('<span class="badge s-fail">FAIL</span>') == summary.failed_tests
    assert page.count('<span class="badge s-success">SUCCESS</span>') == summary.success_tests
    assert f'<div class="tile-value">{summary.total_tests}</div><div class="tile-label">tests</div>' in page
    assert f'<div class="tile-value">{summary.failed_tests}</div><div class="tile-label">fail</div>' in page
    assert "Metrics computed for the tests" in page
    assert html.escape(EVIL_COLUMN) in page and EVIL_COLUMN not in page


def test_failed_metric_shows_its_error_and_the_others_still_render() -> None:
    report = Report(metrics=[ColumnValueRangeMetric(column_name="age"), DatasetSummaryMetric()])
    report.run(current_data=make_frame(50, seed=3), timestamp=WHEN)
    snapshot = report.to_snapshot()
    failed = entry_of(snapshot, "ColumnValueRangeMetric")
    assert failed.error
    page = report.get_html()
    assert html.escape(failed.error) in card(page, failed)
    assert "This metric failed" in card(page, failed)
    assert '<div class="tile-value">1</div><div class="tile-label">metrics failed</div>' in page
    assert ">50<" in card(page, entry_of(snapshot, "DatasetSummaryMetric"))


def test_without_reference_there_is_no_reference_column() -> None:
    report = Report(metrics=[DataQualityPreset()])
    report.run(current_data=make_frame(80, seed=4), timestamp=WHEN)
    page = report.get_html()
    assert "<th>reference</th>" not in page and "<th>current</th>" in page
    assert 'class="ref"' not in page


FANCY_RESULT = {
    "drift_share": 0.5,
    "current": {"score": 0.123456, "rows": 12000},
    "reference": {"score": 0.2, "rows": 48000},
    "drift_by_columns": {
        "age": {
            "drift_score": 0.0123,
            "drift_detected": True,
            "distribution": {"edges": [0.0, 1.0, 2.0], "current": [1, 2], "reference": [2, 1]},
        },
        EVIL_COLUMN: {"drift_score": 0.75, "drift_detected": False, "distribution": None},
    },
    "current_counts": {"values": ["a", "<b>"], "counts": [3, 4], "other": 1},
    "reference_counts": {"values": ["a"], "counts": [9], "other": 0},
}


def fancy_snapshot() -> Snapshot:
    entry = MetricEntry(id="fancy1", type="FancyDriftMetric", params={"threshold": 0.1}, result=FANCY_RESULT)
    return Snapshot(
        kind="report",
        timestamp=datetime(2026, 1, 5, 12, tzinfo=UTC),
        metrics=[entry],
        top_level_metrics=["fancy1"],
    )


def test_unknown_metric_type_renders_generically() -> None:
    """Scalars side by side, one table row per column, charts for histogram and value-count shapes."""
    snapshot = fancy_snapshot()
    fancy = card(render_snapshot(snapshot), snapshot.metrics[0])
    assert ">FancyDriftMetric<" in fancy and "threshold: 0.1" in fancy
    assert '<td class="num">0.1235</td><td class="num">0.2</td>' in fancy
    assert '<td class="num">12,000</td><td class="num">48,000</td>' in fancy
    assert '<th scope="row">age</th><td class="num">0.0123</td><td>true</td>' in fancy
    assert f'<th scope="row">{html.escape(EVIL_COLUMN)}</th><td class="num">0.75</td><td>false</td>' in fancy
    assert fancy.count("<svg") == 2
    assert "drift by columns › age › distribution" in fancy and "(other values)" in fancy
    assert "<b>" not in fancy and EVIL_COLUMN not in fancy


def test_registered_renderer_replaces_the_generic_body(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        RENDERERS, "FancyDriftMetric", lambda entry, snapshot: f"<p>custom {len(entry.result or {})}</p>"
    )
    page = render_snapshot(fancy_snapshot())
    assert "<p>custom 6</p>" in page and "0.1235" not in page


def test_page_size_follows_the_snapshot_not_the_rows() -> None:
    sizes = []
    for rows in (1_000, 50_000):
        report = Report(metrics=[DataQualityPreset()])
        report.run(
            reference_data=make_frame(rows, seed=5), current_data=make_frame(rows, seed=6), timestamp=WHEN
        )
        sizes.append(len(report.get_html()))
    assert sizes[1] < sizes[0] * 1.1


def test_empty_snapshot_renders() -> None:
    page = render_snapshot(
        Snapshot(kind="test_suite", timestamp=pd.Timestamp("2026-01-01", tz="UTC").to_pydatetime())
    )
    assert "<h1>Test suite</h1>" in page and "</html>" in page
