"""Parameter binding and time-range clauses shared by the dashboard's SQL builders."""

from __future__ import annotations

from typing import Any

Interval = tuple[int | None, int | None]  # [lo, hi) in µs; None: unbounded on that side


class Bindings:
    """Named ``:x<n>`` parameters of one statement, and clauses built from them."""

    def __init__(self, params: dict[str, Any]) -> None:
        self.params = params
        self._n = 0

    def bind(self, value: Any) -> str:
        """A fresh parameter holding ``value``; returns its placeholder."""
        name = f"x{self._n}"
        self._n += 1
        self.params[name] = value
        return f":{name}"

    def range(self, col: str, lo: int | None, hi: int | None) -> list[str]:
        """Conditions for ``lo <= col < hi`` (none for an unbounded side)."""
        return ([f"{col} >= {self.bind(lo)}"] if lo is not None else []) + (
            [f"{col} < {self.bind(hi)}"] if hi is not None else []
        )

    def any_range(self, col: str, intervals: list[Interval]) -> str:
        """One condition: ``col`` in one of ``intervals``."""
        return "(" + " OR ".join("(" + (" AND ".join(self.range(col, lo, hi)) or "1 = 1") + ")"
                                 for lo, hi in intervals) + ")"  # fmt: skip
