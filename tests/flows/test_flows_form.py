"""The flows' parameter schema, which the Prefect UI draws as a form and the API enforces."""

from __future__ import annotations

import re

import pytest
from prefect.utilities.callables import parameter_schema

from monitorflow.checks import TESTS
from monitorflow.flows import backfill_flow, ground_truth_flow, monitor_flow
from monitorflow.metrics import METRICS

FLOWS = [monitor_flow, backfill_flow, ground_truth_flow]


def schema_of(flow) -> dict:  # noqa: ANN001
    return parameter_schema(flow.fn).model_dump_for_openapi()


@pytest.mark.parametrize("flow", FLOWS, ids=lambda f: f.name)
def test_every_field_has_a_plain_sentence(flow) -> None:  # noqa: ANN001
    schema = schema_of(flow)
    described = [("flow", name, prop) for name, prop in schema["properties"].items()]
    for model, definition in schema["definitions"].items():
        assert "``" not in definition.get("description", "") and ">>>" not in definition.get(
            "description", ""
        )
        described += [(model, name, prop) for name, prop in definition.get("properties", {}).items()]
    for model, name, prop in described:
        text = prop.get("description", "")
        assert text, f"{model}.{name} has no description"
        assert not re.search(r"``|:class:|:mod:|>>>|\n\n", text), f"{model}.{name}: {text!r}"
        assert text[0].isupper() and text.rstrip(")").endswith("."), f"{model}.{name}: {text!r}"


def test_metric_and_test_names_are_enums() -> None:
    definitions = schema_of(monitor_flow)["definitions"]
    metric_names = set(definitions["MetricSpec"]["properties"]["name"]["enum"])
    test_names = set(definitions["TestSpec"]["properties"]["name"]["enum"])
    assert set(METRICS) <= metric_names and {"DataDriftPreset", "ClassificationPreset"} <= metric_names
    assert set(TESTS) <= test_names and {"DataStabilityTestPreset"} <= test_names
    assert "DataDriftPrest" not in metric_names


def test_lengths_are_shown_as_people_write_them() -> None:
    monitor = schema_of(monitor_flow)["definitions"]["Monitor"]["properties"]
    assert monitor["window"]["type"] == "string" and monitor["window"]["default"] == "1d"
    assert monitor["delay"]["default"] == "0s"
    assert all(re.fullmatch(monitor["window"]["pattern"], x) for x in ("1d", "6 hours", "1mo", "P1D", "3600"))


def test_the_common_fields_come_first() -> None:
    order = list(schema_of(monitor_flow)["definitions"]["Monitor"]["properties"])
    assert order[:9] == [
        "name",
        "project",
        "current",
        "reference",
        "metrics",
        "tests",
        "window",
        "segments",
        "model_version",
    ]
    assert order.index("ground_truth") > order.index("column_mapping") > order.index("model_version")
