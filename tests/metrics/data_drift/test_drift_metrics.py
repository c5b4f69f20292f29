"""ColumnDriftMetric, DataDriftTable and DatasetDriftMetric: legacy result fields, numbers against scipy,
the automatic method choice, column selection, the dataset drift rule, empty sides and snapshots."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.spatial import distance

from monitorflow import ColumnMapping, Report
from monitorflow.column_stats import HISTOGRAM_BINS, TOP_CATEGORIES
from monitorflow.errors import ColumnNotFoundError, ConfigurationError
from monitorflow.metric_preset import DataDriftPreset
from monitorflow.metrics import ColumnDriftMetric, DataDriftTable, DatasetDriftMetric

# --------------------------------------------------------------------------------------------- helpers


COLUMN_FIELDS = {
    "column_name",
    "column_type",
    "stattest_name",
    "stattest",
    "stattest_threshold",
    "drift_score",
    "drift_detected",
}


def _finite(values: np.ndarray) -> np.ndarray:
    return values[np.isfinite(values)]


def _with_gaps(values: np.ndarray, rng: np.random.Generator, share: float = 0.1) -> np.ndarray:
    """A float copy with about ``share`` of the values replaced by NaN, +inf or -inf."""
    out = values.astype(float)
    holes = rng.random(out.size) < share
    out[holes] = rng.choice([np.nan, np.inf, -np.inf], holes.sum())
    return out


# ------------------------------------------------------------------------------------ result fields


def test_data_drift_table_has_evidently_legacy_fields(run_metric, rng):
    ref = pd.DataFrame({"x": rng.normal(size=300), "c": rng.choice(list("abc"), 300)})
    cur = pd.DataFrame({"x": rng.normal(1.0, size=200), "c": rng.choice(list("abc"), 200)})
    result = run_metric(DataDriftTable(), ref, cur).model_dump()

    assert {
        "number_of_columns",
        "number_of_drifted_columns",
        "share_of_drifted_columns",
        "dataset_drift",
    } <= set(result)
    assert result["number_of_columns"] == 2
    assert set(result["drift_by_columns"]) == {"x", "c"}
    x = result["drift_by_columns"]["x"]
    assert set(x) >= COLUMN_FIELDS
    assert (x["column_name"], x["column_type"], x["stattest"], x["stattest_name"]) == (
        "x",
        "num",
        "ks",
        "K-S p_value",
    )
    assert x["stattest_threshold"] == 0.05
    assert x["drift_detected"] is True
    c = result["drift_by_columns"]["c"]
    assert (c["column_type"], c["stattest"], c["stattest_name"]) == ("cat", "chisquare", "chi-square p_value")


def test_dataset_drift_metric_fields_match_the_table(run_metric, rng):
    ref = pd.DataFrame({"x": rng.normal(size=300), "y": rng.normal(size=300)})
    cur = pd.DataFrame({"x": rng.normal(2.0, size=300), "y": rng.normal(size=300)})
    result = run_metric(DatasetDriftMetric(drift_share=0.4), ref, cur).model_dump()
    assert result == {
        "drift_share": 0.4,
        "number_of_columns": 2,
        "number_of_drifted_columns": 1,
        "share_of_drifted_columns": 0.5,
        "dataset_drift": True,
    }


def test_numerical_distribution_is_a_fixed_size_shared_histogram(run_metric, rng):
    for n in (50, 20_000):
        ref = pd.DataFrame({"x": _with_gaps(rng.normal(size=n), rng)})
        cur = pd.DataFrame({"x": rng.normal(3.0, size=n)})
        result = run_metric(ColumnDriftMetric("x"), ref, cur)
        histogram = result.distribution.histogram
        assert len(histogram.edges) == HISTOGRAM_BINS + 1
        assert len(histogram.current) == len(histogram.reference) == HISTOGRAM_BINS
        assert sum(histogram.reference) == result.number_of_values_reference == np.isfinite(ref["x"]).sum()
        assert sum(histogram.current) == result.number_of_values_current == n
        assert histogram.edges[0] <= min(_finite(ref["x"].to_numpy()).min(), cur["x"].min())
        assert histogram.edges[-1] >= max(_finite(ref["x"].to_numpy()).max(), cur["x"].max())


def test_categorical_distribution_keeps_top_categories(run_metric, rng):
    labels = [f"k{i:02d}" for i in range(TOP_CATEGORIES + 15)]
    ref = pd.DataFrame({"c": rng.choice(labels, 2000)})
    cur = pd.DataFrame({"c": rng.choice(labels, 1500)})
    result = run_metric(ColumnDriftMetric("c"), ref, cur)
    ref_counts, cur_counts = result.distribution.reference_counts, result.distribution.current_counts
    assert len(ref_counts.values) == len(cur_counts.values) == TOP_CATEGORIES
    assert sum(ref_counts.counts) + ref_counts.other == 2000
    assert sum(cur_counts.counts) + cur_counts.other == 1500


def test_small_distribution_of_a_category_column_lists_its_unobserved_categories(run_metric):
    """Evidently's small distribution counts a ``category`` column with pandas, which lists every declared
    category (0 rows too); the keys are sorted as text, and a category of either side is drawn on both."""
    ref = pd.DataFrame({"c": pd.Categorical(["b", "a", "b", None], categories=["b", "a", "zero"])})
    cur = pd.DataFrame({"c": pd.Categorical(["a", "a", "new"], categories=["a", "new"])})
    result = run_metric(ColumnDriftMetric("c", stattest="psi"), ref, cur)
    for side, expected in (("reference", [1, 2, 0, 0]), ("current", [2, 0, 1, 0])):
        small = getattr(result, side).small_distribution
        assert small.x == ["a", "b", "new", "zero"] and small.y == expected, side


# ------------------------------------------------------------------------------ numbers vs scipy


def test_ks_p_value_matches_scipy_on_cleaned_sides(run_metric, rng):
    ref_values = _with_gaps(rng.normal(size=400), rng)
    cur_values = _with_gaps(rng.normal(0.25, 1.2, size=300), rng)
    result = run_metric(
        ColumnDriftMetric("x"), pd.DataFrame({"x": ref_values}), pd.DataFrame({"x": cur_values})
    )
    expected = stats.ks_2samp(_finite(ref_values), _finite(cur_values)).pvalue
    assert result.stattest == "ks"
    assert result.drift_score == pytest.approx(expected, rel=1e-12)
    assert result.drift_detected == (expected <= 0.05)
    assert result.number_of_values_reference == _finite(ref_values).size


def test_wasserstein_matches_scipy_divided_by_reference_std(run_metric, rng):
    ref_values = _with_gaps(rng.normal(10, 3, size=2500), rng)
    cur_values = rng.normal(10.5, 3, size=1800)
    result = run_metric(
        ColumnDriftMetric("x"), pd.DataFrame({"x": ref_values}), pd.DataFrame({"x": cur_values})
    )
    ref = _finite(ref_values)
    expected = stats.wasserstein_distance(ref, cur_values) / np.std(ref)
    assert result.stattest == "wasserstein"
    assert result.stattest_name == "Wasserstein distance (normed)"
    assert result.drift_score == pytest.approx(expected, rel=1e-12)
    assert result.drift_detected == (expected >= 0.1)


def test_chisquare_uses_reference_counts_scaled_to_current_size(run_metric, rng):
    ref = pd.Series(rng.choice(list("abcd"), 600, p=[0.4, 0.3, 0.2, 0.1]), dtype=object)
    cur = pd.Series(rng.choice(list("abcd"), 450, p=[0.3, 0.3, 0.25, 0.15]), dtype=object)
    ref[rng.random(600) < 0.05] = None
    result = run_metric(ColumnDriftMetric("c"), pd.DataFrame({"c": ref}), pd.DataFrame({"c": cur}))
    keys = sorted(set(ref.dropna()) | set(cur))
    ref_counts = ref.dropna().value_counts().reindex(keys, fill_value=0).to_numpy()
    cur_counts = cur.value_counts().reindex(keys, fill_value=0).to_numpy()
    expected = stats.chisquare(cur_counts, ref_counts * (len(cur) / ref_counts.sum())).pvalue
    assert result.stattest == "chisquare"
    assert result.drift_score == pytest.approx(expected, rel=1e-10)
    assert result.drift_detected == (expected < 0.05)


def test_chisquare_new_category_in_current_always_drifts(run_metric, rng):
    ref = pd.DataFrame({"c": rng.choice(list("abc"), 500)})
    cur = pd.DataFrame({"c": np.r_[rng.choice(list("abc"), 499), ["new"]]})
    result = run_metric(ColumnDriftMetric("c"), ref, cur)
    assert (result.stattest, result.drift_score, result.drift_detected) == ("chisquare", 0.0, True)


def test_jensenshannon_categorical_matches_scipy_on_shares(run_metric, rng):
    ref = pd.Series(rng.choice(list("abcde"), 3000, p=[0.3, 0.3, 0.2, 0.1, 0.1]))
    cur = pd.Series(rng.choice(list("abcdef"), 2000, p=[0.25, 0.25, 0.2, 0.1, 0.1, 0.1]))
    result = run_metric(ColumnDriftMetric("c"), pd.DataFrame({"c": ref}), pd.DataFrame({"c": cur}))
    keys = sorted(set(ref) | set(cur))
    r = ref.value_counts().reindex(keys, fill_value=0).to_numpy() / len(ref)
    c = cur.value_counts().reindex(keys, fill_value=0).to_numpy() / len(cur)
    expected = distance.jensenshannon(r, c)  # natural log, no smoothing of the empty "f" bin
    assert result.stattest == "jensenshannon"
    assert result.drift_score == pytest.approx(expected, rel=1e-12)
    assert result.drift_detected == (expected >= 0.1)


def test_jensenshannon_numerical_uses_sturges_bins_of_both_samples(run_metric, rng):
    ref_values = rng.normal(size=1500)
    cur_values = rng.normal(0.3, 1.0, size=1200)
    result = run_metric(
        ColumnDriftMetric("x", stattest="jensenshannon"),
        pd.DataFrame({"x": ref_values}),
        pd.DataFrame({"x": cur_values}),
    )
    edges = np.histogram_bin_edges(np.concatenate([ref_values, cur_values]), bins="sturges")
    r = np.histogram(ref_values, edges)[0] / ref_values.size
    c = np.histogram(cur_values, edges)[0] / cur_values.size
    assert result.drift_score == pytest.approx(distance.jensenshannon(r, c), rel=1e-12)


def test_z_test_on_binary_column_matches_the_two_proportion_formula(run_metric, rng):
    ref = rng.choice(["no", "yes"], 400, p=[0.6, 0.4])
    cur = rng.choice(["no", "yes"], 300, p=[0.5, 0.5])
    result = run_metric(ColumnDriftMetric("c"), pd.DataFrame({"c": ref}), pd.DataFrame({"c": cur}))
    p1, p2 = np.mean(ref == "yes"), np.mean(cur == "yes")  # "no" is the first key: 0, the rest 1
    pooled = (p1 * ref.size + p2 * cur.size) / (ref.size + cur.size)
    z = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / ref.size + 1 / cur.size))
    assert result.stattest == "z"
    assert result.drift_score == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-12)


def test_infinite_values_are_dropped_in_categorical_columns_too(run_metric):
    ref = pd.DataFrame({"c": pd.Series(["a", "b", np.inf, None] * 50, dtype=object)})
    cur = pd.DataFrame({"c": pd.Series(["a", "b", -np.inf] * 50, dtype=object)})
    result = run_metric(ColumnDriftMetric("c"), ref, cur, ColumnMapping(categorical_features=["c"]))
    assert (result.number_of_values_reference, result.number_of_values_current) == (100, 100)
    assert result.stattest == "z"
    assert result.drift_score == pytest.approx(1.0)
    assert not result.drift_detected


# -------------------------------------------------------------------------- automatic method choice


def _cycle(n: int, k: int, offset: int = 0) -> np.ndarray:
    return (np.arange(n) % k + offset).astype(float)


@pytest.mark.parametrize(
    ("reference", "current", "column_type", "expected"),
    [
        (_cycle(1000, 50), _cycle(300, 50), "num", "ks"),
        (_cycle(1001, 50), _cycle(300, 50), "num", "wasserstein"),
        (_cycle(1000, 50), _cycle(20_000, 50), "num", "ks"),  # only the reference size counts
        (_cycle(1001, 50), _cycle(10, 50), "num", "wasserstein"),
        (np.r_[_cycle(1000, 50), [np.nan] * 30], _cycle(300, 50), "num", "ks"),  # counted after the drop
        (np.r_[_cycle(1000, 50), [np.inf] * 30], _cycle(300, 50), "num", "ks"),
        (_cycle(1000, 5), _cycle(300, 5), "num", "chisquare"),
        (_cycle(1000, 5), _cycle(300, 5, offset=1), "num", "ks"),  # 6 values over the union
        (_cycle(1001, 5), _cycle(300, 5), "num", "jensenshannon"),
        (_cycle(1000, 2), _cycle(300, 2), "num", "z"),  # z on a binary numerical column, as Evidently
        (_cycle(1001, 2), _cycle(300, 2), "num", "jensenshannon"),
        (_cycle(1000, 1), _cycle(300, 1), "num", "z"),
        (_cycle(1000, 3), _cycle(300, 3), "cat", "chisquare"),
        (_cycle(1001, 3), _cycle(300, 3), "cat", "jensenshannon"),
        (_cycle(1000, 2), _cycle(300, 2), "cat", "z"),
        (_cycle(1001, 2), _cycle(300, 2), "cat", "jensenshannon"),
        (_cycle(1000, 40), _cycle(300, 40), "cat", "chisquare"),
    ],
)
def test_default_method_follows_reference_size_and_distinct_values(
    run_metric, reference, current, column_type, expected
):
    mapping = ColumnMapping(
        numerical_features=["x"] if column_type == "num" else None,
        categorical_features=["x"] if column_type == "cat" else None,
    )
    result = run_metric(
        ColumnDriftMetric("x"), pd.DataFrame({"x": reference}), pd.DataFrame({"x": current}), mapping
    )
    assert (result.column_type, result.stattest) == (column_type, expected)
    default_threshold = 0.1 if expected in ("wasserstein", "jensenshannon") else 0.05
    assert result.stattest_threshold == default_threshold


# ----------------------------------------------------------------------------- dataset drift rule


def _half_drifted(rng: np.random.Generator, drifted: int, total: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``total`` numerical columns of which the first ``drifted`` shift strongly; the rest are identical."""
    ref, cur = {}, {}
    for i in range(total):
        values = rng.normal(size=300)
        ref[f"f{i}"] = values
        cur[f"f{i}"] = values + 5.0 if i < drifted else values
    return pd.DataFrame(ref), pd.DataFrame(cur)


