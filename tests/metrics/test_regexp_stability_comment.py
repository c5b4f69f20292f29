"""ColumnRegExpMetric + TestColumnRegExp, DataQualityStabilityMetric and Comment.

Expected numbers come from plain Python (``re.match`` on ``str(value)``, ``collections.Counter``) and
from pandas ``groupby``, never from our own output. Values marked "Evidently 0.7.23" were checked by
hand in ``.venv-evidently`` (frames parquet cannot carry, e.g. mixed object columns); the rest is
compared with Evidently by test_integrity_evidently_parity.py.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitorflow import ColumnMapping, Report, Snapshot, TestSuite
from monitorflow.checks import TestColumnRegExp, TestStatus
from monitorflow.errors import ColumnNotFoundError, ConfigurationError, MonitoringError
from monitorflow.metrics import (
    ColumnRegExpMetric,
    Comment,
    ConflictTargetMetric,
    DataQualityStabilityMetric,
)
from monitorflow.render import render_snapshot
from tests.metrics.metric_runs import run_metric, run_test

S, F, E = TestStatus.SUCCESS, TestStatus.FAIL, TestStatus.ERROR
EVIL = "<script>alert(1)</script>"
ZIP = r"\d{5}$"


def expected_stat(values: pd.Series, reg_exp: str, top: int = 10) -> dict:
    """Evidently's definition in plain Python: missing values skipped, ``re.match`` on ``str(value)``."""
    matched, not_matched = Counter(), Counter()
    for value in values.tolist():
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            continue
        text = str(value)
        (matched if re.match(reg_exp, text) else not_matched)[text] += 1

    def most_common(counter: Counter) -> dict[str, int]:  # ties: first seen first (sorted is stable)
        return dict(sorted(counter.items(), key=lambda kv: -kv[1])[:top])

    return {
        "number_of_matched": sum(matched.values()),
        "number_of_not_matched": sum(not_matched.values()),
        "number_of_rows": len(values),
        "table_of_matched": most_common(matched),
        "table_of_not_matched": most_common(not_matched),
    }


def as_dict(stat) -> dict:
    return stat.model_dump()


