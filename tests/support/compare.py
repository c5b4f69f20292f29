"""Comparing two results that should be the same (an in-memory run and a scaled or lazy one)."""

from __future__ import annotations

import math

import pytest


def assert_same(expected, got, path=""):
    """Equal structure; floats within 1e-9 relative (NaN equals NaN); everything else equal."""
    if isinstance(expected, dict):
        assert isinstance(got, dict) and set(expected) == set(got), f"{path}: keys {set(expected) ^ set(got)}"
        for key in expected:
            assert_same(expected[key], got[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(got, list) and len(expected) == len(got), f"{path}: {expected!r} != {got!r}"
        for i, (a, b) in enumerate(zip(expected, got, strict=True)):
            assert_same(a, b, f"{path}[{i}]")
    elif isinstance(expected, float) and isinstance(got, float):
        same = (math.isnan(expected) and math.isnan(got)) or expected == pytest.approx(
            got, rel=1e-9, abs=1e-300
        )
        assert same, f"{path}: {expected!r} != {got!r}"
    else:
        assert expected == got, f"{path}: {expected!r} != {got!r}"