@pytest.mark.parametrize(
    ("drift_share", "expected"), [(0.5, True), (0.49, True), (0.51, False), (1.0, False)]
)
def test_dataset_drift_when_share_reaches_drift_share(run_metric, rng, drift_share, expected):
    ref, cur = _half_drifted(rng, drifted=2, total=4)
    table = run_metric(DataDriftTable(drift_share=drift_share), ref, cur)
    dataset = run_metric(DatasetDriftMetric(drift_share=drift_share), ref, cur)
    assert (table.number_of_drifted_columns, table.share_of_drifted_columns) == (2, 0.5)
    assert table.dataset_drift is expected
    assert dataset.dataset_drift is expected
    assert dataset.share_of_drifted_columns == 0.5


def test_default_drift_share_is_one_half(run_metric, rng):
    ref, cur = _half_drifted(rng, drifted=1, total=2)
    assert run_metric(DataDriftTable(), ref, cur).dataset_drift is True
    ref, cur = _half_drifted(rng, drifted=1, total=3)
    assert run_metric(DatasetDriftMetric(), ref, cur).dataset_drift is False


def test_data_drift_preset_passes_drift_share_and_columns(rng):
    ref, cur = _half_drifted(rng, drifted=1, total=3)
    report = Report(metrics=[DataDriftPreset(columns=["f0", "f1"], drift_share=0.5)])
    report.run(reference_data=ref, current_data=cur)
    results = [m["result"] for m in report.as_dict()["metrics"]]
    assert [m["metric"] for m in report.as_dict()["metrics"]] == ["DatasetDriftMetric", "DataDriftTable"]
    assert results[0]["dataset_drift"] is True and results[0]["number_of_columns"] == 2
    assert set(results[1]["drift_by_columns"]) == {"f0", "f1"}


