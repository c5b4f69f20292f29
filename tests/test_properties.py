"""Property-based: the engine's invariants on frames of realistic size (hundreds to thousands of rows, up to
16 columns of mixed types, missing and hostile values; see ``tests/support/realistic_frames.py``): the presets
raise nothing but MonitoringError subclasses, every result serialises to strict JSON and survives a snapshot
round trip, the dataset summary counts what pandas counts, a numeric column's summary says what pandas
computes, and the order of the rows changes no result.
Tiny frames (1-5 rows of hostile cells) are checked too.

Examples per test follow the Hypothesis profile (conftest: ``dev`` locally, ``ci`` with more examples).
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from monitorflow import ColumnMapping, Report, Snapshot, TestSuite
from monitorflow.errors import MonitoringError
from monitorflow.metric_preset import DataQualityPreset
from monitorflow.metrics import ColumnSummaryMetric, DatasetSummaryMetric
from monitorflow.test_preset import DataQualityTestPreset, DataStabilityTestPreset
from tests.support.realistic_frames import FrameSpec, column_specs, frame_specs, row_counts, runs

SUITE = [DataStabilityTestPreset(), DataQualityTestPreset()]

# --------------------------------------------------------------------------- tiny hostile frames

TINY_KINDS = ("float", "int", "bool", "string", "object", "datetime")
floats = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.sampled_from([math.nan, math.inf, -math.inf, 0.0, -0.0, 1.0]),
)
strings = st.one_of(st.sampled_from(["", "a", "b", " ", "é", "1", "nan"]), st.text(max_size=5))
mixed = st.one_of(st.none(), floats, st.integers(-5, 5), strings, st.booleans())
datetimes = st.one_of(st.none(), st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)))
tiny_names = st.one_of(st.integers(0, 6), st.sampled_from(["a", "b", "target", "prediction", "x y"]))


def tiny_column(kind: str, n: int) -> st.SearchStrategy[pd.Series]:
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


@st.composite
def tiny_frames(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(1, 5))
    schema = draw(st.dictionaries(tiny_names, st.sampled_from(TINY_KINDS), min_size=1, max_size=5))
    data = {name: draw(tiny_column(kind, n)).reset_index(drop=True) for name, kind in schema.items()}
    return pd.DataFrame(data, index=range(n))


@st.composite
def tiny_runs(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    return draw(tiny_frames()), draw(st.none() | tiny_frames())


any_run = st.one_of(runs(), tiny_runs())


def with_text_mapping(draw: st.DrawFn, current: pd.DataFrame, reference: pd.DataFrame | None) -> Any:
    """Sometimes declare one string column present on both sides as text."""
    both = [
        c for c in current.columns if current[c].dtype == object and (reference is None or c in reference)
    ]
    if both and draw(st.booleans()):
        return ColumnMapping(text_features=[draw(st.sampled_from(both))])
    return None


def strict_json(text: str | bytes) -> Any:
    def reject(token: str) -> None:
        raise AssertionError(f"non-standard JSON token {token}")

    return json.loads(text, parse_constant=reject)


@pytest.mark.filterwarnings("error::RuntimeWarning")
@given(run=any_run, data=st.data())
def test_report_never_raises_other_errors_and_serialises(run, data):
    current, reference = run
    report = Report(metrics=[DataQualityPreset()])
    try:
        report.run(
            reference_data=reference, current_data=current, column_mapping=with_text_mapping(data.draw, *run)
        )
    except MonitoringError as exc:
        event(type(exc).__name__)
        return
    event("ran")
    entries = report.as_dict()["metrics"]
    assert entries and [e for e in entries if "error" in e] == []  # every metric computed on a valid frame
    strict_json(report.json())
    snap = report.to_snapshot()
    strict_json(snap.json_bytes())
    loaded = Report.from_snapshot(Snapshot.loads(snap.json_bytes()))
    assert loaded.json() == report.json()


@pytest.mark.filterwarnings("error::RuntimeWarning")
@given(run=any_run, data=st.data())
def test_test_suite_never_raises_other_errors_and_serialises(run, data):
    current, reference = run
    suite = TestSuite(tests=SUITE)
    try:
        suite.run(
            reference_data=reference, current_data=current, column_mapping=with_text_mapping(data.draw, *run)
        )
    except MonitoringError as exc:
        event(type(exc).__name__)
        return
    event("ran")
    result = strict_json(suite.json())
    assert result["summary"]["total_tests"] == len(result["tests"]) > 0
    for test in suite.results:
        # an ERROR is one of our messages (a reference or values are needed), never a raw pandas/numpy error
        if test.status == "ERROR":
            assert "reference" in test.description or "undefined (NaN)" in test.description, test.description
            assert "Test failed with" not in test.description, test.description
    snap = suite.to_snapshot()
    strict_json(snap.json_bytes())
    assert TestSuite.from_snapshot(Snapshot.loads(snap.json_bytes())).json() == suite.json()


@given(spec=frame_specs())
def test_dataset_summary_counts_what_pandas_counts(spec):
    frame = spec.build()
    metric = DatasetSummaryMetric()
    report = Report(metrics=[metric])
    report.run(current_data=frame)
    summary = report.result(metric).current
    missing = frame.isna().sum()
    assert (summary.number_of_rows, summary.number_of_columns) == frame.shape
    assert summary.number_of_missing_values == missing.sum()
    assert summary.nans_by_columns == {str(c): n for c, n in missing.items()}
    assert summary.number_uniques_by_columns == {str(c): frame[c].nunique() for c in frame.columns}
    assert summary.number_of_empty_rows == frame.isna().all(axis=1).sum()
    assert summary.number_of_empty_columns == (missing == len(frame)).sum()
    assert summary.number_of_duplicated_rows == frame.duplicated().sum()


#: Result fields that name one value among equally frequent ones: the first seen wins, as in pandas.
TIE_BROKEN = {"plot_data", "most_common"}


def assert_same_results(a: Any, b: Any, path: str = "") -> None:
    """Equal JSON trees, floats to 1e-9 relative (sums in another order), tie-broken fields aside."""
    if isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for key in a.keys() - TIE_BROKEN:
            assert_same_results(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same_results(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-9, nan_ok=True), path
    else:
        assert a == b, path


@settings(max_examples=max(10, settings().max_examples // 2))
@given(run=runs(max_rows=1500), seed=st.integers(0, 2**32 - 1))
def test_the_order_of_the_rows_changes_no_result(run, seed):
    current, reference = run

    def results(cur: pd.DataFrame, ref: pd.DataFrame | None) -> list[dict]:
        report = Report(metrics=[DataQualityPreset()])
        report.run(reference_data=ref, current_data=cur)
        return json.loads(report.json())["metrics"]

    def shuffled(frame: pd.DataFrame | None) -> pd.DataFrame | None:
        return (
            None
            if frame is None
            else frame.sample(frac=1.0, random_state=seed % 2**31).reset_index(drop=True)
        )

    try:
        expected = results(current, reference)
    except MonitoringError:
        return
    assert_same_results(results(shuffled(current), shuffled(reference)), expected)


@given(run=any_run)
def test_declared_numerical_columns_and_non_frames_fail_with_monitoring_errors_only(run):
    current, reference = run
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


@st.composite
def numeric_frames(draw: st.DrawFn) -> pd.DataFrame:
    """Realistic frames of numeric columns only (floats with inf, 1e300, 5e-324 and missing cells; ints)."""
    columns = {f"n{i}": draw(column_specs(kind=draw(st.sampled_from(["float", "int"])))) for i in range(3)}
    return FrameSpec(draw(row_counts()), columns, draw(st.integers(0, 2**32 - 1))).build()


def pandas_numeric_summary(series: pd.Series) -> dict[str, Any]:
    """What ColumnSummaryMetric should say of a numeric column, computed with pandas alone."""
    values = series.astype("float64")
    finite = values[np.isfinite(values)]
    n = len(series)
    with np.errstate(over="ignore"):  # 1e300 cells: the variance overflows to inf, as it should
        std = finite.std(ddof=1)
    return {
        "number_of_rows": n,
        "count": int(values.notna().sum()),
        "missing": int(values.isna().sum()),
        "unique": int(values.nunique()),
        "infinite_count": int(np.isinf(values).sum()),
        "mean": finite.mean(),
        "std": std,
        "min": finite.min(),
        "max": finite.max(),
        "p25": finite.quantile(0.25),
        "p50": finite.quantile(0.5),
        "p75": finite.quantile(0.75),
    }


@settings(max_examples=max(10, settings().max_examples // 2))
@given(frame=numeric_frames())
def test_numeric_column_summary_says_what_pandas_computes(frame):
    numeric = [c for c in frame.columns if frame[c].dtype != object]  # object: a hostile cell mixed types
    event(f"{len(numeric)} numeric columns")
    for column in numeric:
        metric = ColumnSummaryMetric(column_name=column)
        report = Report(metrics=[metric])
        report.run(current_data=frame, column_mapping=ColumnMapping(numerical_features=list(frame.columns)))
        got = report.result(metric).current_characteristics.model_dump()
        finite = frame[column].astype("float64")[np.isfinite(frame[column].astype("float64"))]
        # float64 sums in another order differ by up to ~n*eps*max|x| (1e300 and -1e300 in one column)
        rounding = 1e-12 * float(finite.abs().max()) if len(finite) else 0.0
        # below the normal range a midpoint rounds to either subnormal neighbour (0 or 5e-324)
        rounding = max(rounding, 4 * np.finfo(np.float64).tiny)
        for key, want in pandas_numeric_summary(frame[column]).items():
            assert got[key] == pytest.approx(want, rel=1e-9, abs=rounding, nan_ok=True), (column, key)
