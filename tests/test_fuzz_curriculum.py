"""Fuzzing curriculum files: a valid small catalog and program, then random damage.

Each case starts from a working curriculum (a few courses, a program using most rule
kinds), applies a handful of random mutations (drop a key, change a value's type, add a
junk key, rename a course, duplicate an entry, point a rule at something that does not
exist) and runs ``planner check --curriculum DIR``. It must answer exit 0 or exit 1 with
one line naming a file of that folder; when the curriculum is still valid, planning a
student on it must answer 0, 3 or 4. Never a traceback.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from planner.cli import app

from helpers import examples, to_toml

runner = CliRunner()

CATALOG: dict[str, Any] = {
    "catalog": {"title": "Fuzz catalog"},
    "courses": [
        {"code": "90-101", "title": "A", "units": 12, "seasons": ["fall", "spring"]},
        {"code": "90-102", "title": "B", "units": 12, "seasons": ["spring"], "prereqs": ["90-101"]},
        {"code": "90-103", "title": "C", "units": 6, "seasons": ["fall"], "tags": ["half"]},
        {"code": "90-104", "title": "D", "units": 12, "seasons": ["fall", "spring", "summer"],
         "prereqs": [["90-101", "90-103"]], "repeatable": True},
    ],
}  # fmt: skip
PROGRAM: dict[str, Any] = {
    "program": {
        "id": "fz",
        "title": "Fuzz program",
        "first_entry_year": 2025,
        "default_start": "F26",
        "horizon_semesters": 3,
    },
    "rules": [
        {"id": "fz.core", "kind": "choose", "title": "Core", "courses": ["90-101", "90-102"]},
        {"id": "fz.pool", "kind": "credit_pool", "title": "Pool", "credits": 1.5,
         "courses": ["90-104"], "tags": ["half"]},
        {"id": "fz.line", "kind": "count_limit", "title": "Line", "rule": "fz.pool",
         "courses": ["90-103", "90-104"], "max_courses": 2},
        {"id": "fz.once", "kind": "no_double_count", "title": "Once"},
        {"id": "fz.cap", "kind": "term_units", "title": "Cap", "max_units": 36},
        {"id": "fz.count", "kind": "term_courses", "title": "Count", "max_courses": 3},
        {"id": "fz.one", "kind": "max_per_term", "title": "One", "courses": ["90-104"]},
        {"id": "fz.never", "kind": "never_counts", "title": "Never", "courses": ["90-103"]},
    ],
}  # fmt: skip

JUNK = st.one_of(  # TOML has no null
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.lists(st.text(max_size=6), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
CODES = st.one_of(
    st.sampled_from(["90-101", "90-102", "90-103", "90-104", "90-105", "9O-101", "90101"]),
    st.text(max_size=8),
)


def _places(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside `node` (dict keys and list indexes)."""
    out = [path] if path else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _places(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _places(value, (*path, index))
    return out


def _parent(root: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        root = root[part]
    return root


@st.composite
def damaged(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    files = {"catalog": copy.deepcopy(CATALOG), "program": copy.deepcopy(PROGRAM)}
    for _ in range(draw(st.integers(0, 4))):
        name = draw(st.sampled_from(sorted(files)))
        places = _places(files[name])
        if not places:
            continue
        path = draw(st.sampled_from(places))
        parent, last = _parent(files[name], path), path[-1]
        action = draw(st.sampled_from(["drop", "junk", "code", "extra", "duplicate"]))
        event(action)
        if action == "drop":
            del parent[last]
        elif action == "junk":
            parent[last] = draw(JUNK)
        elif action == "code":
            parent[last] = draw(CODES)
        elif action == "extra" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=8))] = draw(JUNK)
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
    return files["catalog"], files["program"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-curriculum")


def one_error_line(stderr: str, root: Path) -> None:
    assert stderr.count("\n") == 1 and stderr.endswith("\n"), repr(stderr)
    assert stderr.startswith(f"error: {root}"), repr(stderr)


def test_the_undamaged_curriculum_plans(tmp_path: Path) -> None:
    root = tmp_path / "c"
    (root / "programs").mkdir(parents=True)
    (root / "catalog.toml").write_text(to_toml(CATALOG))
    (root / "programs" / "fz.toml").write_text(to_toml(PROGRAM))
    assert runner.invoke(app, ["check", "--curriculum", str(root)]).exit_code == 0
    scenario = tmp_path / "s.toml"
    scenario.write_text('program = "fz"\n')
    result = runner.invoke(app, ["plan", str(scenario), "--curriculum", str(root)])
    assert result.exit_code == 0, result.stdout + result.stderr


@settings(
    max_examples=examples(80),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(files=damaged())
def test_damaged_curriculum_is_answered_in_one_line(
    files: tuple[dict[str, Any], dict[str, Any]], folder: Path
) -> None:
    catalog, program = files
    root = folder / "c"
    shutil.rmtree(root, ignore_errors=True)
    (root / "programs").mkdir(parents=True)
    (root / "catalog.toml").write_text(to_toml(catalog), encoding="utf-8")
    (root / "programs" / "fz.toml").write_text(to_toml(program), encoding="utf-8")
    checked = runner.invoke(app, ["check", "--curriculum", str(root)])
    assert "Traceback" not in checked.stdout + checked.stderr
    assert checked.exit_code in (0, 1), checked.stderr
    event(f"check exit {checked.exit_code}")
    if checked.exit_code == 1:
        one_error_line(checked.stderr, root)
        return
    scenario = folder / "s.toml"
    scenario.write_text('program = "fz"\n')
    planned = runner.invoke(
        app, ["plan", str(scenario), "--curriculum", str(root), "--time-limit", "5"]
    )
    assert "Traceback" not in planned.stdout + planned.stderr
    assert planned.exit_code in (0, 1, 3, 4), planned.stderr
    if planned.exit_code == 1:
        assert planned.stderr.count("\n") == 1, repr(planned.stderr)