# ------------------------------------------------------------------------------ column selection


def _roles_frames(rng: np.random.Generator, n: int = 200) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "uid": np.arange(n),
            "datetime": np.arange(n) * 1000,  # the default mapping's datetime column, numeric here
            "when": pd.date_range("2024-01-01", periods=n, freq="h"),
            "age": rng.normal(40, 10, n),
            "plan": rng.choice(["a", "b", "c"], n),
            "visits": rng.integers(0, 3, n),
            "prediction": rng.random(n),
            "target": rng.integers(0, 2, n),
        }
    )


def test_default_columns_are_target_prediction_then_features(run_metric, rng):
    frame = _roles_frames(rng)
    result = run_metric(
        DataDriftTable(), frame, frame.iloc[::-1].reset_index(drop=True), ColumnMapping(id="uid")
    )
    # target, prediction, numerical features, categorical features; no id, datetime or datetime64 column.
    # As Evidently's DataDriftTable (checked against Evidently 0.7's legacy API): the few-valued integer
    # ``visits`` is numerical under its dataset typing, so it comes before the categorical ``plan``.
    assert list(result.drift_by_columns) == ["target", "prediction", "age", "visits", "plan"]
    assert result.number_of_columns == 5
    assert result.number_of_drifted_columns == 0


def test_prediction_probabilities_are_no_drift_columns(run_metric, rng):
    # As Evidently's DataDriftTable (checked against Evidently 0.7's legacy API): a list of probability
    # columns is a prediction, not a feature, and the table leaves it out.
    frame = _roles_frames(rng).drop(columns=["prediction"]).assign(p_a=rng.random(200), p_b=rng.random(200))
    mapping = ColumnMapping(id="uid", prediction=["p_a", "p_b"])
    result = run_metric(DataDriftTable(), frame, frame, mapping)
    assert list(result.drift_by_columns) == ["target", "age", "visits", "plan"]


