"""The test results of a TestSuite snapshot: counts by status and one row per test.

Tests are listed worst first (FAIL, ERROR, WARNING, SUCCESS, SKIPPED), each with its condition in
words followed by its status, e.g. "number of rows 100 = 200 ± 20: FAIL", and its parameters.
"""

from __future__ import annotations

from monitorflow.records import TestResult, TestStatus
from monitorflow.render.format import esc
from monitorflow.render.layout import decompose
from monitorflow.render.tables import rows_table
from monitorflow.snapshot import Snapshot, TestSummary

#: Display order of statuses, worst first.
STATUS_ORDER = [TestStatus.FAIL, TestStatus.ERROR, TestStatus.WARNING, TestStatus.SUCCESS, TestStatus.SKIPPED]


def badge(status: TestStatus) -> str:
    return f'<span class="badge s-{status.value.lower()}">{esc(status.value)}</span>'


def summary_tiles(summary: TestSummary) -> str:
    """Total and one tile per status (statuses with no test included, as 0)."""
    counts = [(status, summary.by_status.get(status, 0)) for status in STATUS_ORDER]
    tiles = [
        f'<div class="tile"><div class="tile-value">{summary.total_tests}</div>'
        '<div class="tile-label">tests</div></div>'
    ]
    tiles += [
        f'<div class="tile s-{status.value.lower()}{"" if count else " zero"}">'
        f'<div class="tile-value">{count}</div><div class="tile-label">{esc(status.value.lower())}</div>'
        "</div>"
        for status, count in counts
    ]
    verdict = "all tests passed" if summary.all_passed else "some tests failed"
    return f'<div class="tiles">{"".join(tiles)}</div><p class="verdict">{verdict}</p>'


def _test_row(result: TestResult) -> str:
    parameters = decompose(result.parameters).rows
    details = (
        f"<details><summary>parameters</summary>{rows_table(parameters)}</details>" if parameters else ""
    )
    return (
        f'<tr class="test s-{result.status.value.lower()}"><td>{badge(result.status)}</td>'
        f"<td><strong>{esc(result.name)}</strong>"
        f'<div class="muted">{esc(result.group)} · {esc(result.type)}</div></td>'
        f'<td><span class="description">{esc(result.description)}: '
        f'<b class="status-word">{esc(result.status.value)}</b></span>{details}</td></tr>'
    )


def results_table(tests: list[TestResult]) -> str:
    ordered = sorted(tests, key=lambda t: STATUS_ORDER.index(t.status))
    header = "<tr><th>status</th><th>test</th><th>condition and result</th></tr>"
    return (
        f'<table class="tests"><thead>{header}</thead><tbody>{"".join(map(_test_row, ordered))}</tbody>'
        "</table>"
    )


def results_section(snapshot: Snapshot) -> str:
    """Summary tiles and the table of tests (empty string for a snapshot without tests)."""
    if not snapshot.tests:
        return ""
    summary = snapshot.summary or TestSummary.of(snapshot.tests)
    return (
        f'<section class="card" id="tests"><h2>Tests</h2>{summary_tiles(summary)}'
        f"{results_table(snapshot.tests)}</section>"
    )
