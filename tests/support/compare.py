"""Comparing two results that should be the same (an in-memory run and a scaled or lazy one)."""

from __future__ import annotations

import math

import numpy as np
import pytest


def assert_same(expected, got, path="", *, scale=0.0):
    """Equal structure; floats within 1e-9 relative (NaN equals NaN); everything else equal.

    ``scale`` is the magnitude of the input values (:func:`magnitude`): two floats both within
    1e-12 of it from zero are equal, since a value that cancels (a mean of values summing to zero)
    keeps only rounding noise of that size, whose relative difference means nothing.
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
        noise = 1e-12 * scale
        same = (
            (math.isnan(expected) and math.isnan(got))
            or (abs(expected) <= noise and abs(got) <= noise)
            or expected == pytest.approx(got, rel=1e-9, abs=1e-300)
        )
        assert same, f"{path}: {expected!r} != {got!r}"
    else:
        assert expected == got, f"{path}: {expected!r} != {got!r}"


def magnitude(*frames) -> float:
    """The largest finite absolute number in the frames (``None`` skipped): their rounding noise's scale."""
    found = 0.0
    for frame in frames:
        if frame is None:
            continue
        values = np.abs(frame.select_dtypes("number").to_numpy(dtype=float))
        values = values[np.isfinite(values)]
        found = max(found, float(values.max()) if values.size else 0.0)
    return found