def zip_codes(seed: int, n: int, bad_share: float = 0.1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    good = [f"{z:05d}" for z in rng.integers(0, 100_000, n)]
    bad = rng.choice(["1234", "ABCDE", "12345-678", " 12345", "x", ""], n)
    codes = np.where(rng.random(n) < bad_share, bad, good).astype(object)
    codes[rng.random(n) < 0.05] = None
    return pd.DataFrame({"zip": codes, "n": rng.integers(0, 3, n)})


# ------------------------------------------------------------------------------ regexp metric


@pytest.mark.parametrize("with_reference", [False, True])
def test_regexp_counts_and_top_tables_match_plain_python(with_reference):
    current, reference = zip_codes(1, 3000, 0.15), zip_codes(2, 1000, 0.05)
    metric = ColumnRegExpMetric(column_name="zip", reg_exp=ZIP, top=4)
    result = run_metric(metric, current, reference if with_reference else None)
    assert (result.column_name, result.reg_exp, result.top) == ("zip", ZIP, 4)
    assert as_dict(result.current) == expected_stat(current["zip"], ZIP, top=4)
    if with_reference:
        assert as_dict(result.reference) == expected_stat(reference["zip"], ZIP, top=4)
    else:
        assert result.reference is None
    # missing values are neither matched nor mismatched but are rows
    missing = int(current["zip"].isna().sum())
    assert missing > 0
    assert result.current.number_of_matched + result.current.number_of_not_matched == len(current) - missing


def test_regexp_matches_at_the_start_like_re_match_not_the_whole_value():
    frame = pd.DataFrame({"v": ["abc123", "abc", "xabc", "ab"]})
    prefix = run_metric(ColumnRegExpMetric("v", "abc"), frame).current
    assert prefix.table_of_matched == {"abc123": 1, "abc": 1}
    assert prefix.table_of_not_matched == {"xabc": 1, "ab": 1}
    whole = run_metric(ColumnRegExpMetric("v", "abc$"), frame).current
    assert whole.table_of_matched == {"abc": 1}
    assert whole.number_of_not_matched == 3
    anywhere = run_metric(ColumnRegExpMetric("v", ".*abc"), frame).current
    assert anywhere.number_of_matched == 3


def test_regexp_skips_every_kind_of_missing_value():
    frame = pd.DataFrame({"v": pd.Series(["a", None, np.nan, pd.NA, "b", pd.NaT, "a"], dtype=object)})
    result = run_metric(ColumnRegExpMetric("v", "a"), frame).current
    assert (result.number_of_matched, result.number_of_not_matched, result.number_of_rows) == (2, 1, 7)
    nullable = pd.DataFrame({"v": pd.array([1, None, 11], dtype="Int64")})
    result = run_metric(ColumnRegExpMetric("v", "1+$"), nullable).current
    assert (result.number_of_matched, result.number_of_not_matched, result.number_of_rows) == (2, 0, 3)


def test_regexp_on_non_string_columns_matches_their_text():
    frame = pd.DataFrame(
        {
            "i": [1, 22, 333, 22],
            "f": [1.5, np.inf, np.nan, -0.0],
            "b": [True, False, True, True],
            "d": pd.to_datetime(["2024-01-05", None, "2023-12-31", "2024-02-01"]),
        }
    )
    for column, pattern in (("i", r"\d\d$"), ("f", r"-?\d"), ("b", "T"), ("d", "2024-")):
        result = run_metric(ColumnRegExpMetric(column, pattern), frame).current
        assert as_dict(result) == expected_stat(frame[column], pattern), column
    assert run_metric(ColumnRegExpMetric("f", "inf"), frame).current.table_of_matched == {"inf": 1}


def test_regexp_keeps_negative_and_positive_zero_and_float32_text_apart():
    frame = pd.DataFrame({"f": np.array([0.0, -0.0, 0.1, 0.0], dtype="float32")})
    result = run_metric(ColumnRegExpMetric("f", "0"), frame).current
    # Evidently 0.7.23: str() of each value as a Python float
    assert result.table_of_matched == {"0.0": 2, "0.10000000149011612": 1}
    assert result.table_of_not_matched == {"-0.0": 1}


def test_regexp_on_a_mixed_object_column_as_evidently():
    """Evidently 0.7.23 on this column: matched 7, not matched 6; 1, 1.0 and True are three texts."""
    values = ["10115", "1011", None, "ABCDE", "1011", 12345, 1.5, True, 1, 1.0, np.nan, "b", "a", "b", "a"]
    frame = pd.DataFrame({"v": pd.Series(values, dtype=object)})
    result = run_metric(ColumnRegExpMetric("v", r"\d", top=3), frame).current
    assert result.number_of_matched == 7
    assert result.number_of_not_matched == 6
    assert result.number_of_rows == 15
    assert result.table_of_matched == {"1011": 2, "10115": 1, "12345": 1}
    assert result.table_of_not_matched == {"b": 2, "a": 2, "ABCDE": 1}
    assert as_dict(result) == expected_stat(frame["v"], r"\d", top=3)
    full = run_metric(ColumnRegExpMetric("v", r"\d"), frame).current.table_of_matched
    assert {"1": 1, "1.0": 1, "1.5": 1}.items() <= full.items()


def test_regexp_top_ties_keep_the_order_of_first_appearance():
    frame = pd.DataFrame({"v": ["c", "a", "b", "a", "b", "c", "d", "e", "e", "e"]})
    result = run_metric(ColumnRegExpMetric("v", "z", top=3), frame).current
    assert list(result.table_of_not_matched.items()) == [("e", 3), ("c", 2), ("a", 2)]
    assert result.table_of_matched == {}


def test_regexp_on_integer_column_names_and_categoricals():
    frame = pd.DataFrame({7: pd.Categorical(["ok", "bad", "ok", None])})
    result = run_metric(ColumnRegExpMetric(7, "ok$"), frame)
    assert result.column_name == 7
    assert as_dict(result.current) == {
        "number_of_matched": 2,
        "number_of_not_matched": 1,
        "number_of_rows": 4,
        "table_of_matched": {"ok": 2},
        "table_of_not_matched": {"bad": 1},
    }


def test_regexp_metric_is_computed_once_for_metric_and_test():
    frame = zip_codes(3, 200)
    report = Report(
        metrics=[ColumnRegExpMetric("zip", ZIP), ColumnRegExpMetric(column_name="zip", reg_exp=ZIP)]
    )
    report.run(current_data=frame)
    assert len(report.as_dict()["metrics"]) == 1
    assert ColumnRegExpMetric("zip", ZIP).params() == {"column_name": "zip", "reg_exp": ZIP}


@pytest.mark.parametrize(
    ("reg_exp", "words"),
    [
        ("[a-", ["'[a-'", "not a valid regular expression", "re.escape"]),
        ("(", ["'('", "not a valid regular expression"]),
        (5, ["must be a string", "int 5", "reg_exp=r'"]),
        (None, ["must be a string", "None"]),
        ("", ["empty", "reg_exp=r'"]),
        (re.compile("ab", re.IGNORECASE), ["compiled pattern", "reg_exp='ab'", "(?i)"]),
    ],
)
@pytest.mark.parametrize("make", [ColumnRegExpMetric, TestColumnRegExp])
def test_bad_reg_exp_fails_at_construction_naming_column_value_and_fix(make, reg_exp, words):
    with pytest.raises(ConfigurationError) as info:
        make("email", reg_exp)
    message = str(info.value)
    assert isinstance(info.value, MonitoringError)
    assert info.value.argument == "reg_exp"
    assert f"{make.__name__}(column_name='email')" in message
    for word in words:
        assert word in message


def test_bad_top_and_unknown_arguments_are_configuration_errors():
    with pytest.raises(ConfigurationError, match="top"):
        ColumnRegExpMetric("zip", ZIP, top=0)
    with pytest.raises(ConfigurationError, match="colour"):
        ColumnRegExpMetric("zip", ZIP, colour="red")


def test_regexp_on_a_missing_column_names_it_and_the_available_ones():
    frame = zip_codes(4, 50)
    with pytest.raises(ColumnNotFoundError) as info:
        run_metric(ColumnRegExpMetric("email", ZIP), frame)
    assert "'email'" in str(info.value) and "available columns: ['zip', 'n']" in str(info.value)
    only_current = frame.assign(email="a@b.c")
    with pytest.raises(ColumnNotFoundError, match="reference_data"):
        run_metric(ColumnRegExpMetric("email", ".*"), only_current, frame)


@settings(max_examples=settings().max_examples * 3 // 2)
@given(
    values=st.lists(
        st.one_of(st.none(), st.sampled_from(["a1", "1a", "", "ab", "A", "é1"]), st.text(max_size=4)),
        min_size=1,
        max_size=40,
    ),
    reg_exp=st.sampled_from([r"a", r"\d", r"(?i)a", r"^$", r".", r"[a-z]+\d?$"]),
    top=st.integers(1, 4),
)
def test_regexp_agrees_with_plain_python_on_any_strings(values, reg_exp, top):
    frame = pd.DataFrame({"v": pd.Series(values, dtype=object)})
    result = run_metric(ColumnRegExpMetric("v", reg_exp, top=top), frame)
    assert as_dict(result.current) == expected_stat(frame["v"], reg_exp, top=top)


# ------------------------------------------------------------------------------- regexp test


def test_regexp_test_without_reference_allows_no_mismatch():
    clean = pd.DataFrame({"zip": ["10115", "20095", None]})
    result = run_test(TestColumnRegExp("zip", ZIP), clean)
    assert result.status == S
    assert result.parameters["condition"] == {"lte": 0}
    assert result.parameters["value"] == 0
    dirty = clean.assign(zip=["10115", "2009", "x"])
    result = run_test(TestColumnRegExp("zip", ZIP), dirty)
    assert result.status == F
    assert result.parameters["value"] == 2
    assert result.parameters["top_not_matched"] == {"2009": 1, "x": 1}
    assert "'zip'" in result.description and ZIP in result.description


def _frame_with_mismatches(n: int, mismatched: int) -> pd.DataFrame:
    return pd.DataFrame({"zip": ["bad"] * mismatched + ["12345"] * (n - mismatched)})


def test_regexp_test_with_reference_scales_by_rows_and_allows_ten_percent_more():
    reference = _frame_with_mismatches(100, 10)  # 10 per 100 rows; current has 200 rows: 20, +10% = 22
    condition = run_test(TestColumnRegExp("zip", ZIP), _frame_with_mismatches(200, 22), reference)
    assert condition.parameters["condition"] == {"lte": {"value": 20.0, "relative": 0.1, "absolute": 1e-12}}
    assert condition.parameters["reference_value"] == 10
    assert condition.status == S
    assert run_test(TestColumnRegExp("zip", ZIP), _frame_with_mismatches(200, 23), reference).status == F
    # one-sided: fewer mismatches than the reference never fails (Evidently's eq would)
    assert run_test(TestColumnRegExp("zip", ZIP), _frame_with_mismatches(200, 0), reference).status == S


def test_regexp_test_explicit_condition_wins_and_non_critical_warns():
    reference = _frame_with_mismatches(100, 50)
    current = _frame_with_mismatches(100, 3)
    assert run_test(TestColumnRegExp("zip", ZIP, lte=2), current, reference).status == F
    assert (
        run_test(TestColumnRegExp("zip", ZIP, lte=2, is_critical=False), current).status == TestStatus.WARNING
    )
    assert run_test(TestColumnRegExp(column_name="zip", reg_exp=ZIP, eq=3), current).status == S


def test_regexp_test_on_a_missing_column_is_an_error_not_a_crash():
    result = run_test(TestColumnRegExp("email", ZIP), zip_codes(5, 40))
    assert result.status == E
    assert "'email'" in result.description


# ---------------------------------------------------------------------------------- stability


def pandas_not_stable(frame: pd.DataFrame, features: list, outcome) -> int:
    """Evidently's definition by group sizes: rows whose features repeat (missing equal to missing)
    while their (features, label) combination does not."""
    outcome = outcome if isinstance(outcome, list) else [outcome]
    ones = frame.assign(_one=1)

    def size(keys: list) -> pd.Series:
        return ones.groupby(keys, dropna=False)["_one"].transform("size")

    return int(((size(features) > 1) & (size(features + outcome) == 1)).sum())


def labelled(seed: int, n: int = 600) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "age": rng.integers(20, 25, n).astype(float),
            "plan": rng.choice(["basic", "pro", None], n, p=[0.5, 0.4, 0.1]).astype(object),
            "when": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 3, n), unit="D"),
            "target": rng.integers(0, 3, n),
            "prediction": rng.integers(0, 4, n),
        }
    )
    frame.loc[rng.random(n) < 0.05, "age"] = np.nan
    return frame


