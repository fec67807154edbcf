"""Fixtures shared by the tests (helper functions live in helpers.py)."""

from __future__ import annotations

import pytest

from planner.curriculum import Curriculum, load_curriculum


@pytest.fixture(scope="session")
def curriculum() -> Curriculum:
    return load_curriculum()
