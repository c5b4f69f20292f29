"""What both parts of the workspace contract share: a reference and a current frame (a fixture), and a
report of them at a given time."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from monitorflow import Report
from monitorflow.metrics import ColumnDriftMetric, DataDriftTable, DatasetSummaryMetric

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(7)
    reference = pd.DataFrame({"age": rng.normal(40, 10, 150), "city": rng.choice(["a", "b", "c"], 150)})
    current = pd.DataFrame({"age": rng.normal(48, 10, 120), "city": rng.choice(["a", "b"], 120)})
    return reference, current


def _report(frames, **kwargs) -> Report:
    reference, current = frames
    timestamp = kwargs.pop("timestamp", None) or T0
    report = Report(
        metrics=[DatasetSummaryMetric(), ColumnDriftMetric(column_name="age"), DataDriftTable()], **kwargs
    )
    report.run(reference_data=reference, current_data=current, timestamp=timestamp)
    return report
