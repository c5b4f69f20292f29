"""Core names of Evidently's legacy API: ``ColumnType``, ``AllDict`` and the include/exclude filter of
``as_dict()`` / ``json()``.

``include`` and ``exclude`` follow pydantic's rules on plain dicts: a set names the keys to keep (or
drop), a dict maps a key to the rule for its value (``True`` = all of it), ``"__all__"`` applies to every
key or item, and ``AllDict(rule)`` is ``{"__all__": rule}``.

>>> select({"a": 1, "b": {"x": 1, "y": 2}}, include={"b": {"x"}})
{'b': {'x': 1}}
>>> select({"cols": {"age": {"score": 0.1, "type": "num"}}}, exclude={"cols": AllDict({"type"})})
{'cols': {'age': {'score': 0.1}}}
"""

from __future__ import annotations

from typing import Any

from monitorflow.column_mapping import ColumnType
from monitorflow.ids import uuid7

#: A rule of ``include`` / ``exclude``: a set of keys or a dict of nested rules.
IncludeOptions = set[str] | dict[str, Any]


class AllDict(dict):
    """``AllDict(rule)``: apply ``rule`` to every key of a dict (or item of a list)."""

    def __init__(self, value: Any) -> None:
        super().__init__({"__all__": value})
        self._value = value

    def __repr__(self) -> str:
        return f"AllDict({self._value!r})"


def new_id() -> Any:
    """A new time-ordered id (uuid7), as snapshot ids are."""
    return uuid7()


def _rule_map(rule: Any) -> dict[Any, Any]:
    if isinstance(rule, dict):
        return rule
    return dict.fromkeys(rule, True)


def _sub(rules: dict[Any, Any], key: Any) -> Any:
    specific = rules.get(key, rules.get(str(key)) if not isinstance(key, str) else None)
    everything = rules.get("__all__")
    if specific is None:
        return everything
    if everything is None or specific is True:
        return specific
    if everything is True:
        return True
    return {**_rule_map(everything), **_rule_map(specific)}


def _prune(value: Any, rule: Any, include: bool) -> Any:
    """``value`` with only the children ``rule`` names (``include``), or without them; ``True`` names
    a whole child, a nested rule a part of it."""
    if rule is None or rule is include:
        return value
    rules = _rule_map(rule)

    def stays(sub: Any) -> bool:
        return (sub is not None and sub is not False) if include else sub is not True

    if isinstance(value, dict):
        pairs = [(key, item, _sub(rules, key)) for key, item in value.items()]
        return {key: _prune(item, sub, include) for key, item, sub in pairs if stays(sub)}
    if isinstance(value, list):
        pairs = [(i, item, _sub(rules, i)) for i, item in enumerate(value)]
        return [_prune(item, sub, include) for _, item, sub in pairs if stays(sub)]
    return value


def select(value: Any, include: Any = None, exclude: Any = None) -> Any:
    """``value`` (dicts and lists) with only what ``include`` names, then without what ``exclude`` names."""
    if include is not None:
        value = _prune(value, include, include=True)
    if exclude is not None:
        value = _prune(value, exclude, include=False)
    return value


__all__ = ["AllDict", "ColumnType", "IncludeOptions", "new_id", "select"]
