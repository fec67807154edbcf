"""The department's other programs: listing, versions by entry year, plans that pass the
audit, two programs in one schedule with their cross-program rules, conflicts naming
rules of either program, and what is left of a program for a student part of the way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.audit import audit_plan
from planner.catalog import Curriculum
from planner.cli import app
from planner.plan import Plan
from planner.solve import _infeasible_under

from helpers import audited, courses_in, plan_of, problem_of

SAMPLES = Path(__file__).resolve().parent / "samples"
PROGRAMS = ["msml", "ml-minor", "ml-concentration", "statistics-ml"]
BOTH = ["statistics-ml", "ml-minor"]


# --- Conflicts across programs ------------------------------------------------------------


def test_a_counting_rule_alone_keeps_its_meaning(curriculum: Curriculum) -> None:
    """'3 courses toward the minor count toward nothing else' alone, without the minor's
    requirements, is met by taking three such courses: it is no conflict by itself.
    (It was: with the requirements left out, nothing could count toward the minor.)"""
    problem = problem_of(curriculum, program=BOTH)
    verdict, _ = _infeasible_under(problem, ["ml-minor.own-courses"], 10)
    assert verdict is False


def test_a_deadline_conflict_of_two_programs_is_minimal_and_checked(
    curriculum: Curriculum,
) -> None:
    """Both programs by S29 (six terms) cannot fit under the major's load caps: the
    conflict is named, admits no plan, and without any one of its rules the rest admit one."""
    waive = ["ml-minor.own-courses"]
    problem, outcome, _ = plan_of(curriculum, program=BOTH, graduate_by="S29", waive=waive)
    assert outcome.status == "infeasible"
    conflict = list(outcome.conflict)
    assert conflict
    assert outcome.conflict_minimal
    assert "scenario.graduate-by" in conflict
    named = {problem.rule_by_id[r].program for r in conflict}
    assert set(BOTH) <= named, conflict  # rules of either program, named
    assert _infeasible_under(problem, conflict, 30)[0] is True
    for rule in conflict:
        rest = [r for r in conflict if r != rule]
        assert _infeasible_under(problem, rest, 30)[0] is False, rule


# --- The programs, their versions and their sources --------------------------------------


def test_planner_programs_lists_every_version_with_its_sources(curriculum: Curriculum) -> None:
    result = CliRunner().invoke(app, ["programs", "--format", "json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    versions = {(p["id"], p["version"]) for p in listed}
    held = {(p.program.id, p.program.version) for p in curriculum.programs}
    assert versions == held
    assert {p["id"] for p in listed} == set(PROGRAMS)
    assert ("ml-minor", "-2018") in versions and ("ml-minor", "2019-") in versions
    for entry in listed:
        assert entry["source"] and entry["requirements"], entry["id"]
    table = CliRunner().invoke(app, ["programs"])
    assert table.exit_code == 0
    for program_id in PROGRAMS:
        assert program_id in table.output


def test_every_rule_id_starts_with_its_program(curriculum: Curriculum) -> None:
    for program in curriculum.programs:
        for rule in program.rules:
            assert rule.id.startswith(program.program.id + "."), rule.id
            assert rule.program == program.program.id


@pytest.mark.parametrize(("year", "version"), [(2017, "-2018"), (2018, "-2018"), (2019, "2019-")])
def test_the_minor_follows_the_year_of_entry(
    curriculum: Curriculum, year: int, version: str
) -> None:
    problem = problem_of(curriculum, program="ml-minor", entry_year=year)
    assert [p.program.version for p in problem.programs] == [version]


# --- One program, then two, each plan audited --------------------------------------------


@pytest.mark.parametrize("program", PROGRAMS)
def test_each_program_plans_alone_and_its_plan_passes_the_audit(
    curriculum: Curriculum, program: str
) -> None:
    _, outcome, plan = plan_of(curriculum, program=program)
    assert outcome.status == "optimal"
    report = audited(curriculum, plan)
    assert report.passed, report.failures()
    assert plan.left is not None and plan.left.courses == len(courses_in(plan))


def _minor_only(plan: Plan, curriculum: Curriculum) -> list[str]:
    """Planned courses of at least 9 units whose every counting is toward the minor:
    worked out from the plan's own lines, not from the solver's variables."""
    out = []
    for term in plan.terms:
        for course in term.courses:
            toward = {rid.split(".")[0] for rid in course.counts_toward}
            if toward == {"ml-minor"} and course.units >= 9:
                out.append(course.code)
    return out


def test_two_programs_share_one_schedule_under_the_cross_program_rules(
    curriculum: Curriculum,
) -> None:
    _, outcome, plan = plan_of(curriculum, program=BOTH)
    assert outcome.status == "optimal"
    report = audited(curriculum, plan)
    assert report.passed, report.failures()
    assert len(set(_minor_only(plan, curriculum))) >= 3
    # The minor's "24 units of its courses a term" holds only when it is planned alone.
    assert "ml-minor.units.max" not in {r.id for r in report.results}
    assert set(plan.left.by_program) == set(BOTH)
    # The rule binds: without it the same two programs need fewer courses, and fewer
    # of them count toward the minor alone.
    _, waived, free = plan_of(curriculum, program=BOTH, waive=["ml-minor.own-courses"])
    assert waived.status == "optimal"
    assert audited(curriculum, free).passed
    assert len(courses_in(free)) < len(courses_in(plan))
    assert len(set(_minor_only(free, curriculum))) < 3


def test_the_audit_rejects_a_minor_course_counted_twice(curriculum: Curriculum) -> None:
    """Counting every minor course toward the major too breaks 'three count only for
    the minor': the audit, which never sees the solver, says so."""
    _, _, plan = plan_of(curriculum, program=BOTH)
    data = json.loads(plan.model_dump_json())
    for term in data["terms"]:
        for course in term["courses"]:
            if course["counts_toward"] and all(
                r.startswith("ml-minor.") for r in course["counts_toward"]
            ):
                course["counts_toward"] = []
    report = audit_plan(Plan.model_validate(data), curriculum)
    assert not report.passed


def test_what_is_left_of_the_minor(curriculum: Curriculum) -> None:
    """With intro ML (10-301) and one elective (10-403) done, the minor asks one more
    core course and two electives: three courses, counted independently from the plan."""
    _, outcome, plan = plan_of(
        curriculum, program="ml-minor", completed=["10-301@F25", "10-403@S26"], start="F26"
    )
    assert outcome.status == "optimal"
    assert audited(curriculum, plan).passed
    left = plan.left
    assert left is not None
    counting = [
        c.code for t in plan.terms if t.status == "planned" for c in t.courses if c.counts_toward
    ]
    assert left.counting == len(counting) == 3
    units = {c.code: c.units for c in curriculum.catalog.courses}
    assert left.units == sum(units[c] for c in courses_in(plan))
    assert left.finish == plan.graduation


def test_the_catalog_sample_schedule_passes_the_audit() -> None:
    result = CliRunner().invoke(app, ["audit", str(SAMPLES / "statistics-ml-schedule-1.json")])
    assert result.exit_code == 0, result.output
