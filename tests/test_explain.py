"""Why-not, why-this, alternatives and compare."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from planner.catalog import Curriculum
from planner.cli import app
from planner.explain import why_not, why_this
from planner.plan import Plan
from planner.scenario import Scenario
from planner.solve import alternatives

from helpers import ROOT, audited, courses_in, plan_of

runner = CliRunner()


def test_why_not_names_the_pin_and_the_prerequisite(curriculum: Curriculum) -> None:
    scenario = Scenario(start="S27", pin=["10-708@S27"])
    answer = why_not(curriculum, scenario, "test", 30)
    assert set(answer.conflict) == {"catalog.prereq.10-708", "scenario.pin.10-708@S27"}
    flags = [r.flags for r in answer.repairs]
    assert "--waive scenario.pin.10-708@S27" in flags
    assert len(answer.repairs) <= 5


def test_horizon_is_a_rule_and_more_semesters_repair_it(curriculum: Curriculum) -> None:
    # Twelve units a term cannot fit nine courses into five semesters.
    scenario = Scenario(units={"max": 12}, waive=["msml.units.min"])
    answer = why_not(curriculum, scenario, "test", 30)
    assert "planner.horizon" in answer.conflict
    assert any(r.flags.startswith("--semesters") for r in answer.repairs)


def test_unit_cap_repair_raises_the_cap(curriculum: Curriculum) -> None:
    scenario = Scenario(graduate_by="F27", units={"max": 24}, waive=["msml.units.min"])
    answer = why_not(curriculum, scenario, "test", 30)
    assert "scenario.units" in answer.conflict
    assert any("--max-units" in r.flags for r in answer.repairs)


def test_alternatives_differ_in_courses(curriculum: Curriculum) -> None:
    problem, outcome, _ = plan_of(curriculum)
    assert outcome.solution is not None
    others = alternatives(problem, outcome.solution, 3, 30)
    assert len(others) == 3
    sets = [frozenset(c for c, _ in outcome.solution.takes)]
    for other in others:
        assert other.objective["graduate-early"] == outcome.solution.objective["graduate-early"]
        chosen = frozenset(c for c, _ in other.takes)
        assert chosen not in sets
        sets.append(chosen)


def test_alternatives_in_json_are_audited_plans(tmp_path: Path, curriculum: Curriculum) -> None:
    result = runner.invoke(app, ["plan", "--alternatives", "2", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert len(data["alternatives"]) == 2
    for alt in data["alternatives"]:
        report = audited(curriculum, Plan.model_validate(alt))
        assert report.passed


def test_why_this_course_names_the_criterion(curriculum: Curriculum) -> None:
    # Starting in spring with 36 units at most: 10-725 runs only in the fall, so without
    # F27 it would wait for F28.
    _, _, plan = plan_of(curriculum, start="S27", units={"max": 36})
    lines = why_this(curriculum, plan, "10-725", 30)
    assert "counts toward Core: optimization [msml.core.optimization]" in lines[0]
    assert lines[1].startswith("10-725 runs in fall (ran in each of the last 3 falls")
    assert lines[-1] == (
        "Otherwise graduation would come later (it could go in F28) [graduate-early]."
    )


def test_why_this_pinned_course_names_the_pin(curriculum: Curriculum) -> None:
    _, _, plan = plan_of(curriculum, pin=["10-725@F27"])
    lines = why_this(curriculum, plan, "10-725", 30)
    assert lines[-1] == "Because: You pinned 10-725 to F27. (scenario.pin.10-725@F27)"


def test_why_this_forced_course_lists_the_conflict(curriculum: Curriculum) -> None:
    # Half the courses done, graduating by F27: 10-725 runs only in the fall, so F27 it is.
    fields = {"start": "S27", "completed": ["10-701@F26", "36-700@F26"], "graduate_by": "F27"}
    _, _, plan = plan_of(curriculum, **fields)
    lines = why_this(curriculum, plan, "10-725", 30)
    assert any(line.startswith("It cannot be in any other term") for line in lines)
    assert any("scenario.graduate-by" in line for line in lines)


def test_why_this_requirement_lists_alternatives(curriculum: Curriculum) -> None:
    _, _, plan = plan_of(curriculum)
    lines = why_this(curriculum, plan, "msml.core.intro-ml", 30)
    assert "Filled by: 10-701@F26." in lines
    assert "Other courses that could fill it: 10-715." in lines


def test_explain_command_reads_a_saved_plan(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    assert runner.invoke(app, ["plan", "--format", "json", "--output", str(path)]).exit_code == 0
    result = runner.invoke(app, ["explain", str(path), "10-708", "msml.electives"])
    assert result.exit_code == 0, result.stderr
    assert "10-708 (Probabilistic Graphical Models) is planned in S27" in result.stdout
    assert "msml.electives:" in result.stdout
    bad = runner.invoke(app, ["explain", str(path), "10-7"])
    assert bad.exit_code == 1
    assert "did you mean" in bad.stderr


def test_compare_two_scenarios_lists_changes_and_what_ifs() -> None:
    a, b = ROOT / "scenarios" / "default.toml", ROOT / "scenarios" / "both-703-and-707.toml"
    result = runner.invoke(app, ["compare", str(a), str(b), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert "10-707" in data["added"]
    assert "require: + 10-707" in data["scenario_changes"]
    table = runner.invoke(app, ["compare", str(a), str(b)])
    assert "Added: " in table.stdout and "require: + 10-707" in table.stdout


def test_compare_a_plan_file_with_itself_is_the_same(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    runner.invoke(app, ["plan", "--format", "json", "--output", str(path)])
    result = runner.invoke(app, ["compare", str(path), str(path)])
    assert result.exit_code == 0
    assert "The plans are the same." in result.stdout


def test_compare_shows_the_effect_of_dropping_an_offering(curriculum: Curriculum) -> None:
    _, _, before = plan_of(curriculum)
    where = next(t.term for t in before.terms for c in t.courses if c.code == "10-725")
    _, _, after = plan_of(curriculum, not_offered=[f"10-725@{where}"])
    from planner.compare import compare_plans

    cmp = compare_plans(before, after)
    assert any(m.code == "10-725" for m in cmp.moved) or "10-725" in cmp.removed
    assert f"not_offered: + 10-725@{where}" in cmp.scenario_changes
    assert courses_in(after)


def test_slack_admits_alternatives_that_are_slightly_worse(curriculum: Curriculum) -> None:
    _, _, plan = plan_of(curriculum)
    pins = [f"{c.code}@{t.term}" for t in plan.terms for c in t.courses]
    problem, outcome, _ = plan_of(curriculum, pin=pins)
    assert outcome.solution is not None
    assert alternatives(problem, outcome.solution, 2, 30) == []  # every course is pinned
    looser = alternatives(problem, outcome.solution, 2, 30, slack=12)
    assert looser
    for other in looser:
        for name in ("graduate-early", "no-extras", "preferences", "balance"):
            assert other.objective[name] <= outcome.solution.objective[name] + 12