def test_explicit_columns_restrict_the_table(run_metric, rng):
    frame = _roles_frames(rng)
    result = run_metric(DataDriftTable(columns=["plan", "age"]), frame, frame)
    assert list(result.drift_by_columns) == ["plan", "age"]


def test_column_only_in_current_is_skipped(run_metric, rng):
    ref = pd.DataFrame({"x": rng.normal(size=100)})
    cur = ref.assign(extra=1.0)
    assert list(run_metric(DataDriftTable(), ref, cur).drift_by_columns) == ["x"]


def test_unknown_column_is_a_clear_error(rng):
    frame = pd.DataFrame({"x": rng.normal(size=50)})
    with pytest.raises(ColumnNotFoundError, match="nope"):
        Report(metrics=[DataDriftTable(columns=["nope"])]).run(reference_data=frame, current_data=frame)


def test_datetime_column_is_refused_by_column_drift(rng):
    frame = _roles_frames(rng)
    with pytest.raises(ConfigurationError, match="numerical, categorical and text"):
        Report(metrics=[ColumnDriftMetric("when")]).run(reference_data=frame, current_data=frame)


def test_drift_without_reference_names_the_fix(rng):
    report = Report(metrics=[ColumnDriftMetric("x")])
    report.run(current_data=pd.DataFrame({"x": rng.normal(size=50)}))
    entry = report.as_dict()["metrics"][0]
    assert "reference_data" in entry["error"]


