"""The library's entry points used by the CLI: plan, audit and check whole files."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from planner.audit import AuditReport, audit_plan
from planner.curriculum import Curriculum, load_curriculum
from planner.loading import read_json, validate
from planner.plan import Plan, no_plan, plan_from_outcome
from planner.problem import resolve
from planner.scenario import Scenario, load_scenario

COMMAND_LINE = "command line"
DEFAULT_TIME_LIMIT = 60.0


def scenario_with_flags(path: Path | None, overrides: dict[str, Any]) -> tuple[Scenario, str]:
    """The scenario file (or the default) with command-line what-ifs applied on top."""
    base = load_scenario(path) if path is not None else Scenario()
    if not overrides:
        return base, str(path) if path is not None else COMMAND_LINE
    flags = validate(Scenario, overrides, COMMAND_LINE)
    origin = f"{path} + {COMMAND_LINE}" if path is not None else COMMAND_LINE
    return base.with_overrides(flags), origin


def make_plan(path: Path | None, overrides: dict[str, Any], curriculum: Path | None) -> Plan:
    """Solve the scenario at `path` (with flag overrides) into a Plan, or say why not."""
    scenario, origin = scenario_with_flags(path, overrides)
    cur = load_curriculum(curriculum)
    return plan_scenario(cur, scenario, origin)


def plan_scenario(cur: Curriculum, scenario: Scenario, origin: str) -> Plan:
    """The best plan for `scenario`; when none exists, a minimal conflict and repairs."""
    from planner.explain import why_not
    from planner.solve import solve

    problem = resolve(cur, scenario, origin)
    limit = scenario.time_limit or DEFAULT_TIME_LIMIT
    started = time.monotonic()
    outcome = solve(problem, time_limit=limit)
    if outcome.status != "infeasible":
        return plan_from_outcome(problem, outcome)
    remaining = max(1.0, limit - (time.monotonic() - started))
    answer = why_not(cur, scenario, origin, remaining)
    return no_plan(
        answer.problem,
        "infeasible",
        answer.conflicts(),
        answer.minimal,
        list(answer.repairs),
        answer.message,
    )


def audit_file(path: Path, curriculum: Path | None) -> AuditReport:
    plan = validate(Plan, read_json(path), path)
    cur: Curriculum = load_curriculum(curriculum)
    return audit_plan(plan, cur, str(path))


def check_files(scenarios: list[Path], curriculum: Path | None) -> list[str]:
    cur = load_curriculum(curriculum)
    lines = [
        f"ok catalog: {len(cur.catalog.courses)} courses",
        *(
            f"ok program {p.program.id} {p.program.version}: {len(p.rules)} rules"
            for p in cur.programs
        ),
    ]
    for path in scenarios:
        problem = resolve(cur, load_scenario(path), str(path))
        lines.append(f"ok {path}: {len(problem.rules)} rules over {len(problem.terms)} terms")
    return lines
