"""Report: computes metrics over current (and optionally reference) data.

>>> import pandas as pd
>>> from monitorflow.metrics import DatasetSummaryMetric
>>> report = Report(metrics=[DatasetSummaryMetric()], tags=["groupA"])
>>> report.run(reference_data=None, current_data=pd.DataFrame({"a": [1.0, 2.0, None]}))
>>> report.as_dict()["metrics"][0]["result"]["current"]["number_of_rows"]
3
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Self

from pydantic import ValidationError

from monitorflow._suite import Suite
from monitorflow._types import derived_columns_in
from monitorflow.context import RunContext
from monitorflow.errors import ConfigurationError, InputDataError, MonitoringError, SnapshotError
from monitorflow.metrics.base import Metric, MetricPreset, MetricResult, metric_class
from monitorflow.metrics.frames import report_frames
from monitorflow.snapshot import MetricEntry, Snapshot
from monitorflow.utils.generators import BaseGenerator


def _unique(items: list[Any]) -> list[Any]:
    seen: dict[str, Any] = {}
    for item in items:
        seen.setdefault(item.fingerprint, item)
    return list(seen.values())


class Report(Suite):
    """Metrics (and metric presets) evaluated on one batch of data."""

    kind = "report"

    def __init__(
        self,
        metrics: Sequence[Metric[Any] | MetricPreset | BaseGenerator],
        options: Any = None,
        timestamp: Any = None,
        id: Any = None,
        metadata: dict[str, Any] | None = None,
        tags: list[str] | None = None,
        model_id: str | None = None,
        reference_id: str | None = None,
        batch_size: str | None = None,
        dataset_id: str | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__(
            options=options,
            timestamp=timestamp,
            id=id,
            metadata=metadata,
            tags=tags,
            model_id=model_id,
            reference_id=reference_id,
            batch_size=batch_size,
            dataset_id=dataset_id,
            name=name,
        )
        for item in metrics:
            if not isinstance(item, Metric | MetricPreset | BaseGenerator):
                raise ConfigurationError(
                    f"Report metrics must be metrics or metric presets, got {item!r}; "
                    "e.g. Report(metrics=[DataQualityPreset()])",
                    argument="metrics",
                )
        self.metrics = list(metrics)
        self._computed: list[Metric[Any]] = []
        self._results: dict[str, MetricResult | Exception] = {}

    def _compute(self, ctx: RunContext) -> None:
        presets = [m for m in self.metrics if isinstance(m, MetricPreset)]
        if presets:
            self.metadata["metric_presets"] = [p.type_name for p in presets]
        generators = [m for m in self.metrics if isinstance(m, BaseGenerator)]
        if generators:
            self.metadata["metric_generators"] = [g.type_name for g in generators]
        expanded: list[Metric[Any]] = []
        for item in self.metrics:
            if isinstance(item, MetricPreset):
                expanded.extend(item.expand(ctx.definition, ctx.additional_data))
            elif isinstance(item, BaseGenerator):
                expanded.extend(item.generate(ctx.definition))
            else:
                expanded.append(item)
        for metric in expanded:
            metric.bind(ctx)
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

    def as_dict(
        self, include_render: bool = False, include: Any = None, exclude: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        """Evidently's legacy layout: ``{"metrics": [{"metric": name, "result": {...}}]}``.

        Chart data (the fields Evidently tags as render data) is left out unless ``include_render``;
        ``include`` / ``exclude`` map a metric class name to the fields to keep or drop
        (:func:`monitorflow.core.select`).
        """
        include, exclude = include or {}, exclude or {}
        return {
            "metrics": [
                metric_entry(m, r, include_render, include.get(m.type_name), exclude.get(m.type_name))
                for m, r in self._pairs()
            ]
        }

    def as_dataframe(self, group: str | None = None) -> Any:
        """Results as pandas frames: one per metric class (column metrics of a class concatenated), a
        dict of them for several classes, or the frame of class ``group``."""

        return report_frames(self._pairs(), group)

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


def metric_entry(
    metric: Metric[Any],
    result: MetricResult | Exception,
    include_render: bool = False,
    include: Any = None,
    exclude: Any = None,
) -> dict[str, Any]:
    """``{"metric": name, "result": {...}}`` of one metric, as Evidently's ``as_dict`` gives it."""
    if isinstance(result, Exception):
        return {"metric": metric.type_name, "error": _error_text(result)}
    return {
        "metric": metric.type_name,
        "result": metric.render_json(result, include_render, include, exclude),
    }
