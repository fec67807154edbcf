"""Fixtures shared by the tests (helper functions live in helpers.py)."""

from __future__ import annotations

import pytest
from hypothesis import settings

from planner.catalog import Curriculum, load_curriculum

# `pytest --hypothesis-profile long` runs every property ten times longer (see
# helpers.examples and docs/reliability.md). Registered here, in the first conftest, so
# that the profile exists before hypothesis loads it.
settings.register_profile("long", deadline=None)


@pytest.fixture(scope="session")
def curriculum() -> Curriculum:
    return load_curriculum()