MAPPING = ColumnMapping(target="target", prediction="prediction", datetime="when")


def test_stability_counts_match_pandas_group_sizes():
    frame = labelled(1)
    result = run_metric(DataQualityStabilityMetric(), frame, mapping=MAPPING)
    features = ["age", "plan", "when"]  # every column but target and prediction, as in Evidently
    assert result.number_not_stable_target == pandas_not_stable(frame, features, "target")
    assert result.number_not_stable_prediction == pandas_not_stable(frame, features, "prediction")
    assert 0 < result.number_not_stable_target < len(frame)
    assert 0 < result.number_not_stable_prediction < len(frame)
    report = Report(metrics=[DataQualityStabilityMetric()])
    report.run(current_data=frame, reference_data=labelled(2), column_mapping=MAPPING)
    assert report.result(DataQualityStabilityMetric()) == result  # the reference changes nothing


def test_stability_counts_the_rows_whose_label_is_alone_in_their_group():
    """Targets 0, 0, 1 on equal features: only the 1 (ConflictTargetMetric counts all 3 rows)."""
    frame = pd.DataFrame(
        {"x": [1, 1, 1, 2, 3, 3], "target": [0, 0, 1, 1, 5, 5], "prediction": [1, 1, 1, 0, 0, 1]}
    )
    mapping = ColumnMapping(target="target", prediction="prediction")
    result = run_metric(DataQualityStabilityMetric(), frame, mapping=mapping)
    assert result.number_not_stable_target == 1
    assert result.number_not_stable_prediction == 2
    assert run_metric(ConflictTargetMetric(), frame, mapping=mapping).number_not_stable_target == 3