# ---------------------------------------------------------------------------------- empty sides


@pytest.mark.parametrize(
    ("ref_values", "cur_values", "side"),
    [
        ([np.nan] * 50, list(range(50)), "reference"),
        (list(range(50)), [np.inf, -np.inf, np.nan] * 10, "current"),
    ],
)
def test_empty_side_gives_a_not_computable_message(run_metric, rng, ref_values, cur_values, side):
    ref = pd.DataFrame({"x": np.asarray(ref_values, dtype=float), "ok": rng.normal(size=50)})
    cur = pd.DataFrame({"x": np.asarray(cur_values, dtype=float), "ok": rng.normal(size=len(cur_values))})
    table = run_metric(DataDriftTable(), ref, cur, ColumnMapping(numerical_features=["x", "ok"]))
    x = table.drift_by_columns["x"]
    assert (
        x.message is not None and "not computable" in x.message and side in x.message and "'x'" in x.message
    )
    assert x.drift_detected is False and math.isnan(x.drift_score)
    assert table.number_of_columns == 2 and table.drift_by_columns["ok"].message is None

    single = run_metric(
        ColumnDriftMetric("x", stattest="psi"), ref, cur, ColumnMapping(numerical_features=["x", "ok"])
    )
    assert single.message == x.message
    assert (single.stattest, single.stattest_threshold) == ("psi", 0.1)


