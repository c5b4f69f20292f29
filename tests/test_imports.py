"""``import monitorflow`` stays light: no Prefect, SQLAlchemy or boto3 at import time."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("prefect", "sqlalchemy", "boto3", "botocore")

SCRIPT = """
import json, sys
import monitorflow
from monitorflow import Report, TestSuite, ColumnMapping, Snapshot, snapshot
from monitorflow.metrics import DatasetSummaryMetric
from monitorflow.checks import TestNumberOfRows
from monitorflow.metric_preset import DataQualityPreset
from monitorflow.test_preset import DataStabilityTestPreset, DataQualityTestPreset
heavy = %r
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in heavy)))
"""


def test_import_monitorflow_does_not_import_prefect_sqlalchemy_or_boto3():
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT % (HEAVY,)], capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_public_api_names():
    import monitorflow

    for name in ("Report", "TestSuite", "ColumnMapping", "Snapshot", "snapshot", "MonitoringError", "approx"):
        assert hasattr(monitorflow, name), name
    assert callable(monitorflow.snapshot.load)
    assert monitorflow.TestSuite.__test__ is False


def test_import_monitorflow_defers_scipy_stats_and_sklearn():
    """Statistical tests load scipy.stats on first use, so importing the package stays fast."""
    script = (
        "import json, sys, monitorflow; "
        "print(json.dumps([m for m in ('scipy.stats', 'sklearn') if m in sys.modules]))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def _modules_after(statement: str, prefixes: tuple[str, ...]) -> list[str]:
    script = (
        f"import json, sys\n{statement}\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.startswith({prefixes!r}))))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_import_monitorflow_loads_public_names_on_first_use():
    """``import monitorflow`` alone loads neither pandas nor the metric library (the command line and
    the service start without them); each public name still resolves, and ``import *`` gives them all."""
    assert _modules_after("import monitorflow", ("pandas", "monitorflow.metrics", "monitorflow.checks")) == []
    import monitorflow

    namespace: dict[str, object] = {}
    exec("from monitorflow import *", namespace)
    assert set(monitorflow.__all__) <= set(namespace)
    assert set(monitorflow.__all__) <= set(dir(monitorflow))
    assert monitorflow.Report.__module__ == "monitorflow.report"
    assert monitorflow.metrics.DatasetSummaryMetric.__name__ == "DatasetSummaryMetric"
    try:
        monitorflow.NoSuchName  # noqa: B018
    except AttributeError as exc:
        assert "NoSuchName" in str(exc)
    else:
        raise AssertionError("an unknown attribute must raise AttributeError")


def test_service_does_not_import_the_metric_library():
    """The service reads snapshots and the index; it never needs the metrics or checks to start."""
    loaded = _modules_after("import monitorflow.service.app", ("monitorflow.metrics", "monitorflow.checks"))
    assert loaded == []


def test_lazy_names_match_all():
    """Every name in ``__all__`` is either defined or loaded lazily, and nothing lazy is left out."""
    import monitorflow

    lazy = set(monitorflow._LAZY) | set(monitorflow._SUBPACKAGES) | {"__version__"}
    assert lazy == set(monitorflow.__all__)


def test_metric_names_load_only_their_modules():
    """``monitorflow.metrics`` and ``monitorflow.metric_preset`` import a module when one of its names
    is first read: a data-quality run holds no classification, recsys, text or estimation code."""
    statement = (
        "from monitorflow.metric_preset import DataQualityPreset\n"
        "from monitorflow.metrics import DatasetSummaryMetric, ColumnSummaryMetric"
    )
    loaded = _modules_after(
        statement, ("monitorflow.metrics", "monitorflow.metric_preset", "monitorflow.desc")
    )
    for unused in ("classification", "recsys", "text", "estimation", "regression", "descriptors"):
        assert not [m for m in loaded if unused in m], (unused, loaded)
    assert (
        "monitorflow.metrics.data_integrity" in loaded and "monitorflow.metric_preset.data_quality" in loaded
    )


def test_metric_exports_cover_all_and_resolve_to_their_modules():
    """Every name of ``__all__`` resolves (also through ``import *``) to the class its module defines;
    submodules stay attributes of the package."""
    import importlib

    from monitorflow import metric_preset, metrics

    for package in (metrics, metric_preset):
        namespace: dict[str, object] = {}
        exec(f"from {package.__name__} import *", namespace)
        assert set(package.__all__) <= set(namespace) and set(package.__all__) <= set(dir(package))
        for module, names in package._EXPORTS.items():
            for name in names:
                assert getattr(importlib.import_module(module), name) is getattr(package, name)
    assert set(metrics.__all__) == {n for names in metrics._EXPORTS.values() for n in names} | {
        "METRICS",
        "Metric",
        "MetricPreset",
        "MetricResult",
    }
    assert metrics.recsys.MRRKMetric is metrics.MRRKMetric
    try:
        metrics.NoSuchMetric  # noqa: B018
    except AttributeError as exc:
        assert "NoSuchMetric" in str(exc)
    else:
        raise AssertionError("an unknown attribute must raise AttributeError")


def test_metric_registry_is_complete_when_read_or_looked_up():
    """``METRICS`` read from the package, and a lookup by type name (a snapshot loaded in a fresh
    process), import the metric modules a run had not needed."""
    script = (
        "import json, sys\n"
        "from monitorflow.metrics.base import metric_class\n"
        "first = 'monitorflow.metrics.recsys.novelty' in sys.modules\n"
        "cls = metric_class('NoveltyMetric')\n"
        "from monitorflow.metrics import METRICS\n"
        "print(json.dumps([first, cls.__module__, 'ClassificationQualityMetric' in METRICS,"
        " 'CustomValueMetric' in METRICS, 'FeatureImportanceMetric' in METRICS]))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [
        False,
        "monitorflow.metrics.recsys.novelty",
        True,
        True,
        True,
    ]
