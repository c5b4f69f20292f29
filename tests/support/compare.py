"""Comparing two results that should be the same (an in-memory run and a scaled or lazy one)."""

from __future__ import annotations

import math

import pytest


def assert_same(expected, got, path="", *, scale=0.0):
    """Equal structure; floats within 1e-9 relative (NaN equals NaN); everything else equal.

    ``scale`` is the magnitude of the input values: a float is also accepted within 1e-12 of it,
    since a value that cancels (a mean of errors summing to zero) keeps only rounding noise of
    that size, whose relative difference means nothing.
    """
    if isinstance(expected, dict):
        assert isinstance(got, dict) and set(expected) == set(got), f"{path}: keys {set(expected) ^ set(got)}"
        for key in expected:
            assert_same(expected[key], got[key], f"{path}.{key}", scale=scale)
    elif isinstance(expected, list):
        assert isinstance(got, list) and len(expected) == len(got), f"{path}: {expected!r} != {got!r}"
        for i, (a, b) in enumerate(zip(expected, got, strict=True)):
            assert_same(a, b, f"{path}[{i}]", scale=scale)
    elif isinstance(expected, float) and isinstance(got, float):
        same = (math.isnan(expected) and math.isnan(got)) or expected == pytest.approx(
            got, rel=1e-9, abs=max(1e-300, 1e-12 * scale)
        )
        assert same, f"{path}: {expected!r} != {got!r}"
    else:
        assert expected == got, f"{path}: {expected!r} != {got!r}"
