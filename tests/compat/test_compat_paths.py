"""Evidently's per-file import paths give the very objects of monitorflow's public packages.

Evidently 0.4 code imports a class from the file that defines it (``evidently.metrics.data_drift.
column_drift_metric.ColumnDriftMetric``) as often as from its package (``evidently.metrics``). monitorflow
keeps one class in one place and adds thin re-export modules at Evidently's paths; these tests take the
pairs from Evidently's own surface (``evidently_surface.json``), so a path that gives a copy, another
class or nothing fails here.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from typing import get_args

import pytest

import monitorflow
from tests.compat.compat_surface import SURFACE, _difference

#: Evidently package -> the per-file modules under it re-export its names.
FAMILIES = ("metrics", "tests", "metric_preset", "test_preset", "descriptors")
MODULES: dict[str, dict] = json.loads(SURFACE.read_text())["modules"]

#: Public Evidently classes monitorflow does not implement yet (their per-file modules are missing too).
NOT_IMPLEMENTED = {"RegressionPerformanceMetrics"}


def _package_names_at_file_paths() -> list[tuple[str, str, str]]:
    """(file module, name, package) where Evidently's package exports the file module's own class."""
    pairs = []
    for package in FAMILIES:
        exported = MODULES[package]["names"]
        for path, entry in sorted(MODULES.items()):
            if not path.startswith(package + ".") or _difference(path):
                continue  # a deliberately different module (docs/evidently-compat.md) is no pair
            for name, info in sorted(entry["names"].items()):
                if name in exported and exported[name]["origin"] == info["origin"]:
                    pairs.append((path, name, package))
    return pairs


PAIRS = _package_names_at_file_paths()


def test_the_pairs_cover_every_family():
    families = {package for _, _, package in PAIRS}
    assert families == set(FAMILIES)
    assert len(PAIRS) > 200


@pytest.mark.parametrize(("path", "name", "package"), PAIRS, ids=[f"{p}:{n}" for p, n, _ in PAIRS])
def test_a_file_path_gives_the_package_object(path, name, package):
    if name in NOT_IMPLEMENTED:
        assert not hasattr(importlib.import_module(f"monitorflow.{package}"), name), f"{name} exists now"
        return
    ours = getattr(importlib.import_module(f"monitorflow.{package}"), name)
    at_path = getattr(importlib.import_module(f"monitorflow.{path}"), name)
    assert at_path is ours


def _metric_results_at_file_paths() -> list[tuple[str, str, str]]:
    """(file module, metric, result name) for Evidently's ``<Metric>Result(s)`` beside its metric."""
    pairs = []
    for path, entry in sorted(MODULES.items()):
        if not path.startswith("metrics.") or _difference(path):
            continue
        names = entry["names"]
        for metric, info in names.items():
            if info["kind"] != "metric" or metric in NOT_IMPLEMENTED or _difference(f"{path}:{metric}"):
                continue
            for suffix in ("Result", "Results"):
                if metric + suffix in names:
                    pairs.append((path, metric, metric + suffix))
    return pairs


RESULTS = _metric_results_at_file_paths()


@pytest.mark.parametrize(("path", "metric", "result"), RESULTS, ids=[f"{p}:{r}" for p, _, r in RESULTS])
def test_a_result_name_is_the_metric_result_type(path, metric, result):
    module = importlib.import_module(f"monitorflow.{path}")
    assert getattr(module, result) is getattr(module, metric).result_type


def test_report_and_test_suite_modules():
    from monitorflow.report.report import Report
    from monitorflow.test_suite.test_suite import TestSuite

    assert Report is monitorflow.Report
    assert TestSuite is monitorflow.TestSuite


def test_metric_results_are_the_types_inside_metric_results():
    from monitorflow.metric_results import ConfusionMatrix, Distribution, PRCurveData
    from monitorflow.metrics import (
        ClassificationConfusionMatrix,
        ClassificationPRCurve,
        ColumnDistributionMetric,
    )

    assert (
        ClassificationConfusionMatrix.result_type.model_fields["current_matrix"].annotation is ConfusionMatrix
    )
    assert ColumnDistributionMetric.result_type.model_fields["current"].annotation is Distribution
    curves = ClassificationPRCurve.result_type.model_fields[
        "current_pr_curve"
    ].annotation  # dict[str, X] | None
    assert get_args(get_args(curves)[0]) == (str, PRCurveData)


def test_import_monitorflow_loads_no_compat_module():
    code = (
        "import sys, monitorflow, monitorflow.metrics, monitorflow.tests;"
        "print('\\n'.join(m for m in sys.modules if m.startswith('monitorflow')))"
    )
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True
        ).stdout.split()
    )
    compat = {
        "monitorflow.metric_results",
        "monitorflow.report.report",
        "monitorflow.test_suite.test_suite",
        "monitorflow.metrics.data_drift.column_drift_metric",
        "monitorflow.metrics.classification_performance",
        "monitorflow.tests.data_drift_tests",
        "monitorflow.descriptors.text_length_descriptor",
    }
    assert not loaded & compat
