"""The demo behind ``make demo``: evaluate a generated churn dataset, write snapshots and HTML.

Run ``python -m monitorflow.demo [--output DIR]`` (default ``demo-output/`` in the current
directory). It writes ``report.json`` / ``report.html`` (data quality and drift metrics) and
``test_suite.json`` / ``test_suite.html`` (data stability and quality tests), all for the week of
2026-02-02 against January 2026.

The dataset (:func:`make_dataset`, seeded, so every run writes the same results) is the customer
events of a subscription business, one row per event:

==================  ===========  =======================================================================
column              type         how it is generated
==================  ===========  =======================================================================
customer_id         id           unique integer
event_time          datetime     uniform within its day; more events on weekdays
plan                categorical  basic 50 %, standard 35 %, premium 15 %
region              categorical  five regions
payment_method      categorical  card, bank transfer, paypal; 2 % missing in reference, **15 % in current**
tenure_months       numerical    geometric, 1 to 72 months
monthly_charges     numerical    price of the plan + noise
sessions_7d         numerical    Poisson; higher on weekends (weekly seasonality)
data_usage_gb       numerical    log-normal; higher on weekends; **x1.45 in current** (the known drift)
support_calls_30d   numerical    Poisson(0.6)
age                 numerical    normal around 42, clipped to 18-85; 3 % missing
churned             target       logistic in tenure, support calls and plan
==================  ===========  =======================================================================

>>> reference, current = make_dataset()
>>> len(reference) > len(current) > 0
True
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from monitorflow import ColumnMapping, Report, TestSuite
from monitorflow.metric_preset import DataDriftPreset, DataQualityPreset
from monitorflow.test_preset import DataQualityTestPreset, DataStabilityTestPreset

SEED = 20260202
#: The reference period (January 2026) and the current batch (one week); the batch start is its logical time.
REFERENCE_START, REFERENCE_DAYS = datetime(2026, 1, 1, tzinfo=UTC), 31
CURRENT_START, CURRENT_DAYS = datetime(2026, 2, 2, tzinfo=UTC), 7
EVENTS_PER_WEEKDAY = 130
#: The drift and the missing values the demo is built to show.
USAGE_DRIFT_FACTOR = 1.45
MISSING_PAYMENT = {"reference": 0.02, "current": 0.15}

COLUMN_MAPPING = ColumnMapping(
    target="churned",
    prediction=None,
    datetime="event_time",
    id="customer_id",
    numerical_features=[
        "tenure_months",
        "monthly_charges",
        "sessions_7d",
        "data_usage_gb",
        "support_calls_30d",
        "age",
    ],
    categorical_features=["plan", "region", "payment_method"],
)
#: What the demo evaluates: add a preset here and it appears in the report and its HTML.
REPORT_METRICS = [DataQualityPreset(), DataDriftPreset()]
SUITE_TESTS = [DataStabilityTestPreset(), DataQualityTestPreset()]

PLANS, PLAN_SHARES, PLAN_PRICES = ["basic", "standard", "premium"], [0.5, 0.35, 0.15], [19.0, 45.0, 79.0]
REGIONS, REGION_SHARES = ["north", "south", "east", "west", "central"], [0.24, 0.22, 0.2, 0.19, 0.15]
PAYMENTS, PAYMENT_SHARES = ["card", "bank_transfer", "paypal"], [0.6, 0.25, 0.15]


def _events(rng: np.random.Generator, start: datetime, days: int, first_id: int, side: str) -> pd.DataFrame:
    """Customer events of ``days`` days from ``start`` (see the module docstring for each column)."""
    day_starts = [start + timedelta(days=d) for d in range(days)]
    per_day = [rng.poisson(EVENTS_PER_WEEKDAY * (0.8 if d.weekday() >= 5 else 1.0)) for d in day_starts]
    n = sum(per_day)
    day_index = np.repeat(np.arange(days), per_day)
    seconds = rng.uniform(0, 86_400, n)
    event_time = pd.to_datetime([day_starts[i] for i in day_index], utc=True) + pd.to_timedelta(
        seconds, unit="s"
    )
    weekend = np.array([day_starts[i].weekday() >= 5 for i in day_index])

    plan_index = rng.choice(len(PLANS), n, p=PLAN_SHARES)
    tenure = np.minimum(rng.geometric(1 / 18, n), 72)
    monthly_charges = np.asarray(PLAN_PRICES)[plan_index] + rng.normal(0, 3.0, n).round(2)
    sessions = rng.poisson(np.where(weekend, 9.0, 6.0) * (1 + 0.3 * plan_index))
    usage = rng.lognormal(mean=1.6 + 0.25 * weekend + 0.3 * plan_index, sigma=0.5)
    if side == "current":
        usage = usage * USAGE_DRIFT_FACTOR
    support_calls = rng.poisson(0.6, n)
    age = np.clip(rng.normal(42, 12, n), 18, 85).round()
    age[rng.random(n) < 0.03] = np.nan
    payment = rng.choice(PAYMENTS, n, p=PAYMENT_SHARES).astype(object)
    payment[rng.random(n) < MISSING_PAYMENT[side]] = None
    logit = -1.2 - 0.05 * tenure + 0.55 * support_calls - 0.4 * plan_index
    churned = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    frame = pd.DataFrame(
        {
            "customer_id": np.arange(first_id, first_id + n),
            "event_time": event_time,
            "plan": np.asarray(PLANS)[plan_index],
            "region": rng.choice(REGIONS, n, p=REGION_SHARES),
            "payment_method": payment,
            "tenure_months": tenure,
            "monthly_charges": monthly_charges,
            "sessions_7d": sessions,
            "data_usage_gb": usage.round(3),
            "support_calls_30d": support_calls,
            "age": age,
            "churned": churned,
        }
    )
    return frame.sort_values("event_time", ignore_index=True)


def make_dataset(seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(reference, current): a month of events and the following week's, deterministic for a seed."""
    rng = np.random.default_rng(seed)
    reference = _events(rng, REFERENCE_START, REFERENCE_DAYS, 1, "reference")
    current = _events(rng, CURRENT_START, CURRENT_DAYS, len(reference) + 1, "current")
    return reference, current


