"""Statistical sanity through the metrics (property-based): identical samples never drift with the default
methods, p-values lie in [0, 1], distances are >= 0 and 0 on identical samples, and missing or infinite
values never change a score."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitorflow import ColumnMapping, Report
from monitorflow.metrics import ColumnDriftMetric, DataDriftTable
from monitorflow.stattests import STATTESTS

#: A share of the active Hypothesis profile's examples (conftest: ``dev`` locally, ``ci`` in CI), as each
#: example runs a report on up to 4000 rows.
PROPERTY = settings(max_examples=max(10, settings().max_examples * 5 // 8))

#: (shape of the column, column type): how a generated column looks.
SHAPES = [
    "normal",
    "skewed",
    "few_ints",
    "binary",
    "constant",
    "categories",
    "binary_categories",
    "many_categories",
]
NON_TEXT = sorted(name for name, t in STATTESTS.items() if "text" not in t.column_types)
P_VALUES = [n for n in NON_TEXT if STATTESTS[n].kind == "p_value"]
DISTANCES = [n for n in NON_TEXT if STATTESTS[n].kind == "distance"]


def _column(shape: str, n: int, rng: np.random.Generator) -> tuple[pd.Series, str]:
    if shape == "normal":
        return pd.Series(rng.normal(rng.uniform(-100, 100), rng.uniform(0.01, 50), n)), "num"
    if shape == "skewed":
        return pd.Series(rng.lognormal(0, 2, n)), "num"
    if shape == "few_ints":
        return pd.Series(rng.integers(0, rng.integers(2, 6), n).astype(float)), "num"
    if shape == "binary":
        return pd.Series(rng.binomial(1, rng.uniform(0.05, 0.95), n).astype(float)), "num"
    if shape == "constant":
        return pd.Series(np.full(n, 3.5)), "num"
    if shape == "categories":
        return pd.Series(rng.choice(list("abcde"), n, p=[0.4, 0.3, 0.15, 0.1, 0.05])), "cat"
    if shape == "binary_categories":
        return pd.Series(rng.choice(["no", "yes"], n)), "cat"
    return pd.Series(rng.choice([f"k{i}" for i in range(60)], n)), "cat"


def _mapping(column_type: str) -> ColumnMapping:
    return ColumnMapping(
        numerical_features=["x"] if column_type == "num" else None,
        categorical_features=["x"] if column_type == "cat" else None,
        target=None,
        prediction=None,
    )


def _drift(metric, reference: pd.Series, current: pd.Series, column_type: str):
    report = Report(metrics=[metric])
    report.run(
        reference_data=pd.DataFrame({"x": reference}),
        current_data=pd.DataFrame({"x": current}),
        column_mapping=_mapping(column_type),
    )
    return report.result(metric)


sizes = st.one_of(st.integers(1, 60), st.integers(900, 1100), st.integers(1500, 4000))


@PROPERTY
@given(shape=st.sampled_from(SHAPES), n=sizes, seed=st.integers(0, 2**32 - 1))
def test_identical_samples_never_drift_with_default_methods(shape, n, seed):
    rng = np.random.default_rng(seed)
    values, column_type = _column(shape, n, rng)
    shuffled = values.sample(frac=1.0, random_state=seed % 1000).reset_index(drop=True)
    result = _drift(ColumnDriftMetric("x"), values, shuffled, column_type)
    assert result.message is None
    assert not result.drift_detected, (result.stattest, result.drift_score)
    if STATTESTS[result.stattest].kind == "distance":
        assert result.drift_score == pytest.approx(0.0, abs=1e-12)
    else:
        assert result.drift_score == pytest.approx(1.0)


@PROPERTY
@given(
    shapes=st.lists(st.sampled_from(SHAPES), min_size=1, max_size=5), n=sizes, seed=st.integers(0, 2**32 - 1)
)
def test_identical_frames_never_drift_in_the_table(shapes, n, seed):
    rng = np.random.default_rng(seed)
    columns = {f"c{i}": _column(shape, n, rng) for i, shape in enumerate(shapes)}
    frame = pd.DataFrame({name: values for name, (values, _) in columns.items()})
    mapping = ColumnMapping(
        numerical_features=[name for name, (_, kind) in columns.items() if kind == "num"],
        categorical_features=[name for name, (_, kind) in columns.items() if kind == "cat"],
    )
    metric = DataDriftTable()
    report = Report(metrics=[metric])
    report.run(
        reference_data=frame, current_data=frame.iloc[::-1].reset_index(drop=True), column_mapping=mapping
    )
    table = report.result(metric)
    assert table.number_of_columns == len(shapes)
    assert table.number_of_drifted_columns == 0 and table.share_of_drifted_columns == 0.0
    assert table.dataset_drift is False


def _numeric_or_categorical(name: str) -> list[str]:
    return [t for t in ("num", "cat") if t in STATTESTS[name].column_types]


@PROPERTY
@given(
    name=st.sampled_from(P_VALUES),
    n_ref=st.integers(2, 300),
    n_cur=st.integers(2, 300),
    shift=st.floats(0, 3),
    seed=st.integers(0, 2**32 - 1),
)
def test_p_values_lie_in_unit_interval(name, n_ref, n_cur, shift, seed):
    rng = np.random.default_rng(seed)
    column_type = _numeric_or_categorical(name)[0]
    if name == "fisher_exact":  # 2x2 table of equal-size samples only
        n_cur = n_ref
    if column_type == "num":
        ref, cur = pd.Series(rng.normal(0, 1, n_ref)), pd.Series(rng.normal(shift, 1, n_cur))
    else:
        labels = ["a", "b"] if name == "fisher_exact" else ["a", "b", "c"]
        ref = pd.Series(rng.choice(labels, n_ref))
        cur = pd.Series(
            rng.choice(labels, n_cur, p=np.r_[0.5, np.full(len(labels) - 1, 0.5 / (len(labels) - 1))])
        )
    result = _drift(ColumnDriftMetric("x", stattest=name), ref, cur, column_type)
    if result.message is None:  # degenerate samples give a clear message instead of a score
        assert 0.0 <= result.drift_score <= 1.0
        assert result.drift_detected == STATTESTS[name].is_drifted(
            result.drift_score, result.stattest_threshold
        )


@PROPERTY
@given(
    name=st.sampled_from(DISTANCES),
    column_type=st.sampled_from(["num", "cat"]),
    n_ref=st.integers(1, 400),
    n_cur=st.integers(1, 400),
    seed=st.integers(0, 2**32 - 1),
)
def test_distances_are_non_negative_and_zero_on_identical_samples(name, column_type, n_ref, n_cur, seed):
    if column_type not in STATTESTS[name].column_types:
        column_type = _numeric_or_categorical(name)[0]
    rng = np.random.default_rng(seed)
    shape = rng.choice(
        ["normal", "few_ints", "skewed"] if column_type == "num" else ["categories", "many_categories"]
    )
    ref, _ = _column(shape, n_ref, rng)
    cur, _ = _column(shape, n_cur, rng)
    differing = _drift(ColumnDriftMetric("x", stattest=name), ref, cur, column_type)
    same = _drift(
        ColumnDriftMetric("x", stattest=name), ref, ref.iloc[::-1].reset_index(drop=True), column_type
    )
    if differing.message is None:
        assert differing.drift_score >= 0.0
    assert same.message is None
    assert same.drift_score == pytest.approx(0.0, abs=1e-7)
    assert not same.drift_detected


@pytest.mark.filterwarnings("ignore:ks_2samp. Exact calculation unsuccessful:RuntimeWarning")  # scipy's note
@PROPERTY
@given(
    shape=st.sampled_from(SHAPES),
    n=st.integers(5, 1500),
    gaps=st.integers(1, 50),
    seed=st.integers(0, 2**32 - 1),
)
def test_missing_and_infinite_values_do_not_change_the_score(shape, n, gaps, seed):
    rng = np.random.default_rng(seed)
    ref, column_type = _column(shape, n, rng)
    cur, _ = _column(shape, n, rng)
    fillers = [np.nan, np.inf, -np.inf] if column_type == "num" else [None, np.nan]
    holes = pd.Series(rng.choice(np.array(fillers, dtype=object), gaps))
    dirty_ref = pd.concat([ref.astype(object), holes], ignore_index=True).sample(frac=1.0, random_state=1)
    clean = _drift(ColumnDriftMetric("x"), ref, cur, column_type)
    dirty = _drift(ColumnDriftMetric("x"), dirty_ref.reset_index(drop=True), cur, column_type)
    assert (dirty.stattest, dirty.number_of_values_reference) == (clean.stattest, n)
    assert dirty.drift_score == pytest.approx(clean.drift_score, rel=1e-9, abs=0.0)
    assert dirty.drift_detected == clean.drift_detected