def test_stability_without_target_or_prediction_gives_none():
    frame = labelled(3).drop(columns=["prediction"])
    result = run_metric(
        DataQualityStabilityMetric(), frame, mapping=ColumnMapping(target="target", prediction=None)
    )
    assert result.number_not_stable_prediction is None
    assert result.number_not_stable_target == pandas_not_stable(frame, ["age", "plan", "when"], "target") > 0
    nothing = run_metric(
        DataQualityStabilityMetric(),
        frame.drop(columns=["target"]),
        mapping=ColumnMapping(target=None, prediction=None),
    )
    assert (nothing.number_not_stable_target, nothing.number_not_stable_prediction) == (None, None)


def test_stability_with_probabilities_compares_the_tuple_of_probabilities():
    frame = pd.DataFrame(
        {"x": ["a", "a", "b", "b", "c"], "target": ["p", "q", "p", "p", "q"], "p": [0.2, 0.2, 0.1, 0.3, 0.5]}
    )
    frame["q"] = 1 - frame["p"]
    mapping = ColumnMapping(target="target", prediction=["p", "q"])
    result = run_metric(DataQualityStabilityMetric(), frame, mapping=mapping)
    assert result.number_not_stable_target == 2  # group "a": two labels, each alone
    assert result.number_not_stable_prediction == 2  # group "b"
    assert result.number_not_stable_prediction == pandas_not_stable(frame, ["x"], ["p", "q"])


