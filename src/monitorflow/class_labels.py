"""The classes of a classification target: which label a value names, and the positive label's index.

A value names a label when they are equal and of the same kind (numbers as numbers: a float target
1.0 is class 1, but not ``"1"``), else when they are equal as text (column ``"1"`` and target 1).
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from monitorflow.errors import ConfigurationError


def value_kind(value: Any) -> str:
    """``"str"``, ``"number"`` (bools too) or the type's name: values of one kind compare as equal."""
    if isinstance(value, str):
        return "str"
    if isinstance(value, bool | np.bool_ | numbers.Number):
        return "number"
    return type(value).__name__


def label_index(labels: Sequence[Any], value: Any) -> int | None:
    """The index of the label ``value`` names, or None."""
    for i, label in enumerate(labels):
        if label == value and value_kind(label) == value_kind(value):
            return i
    for i, label in enumerate(labels):
        if str(label) == str(value):
            return i
    return None


def preview(values: Sequence[Any], limit: int = 5) -> str:
    """``[a, b, ... (n more)]``: the first ``limit`` values, for a message."""
    shown = ", ".join(repr(v) for v in list(values)[:limit])
    more = f", ... ({len(values) - limit} more)" if len(values) > limit else ""
    return f"[{shown}{more}]"


def pos_label_index(labels: Sequence[Any], pos_label: Any, where: str) -> int:
    """The index of the label ``pos_label`` names; a ConfigurationError naming ``where`` (the target
    the labels come from) if none."""
    index = label_index(labels, pos_label)
    if index is None:
        raise ConfigurationError(
            f"pos_label {pos_label!r} is not one of the labels {preview(labels)} of {where}; "
            f"set ColumnMapping(pos_label=...) to the positive label, e.g. pos_label={labels[-1]!r}",
            argument="pos_label",
        )
    return index


__all__ = ["label_index", "pos_label_index", "preview", "value_kind"]
