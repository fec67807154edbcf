"""The library's entry points used by the CLI: whole files in, plans and reports out."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.catalog import Assumption, Curriculum, load_curriculum
from planner.loading import read_json, validate
from planner.plan import Plan, build_plan, no_plan, plan_from_outcome
from planner.problem import resolve
from planner.scenario import Scenario, load_scenario

if TYPE_CHECKING:
    from planner.audit import AuditReport

COMMAND_LINE = "command line"
DEFAULT_TIME_LIMIT = 60.0


def scenario_with_flags(path: Path | None, overrides: dict[str, Any]) -> tuple[Scenario, str]:
    """The scenario file (or the default) with command-line what-ifs applied on top."""
    base = load_scenario(path) if path is not None else Scenario()
    if not overrides:
        return base, str(path) if path is not None else COMMAND_LINE
    flags = validate(Scenario, overrides, COMMAND_LINE)
    origin = f"{path} + {COMMAND_LINE}" if path is not None else COMMAND_LINE
    return base.with_overrides(flags, origin), origin


def make_plan(
    path: Path | None,
    overrides: dict[str, Any],
    curriculum: Path | Curriculum | None,
    *,
    alternatives: int = 0,
    slack: int = 0,
    why: list[str] | None = None,
    robust: bool = False,
) -> Plan:
    """Solve the scenario at `path` (with flag overrides) into a Plan, or say why not.

    With `alternatives`, up to that many equally good plans (or within `slack` on each
    criterion) with other courses come too;
    with `why`, the reasons for those courses or requirements.
    """
    scenario, origin = scenario_with_flags(path, overrides)
    cur = curriculum_of(curriculum)
    if robust:
        from planner.robust import robust_plan

        plan = robust_plan(cur, scenario, origin, scenario.time_limit or DEFAULT_TIME_LIMIT)
    else:
        plan = plan_scenario(cur, scenario, origin, alternatives=alternatives, slack=slack)
    if why and plan.terms:
        limit = scenario.time_limit or DEFAULT_TIME_LIMIT
        plan = plan.model_copy(update={"why": answer_all(cur, plan, why, limit)})
    return plan


def answer_all(cur: Curriculum, plan: Plan, targets: list[str], time_limit: float) -> list[str]:
    """Reasons for every target, all within one `time_limit` shared out between them."""
    from planner.explain import why_this

    deadline = time.monotonic() + time_limit
    lines: list[str] = []
    for left, target in zip(range(len(targets), 0, -1), targets, strict=True):
        share = max(0.2, (deadline - time.monotonic()) / left)
        lines += why_this(cur, plan, target, share)
    return lines


def plan_scenario(
    cur: Curriculum,
    scenario: Scenario,
    origin: str,
    *,
    alternatives: int = 0,
    slack: int = 0,
    max_repairs: int = 5,
    time_limit: float | None = None,
) -> Plan:
    """The best plan for `scenario`; when none exists, a minimal conflict and repairs.

    `time_limit`, when given, replaces the scenario's (a server's cap: the plan still
    shows the scenario as it was asked)."""
    from planner.explain import why_not
    from planner.solve import alternatives as other_plans
    from planner.solve import solve

    started = time.monotonic()
    limit = time_limit or scenario.time_limit or DEFAULT_TIME_LIMIT
    problem = resolve(cur, scenario, origin)
    outcome = solve(problem, time_limit=max(0.01, limit - (time.monotonic() - started)))
    if outcome.status != "infeasible":
        plan = plan_from_outcome(problem, outcome)
        if outcome.solution is not None and set(problem.prefer) - {
            c for c, _ in outcome.solution.takes
        }:
            from planner.explain import unmet_preferences

            remaining = max(1.0, limit - (time.monotonic() - started))
            notes = unmet_preferences(cur, scenario, problem, plan, remaining)
            plan = plan.model_copy(update={"notes": [*plan.notes, *notes]})
        if alternatives and outcome.solution is not None:
            remaining = max(1.0, limit - (time.monotonic() - started))
            others = [
                build_plan(
                    problem, "optimal", list(o.takes), list(o.practicum), o.fills, o.objective
                )
                for o in other_plans(problem, outcome.solution, alternatives, remaining, slack)
            ]
            plan = plan.model_copy(update={"alternatives": others})
        return plan
    remaining = max(1.0, limit - (time.monotonic() - started))
    answer = why_not(cur, scenario, origin, remaining, max_repairs=max_repairs)
    plan = no_plan(
        answer.problem,
        "infeasible",
        answer.conflicts(),
        answer.minimal,
        list(answer.repairs),
        answer.message,
    )
    return plan.model_copy(update={"notes": list(answer.story)})


def curriculum_of(curriculum: Path | Curriculum | None) -> Curriculum:
    """A curriculum already loaded, or the one in folder `curriculum` (None: shipped)."""
    return curriculum if isinstance(curriculum, Curriculum) else load_curriculum(curriculum)


def assumptions_of(plan: Plan, curriculum: Path | Curriculum | None) -> list[Assumption]:
    """The assumptions of the program versions a plan follows (for its HTML page)."""
    cur = curriculum_of(curriculum)
    refs = plan.programs or [plan.program]
    return [
        a
        for ref in refs
        for p in cur.versions(ref.id)
        if p.program.version == ref.version
        for a in p.assumptions
    ]


def load_plan(path: Path) -> Plan:
    return validate(Plan, read_json(path), path)


def plan_or_scenario(path: Path, curriculum: Path | None) -> Plan:
    """A plan file (``.json``), rechecked from its courses, or the plan for a scenario
    file, solved now."""
    cur = load_curriculum(curriculum)
    if path.suffix == ".json":
        from planner.audit import recheck

        return recheck(load_plan(path), cur, str(path))
    return plan_scenario(cur, load_scenario(path), str(path))


def audit_file(path: Path, curriculum: Path | None, *, everything: bool = False) -> AuditReport:
    """The audit of the plan file at `path`: the rules that concern it, or all of them."""
    from planner.audit import audit_plan

    return audit_plan(
        load_plan(path), load_curriculum(curriculum), str(path), everything=everything
    )


def explain_file(path: Path, targets: list[str], curriculum: Path | None) -> list[str]:
    """Reasons for each target (a course or a requirement) of the saved plan at `path`."""
    from planner.audit import recheck

    cur = load_curriculum(curriculum)
    plan = recheck(load_plan(path), cur, str(path))
    limit = plan.scenario.time_limit or DEFAULT_TIME_LIMIT
    return answer_all(cur, plan, targets, limit)


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
