"""Data shared by the renderer tests (a module of its own: test modules import it by name)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd

from monitorflow.snapshot import MetricEntry, Snapshot

EVIL_COLUMN = "<script>alert(1)</script>"
WHEN = datetime(2026, 3, 1, tzinfo=UTC)


def make_frame(rows: int, seed: int, shift: float = 0.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    age = rng.normal(40 + shift, 10, rows)
    age[rng.random(rows) < 0.05] = np.nan
    return pd.DataFrame(
        {
            "age": age,
            "plan": rng.choice(["basic", "pro", "<b>team</b>"], rows),
            EVIL_COLUMN: rng.exponential(3.0, rows),
        }
    )


def card(page: str, entry: MetricEntry) -> str:
    """The HTML of one metric's card."""
    start = page.index(f'id="metric-{entry.id}"')
    return page[start : page.index("</section>", start)]


def entry_of(snapshot: Snapshot, metric_type: str, **params: object) -> MetricEntry:
    return next(
        e
        for e in snapshot.metrics
        if e.type == metric_type and all(e.params.get(k) == v for k, v in params.items())
    )
