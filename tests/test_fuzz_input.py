"""Fuzzing the CLI with random scenarios and random bytes: answers, never crashes.

Random scenario dicts (real Scenario fields and junk keys, values of random types, course-code
and term-like strings) are written as TOML and planned with ``--time-limit 5``: the exit code
is 0, 1, 3 or 4, no traceback is printed, and exit 1 comes with exactly one ``error: `` line
naming the file or the command line. Random bytes and text as a scenario or plan file are
rejected the same way unless they happen to be a valid file. Random plan files (terms and
courses, some real and some not, with a random scenario) are audited the same way.

Line breaks inside keys and values are generated too: an error line must stay one line.
Set PLANNER_FUZZ_EXAMPLES, or run with ``--hypothesis-profile long``, for more examples.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from planner.catalog import load_curriculum
from planner.cli import app
from planner.scenario import DEFAULT_OBJECTIVE, Scenario

from helpers import examples, to_toml

EXAMPLES = int(os.environ.get("PLANNER_FUZZ_EXAMPLES", examples(60)))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
runner = CliRunner()

CURRICULUM = load_curriculum()
REAL_CODES = sorted(c.code for c in CURRICULUM.catalog.courses)
REAL_RULES = sorted(r.id for p in CURRICULUM.programs for r in p.rules)
FIELDS = sorted(Scenario.model_fields)
LINE_BREAKS = "\n\r"


def test_toml_writer_round_trips() -> None:
    data = {
        "a": 'q"u\\o\te\x00\x7f é',
        "b": [1, -2, 1.5, 1e300, True, dt.date(2026, 9, 1)],
        "c": {"min": 3, "x y": ["10-701@F26"]},
        "d": float("inf"),
    }
    assert tomllib.loads(to_toml(data)) == data


# --- Strategies ------------------------------------------------------------------------------


def mostly(
    usual: st.SearchStrategy[Any], unusual: st.SearchStrategy[Any]
) -> st.SearchStrategy[Any]:
    """`usual` about three times in four, else `unusual`."""
    return st.one_of(usual, usual, usual, unusual)


digits = st.text("0123456789", min_size=1, max_size=4)
course_codes = mostly(
    st.sampled_from(REAL_CODES),
    st.one_of(
        st.builds(lambda a, b: f"{a}-{b}", digits, digits),
        st.from_regex(r"\A[0-9O]{2}-[0-9O]{3}\Z"),
    ),
)
VALID_TERMS = [
    "F25",
    "S26",
    "M26",
    "F26",
    "S27",
    "M27",
    "F27",
    "S28",
    "f26",
    "Fall 2026",
    "spring 2027",
]
terms = mostly(
    st.sampled_from(VALID_TERMS),
    st.one_of(
        st.builds(
            lambda s, y: f"{s}{y}", st.sampled_from("FSMQ"), st.text("0123456789", max_size=3)
        ),
        st.builds(
            lambda s, y: f"{s} {y}",
            st.sampled_from(["Fall", "spring", "Summer", "Winter"]),
            st.integers(0, 9999),
        ),
    ),
)
placements = st.builds(lambda c, t: f"{c}@{t}", course_codes, terms)
rule_ids = mostly(
    st.sampled_from(REAL_RULES),
    st.one_of(
        st.sampled_from(["msml.nope", "msml.core.pmg", "scenario.units", "catalog.no-repeat"]),
        st.from_regex(r"\A[a-z]{1,5}(\.[a-z-]{1,6}){0,2}\Z"),
    ),
)
plain_text = st.text(max_size=12)
toml_ints = st.integers(min_value=-(2**63), max_value=2**63 - 1)
scalars = st.one_of(
    plain_text,
    st.integers(-5, 2000),
    toml_ints,
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    course_codes,
    terms,
    placements,
    rule_ids,
)
junk = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(["min", "max", "old", "new", "rule", "x"]), inner, max_size=3
        ),
    ),
    max_leaves=8,
)
unit_bound = mostly(st.integers(0, 60), st.one_of(st.integers(-5, 2000), junk))
units = st.fixed_dictionaries({}, optional={"min": unit_bound, "max": unit_bound})
substitution = st.one_of(
    st.builds(lambda a, b: f"{a}={b}", course_codes, course_codes),
    st.fixed_dictionaries({"old": course_codes, "new": course_codes}, optional={"rule": rule_ids}),
)

# For each real field, values that are plausible (so that some scenarios get past validation
# into resolving and solving) mixed with anything at all.
PLAUSIBLE: dict[str, st.SearchStrategy[Any]] = {
    "id": plain_text,
    "title": plain_text,
    "program": mostly(st.just("msml"), st.sampled_from(["msm", "mscs", "MSML", ""])),
    "entry_year": mostly(st.integers(2025, 2027), st.integers(1890, 2210)),
    "start": terms,
    "graduate_by": terms,
    "enrolled_through": terms,
    "semesters": mostly(st.integers(2, 6), st.integers(-1, 1000)),
    "units": units,
    "term_units": st.dictionaries(terms, units, max_size=2),
    "completed": st.lists(placements, max_size=3),
    "practicum_completed": mostly(st.sampled_from(["M25", "M26"]), terms),
    "require": st.lists(course_codes, max_size=3),
    "avoid": st.lists(course_codes, max_size=3),
    "prefer": st.lists(course_codes, max_size=3),
    "pin": st.lists(placements, max_size=3),
    "offered": st.lists(placements, max_size=3),
    "not_offered": st.lists(placements, max_size=3),
    "waive": st.lists(rule_ids, max_size=2),
    "substitute": st.lists(substitution, max_size=2),
    "also_allow": st.lists(substitution, max_size=2),
    "outside": st.lists(
        st.fixed_dictionaries(
            {
                "code": mostly(st.sampled_from(["XF-101", "15-642", "UCB-CS189"]), course_codes),
                "title": plain_text,
                "units": mostly(st.sampled_from([6, 9, 12]), st.integers(-1, 60)),
            }
        ),
        max_size=2,
    ),
    "objective": st.lists(st.sampled_from(DEFAULT_OBJECTIVE), max_size=5),
    "time_limit": st.one_of(st.floats(-1, 10), st.sampled_from([0.0, 1e-9, 5.0, 1e6])),
}
assert set(PLAUSIBLE) == set(FIELDS), "a Scenario field is missing from the fuzzer"


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    keys = draw(st.lists(st.sampled_from(FIELDS), max_size=6, unique=True))
    data: dict[str, Any] = {}
    for key in keys:
        plausible = draw(st.integers(0, 7)) > 0  # 7 in 8
        data[key] = draw(PLAUSIBLE[key] if plausible else junk)
    if draw(st.integers(0, 7)) == 0:
        extra = draw(st.text(min_size=1, max_size=10).filter(lambda k: k not in FIELDS))
        data[extra] = draw(junk)
    return data


# --- Judging one run -------------------------------------------------------------------------


def check_run(result: Result, path: Path, allowed: set[int]) -> None:
    escaped = result.exception
    assert escaped is None or isinstance(escaped, SystemExit), repr(escaped)
    assert "Traceback" not in result.stdout and "Traceback" not in result.stderr
    assert result.exit_code in allowed, (result.exit_code, result.stdout, result.stderr)
    if result.exit_code == 1:
        stderr = result.stderr
        assert stderr.endswith("\n") and stderr.count("\n") == 1, repr(stderr)
        assert "\r" not in stderr, repr(stderr)
        assert stderr.startswith("error: "), repr(stderr)
        assert stderr.startswith((f"error: {path}", "error: command line")), repr(stderr)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@FUZZ
@given(data=scenarios())
def test_fuzz_scenario(data: dict[str, Any], workdir: Path) -> None:
    path = workdir / "scenario.toml"
    text = to_toml(data)
    assert tomllib.loads(text).keys() == data.keys()
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["plan", str(path), "--time-limit", "5"])
    event(f"exit {result.exit_code}")
    check_run(result, path, {0, 1, 3, 4})


def _parses(raw: bytes, parse: Any) -> Any:
    """The parsed content, or None when the planner must reject the file as unreadable."""
    try:
        text = raw.decode("utf-8")
        return parse(text) if text.strip() else None
    except (ValueError, RecursionError):  # UnicodeDecodeError, TOML/JSON errors
        return None


raw_inputs = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda s: s.encode("utf-8")),
    st.lists(
        st.sampled_from(
            ['start = "F26"', "[units]", "max = ", "= 1", '"', "[[", "]", "#", "\x00", "é"]
        ),
        max_size=8,
    ).map(lambda parts: "\n".join(parts).encode("utf-8")),
)


@FUZZ
@given(raw=raw_inputs)
def test_fuzz_raw_scenario_file(raw: bytes, workdir: Path) -> None:
    parsed = _parses(raw, tomllib.loads)
    path = workdir / "raw.toml"
    path.write_bytes(raw)
    result = runner.invoke(app, ["plan", str(path), "--time-limit", "5"])
    # Unreadable, empty or not TOML: exit 1. Otherwise it is a scenario like any other.
    check_run(result, path, {1} if parsed is None else {0, 1, 3, 4})


@FUZZ
@given(raw=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_fuzz_raw_plan_file(raw: bytes, workdir: Path) -> None:
    parsed = _parses(raw, json.loads)
    assume(not isinstance(parsed, dict))  # a dict may be a plan; anything else is not
    path = workdir / "raw.json"
    path.write_bytes(raw)
    result = runner.invoke(app, ["audit", str(path)])
    check_run(result, path, {1})


plan_courses = st.fixed_dictionaries(
    {"code": course_codes},
    optional={"counts_toward": st.lists(rule_ids, max_size=2), "units": st.integers(-1, 50)},
)
plan_terms = st.fixed_dictionaries(
    {"term": terms, "courses": st.lists(plan_courses, max_size=4)},
    optional={"status": st.sampled_from(["completed", "planned", "done"]), "practicum": junk},
)
plans = st.fixed_dictionaries(
    {"program": st.just({"id": "msml"}), "terms": st.lists(plan_terms, max_size=6)},
    optional={
        "start": terms,
        "scenario": scenarios(),
        "status": st.sampled_from(["optimal", "feasible", "unknown", "best"]),
        "waived": st.lists(rule_ids, max_size=2),
        "junk": junk,
    },
)


@FUZZ
@given(plan=plans)
def test_fuzz_plan_file(plan: dict[str, Any], workdir: Path) -> None:
    path = workdir / "plan.json"
    path.write_text(json.dumps(plan, default=str), encoding="utf-8")
    result = runner.invoke(app, ["audit", str(path)])
    event(f"exit {result.exit_code}")
    check_run(result, path, {0, 1, 3})
