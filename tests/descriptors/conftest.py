"""Fixtures of the text descriptor tests: NLTK's reference implementation on locally built data."""

from __future__ import annotations

import pytest

from tests.descriptors.text_oracle import Oracle, nltk_root  # noqa: F401 - a fixture


@pytest.fixture(scope="session")
def oracle(nltk_root: str) -> Oracle:  # noqa: F811
    return Oracle(nltk_root)
