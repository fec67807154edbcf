"""Every shipped scenario: a plan that passes the audit, or a conflict proven minimal."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.catalog import Curriculum
from planner.cli import app
from planner.explain import why_not
from planner.plan import plan_from_outcome
from planner.problem import Problem, resolve
from planner.scenario import load_scenario
from planner.solve import _infeasible_under, solve

from helpers import SCENARIOS, audited

runner = CliRunner()
INFEASIBLE = {"impossible.toml", "impossible-two-semesters.toml", "impossible-718-dropped.toml"}


def _problem(curriculum: Curriculum, path: Path) -> Problem:
    return resolve(curriculum, load_scenario(path), str(path))


def test_shipped_scenarios_include_the_worked_examples() -> None:
    names = {p.name for p in SCENARIOS}
    assert len(names) >= 7
    assert {"default.toml", "both-703-and-707.toml", "two-half-electives.toml"} <= names
    assert names >= INFEASIBLE


@pytest.mark.parametrize(
    "path", [p for p in SCENARIOS if p.name not in INFEASIBLE], ids=lambda p: p.stem
)
def test_feasible_scenario_plan_passes_the_audit(curriculum: Curriculum, path: Path) -> None:
    problem = _problem(curriculum, path)
    outcome = solve(problem, time_limit=30)
    assert outcome.status == "optimal", outcome.message
    assert outcome.solution is not None
    plan = plan_from_outcome(problem, outcome)
    report = audited(curriculum, plan)
    assert report.passed, [r for r in report.results if not r.satisfied]
    assert "plan.counts-toward" in {r.id for r in report.results}


@pytest.mark.parametrize(
    "path", [p for p in SCENARIOS if p.name in INFEASIBLE], ids=lambda p: p.stem
)
def test_infeasible_scenario_conflict_is_minimal(curriculum: Curriculum, path: Path) -> None:
    scenario = load_scenario(path)
    assert solve(resolve(curriculum, scenario, str(path))).status == "infeasible"
    answer = why_not(curriculum, scenario, str(path), 60)
    assert answer.minimal
    conflict = list(answer.conflict)
    assert conflict
    # Together the rules admit no plan...
    verdict, _ = _infeasible_under(answer.problem, conflict, 30)
    assert verdict is True
    # ...and without any one of them, a plan exists.
    for rule_id in conflict:
        verdict, _ = _infeasible_under(answer.problem, [r for r in conflict if r != rule_id], 30)
        assert verdict is False, rule_id


@pytest.mark.parametrize(
    "path", [p for p in SCENARIOS if p.name in INFEASIBLE], ids=lambda p: p.stem
)
def test_infeasible_scenario_repairs_work_when_pasted(path: Path) -> None:
    result = runner.invoke(app, ["plan", str(path), "--format", "json"])
    assert result.exit_code == 3
    repairs = json.loads(result.stdout)["repairs"]
    assert repairs
    for repair in repairs:
        fixed = runner.invoke(app, ["plan", str(path), *shlex.split(repair["flags"])])
        assert fixed.exit_code == 0, (repair, fixed.stdout, fixed.stderr)


def test_default_scenario_is_three_semesters_plus_practicum(curriculum: Curriculum) -> None:
    problem = _problem(curriculum, next(p for p in SCENARIOS if p.name == "default.toml"))
    outcome = solve(problem)
    assert outcome.solution is not None
    plan = plan_from_outcome(problem, outcome)
    assert [(t.term, t.practicum, t.units) for t in plan.terms] == [
        ("F26", False, 36),
        ("S27", False, 36),
        ("M27", True, 0),
        ("F27", False, 36),
    ]
