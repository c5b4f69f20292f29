"""Runs shared by the renderer tests."""

from __future__ import annotations

import pandas as pd
import pytest

from monitorflow import Report, TestSuite
from monitorflow.metric_preset import DataQualityPreset
from monitorflow.test_preset import DataQualityTestPreset, DataStabilityTestPreset
from tests.render.render_data import WHEN, make_frame


@pytest.fixture(scope="session")
def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(reference, current): current has older customers (age shifted by +6)."""
    return make_frame(600, seed=1), make_frame(240, seed=2, shift=6.0)


@pytest.fixture(scope="session")
def report(frames: tuple[pd.DataFrame, pd.DataFrame]) -> Report:
    reference, current = frames
    report = Report(
        metrics=[DataQualityPreset()],
        name="Weekly <quality> check",
        tags=["prod", "<b>bold</b>"],
        metadata={"owner": "<i>data team</i>"},
        model_id="m1",
    )
    report.run(reference_data=reference, current_data=current, timestamp=WHEN)
    return report


@pytest.fixture(scope="session")
def suite(frames: tuple[pd.DataFrame, pd.DataFrame]) -> TestSuite:
    reference, current = frames
    suite = TestSuite(tests=[DataStabilityTestPreset(), DataQualityTestPreset()], tags=["prod"])
    suite.run(reference_data=reference, current_data=current, timestamp=WHEN)
    return suite
