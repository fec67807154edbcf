"""Graduation and the planning horizon mean the same to the solver, the plan and the audit.

Regressions from the issue "Trust every answer", part 3: a plan the solver called optimal
failed its own audit (graduation read two ways), an enrolled-through term past the window
could never be met, ``planner.horizon`` was unknown to the audit and to waivers, and a
long window left no time to name the conflict.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.catalog import Curriculum
from planner.cli import app
from planner.terms import parse_term

from helpers import SCENARIOS, TYPICAL, audited, hand_plan, plan_of

runner = CliRunner()


def active_terms(plan_start: str, graduation: str) -> int:
    return parse_term(graduation).index - parse_term(plan_start).index + 1


@pytest.mark.parametrize("stay", ["M28", "S28", "F28", "M29", "F29"])
def test_enrolled_through_is_graduation_for_solver_plan_and_audit(
    curriculum: Curriculum, stay: str
) -> None:
    _, outcome, plan = plan_of(curriculum, enrolled_through=stay, waive=["msml.practicum"])
    assert outcome.status == "optimal", outcome
    assert plan.graduation == stay
    assert outcome.solution is not None
    # The solver's own graduation (its count of active terms) is the plan's.
    assert outcome.solution.objective["graduate-early"] == active_terms("F26", stay)
    report = audited(curriculum, plan)
    assert report.passed, [(r.id, r.detail) for r in report.failures]


def test_every_shipped_plan_ends_where_the_solver_says(curriculum: Curriculum) -> None:
    from planner.plan import plan_from_outcome
    from planner.problem import resolve
    from planner.scenario import load_scenario
    from planner.solve import solve

    for path in SCENARIOS:
        problem = resolve(curriculum, load_scenario(path), str(path))
        outcome = solve(problem, 30)
        if outcome.solution is None:
            continue
        plan = plan_from_outcome(problem, outcome)
        assert plan.graduation is not None and plan.start is not None
        assert outcome.solution.objective["graduate-early"] == active_terms(
            plan.start, plan.graduation
        ), path.name


def test_the_horizon_is_a_rule_the_audit_checks_and_a_waiver_lifts(
    curriculum: Curriculum,
) -> None:
    late = {**TYPICAL, "F27": ["10-617", "10-703"], "F29": ["10-718"]}
    failures = {
        r.id for r in audited(curriculum, hand_plan(late, waive=["msml.units.min"])).failures
    }
    assert failures == {"planner.horizon"}
    waived = hand_plan(late, waive=["msml.units.min", "planner.horizon"])
    assert audited(curriculum, waived).passed


def test_a_plan_made_with_the_horizon_waived_passes_its_audit(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    made = runner.invoke(
        app, ["plan", "--waive", "planner.horizon", "--format", "json", "--output", str(path)]
    )
    assert made.exit_code == 0, made.stderr
    checked = runner.invoke(app, ["audit", str(path)])
    assert checked.exit_code == 0, checked.stdout + checked.stderr


def test_waiving_the_horizon_lets_the_planner_look_further(curriculum: Curriculum) -> None:
    _, outcome, plan = plan_of(
        curriculum, units={"max": 12}, waive=["msml.units.min", "planner.horizon"]
    )
    assert outcome.status == "optimal"
    assert plan.graduation is not None and parse_term(plan.graduation) > parse_term("F28")
    _, outcome, _ = plan_of(curriculum, units={"max": 12}, waive=["msml.units.min"])
    assert outcome.status == "infeasible"
    assert "planner.horizon" in outcome.conflict


def test_enrolled_through_past_the_window_widens_it(curriculum: Curriculum) -> None:
    _, outcome, plan = plan_of(curriculum, enrolled_through="F29")
    assert outcome.status == "optimal"
    assert plan.graduation == "F29"


@pytest.mark.parametrize("path", [p for p in SCENARIOS if p.stem.startswith("impossible")])
def test_repairs_still_apply_with_the_horizon_waived(path: Path) -> None:
    base = [str(path), "--waive", "planner.horizon", "--time-limit", "20"]
    answer = runner.invoke(app, ["plan", *base, "--format", "json"])
    assert answer.exit_code == 3, answer.stderr
    repairs = json.loads(answer.stdout)["repairs"]
    assert repairs
    for repair in repairs:
        fixed = runner.invoke(app, ["plan", *base, *shlex.split(repair["flags"])])
        assert fixed.exit_code == 0, (repair, fixed.stderr)


def test_semesters_with_the_horizon_waived_is_no_unknown_rule(curriculum: Curriculum) -> None:
    _, outcome, _ = plan_of(curriculum, semesters=7, waive=["planner.horizon"])
    assert outcome.status == "optimal"


def test_a_long_window_still_names_its_conflict_within_the_time_limit() -> None:
    args = ["plan", "--semesters", "300", "--avoid", "10-718", "--avoid", "10-708"]
    answer = runner.invoke(app, [*args, "--time-limit", "10", "--format", "json"])
    assert answer.exit_code == 3, answer.stderr
    plan = json.loads(answer.stdout)
    conflict = {c["id"] for c in plan["conflicts"]}
    assert conflict in (
        {"msml.core.pgm", "scenario.avoid.10-708"},
        {
            "msml.core.ml-in-practice",
            "scenario.avoid.10-718",
        },
    )
    assert plan["conflict_minimal"] is True


def test_a_pin_past_the_window_says_how_to_widen_it() -> None:
    answer = runner.invoke(app, ["plan", "--pin", "10-708@S30"])
    assert answer.exit_code == 1
    assert "--semesters 8" in answer.stderr


@pytest.mark.parametrize("stay", [None, "M28"])
def test_the_model_cannot_graduate_after_its_last_course(
    curriculum: Curriculum, stay: str | None
) -> None:
    """Even an objective that wants as many active terms as it can get ends graduation at
    the last course or practicum (or at the stay): the definition is a constraint."""
    from ortools.sat.python import cp_model

    from planner.compile import compile_model
    from planner.problem import resolve
    from planner.scenario import Scenario

    waive = ["msml.units.min", "msml.practicum"]
    fields = {"waive": waive, **({"enrolled_through": stay} if stay else {})}
    problem = resolve(curriculum, Scenario.model_validate(fields), "test")
    ctx = compile_model(problem)
    for (_, term), var in ctx.take.items():
        if term > parse_term("S28"):  # nothing may be taken after S28...
            ctx.model.add(var == 0)
    ctx.model.maximize(sum(ctx.active.values()))  # ...yet stay as long as possible
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(ctx.model) == cp_model.OPTIMAL
    active = [t for t in ctx.terms if solver.boolean_value(ctx.active[t])]
    last = max(active)
    used = any(solver.boolean_value(ctx.take[c, last]) for c in ctx.codes) or (
        last in ctx.practicum and solver.boolean_value(ctx.practicum[last])
    )
    assert used or last.code == stay
    assert last.code == (stay or "S28")
