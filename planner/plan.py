"""The plan as data: the JSON contract for scripts and for ``planner audit``.

``Plan`` is what ``planner plan --format json`` prints and what ``planner audit`` reads,
whether the solver or a person wrote it. Building a Plan from the solver's answer lives
here too; it needs no solver.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from planner import semantics
from planner.ids import AnyCourse, TermCode
from planner.kinds import CreditPool, is_requirement
from planner.problem import Problem
from planner.scenario import Scenario
from planner.schema import Frozen
from planner.terms import Term, parse_term

if TYPE_CHECKING:
    from planner.solve import Outcome

PlanStatus = Literal["optimal", "feasible", "infeasible", "unknown", "invalid"]
"""optimal/feasible: a plan (proven best, or the best found in time); infeasible: no plan
exists; unknown: no answer in time; invalid: a plan file that breaks rules (`recheck`)."""


class PlanCourse(Frozen):
    code: AnyCourse
    title: str = ""
    units: int = 0
    counts_toward: list[str] = Field(default=[], description="Requirement ids it fills.")


class PlanTerm(Frozen):
    term: TermCode
    season: str = ""
    year: int = 0
    status: Literal["completed", "planned"] = "planned"
    practicum: bool = False
    units: int = 0
    courses: list[PlanCourse] = []


class RequirementStatus(Frozen):
    id: str
    title: str
    label: str = Field(default="", description="A few words for tables (default: title).")
    satisfied: bool
    courses: list[str]
    detail: str = Field(default="", description="Why it holds with no course (it lapsed).")


class ProgramRef(Frozen):
    id: str
    title: str = ""
    version: str = ""


class Conflict(Frozen):
    id: str
    kind: str
    message: str


class Repair(Frozen):
    description: str
    flags: str = Field(description="Append these to the same command line to apply it.")


class Remaining(Frozen):
    """What is left from the start term: the "you are N courses from the minor" answer."""

    courses: int = Field(description="Courses planned from the start term on.")
    units: int = Field(description="Their units.")
    counting: int = Field(description="Of them, those that count toward a requirement.")
    by_program: dict[str, int] = Field(
        default={}, description="Planned courses counting toward each program, by id."
    )
    finish: TermCode | None = Field(default=None, description="The earliest finish (graduation).")


class Contingency(Frozen):
    """What to do if a planned course that may be cancelled is (``--robust``)."""

    course: str
    term: str
    evidence: str = Field(description="Its history in that season, in words.")
    repaired: bool = Field(description="Whether a plan graduating no later exists without it.")
    changes: list[str] = Field(default=[], description="The repair, from that term on.")
    graduation: str | None = None


class Plan(Frozen):
    status: PlanStatus = "feasible"
    program: ProgramRef
    programs: list[ProgramRef] = Field(
        default=[], description="With several programs planned at once: all of them."
    )
    scenario: Scenario = Scenario()
    start: TermCode | None = None
    graduation: TermCode | None = None
    terms: list[PlanTerm] = []
    requirements: list[RequirementStatus] = []
    waived: list[str] = []
    objective: dict[str, int] = {}
    conflicts: list[Conflict] = []
    conflict_minimal: bool | None = None
    repairs: list[Repair] = []
    alternatives: list[Plan] = Field(
        default=[], description="Other plans as good on every criterion but the tie-break."
    )
    left: Remaining | None = Field(default=None, description="What is left from the start.")
    why: list[str] = Field(default=[], description="Answers to --why questions.")
    contingencies: list[Contingency] = Field(
        default=[], description="With --robust: each risky course and its repair if cancelled."
    )
    notes: list[str] = Field(
        default=[],
        description="What the plan could not do or does beyond the requirements, and why.",
    )
    reminders: list[str] = Field(
        default=[], description="The programs' rules not planned (grades, QPA), in words."
    )
    warnings: list[str] = Field(
        default=[], description="About the input: a course code that looks mistyped."
    )
    message: str = ""


def program_ref(problem: Problem) -> ProgramRef:
    """The main program (the first named)."""
    return program_refs(problem)[0]


def program_refs(problem: Problem) -> list[ProgramRef]:
    """Every program planned, the main one first."""
    return [
        ProgramRef(id=p.program.id, title=p.program.title, version=p.program.version)
        for p in problem.programs
    ]


def several_refs(problem: Problem) -> list[ProgramRef]:
    """Every program, when several are planned at once (the plan's `programs`)."""
    return program_refs(problem) if len(problem.programs) > 1 else []


def build_plan(
    problem: Problem,
    status: PlanStatus,
    takes: list[tuple[str, Term]],
    practicum: list[Term],
    fills: dict[tuple[str, str], int],
    objective: dict[str, int],
) -> Plan:
    """Lay out a solved plan by term, giving each course instance what it counts toward.

    `fills` says how many instances of a course count toward a requirement; instances
    are handed out in term order, completed ones first.
    """
    instances: list[tuple[str, Term, bool]] = [(c, t, True) for c, t in problem.completed]
    instances += [(c, t, False) for c, t in takes]
    instances.sort(key=lambda i: (i[1], i[0]))
    requirement_ids = [r.id for r in problem.rules if is_requirement(r)]
    counts: dict[int, list[str]] = {i: [] for i in range(len(instances))}
    for code in sorted({c for c, _, _ in instances}):
        mine = [i for i, inst in enumerate(instances) if inst[0] == code]
        cursor = 0
        for rule_id in requirement_ids:
            for _ in range(fills.get((code, rule_id), 0)):
                counts[mine[cursor % len(mine)]].append(rule_id)
                cursor += 1
    by_term: dict[Term, list[PlanCourse]] = {}
    completed_terms: set[Term] = set()
    for i, (code, term, done) in enumerate(instances):
        course = problem.courses[code]
        by_term.setdefault(term, []).append(
            PlanCourse(code=code, title=course.title, units=course.units, counts_toward=counts[i])
        )
        if done:
            completed_terms.add(term)
    for term in practicum:
        by_term.setdefault(term, [])
    terms = [
        PlanTerm(
            term=term.code,
            season=term.season,
            year=term.year,
            status="completed" if term in completed_terms else "planned",
            practicum=term in practicum,
            units=sum(c.units for c in courses),
            courses=courses,
        )
        for term, courses in sorted(by_term.items())
    ]
    end = semantics.graduation((t for c, t in takes), practicum, semantics.stay_term(problem.rules))
    graduation = end.code if end else None
    several = len(problem.programs) > 1
    requirements = []
    for rule in problem.rules:
        if is_requirement(rule):
            courses = [pc.code for pt in terms for pc in pt.courses if rule.id in pc.counts_toward]
            label = rule.label or rule.title
            lapsed = getattr(rule, "unless_before", None)
            detail = ""
            if lapsed and semantics.taken_before(
                ((pc.code, parse_term(pt.term)) for pt in terms for pc in pt.courses), *lapsed
            ):
                detail = f"not needed ({lapsed[0]} before {lapsed[1]})"
            requirements.append(
                RequirementStatus(
                    id=rule.id,
                    title=rule.title,
                    label=f"{rule.program}: {label}" if several else label,
                    satisfied=True,
                    courses=courses,
                    detail=detail,
                )
            )
    plan = Plan(
        status=status,
        program=program_ref(problem),
        programs=several_refs(problem),
        scenario=problem.scenario,
        start=problem.start.code,
        graduation=graduation,
        terms=terms,
        requirements=requirements,
        waived=[r.id for r in problem.waived],
        objective=objective,
        left=remaining(problem, terms, graduation),
        reminders=reminders(problem),
    )
    held = {c.code for t in plan.terms for c in t.courses}
    counted = {c.code for t in plan.terms for c in t.courses if c.counts_toward}
    notes = [
        *outside_notes(problem, held, counted),
        *rarity_notes(problem, plan),
        *surplus_notes(problem, plan),
    ]
    return plan.model_copy(update={"notes": notes, "warnings": list(problem.warnings)})


def remaining(problem: Problem, terms: list[PlanTerm], finish: str | None) -> Remaining:
    """Courses and units planned from the start term, and which of them count, per
    program."""
    planned = [c for t in terms if t.status == "planned" for c in t.courses]
    by_program: dict[str, int] = {}
    for course in planned:
        for program in sorted({problem.rule_by_id[r].program for r in course.counts_toward}):
            by_program[program] = by_program.get(program, 0) + 1
    return Remaining(
        courses=len(planned),
        units=sum(c.units for c in planned),
        counting=sum(1 for c in planned if c.counts_toward),
        by_program=by_program,
        finish=finish,
    )


def reminders(problem: Problem) -> list[str]:
    """Each program's reminders (rules recorded as data but not planned)."""
    several = len(problem.programs) > 1
    return [
        f"{p.program.id}: {text}" if several else text
        for p in problem.programs
        for text in p.program.reminders
    ]


def rarity_notes(problem: Problem, plan: Plan) -> list[str]:
    """A word on each planned course that rarely runs in its term's season: the plan
    rests on an offering its history does not promise."""
    rule = problem.history
    if rule is None:
        return []
    notes = []
    for term in plan.terms:
        if term.status != "planned":
            continue
        when = parse_term(term.term)
        for course in term.courses:
            likely = problem.likelihood(course.code, when)
            if (
                likely is not None
                and rule.runs(problem.courses[course.code].ran, when.season) < rule.regular
            ):
                evidence = rule.evidence(problem.courses[course.code].ran, when.season)
                notes.append(
                    f"{course.code} in {when} is rarely offered then: it {evidence};"
                    " --robust plans for it being cancelled."
                )
    return notes


def outside_notes(problem: Problem, held: set[str], counted: set[str]) -> list[str]:
    """A word on each course the plan holds that the catalog does not know: it counts
    toward nothing unless an advisor approves it."""
    notes = []
    for code in sorted(problem.outside & held):
        course = problem.courses[code]
        named = f"{code} {course.title}" if not course.title.startswith("(") else code
        if code in counted:
            notes.append(f"{named} is not in the catalog; it counts as approved.")
        else:
            notes.append(
                f"{named} ({course.units} units) is not in the catalog: it counts toward"
                " nothing unless an advisor approves it (--also-allow OLD="
                f"{code} or --substitute OLD={code})."
            )
    return notes


def surplus_notes(problem: Problem, plan: Plan) -> list[str]:
    """Why the plan holds courses the requirements do not need, in words.

    Surplus is a planned course, not asked for, that counts toward nothing, or the last
    courses of a credit pool beyond its need. The usual reason is the full-time minimum
    of the terms the student is enrolled in (longer when she stays enrolled on purpose);
    another is a prerequisite of a later course.
    """
    surplus: list[tuple[PlanTerm, PlanCourse]] = []
    planned = [(t, c) for t in plan.terms if t.status == "planned" for c in t.courses]
    for term, course in planned:
        if not course.counts_toward and course.code not in problem.requested:
            surplus.append((term, course))
    for rule in problem.rules:
        if isinstance(rule, CreditPool):
            counted = [(t, c) for t, c in planned if rule.id in c.counts_toward]
            excess = sum(c.units for _, c in counted) - rule.units_needed
            for term, course in reversed(counted):  # the latest go first
                if course.units <= excess and course.code not in problem.requested:
                    surplus.append((term, course))
                    excess -= course.units
    if not surplus:
        return []
    surplus.sort(key=lambda tc: (parse_term(tc[0].term), tc[1].code))
    names = ", ".join(f"{c.code}@{t.term}" for t, c in surplus)
    many = "s" * (len(surplus) != 1)
    what = f"{len(surplus)} course{many} beyond what the requirements need: {names}."
    reasons: list[str] = []
    at_minimum: dict[int, list[str]] = {}
    for term, course in surplus:
        bound = problem.unit_bounds[parse_term(term.term)]
        least = max((v for _, v in bound.min_rules), default=0)
        if least and term.units - course.units < least:
            at_minimum.setdefault(least, []).append(term.term)
    they, keep = ("they", "keep") if len(surplus) != 1 else ("it", "keeps")
    for least, terms in sorted(at_minimum.items()):
        spans = ", ".join(dict.fromkeys(terms))
        reasons.append(f"{they} {keep} {spans} at the {least}-unit minimum load")
    stay = semantics.stay_term(problem.rules)
    if stay is not None and plan.graduation == stay.code:
        reasons.append(f"you stay enrolled through {stay}")
    later = {c.code for _, c in planned}
    for _, course in surplus:
        needs = sorted(
            code
            for code in later
            if any(course.code in clause for clause in problem.courses[code].prereq_clauses)
        )
        if needs:
            reasons.append(f"{course.code} comes first for {', '.join(needs)}")
    return [f"{what} Why: {'; '.join(reasons)}."] if reasons else [what]


def no_plan(
    problem: Problem,
    status: PlanStatus,
    conflicts: list[Conflict],
    minimal: bool,
    repairs: list[Repair],
    message: str,
) -> Plan:
    """The answer when there is no plan: the rules that conflict and what would help."""
    return Plan(
        status=status,
        program=program_ref(problem),
        programs=several_refs(problem),
        scenario=problem.scenario,
        start=problem.start.code,
        waived=[r.id for r in problem.waived],
        conflicts=conflicts,
        conflict_minimal=minimal if conflicts else None,
        repairs=repairs,
        message=message,
        warnings=list(problem.warnings),
    )


def plan_from_outcome(problem: Problem, outcome: Outcome) -> Plan:
    """The Plan for a solver outcome that found one (or timed out without one)."""
    if outcome.solution is None:
        return no_plan(problem, outcome.status, [], False, [], outcome.message)
    sol = outcome.solution
    return build_plan(
        problem, outcome.status, list(sol.takes), list(sol.practicum), sol.fills, sol.objective
    )


def plan_objective(problem: Problem, plan: Plan) -> dict[str, int]:
    """The value of every criterion of `problem.objective` for `plan`, computed from its
    courses and its own counting, without a solver."""
    taken = [
        (c.code, parse_term(t.term), t.status == "completed") for t in plan.terms for c in t.courses
    ]
    fills: dict[str, int] = {}
    for term in plan.terms:
        for course in term.courses:
            fills[course.code] = fills.get(course.code, 0) + len(course.counts_toward)
    values = semantics.objective_values(
        courses=problem.courses,
        terms=problem.terms,
        start=problem.start,
        graduation_term=parse_term(plan.graduation) if plan.graduation else None,
        taken=taken,
        fills=fills,
        requested=problem.requested,
        prefer=problem.prefer,
        requirements=sum(1 for r in problem.rules if is_requirement(r)),
    )
    return {name: values[name] for name in problem.objective}
