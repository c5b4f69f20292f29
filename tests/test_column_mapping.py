"""ColumnMapping -> DataDefinition: the one type-inference rule, roles, task inference, explicit lists."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from monitorflow import ColumnMapping, ColumnType, Report
from monitorflow.column_mapping import MAX_CATEGORICAL_INTEGER_VALUES, build_definition
from monitorflow.errors import ColumnNotFoundError, ConfigurationError
from monitorflow.metrics import DatasetSummaryMetric

NUM, CAT, TEXT, DT = ColumnType.NUMERICAL, ColumnType.CATEGORICAL, ColumnType.TEXT, ColumnType.DATETIME


def resolve(current, reference=None, mapping=None):
    return build_definition(mapping, current, reference)[0]


def test_max_categorical_integer_values_is_five():
    assert MAX_CATEGORICAL_INTEGER_VALUES == 5


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([0.5, 1.5, 2.5], NUM),
        ([1.0, 1.0, 1.0], NUM),  # float is numerical whatever its cardinality
        ([1, 2, 3, 4, 5] * 2, CAT),  # 5 distinct integers
        ([1, 2, 3, 4, 5, 6] * 2, NUM),  # 6 distinct integers
        ([1, 2, 3, 4, 5, None, None, 1], NUM),  # None makes pandas store floats
        ([True, False, True], CAT),
        (["a", "b", "a"], CAT),
        ([f"a long free text sentence number {i}" for i in range(50)], CAT),  # text is never inferred
        ([1, "a", 2.5], CAT),  # mixed object
    ],
)
def test_type_inference_rule(values, expected):
    frame = pd.DataFrame({"c": pd.Series(values)})
    assert resolve(frame).type_of("c") == expected


def test_type_inference_of_other_dtypes():
    frame = pd.DataFrame(
        {
            "cat_dtype": pd.Categorical(["x", "y", "x"]),
            "when": pd.date_range("2024-01-01", periods=3),
            "when_tz": pd.date_range("2024-01-01", periods=3, tz="Europe/Paris"),
            "nullable_small": pd.array([1, None, 2], dtype="Int64"),
            "nullable_big": pd.array(list(range(6))[:3], dtype="Int64"),
            "uint": np.array([1, 2, 3], dtype="uint8"),
            "int32_big": np.arange(3, dtype="int32"),
            "float32": np.array([1, 2, 3], dtype="float32"),
            "strings": pd.Series(["a", "b", None], dtype="string"),
            "boolean": pd.array([True, None, False], dtype="boolean"),
        }
    )
    definition = resolve(frame)
    assert definition.type_of("cat_dtype") == CAT
    assert definition.type_of("when") == DT
    assert definition.type_of("when_tz") == DT
    assert definition.type_of("nullable_small") == CAT
    assert definition.type_of("uint") == CAT
    assert definition.type_of("float32") == NUM
    assert definition.type_of("strings") == CAT
    assert definition.type_of("boolean") == CAT


def test_integer_cardinality_is_taken_from_the_reference_when_present():
    few = pd.DataFrame({"i": [1, 2, 3, 1]})
    many = pd.DataFrame({"i": list(range(20))})
    assert resolve(few).type_of("i") == CAT
    assert resolve(few, reference=many).type_of("i") == NUM
    assert resolve(many).type_of("i") == NUM
    assert resolve(many, reference=few).type_of("i") == CAT


def test_explicit_lists_win_over_inference():
    frame = pd.DataFrame(
        {
            "f": [0.1, 0.2, 0.3],
            "i": [1, 2, 1],
            "s": ["1", "2.5", ""],
            "t": ["some text", "more text", "x"],
            "d": ["2024-01-01", "2024-01-02", None],
        }
    )
    mapping = ColumnMapping(
        categorical_features=["f"],
        numerical_features=["i", "s"],
        text_features=["t"],
        datetime_features=["d"],
    )
    definition, current, _ = build_definition(mapping, frame, None)
    assert definition.type_of("f") == CAT
    assert definition.type_of("i") == NUM
    assert definition.type_of("s") == NUM
    assert definition.type_of("t") == TEXT
    assert definition.type_of("d") == DT
    # declared numerical columns are made numeric ("" is missing); numeric dtypes are kept
    assert pd.api.types.is_numeric_dtype(current["i"])
    assert current["s"].dtype == np.float64
    assert current["s"].tolist()[:2] == [1.0, 2.5]
    assert np.isnan(current["s"].iloc[2])
    assert pd.api.types.is_datetime64_any_dtype(current["d"])
    assert definition.text_features == ["t"]
    assert definition.numerical_features == ["i", "s"]


def test_a_column_in_two_lists_is_a_configuration_error():
    frame = pd.DataFrame({"a": [1.0, 2.0]})
    with pytest.raises(ConfigurationError, match="'a'"):
        resolve(frame, mapping=ColumnMapping(categorical_features=["a"], numerical_features=["a"]))


def test_default_role_names_are_used_only_when_present():
    frame = pd.DataFrame({"x": [1.0, 2.0]})
    definition = resolve(frame)
    assert definition.target is None
    assert definition.prediction is None
    assert definition.datetime is None
    assert definition.task is None
    with_roles = pd.DataFrame({"x": [1.0, 2.0], "target": [0, 1], "prediction": [1, 1]})
    definition = resolve(with_roles)
    assert definition.target == "target"
    assert definition.prediction == "prediction"
    assert definition.features == ["x"]
    assert definition.utility_columns == ["target", "prediction"]


def test_explicit_role_that_is_absent_is_an_error():
    frame = pd.DataFrame({"x": [1.0, 2.0]})
    for field in ("target", "prediction", "datetime", "id"):
        with pytest.raises(ColumnNotFoundError, match=f"column_mapping.{field}") as info:
            resolve(frame, mapping=ColumnMapping(**{field: "gone"}))
        assert "['x']" in str(info.value)
    with pytest.raises(ColumnNotFoundError, match="'p1'"):
        resolve(frame, mapping=ColumnMapping(prediction=["p1", "p2"]))


def test_a_mapping_resolves_the_same_after_a_json_round_trip():
    frame = pd.DataFrame({"x": [1.0, 2.0], "datetime": ["2024-01-01", "2024-01-02"], "p": [0.1, 0.9]})
    for mapping in (ColumnMapping(), ColumnMapping(prediction="p"), ColumnMapping(target=None, id="x")):
        again = ColumnMapping.model_validate_json(mapping.model_dump_json())
        assert resolve(frame, mapping=again) == resolve(frame, mapping=mapping)


def test_task_inference_from_the_target_type():
    regression = pd.DataFrame({"target": np.linspace(0, 1, 20), "prediction": np.linspace(0, 1, 20)})
    definition = resolve(regression)
    assert definition.task == "regression"
    assert definition.type_of("target") == NUM
    assert definition.labels is None

    classification = pd.DataFrame({"target": [0, 1, 2, 1, 0], "prediction": [0, 1, 1, 1, 0]})
    definition = resolve(classification)
    assert definition.task == "classification"
    assert definition.type_of("target") == CAT
    assert definition.labels == [0, 1, 2]

    many_ints = pd.DataFrame({"target": list(range(10))})
    assert resolve(many_ints).task == "regression"

    strings = pd.DataFrame({"target": ["yes", "no", "yes"]})
    assert resolve(strings).task == "classification"


def test_labels_are_the_union_of_reference_and_current_targets():
    current = pd.DataFrame({"target": ["b", "a", "b"]})
    reference = pd.DataFrame({"target": ["c", "a", None]})
    assert resolve(current, reference).labels == ["a", "b", "c"]
    named = ColumnMapping(target_names=["x", "y"])
    assert resolve(current, reference, named).labels == ["x", "y"]


def test_explicit_task_overrides_the_target_type():
    frame = pd.DataFrame({"target": [0, 1, 1, 0], "prediction": [0.2, 0.9, 0.6, 0.1]})
    definition = resolve(frame, mapping=ColumnMapping(task="regression"))
    assert definition.task == "regression"
    assert definition.type_of("target") == NUM
    assert definition.type_of("prediction") == NUM

    floats = pd.DataFrame({"target": np.linspace(0, 1, 10), "prediction": np.linspace(0, 1, 10)})
    definition = resolve(floats, mapping=ColumnMapping(task="classification"))
    assert definition.task == "classification"
    assert definition.type_of("target") == CAT
    # a float prediction under classification is a probability
    assert definition.type_of("prediction") == NUM

    labels = pd.DataFrame({"target": np.arange(10), "prediction": np.arange(10)})
    definition = resolve(labels, mapping=ColumnMapping(task="classification"))
    assert definition.type_of("prediction") == CAT


def test_prediction_probability_columns():
    frame = pd.DataFrame(
        {"target": ["a", "b", "a"], "a": [0.9, 0.2, 0.7], "b": [0.1, 0.8, 0.3], "f": [1.0, 2, 3]}
    )
    definition = resolve(frame, mapping=ColumnMapping(prediction=["a", "b"]))
    assert definition.prediction_probas == ["a", "b"]
    assert definition.prediction is None
    assert definition.type_of("a") == NUM
    assert definition.task == "classification"
    assert definition.features == ["f"]


def test_columns_in_only_one_dataset_are_skipped_and_reported():
    current = pd.DataFrame({"a": [1.0], "b": [2.0], 3: ["x"]})
    reference = pd.DataFrame({"a": [1.0], "c": [5], 3: ["y"]})
    definition = resolve(current, reference)
    assert definition.column_names == ["a", 3]
    assert definition.skipped_columns == {"only_in_current": ["b"], "only_in_reference": ["c"]}
    assert definition.reference_present
    report = Report(metrics=[DatasetSummaryMetric()])
    report.run(reference_data=reference, current_data=current)
    assert report.data_definition.skipped_columns == {"only_in_current": ["b"], "only_in_reference": ["c"]}
    snapshot = report.to_snapshot()
    assert snapshot.data_definition.skipped_columns["only_in_reference"] == ["c"]
    assert snapshot.model_dump(mode="json")["data_definition"]["skipped_columns"]["only_in_current"] == ["b"]


def test_id_and_datetime_roles():
    frame = pd.DataFrame(
        {"uid": [1, 2, 3, 4, 5, 6, 7], "ts": pd.date_range("2024-01-01", periods=7), "x": np.arange(7.0)}
    )
    definition = resolve(frame, mapping=ColumnMapping(id="uid", datetime="ts"))
    assert definition.id == "uid"
    assert definition.datetime == "ts"
    assert definition.features == ["x"]
    assert definition.numerical_features == ["x"]
    assert definition.type_of("ts") == DT


def test_integer_column_names_resolve():
    frame = pd.DataFrame({0: [1.0, 2.0], 1: ["a", "b"], 2: [1, 2]})
    definition = resolve(frame, mapping=ColumnMapping(numerical_features=[0, 2], categorical_features=[1]))
    assert definition.type_of(0) == NUM
    assert definition.type_of(1) == CAT
    assert definition.type_of(2) == NUM
    inferred = resolve(frame)
    assert [inferred.type_of(c) for c in (0, 1, 2)] == [NUM, CAT, CAT]  # two distinct integers: categorical


def test_an_explicit_list_is_the_whole_of_its_kind():
    """As in Evidently: numerical_features=[...] leaves an unlisted float column out of the run (and an
    unlisted few-valued integer column, categorical by inference, stays while categorical_features is
    not given); target and prediction stay whatever the lists say."""
    frame = pd.DataFrame(
        {
            "f": [1.0, 2.5, 3.0],
            "g": [0.5, 0.1, 0.2],
            "i": [1, 2, 1],
            "s": ["a", "b", "a"],
            "target": [1.0, 2.0, 3.0],
            "prediction": [1.5, 2.0, 2.5],
        }
    )
    definition = resolve(frame, mapping=ColumnMapping(numerical_features=["f"]))
    assert definition.column_names == ["f", "i", "s", "target", "prediction"]
    assert definition.skipped_columns["not_in_feature_lists"] == ["g"]
    only_cat = resolve(frame, mapping=ColumnMapping(numerical_features=["f"], categorical_features=["s"]))
    assert only_cat.features == ["f", "s"]
    assert only_cat.skipped_columns["not_in_feature_lists"] == ["g", "i"]


def test_mapping_rejects_unknown_fields():
    with pytest.raises(ValueError):
        ColumnMapping(targt="y")  # typo