def test_empty_categorical_side(run_metric):
    ref = pd.DataFrame({"c": pd.Series([None] * 20, dtype=object)})
    cur = pd.DataFrame({"c": ["a", "b"] * 10})
    result = run_metric(ColumnDriftMetric("c"), ref, cur, ColumnMapping(categorical_features=["c"]))
    assert "not computable" in result.message and result.number_of_values_reference == 0


# ------------------------------------------------------------------------------------- snapshots


def test_drift_report_snapshot_round_trip(tmp_path, rng):
    ref = pd.DataFrame(
        {
            "x": rng.normal(size=300),
            "empty": np.nan,
            "c": rng.choice(list("ab"), 300),
            "target": rng.normal(size=300),
        }
    )
    cur = pd.DataFrame(
        {
            "x": rng.normal(1, size=200),
            "empty": 1.0,
            "c": rng.choice(list("abc"), 200),
            "target": rng.normal(size=200),
        }
    )
    report = Report(
        metrics=[
            DataDriftPreset(per_column_stattest={"x": "psi"}, stattest_threshold=0.2),
            ColumnDriftMetric("c", stattest=lambda r, c, t, thr: (0.5, True)),
        ]
    )
    report.run(
        reference_data=ref, current_data=cur, column_mapping=ColumnMapping(numerical_features=["x", "empty"])
    )
    path = report.save(tmp_path / "drift.json")
    loaded = Report.load(path)

    assert json.loads(loaded.json()) == json.loads(report.json())
    table = next(m for m in loaded.as_dict()["metrics"] if m["metric"] == "DataDriftTable")["result"]
    assert table["drift_by_columns"]["x"]["stattest"] == "psi"
    assert table["drift_by_columns"]["x"]["stattest_threshold"] == 0.2
    assert "not computable" in table["drift_by_columns"]["empty"]["message"]
    assert math.isnan(table["drift_by_columns"]["empty"]["drift_score"])
    custom = loaded.as_dict()["metrics"][-1]
    assert custom["result"]["stattest_name"] == "custom function '<lambda>'"
    assert loaded.get_html()  # renders from the snapshot without the data


def test_es_on_a_mostly_zero_column_is_that_columns_error_the_others_computed(run_metric, rng):
    """Deliberate (docs/evidently-compat.md): Evidently's ``es`` raises when the pooled interquartile range is
    0, which refuses the whole report; here that column alone is not computable, as scipy cannot scale it."""

    def gain(n: int) -> np.ndarray:
        return np.where(rng.random(n) < 0.08, 5000.0, 0.0)

    ref = pd.DataFrame({"gain": gain(300), "age": rng.normal(40, 10, 300)})
    cur = pd.DataFrame({"gain": gain(200), "age": rng.normal(45, 10, 200)})
    assert stats.iqr(np.hstack([ref["gain"], cur["gain"]])) == 0
    table = run_metric(
        DataDriftTable(per_column_stattest={"gain": "es", "age": "ks"}),
        ref,
        cur,
        ColumnMapping(numerical_features=["gain", "age"]),
    )
    gain_drift, age_drift = table.drift_by_columns["gain"], table.drift_by_columns["age"]
    assert "interquartile range of 0" in gain_drift.message and math.isnan(gain_drift.drift_score)
    assert age_drift.drift_score == pytest.approx(stats.ks_2samp(ref["age"], cur["age"]).pvalue, rel=1e-9)
    assert (table.number_of_columns, table.number_of_drifted_columns) == (2, int(age_drift.drift_detected))
