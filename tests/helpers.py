"""Helpers for tests: solve a scenario given inline, audit a plan, write a plan by hand."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

from planner.audit import AuditReport, audit_plan
from planner.catalog import Curriculum
from planner.explain import why_not
from planner.plan import Plan, plan_from_outcome
from planner.problem import Problem, resolve
from planner.scenario import Scenario
from planner.solve import Outcome, solve

ROOT = Path(__file__).resolve().parent.parent


def examples(base: int) -> int:
    """Hypothesis examples for a property: `base`, or ten times it under the "long" profile."""
    from hypothesis import settings

    return base * 10 if settings.get_current_profile_name() == "long" else base


SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))


def problem_of(curriculum: Curriculum, **fields: Any) -> Problem:
    return resolve(curriculum, Scenario.model_validate(fields), "test")


def plan_of(curriculum: Curriculum, **fields: Any) -> tuple[Problem, Outcome, Plan]:
    """Solve the scenario given by `fields`; return the problem, outcome and plan."""
    problem = problem_of(curriculum, **fields)
    outcome = solve(problem, time_limit=30)
    if outcome.status == "infeasible":
        answer = why_not(curriculum, problem.scenario, "test", 30)
        outcome = replace(outcome, conflict=answer.conflict, conflict_minimal=answer.minimal)
    return problem, outcome, plan_from_outcome(problem, outcome)


def audited(curriculum: Curriculum, plan: Plan) -> AuditReport:
    """Audit a plan after a JSON round trip, as `planner audit` would read it."""
    return audit_plan(Plan.model_validate_json(plan.model_dump_json()), curriculum)


def courses_in(plan: Plan) -> list[str]:
    return [c.code for t in plan.terms if t.status == "planned" for c in t.courses]


def counts(plan: Plan) -> dict[str, list[str]]:
    """Course code -> requirement ids its instances count toward (all instances)."""
    out: dict[str, list[str]] = {}
    for term in plan.terms:
        for course in term.courses:
            out.setdefault(course.code, []).extend(course.counts_toward)
    return out


def hand_plan(terms: dict[str, list[str]], practicum: str | None = "M27", **scenario: Any) -> Plan:
    """A plan written by a person: term code -> course codes; no counting claimed."""
    entries = []
    for code, courses in terms.items():
        entries.append(
            {
                "term": code,
                "status": "completed"
                if code in scenario.get("_completed_terms", ())
                else "planned",
                "courses": [{"code": c} for c in courses],
            }
        )
    if practicum:
        entries.append({"term": practicum, "practicum": True})
    scenario.pop("_completed_terms", None)
    return Plan.model_validate({"program": {"id": "msml"}, "scenario": scenario, "terms": entries})


TYPICAL = {
    "F26": ["10-701", "36-700", "10-725"],
    "S27": ["10-708", "10-716", "10-605"],
    "F27": ["10-617", "10-703", "10-718"],
}
"""A valid three-semester plan (the shape of the program's typical schedule)."""


# --- A tiny TOML writer (tomllib only reads) -------------------------------------------------


def toml_string(text: str) -> str:
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
        )
    raise TypeError(type(value))


def to_toml(data: dict[str, Any]) -> str:
    return "".join(f"{toml_string(k)} = {toml_value(v)}\n" for k, v in data.items())