def test_stability_without_feature_columns_is_zero():
    frame = pd.DataFrame({"target": [0, 1, 0], "prediction": [1, 1, 0]})
    result = run_metric(
        DataQualityStabilityMetric(), frame, mapping=ColumnMapping(target="target", prediction="prediction")
    )
    assert (result.number_not_stable_target, result.number_not_stable_prediction) == (0, 0)


# ------------------------------------------------------------------------------------ comment


def test_comment_keeps_its_text_and_computes_nothing():
    note = Comment("Model v3 <retrained>\n\nsee ticket #12")
    result = run_metric(note, pd.DataFrame({"x": [1, 2, 3]}))
    assert result.text == "Model v3 <retrained>\n\nsee ticket #12"
    assert Comment(text="a") == Comment("a")


def test_comment_text_must_be_a_string():
    with pytest.raises(ConfigurationError, match="text"):
        Comment(42)


# ----------------------------------------------------------------------------- snapshot + HTML


def _full_report() -> Report:
    current, reference = labelled(4, 300), labelled(5, 200)
    for frame, seed in ((current, 6), (reference, 7)):
        frame[EVIL] = zip_codes(seed, len(frame), 0.2)["zip"].to_numpy()
        frame.loc[frame.index[:40], EVIL] = "<script>bad()</script>"  # the most frequent mismatch
    report = Report(
        metrics=[
            Comment(f"Weekly check {EVIL}\n\nsecond paragraph & more"),
            ColumnRegExpMetric(EVIL, ZIP, top=5),
            DataQualityStabilityMetric(),
        ]
    )
    report.run(current_data=current, reference_data=reference, column_mapping=MAPPING)
    return report


