"""``Report.as_dataframe()``: metric results as pandas frames (Evidently's ``as_dataframe``).

A result becomes one row: its ``as_dict()`` fields, nested fields joined with ``_``
(``current_number_of_rows``). A result holding one entry per column (``drift_by_columns`` of
DataDriftTable) becomes one row per column. Every row carries ``metric_id`` (the class name) and
``metric_fingerprint``; the rows of one metric class are concatenated.

>>> import pandas as pd
>>> from monitorflow import Report
>>> from monitorflow.metrics import ColumnSummaryMetric
>>> report = Report(metrics=[ColumnSummaryMetric(column_name="a"), ColumnSummaryMetric(column_name="b")])
>>> report.run(current_data=pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 5.0]}))
>>> report.as_dataframe()[["column_name", "current_characteristics_mean"]].values.tolist()
[['a', 1.5], ['b', 4.0]]
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from monitorflow.errors import MonitoringError

#: Result fields whose values are one entry per column: a row each.
PER_COLUMN_FIELDS = ("drift_by_columns",)


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat.update(_flat(item, f"{prefix}{key}_"))
        return flat
    return {prefix[:-1]: value}


def _rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    for field in PER_COLUMN_FIELDS:
        if isinstance(result.get(field), dict):
            return [_flat(entry) for entry in result[field].values()]
    return [_flat(result)]


def report_frames(
    pairs: list[tuple[Any, Any]], group: str | None = None
) -> pd.DataFrame | dict[str, pd.DataFrame]:
    """Frames of a report's (metric, result) pairs: one frame per metric class (see the module docstring)."""
    frames: dict[str, list[pd.DataFrame]] = {}
    for metric, result in pairs:
        if isinstance(result, Exception) or (group is not None and metric.type_name != group):
            continue
        frame = pd.DataFrame(_rows(result.get_dict()))
        frame["metric_id"] = metric.type_name
        frame["metric_fingerprint"] = metric.fingerprint
        frames.setdefault(metric.type_name, []).append(frame)
    joined = {name: pd.concat(parts, ignore_index=True) for name, parts in frames.items()}
    if group is not None:
        if group not in joined:
            raise MonitoringError(
                f"no metric {group!r} in this report; metrics: {sorted({m.type_name for m, _ in pairs})}"
            )
        return joined[group]
    if len(joined) == 1:
        return next(iter(joined.values()))
    return joined
