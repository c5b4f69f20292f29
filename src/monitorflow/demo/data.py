"""The demo's dataset: a churn model's scoring log, one Parquet file a day, labels that arrive late.

See :mod:`monitorflow.demo` for the columns and the story (drift from :data:`DRIFT_DAY`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20260105
#: First day of the monitored period, its length, and the day the drift starts.
START = datetime(2026, 1, 5, tzinfo=UTC)
DAYS = 60
DRIFT_DAY = datetime(2026, 2, 9, tzinfo=UTC)
#: Labels are known this long after the event.
LABEL_DELAY = timedelta(days=14)
REFERENCE_DAYS = 28
REGIONS = {"eu": 420, "us": 360}
MODEL_VERSIONS = ("v1", "v2")

PLANS, PLAN_PRICES = ["basic", "standard", "premium"], [19.0, 45.0, 79.0]
PAYMENTS = ["card", "bank_transfer", "paypal"]
NUMERICAL = ["tenure_months", "monthly_charges", "sessions_7d", "data_usage_gb", "support_calls_30d", "age"]
CATEGORICAL = ["plan", "payment_method"]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _day_events(rng: np.random.Generator, day: datetime, first_id: int) -> pd.DataFrame:
    """The scored events of one day (see the module docstring for each column)."""
    drifted = day >= DRIFT_DAY
    weekend = day.weekday() >= 5
    cycle = 1 + 0.1 * np.sin(2 * np.pi * (day - START).days / 30)
    frames = []
    for region, base in REGIONS.items():
        n = int(rng.poisson(base * (0.7 if weekend else 1.0) * cycle))
        plan_p = [0.35, 0.35, 0.30] if drifted else [0.5, 0.35, 0.15]
        plan = rng.choice(3, n, p=plan_p)
        payment_p = [0.45, 0.18, 0.37] if drifted else [0.6, 0.25, 0.15]
        payment = np.asarray(PAYMENTS, dtype=object)[rng.choice(3, n, p=payment_p)]
        payment[rng.random(n) < 0.02] = None
        tenure = np.minimum(rng.geometric(1 / 18, n), 72)
        calls = rng.poisson(0.6, n)
        sessions = rng.poisson((9.0 if weekend else 6.0) * (1 + 0.3 * plan) * (1.4 if drifted else 1.0))
        usage = rng.lognormal(1.6 + 0.25 * weekend + 0.3 * plan, 0.5) * (1.6 if drifted else 1.0)
        age = np.clip(rng.normal(42, 12, n), 18, 85).round()
        age[rng.random(n) < 0.03] = np.nan
        known = -1.0 - 0.05 * tenure + 0.55 * calls - 0.4 * plan  # what every model learnt
        heavy = (np.log(usage) - 2.2) / 0.5  # standardised usage
        truth = known + (0.9 * heavy if drifted else 0.0)  # heavy users churn after the drift day
        version = np.where(rng.random(n) < 0.5, "v1", "v2")
        score = np.where(version == "v1", known, known + 0.45 * heavy) + rng.normal(0, 0.35, n)
        seconds = np.sort(rng.uniform(0, 86_400, n))
        frames.append(
            pd.DataFrame(
                {
                    "event_id": np.arange(first_id, first_id + n),
                    "event_time": pd.Timestamp(day) + pd.to_timedelta(seconds, unit="s"),
                    "region": region,
                    "model_version": version,
                    "plan": np.asarray(PLANS)[plan],
                    "payment_method": payment,
                    "tenure_months": tenure,
                    "monthly_charges": (np.asarray(PLAN_PRICES)[plan] + rng.normal(0, 3.0, n)).round(2),
                    "sessions_7d": sessions,
                    "data_usage_gb": usage.round(3),
                    "support_calls_30d": calls,
                    "age": age,
                    "prediction": _sigmoid(score).round(4),
                    "churned": (rng.random(n) < _sigmoid(truth)).astype(int),
                }
            )
        )
        first_id += n
    return pd.concat(frames, ignore_index=True)


def make_events(day_index: int, seed: int = SEED) -> pd.DataFrame:
    """Events of day ``START + day_index`` (negative: the reference period), with their true labels."""
    day = START + timedelta(days=day_index)
    rng = np.random.default_rng([seed, day_index + 10_000])
    return _day_events(rng, day, first_id=(day_index + 10_000) * 10_000)


@dataclass
class DemoData:
    """Where the generated data is."""

    events: Path
    labels: Path
    reference: Path
    rows: int
    labelled_until: datetime


def write_data(folder: Path, days: int = DAYS) -> DemoData:
    """Daily event files (without labels), the labels known at the end, and the reference sample."""
    events_dir = folder / "events"
    events_dir.mkdir(parents=True, exist_ok=True)
    now = START + timedelta(days=days)
    labels, rows = [], 0
    for d in range(days):
        frame = make_events(d)
        rows += len(frame)
        day = START + timedelta(days=d)
        frame.drop(columns=["churned"]).to_parquet(events_dir / f"{day:%Y-%m-%d}.parquet", index=False)
        arrived = frame["event_time"] + LABEL_DELAY <= now
        labels.append(frame.loc[arrived, ["event_id", "event_time", "churned"]])
    labels_path = folder / "labels.parquet"
    pd.concat(labels, ignore_index=True).to_parquet(labels_path, index=False)
    reference = pd.concat([make_events(-d) for d in range(1, REFERENCE_DAYS + 1)], ignore_index=True)
    reference = reference.loc[reference["model_version"] == "v1"].drop(columns=["model_version", "churned"])
    reference_path = folder / "reference.parquet"
    reference.to_parquet(reference_path, index=False)
    return DemoData(events_dir, labels_path, reference_path, rows, now - LABEL_DELAY)