def test_snapshot_round_trip_keeps_config_and_results(tmp_path: Path):
    report = _full_report()
    path = report.save(tmp_path / "r.json")
    stored = json.loads(path.read_text())
    assert "table_of_not_matched" in json.dumps(stored)
    loaded = Report.load(path)
    for metric in report.metrics:
        assert loaded.result(metric) == report.result(metric)
    again = Snapshot.model_validate_json(loaded.to_snapshot().model_dump_json())
    assert [e.type for e in again.metrics] == ["Comment", "ColumnRegExpMetric", "DataQualityStabilityMetric"]
    assert again.metrics[0].result == {"text": f"Weekly check {EVIL}\n\nsecond paragraph & more"}
    assert again.metrics[1].params == {"column_name": EVIL, "reg_exp": ZIP, "top": 5}


def test_test_suite_snapshot_round_trip(tmp_path: Path):
    suite = TestSuite(tests=[TestColumnRegExp("zip", ZIP)])
    suite.run(current_data=zip_codes(8, 100), reference_data=zip_codes(9, 100))
    assert suite.results[0].status != TestStatus.ERROR, suite.results[0].description
    loaded = TestSuite.load(suite.save(tmp_path / "s.json"))
    assert loaded.results == suite.results
    assert loaded.results[0].parameters["column_name"] == "zip"


def test_html_shows_all_three_and_escapes_column_names_values_and_comment():
    report = _full_report()
    page = render_snapshot(report.to_snapshot())
    assert "<script" not in page.lower()
    assert "Weekly check &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "second paragraph &amp; more" in page
    assert "&lt;script&gt;bad()&lt;/script&gt;" in page  # a mismatched value in the top table
    result = report.result(ColumnRegExpMetric(EVIL, ZIP, top=5))
    start = page.index("<h3>ColumnRegExpMetric</h3>")
    card = page[start : page.index("</section>", start)]
    assert "current: top 5 mismatched values" in card and "reference: top 5 mismatched values" in card
    for value, count in result.current.table_of_not_matched.items():
        assert (
            f'<th scope="row" class="mono">{value.replace("<", "&lt;").replace(">", "&gt;")}</th><td '
            f'class="num">{count}</td>' in card
        )
    stability = report.result(DataQualityStabilityMetric())
    start = page.index("<h3>DataQualityStabilityMetric</h3>")
    card = page[start : page.index("</section>", start)]
    assert f'<div class="tile-value">{stability.number_not_stable_target}</div>' in card
    assert "not stable prediction" in card


def test_html_of_a_regexp_test_suite_escapes_the_column():
    frame = pd.DataFrame({EVIL: ["12345", "<b>", None]})
    suite = TestSuite(tests=[TestColumnRegExp(EVIL, ZIP)])
    suite.run(current_data=frame)
    page = suite.get_html()
    assert "<script" not in page.lower() and "&lt;script&gt;" in page
    assert suite.results[0].status == F


def test_html_of_stability_without_prediction_shows_a_dash():
    frame = labelled(10, 50).drop(columns=["prediction"])
    report = Report(metrics=[DataQualityStabilityMetric()])
    report.run(
        current_data=frame, column_mapping=ColumnMapping(target="target", prediction=None, datetime="when")
    )
    page = report.get_html()
    start = page.index("<h3>DataQualityStabilityMetric</h3>")
    assert '<span class="none">—</span>' in page[start : page.index("</section>", start)]


def test_comment_text_is_shown_once_in_its_card_and_not_in_the_contents():
    note = Comment("unique note text 7c1f")
    report = Report(metrics=[note, ColumnRegExpMetric("zip", ZIP)])
    report.run(current_data=zip_codes(10, 50), reference_data=zip_codes(11, 50))
    page = render_snapshot(report.to_snapshot())
    assert page.count("unique note text 7c1f") == 1
    assert "reg_exp: " in page  # other metrics keep their parameter chips
