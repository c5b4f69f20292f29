"""A panel's traces as the dashboard draws them: time buckets when there are too many points,
labels per split and matching metric, epoch seconds, integer axes for counts."""

from __future__ import annotations

from typing import Any

import numpy as np

from monitorflow.panels import PanelValue
from monitorflow.storage.reads import Trace


def split_label(split: tuple[str, ...]) -> str:
    return f" [{', '.join(split)}]" if split else ""


def time_grid(ts: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """(bucket index per point, bucket x in µs): one bucket per distinct time, or ``limit`` equal
    time buckets when there are more distinct times than that."""
    distinct, inverse = np.unique(ts, return_inverse=True)
    if len(distinct) <= limit:
        return inverse, distinct
    lo, hi = int(ts.min()), int(ts.max())
    index = ((ts - lo) * limit // (hi - lo + 1)).astype(np.int64)
    counts = np.bincount(index, minlength=limit)
    centers = np.bincount(index, weights=ts.astype(float), minlength=limit) / np.maximum(counts, 1)
    used = counts > 0
    remap = np.cumsum(used) - 1
    return remap[index], centers[used].astype(np.int64)


def bucket_mean(index: np.ndarray, values: np.ndarray, n: int) -> list[float | None]:
    counts = np.bincount(index, minlength=n)
    sums = np.bincount(index, weights=values, minlength=n)
    return [None if c == 0 else float(s / c) for s, c in zip(sums, counts, strict=True)]


def to_seconds(micros: np.ndarray) -> list[float]:
    return (micros / 1_000_000).tolist()


#: Field names that count things (rows, columns, values): their axes get integer ticks.
_COUNT_WORDS = ("count", "support", "rows")


def is_count_field(field_path: str) -> bool:
    """``current.number_of_rows``, ``...count``: a count, drawn with integer ticks."""
    last = field_path.rsplit(".", 1)[-1]
    return last.startswith("number_of_") or any(word in last for word in _COUNT_WORDS)


def trace_json(label: str, trace: Trace) -> dict[str, Any]:
    out = {
        "label": label,
        "x": to_seconds(trace.ts),
        "y": trace.values.tolist(),
        "n": trace.n,
        "integer": is_count_field(trace.field_path),
    }
    return {**out, "bucketed": True} if trace.n > len(trace.values) else out  # points were combined


def labelled(found: list[tuple[PanelValue, Trace]]) -> list[tuple[str, Trace]]:
    """One label per trace: the value's label and split, numbered when several metrics match."""
    groups: dict[tuple[Any, ...], list[tuple[PanelValue, Trace]]] = {}
    for value, trace in found:
        groups.setdefault((trace.split, trace.field_path), []).append((value, trace))
    out = []
    for items in groups.values():
        base = items[0][0].label + split_label(items[0][1].split)
        out += [
            (base if len(items) == 1 else f"{base} #{i}", trace)
            for i, (_, trace) in enumerate(items, start=1)
        ]
    return out