@dataclass(frozen=True)
class DemoOutput:
    """What the demo wrote."""

    report_json: Path
    report_html: Path
    suite_json: Path
    suite_html: Path
    reference_rows: int
    current_rows: int
    metrics: int
    failed_metrics: int
    tests_by_status: dict[str, int]

    @property
    def paths(self) -> list[Path]:
        return [self.report_json, self.report_html, self.suite_json, self.suite_html]


def run(output: Path) -> DemoOutput:
    """Evaluate the demo dataset and write both snapshots and both HTML pages into ``output``."""
    reference, current = make_dataset()
    common: dict[str, Any] = {
        "tags": ["demo", "churn"],
        "dataset_id": "churn-events",
        "reference_id": "2026-01",
        "batch_size": "weekly",
    }
    week = CURRENT_START.date().isoformat()
    report = Report(
        metrics=list(REPORT_METRICS), name=f"Churn events: data quality and drift, week of {week}", **common
    )
    report.run(
        reference_data=reference, current_data=current, column_mapping=COLUMN_MAPPING, timestamp=CURRENT_START
    )
    suite = TestSuite(
        tests=list(SUITE_TESTS),
        name=f"Churn events: data stability and quality tests, week of {week}",
        **common,
    )
    suite.run(
        reference_data=reference, current_data=current, column_mapping=COLUMN_MAPPING, timestamp=CURRENT_START
    )

    report_snapshot, suite_snapshot = report.to_snapshot(), suite.to_snapshot()
    by_status = Counter(result.status.value for result in suite_snapshot.tests)
    return DemoOutput(
        report_json=report_snapshot.save(output / "report.json"),
        report_html=report.save_html(output / "report.html"),
        suite_json=suite_snapshot.save(output / "test_suite.json"),
        suite_html=suite.save_html(output / "test_suite.html"),
        reference_rows=len(reference),
        current_rows=len(current),
        metrics=len(report_snapshot.metrics),
        failed_metrics=sum(1 for entry in report_snapshot.metrics if entry.error is not None),
        tests_by_status=dict(by_status.most_common()),
    )


def _size(path: Path) -> str:
    kib = path.stat().st_size / 1024
    return f"{kib:,.0f} KiB" if kib >= 10 else f"{kib:.1f} KiB"


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m monitorflow.demo [--output DIR]``; prints what it wrote."""
    parser = argparse.ArgumentParser(prog="python -m monitorflow.demo", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--output", type=Path, default=Path("demo-output"), help="folder to write into (default: demo-output)"
    )
    args = parser.parse_args(argv)
    result = run(args.output)
    tests = ", ".join(f"{status} {count}" for status, count in result.tests_by_status.items())
    print(
        f"monitorflow demo: {result.current_rows:,} current rows (week of {CURRENT_START.date()}) "
        f"vs {result.reference_rows:,} reference rows (2026-01)"
    )
    print(f"report: {result.metrics} metrics, {result.failed_metrics} failed")
    print(f"test suite: {sum(result.tests_by_status.values())} tests: {tests}")
    for path in result.paths:
        print(f"  wrote {path}  ({_size(path)})")
    print(
        f"open the HTML in a browser, e.g. xdg-open {result.report_html} (file://{result.report_html.resolve()})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
