"""Numeric type aliases of Evidently's ``utils.types`` (used in custom test signatures)."""

from __future__ import annotations

from monitorflow.conditions import ApproxValue

#: A number a condition compares with.
Numeric = float | int

__all__ = ["ApproxValue", "Numeric"]
