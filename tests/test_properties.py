"""Property-based: any small frame goes through the presets raising nothing but MonitoringError subclasses,
and every result serialises to valid JSON without NaN/Infinity tokens and survives a snapshot round trip."""

from __future__ import annotations

import json
import math
import os
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from monitorflow import ColumnMapping, Report, Snapshot, TestSuite
from monitorflow.errors import MonitoringError
from monitorflow.metric_preset import DataQualityPreset
from monitorflow.test_preset import DataQualityTestPreset, DataStabilityTestPreset

#: Raise for a deeper search, e.g. MONITORFLOW_PROPERTY_EXAMPLES=2000.
SETTINGS = settings(
    max_examples=int(os.environ.get("MONITORFLOW_PROPERTY_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

KINDS = ("float", "int", "bool", "string", "object", "datetime")

floats = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.sampled_from([math.nan, math.inf, -math.inf, 0.0, -0.0, 1.0]),
)
strings = st.one_of(st.sampled_from(["", "a", "b", " ", "é", "1", "nan"]), st.text(max_size=5))
mixed = st.one_of(st.none(), floats, st.integers(-5, 5), strings, st.booleans())
datetimes = st.one_of(st.none(), st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)))


def column(kind: str, n: int) -> st.SearchStrategy[pd.Series]:
    if kind == "float":
        return st.lists(floats, min_size=n, max_size=n).map(lambda v: pd.Series(v, dtype="float64"))
    if kind == "int":
        return st.lists(st.integers(-(2**40), 2**40), min_size=n, max_size=n).map(
            lambda v: pd.Series(v, dtype="int64")
        )
    if kind == "bool":
        return st.lists(st.booleans(), min_size=n, max_size=n).map(lambda v: pd.Series(v, dtype=bool))
    if kind == "string":
        return st.lists(st.one_of(st.none(), strings), min_size=n, max_size=n).map(pd.Series)
    if kind == "object":
        return st.lists(mixed, min_size=n, max_size=n).map(lambda v: pd.Series(v, dtype=object))
    return st.lists(datetimes, min_size=n, max_size=n).map(lambda v: pd.Series(pd.to_datetime(v)))


names = st.one_of(st.integers(0, 6), st.sampled_from(["a", "b", "target", "prediction", "x y"]))


@st.composite
def frames(draw, schema: dict | None = None) -> pd.DataFrame:
    n = draw(st.integers(0, 3))
    if schema is None:
        schema = draw(st.dictionaries(names, st.sampled_from(KINDS), max_size=5))
    data = {name: draw(column(kind, n)).reset_index(drop=True) for name, kind in schema.items()}
    return pd.DataFrame(data, index=range(n)) if data else pd.DataFrame(index=range(n))


@st.composite
def runs(draw):
    schema = draw(st.dictionaries(names, st.sampled_from(KINDS), max_size=5))
    current = draw(frames(schema))
    reference = None
    if draw(st.booleans()):
        ref_schema = dict(schema)
        if draw(st.booleans()):  # a different column set: drop one, add one
            if ref_schema:
                ref_schema.pop(draw(st.sampled_from(sorted(ref_schema, key=str))))
            ref_schema[draw(names)] = draw(st.sampled_from(KINDS))
        reference = draw(frames(ref_schema))
    mapping = None
    strings_in_both = [
        c for c, k in schema.items() if k == "string" and (reference is None or c in reference)
    ]
    if strings_in_both and draw(st.booleans()):
        mapping = ColumnMapping(text_features=[draw(st.sampled_from(strings_in_both))])
    return current, reference, mapping


def strict_json(text: str | bytes):
    def reject(token: str):
        raise AssertionError(f"non-standard JSON token {token}")

    return json.loads(text, parse_constant=reject)


@pytest.mark.filterwarnings("error::RuntimeWarning")
@SETTINGS
@given(runs())
def test_report_never_raises_other_errors_and_serialises(run):
    current, reference, mapping = run
    report = Report(metrics=[DataQualityPreset()])
    try:
        report.run(reference_data=reference, current_data=current, column_mapping=mapping)
    except MonitoringError as exc:
        event(type(exc).__name__)
        return
    event("ran")
    errors = [entry for entry in report.as_dict()["metrics"] if "error" in entry]
    assert errors == []  # the preset's metrics compute on any frame that passed validation
    strict_json(report.json())
    snap = report.to_snapshot()
    strict_json(snap.json_bytes())
    loaded = Report.from_snapshot(Snapshot.loads(snap.json_bytes()))
    assert loaded.json() == report.json()


@pytest.mark.filterwarnings("error::RuntimeWarning")
@SETTINGS
@given(runs())
def test_test_suite_never_raises_other_errors_and_serialises(run):
    current, reference, mapping = run
    suite = TestSuite(tests=[DataStabilityTestPreset(), DataQualityTestPreset()])
    try:
        suite.run(reference_data=reference, current_data=current, column_mapping=mapping)
    except MonitoringError as exc:
        event(type(exc).__name__)
        return
    event("ran")
    data = strict_json(suite.json())
    assert data["summary"]["total_tests"] == len(data["tests"])
    for test in suite.results:
        # an ERROR is one of our messages (a reference or values are needed), never a raw pandas/numpy error
        if test.status == "ERROR":
            assert "reference" in test.description or "undefined (NaN)" in test.description, test.description
            assert "Test failed with" not in test.description, test.description
    snap = suite.to_snapshot()
    strict_json(snap.json_bytes())
    assert TestSuite.from_snapshot(Snapshot.loads(snap.json_bytes())).json() == suite.json()


@SETTINGS
@given(runs())
def test_declared_numerical_columns_and_non_frames_fail_with_monitoring_errors_only(run):
    current, reference, _ = run
    if len(current.columns):
        # declare the first column numerical, whatever it holds: coerced or a ColumnTypeError
        mapping = ColumnMapping(numerical_features=[current.columns[0]])
        report = Report(metrics=[DataQualityPreset()])
        try:
            report.run(reference_data=reference, current_data=current, column_mapping=mapping)
        except MonitoringError as exc:
            event(type(exc).__name__)
        else:
            strict_json(report.json())
    with pytest.raises(MonitoringError):
        Report(metrics=[DataQualityPreset()]).run(current_data=np.asarray(current))


finite_floats = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.sampled_from([np.finfo(np.float64).max, -np.finfo(np.float64).max, 0.0, 1e-300]),
)


@SETTINGS
@given(values=st.lists(finite_floats, min_size=1, max_size=6), bins=st.integers(1, 120))
def test_histogram_edges_stay_finite_ordered_and_cover_every_value(values, bins):
    from monitorflow.column_stats import histogram_edges

    ordered = np.sort(np.array(values, dtype=float))
    with np.errstate(over="raise", invalid="raise"):
        edges = histogram_edges(ordered, bins=bins)
    assert len(edges) == bins + 1
    assert np.isfinite(edges).all()
    assert (edges[1:] >= edges[:-1]).all()
    assert edges[0] <= ordered[0] and edges[-1] >= ordered[-1]
    widest = max(abs(ordered[0]), abs(ordered[-1]))
    if ordered[-1] / 2 - ordered[0] / 2 > 8 * bins * np.spacing(widest / 2):  # room for distinct edges
        assert (edges[1:] > edges[:-1]).all()
    counts, _ = np.histogram(ordered, bins=edges)
    assert counts.sum() == len(ordered)
