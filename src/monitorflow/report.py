"""Report: computes metrics over current (and optionally reference) data.

>>> import pandas as pd
>>> from monitorflow.metrics import DatasetSummaryMetric
>>> report = Report(metrics=[DatasetSummaryMetric()], tags=["groupA"])
>>> report.run(reference_data=None, current_data=pd.DataFrame({"a": [1.0, 2.0, None]}))
>>> report.as_dict()["metrics"][0]["result"]["current"]["number_of_rows"]
3
"""

from __future__ import annotations

from typing import Any, Self

from pydantic import ValidationError

from monitorflow._suite import Suite
from monitorflow._types import derived_columns_in
from monitorflow.column_mapping import ColumnMapping
from monitorflow.errors import ConfigurationError, InputDataError, MonitoringError, SnapshotError
from monitorflow.metrics.base import Metric, MetricPreset, MetricResult, metric_class
from monitorflow.snapshot import MetricEntry, Snapshot


def _unique(items: list[Any]) -> list[Any]:
    seen: dict[str, Any] = {}
    for item in items:
        seen.setdefault(item.fingerprint, item)
    return list(seen.values())


class Report(Suite):
    """Metrics (and metric presets) evaluated on one batch of data."""

    kind = "report"

    def __init__(self, metrics: list[Metric[Any] | MetricPreset], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for item in metrics:
            if not isinstance(item, Metric | MetricPreset):
                raise ConfigurationError(
                    f"Report metrics must be metrics or metric presets, got {item!r}; "
                    "e.g. Report(metrics=[DataQualityPreset()])",
                    argument="metrics",
                )
        self.metrics = list(metrics)
        self._computed: list[Metric[Any]] = []
        self._results: dict[str, MetricResult | Exception] = {}

    def run(
        self,
        *,
        reference_data: Any = None,
        current_data: Any = None,
        column_mapping: ColumnMapping | None = None,
        timestamp: Any = None,
    ) -> None:
        """Compute every metric; each is computed once however many presets ask for it."""
        ctx = self._prepare(reference_data, current_data, column_mapping, timestamp)
        presets = [m for m in self.metrics if isinstance(m, MetricPreset)]
        if presets:
            self.metadata["metric_presets"] = [p.type_name for p in presets]
        expanded: list[Metric[Any]] = []
        for item in self.metrics:
            expanded.extend(
                item.generate_metrics(ctx.definition) if isinstance(item, MetricPreset) else [item]
            )
        self._computed = _unique(expanded)
        ctx.derive_all(derived_columns_in(expanded))
        self._results = {}
        try:
            for metric in self._computed:
                try:
                    self._results[metric.fingerprint] = ctx.result(metric)
                except (InputDataError, ConfigurationError):
                    raise
                except Exception as exc:  # recorded and rendered; the other metrics still run
                    self._results[metric.fingerprint] = exc
        finally:
            ctx.close()
        self.data_definition = ctx.definition  # with the derived (descriptor) columns

    # ------------------------------------------------------------------------------- results

    def _pairs(self) -> list[tuple[Metric[Any], MetricResult | Exception]]:
        self._require_run()
        return [(m, self._results[m.fingerprint]) for m in self._computed]

    def result(self, metric: Metric[Any]) -> MetricResult:
        """The result of one computed metric (raises its error if it failed)."""
        value = self._results.get(metric.fingerprint)
        if value is None:
            raise MonitoringError(f"{metric!r} is not part of this report's results")
        if isinstance(value, Exception):
            raise value
        return value

    def as_dict(self) -> dict[str, Any]:
        """Evidently's legacy layout: ``{"metrics": [{"metric": name, "result": {...}}]}``."""
        return {"timestamp": self.timestamp, "metrics": [_entry(m, r, "python") for m, r in self._pairs()]}

    def _json_dict(self) -> dict[str, Any]:
        metrics = [_entry(m, r, "json") for m, r in self._pairs()]
        return {"timestamp": self.timestamp.isoformat() if self.timestamp else None, "metrics": metrics}

    def _snapshot_body(self) -> dict[str, Any]:
        entries = [
            MetricEntry(
                id=m.fingerprint,
                type=m.type_name,
                params=m.params(),
                result=None if isinstance(r, Exception) else r.model_dump(mode="json"),
                error=_error_text(r) if isinstance(r, Exception) else None,
            )
            for m, r in self._pairs()
        ]
        return {"metrics": entries, "top_level_metrics": [m.fingerprint for m in self._computed]}

    @classmethod
    def from_snapshot(cls, snapshot: Snapshot) -> Self:
        if not snapshot.is_report:
            raise MonitoringError(f"snapshot {snapshot.id} is a test suite; load it with TestSuite.load")
        try:
            metrics = [metric_class(e.type)(**e.params) for e in snapshot.metrics]
            results: dict[str, MetricResult | Exception] = {
                m.fingerprint: (
                    m.result_type.model_validate(e.result)
                    if e.result is not None
                    else MonitoringError(e.error or "")
                )
                for m, e in zip(metrics, snapshot.metrics, strict=True)
            }
        except (ConfigurationError, ValidationError) as exc:
            raise SnapshotError(
                f"snapshot {snapshot.id} holds a metric this monitorflow cannot read: {exc}"
            ) from exc
        report = cls(metrics=[*metrics])
        report._computed = metrics
        report._results = results
        report._restore_common(snapshot)
        return report


def _error_text(exc: Exception) -> str:
    return str(exc) if isinstance(exc, MonitoringError) else f"{type(exc).__name__}: {exc}"


def _entry(metric: Metric[Any], result: MetricResult | Exception, mode: str) -> dict[str, Any]:
    if isinstance(result, Exception):
        return {"metric": metric.type_name, "error": _error_text(result)}
    return {"metric": metric.type_name, "result": result.model_dump(mode=mode)}
