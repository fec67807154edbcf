"""Every rule kind's two halves agree: the solver accepts exactly the plans its check passes.

In the spirit of Timefold's ConstraintVerifier and the CP-SAT Primer's one-module tests,
each kind is verified alone, on small generated catalogs. For every kind of the union
(so a new kind is covered as soon as it exists), hypothesis draws a catalog of 2 to 4
courses over 2 to 4 terms, one rule of that kind with fields drawn from that catalog (and,
for a counting policy, the requirements it acts on), and sometimes a completed course.
Then:

1. every plan (each course in any set of terms, and any practicum terms) is enumerated by
   brute force and judged by the audit: each rule's ``check``, with the exact matching;
2. CP-SAT enumerates every plan its model of the same rules admits (all solutions,
   projected onto placements and practicum terms);
3. the two sets of plans must be equal;
4. the solver's best plan has the objective that ``semantics.objective_values``
   recomputes from its courses without a solver.

A kind with a field the generator does not know fails loudly (see `FIELDS`): extend it
when adding a kind (docs/rule-kinds.md, "Adding a rule kind").
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model
from pydantic import ValidationError

from planner.audit import Instance, PlanView, best_matching
from planner.catalog import Course, Program, ProgramInfo
from planner.compile import compile_model
from planner.kinds import (
    KINDS,
    Choose,
    CountingPolicy,
    CreditPool,
    NoDoubleCount,
    Practicum,
    RuleBase,
    SharingPolicy,
)
from planner.plan import plan_from_outcome, plan_objective
from planner.problem import Problem
from planner.scenario import DEFAULT_OBJECTIVE, Scenario
from planner.solve import solve
from planner.terms import SEASONS, Term, parse_term

from helpers import examples

Plan = tuple[frozenset[tuple[str, Term]], frozenset[Term]]
"""A plan reduced to its decisions: the (course, term) placements and the practicum terms."""

UNDER_TEST = "verify.rule"
MAX_PAIRS = 8
"""Courses x terms at most, so that brute force stays at a few hundred plans."""


# --- Drawing a small world and a rule -------------------------------------------------------


@dataclass(frozen=True)
class World:
    codes: tuple[str, ...]
    courses: dict[str, Course]
    start: Term
    terms: tuple[Term, ...]


@st.composite
def worlds(draw: st.DrawFn) -> World:
    count = draw(st.integers(2, 4))
    length = draw(st.integers(2, max(2, min(4, MAX_PAIRS // count))))
    codes = tuple(f"90-1{i:02d}" for i in range(1, count + 1))
    courses = {
        code: Course(code=code, title=f"Course {code}", units=draw(st.sampled_from([6, 12])))
        for code in codes
    }
    start = parse_term(draw(st.sampled_from(["F26", "S27", "M27"])))
    terms = tuple(Term(start.index + k) for k in range(length))
    return World(codes, courses, start, terms)


def some(values: list[Any], low: int, high: int) -> st.SearchStrategy[list[Any]]:
    return st.lists(st.sampled_from(values), min_size=low, max_size=high, unique=True)


def small_int(field: Any) -> st.SearchStrategy[int]:
    """An integer within the field's own bounds (ge/le), from a small range."""
    low = next((m.ge for m in field.metadata if hasattr(m, "ge")), 0)
    high = next((m.le for m in field.metadata if hasattr(m, "le")), low + 3)
    return st.integers(low, min(high, low + 3))


Drawer = Callable[[st.DrawFn, World, Any], Any]

FIELDS: dict[str, Drawer] = {
    "courses": lambda d, w, f: d(some(list(w.codes), 1, len(w.codes))),
    "course": lambda d, w, f: d(st.sampled_from(w.codes)),
    "allow": lambda d, w, f: d(some(list(w.codes), 0, 2)),
    "tags": lambda d, w, f: [],
    "clauses": lambda d, w, f: d(st.lists(some(list(w.codes), 1, 2), min_size=1, max_size=2)),
    "groups": lambda d, w, f: [list(g) for g in d(st.sampled_from(partitions(w.codes)))],
    "count": lambda d, w, f: d(small_int(f)),
    "max_courses": lambda d, w, f: (
        d(st.one_of(st.none(), small_int(f))) if f.default is None else d(small_int(f))
    ),
    "min_courses": lambda d, w, f: (
        d(st.integers(0, 2)) if f.default == 0 else d(st.one_of(st.none(), st.integers(0, 2)))
    ),
    "credits": lambda d, w, f: d(st.sampled_from([0.5, 1.0, 1.5, 2.0])),
    "units_per_credit": lambda d, w, f: 12,
    "seasons": lambda d, w, f: d(some(list(SEASONS), 1, 3)),
    "terms": lambda d, w, f: [t.code for t in d(some(list(w.terms), 0, len(w.terms)))],
    "term": lambda d, w, f: d(st.sampled_from([*w.terms, w.terms[-1].next()])).code,
    "min_units": lambda d, w, f: (
        d(st.sampled_from([0, 6, 12]))
        if f.default == 0
        else d(st.sampled_from([None, 0, 6, 12, 18]))
    ),
    "max_units": lambda d, w, f: (
        d(st.sampled_from([0, 6, 12, 24]))
        if f.is_required()
        else d(st.sampled_from([None, 0, 6, 12, 24]))
    ),
    # The counting policy's requirement, or both requirements where a list is allowed.
    "rule": lambda d, w, f: (
        d(st.sampled_from(["verify.requirement-0", ["verify.requirement-0", REQUIREMENT_1]]))
        if "list" in str(f.annotation)
        else "verify.requirement-0"
    ),
    "evidence": lambda d, w, f: "",
    "dropped": lambda d, w, f: [],  # words only
    "weights": lambda d, w, f: {c: d(st.integers(1, 2)) for c in d(some(list(w.codes), 0, 2))},
    "lines": lambda d, w, f: [list(g) for g in d(st.sampled_from(partitions(w.codes)))],
    "programs": lambda d, w, f: d(st.sampled_from([[], [OTHER]])),
    "categories": lambda d, w, f: d(st.sampled_from([[], ["minor"], ["major"]])),
    "unless_before": lambda d, w, f: d(
        st.one_of(st.none(), st.tuples(st.sampled_from(w.codes), st.sampled_from(w.codes)))
    ),
    # Read where programs are resolved (dropped beside another program), not by build/check.
    "when_alone": lambda d, w, f: d(st.booleans()),
    # A stand-in for a listed course (valid only when the first code is listed and the
    # last is not; other draws are discarded).
    "alternatives": lambda d, w, f: d(st.sampled_from([{}, {w.codes[0]: [w.codes[-1]]}])),
}
"""How to draw each field a rule kind has, from the small world."""

BASE_FIELDS = set(RuleBase.model_fields)


def partitions(codes: tuple[str, ...]) -> list[tuple[tuple[str, ...], ...]]:
    """Ways to group the codes as cross-listings (each code in one group)."""
    return [
        tuple((c,) for c in codes),
        ((codes[0], codes[1]), *((c,) for c in codes[2:])),
    ]


@st.composite
def rules_of(draw: st.DrawFn, kind: type[RuleBase], world: World) -> list[RuleBase]:
    """One rule of `kind` (id UNDER_TEST) and, for a counting policy, the requirements it
    acts on."""
    values: dict[str, Any] = {"id": UNDER_TEST, "title": "Rule under test"}
    for name, field in kind.model_fields.items():
        if name in BASE_FIELDS:
            continue
        if name not in FIELDS:
            raise AssertionError(f"tests/test_kinds.py cannot draw field '{name}' of {kind}")
        values[name] = FIELDS[name](draw, world, field)
    if "max_courses" in values and "min_courses" in values:
        low, high = values["min_courses"], values["max_courses"]
        assume(low is not None or high is not None)
    across = issubclass(kind, SharingPolicy)
    if across:
        values["program"] = OWN  # a rule about this program and the other one
    try:
        rule = kind.model_validate(values)
    except ValidationError:
        assume(False)
        raise
    rules: list[RuleBase] = [rule]
    if issubclass(kind, CountingPolicy | SharingPolicy):
        # The requirements it acts on (in both programs, for a rule across programs), and
        # sometimes no double counting within a program.
        for program in (OWN, OTHER) if across else ("",):
            wanted = 2 if REQUIREMENT_1 in values.get("rule", []) else 1
            for k in range(draw(st.integers(wanted, 2))):
                rules.append(
                    draw(requirement(world, f"verify.{program or 'requirement'}-{k}", program))
                )
            if draw(st.booleans()):
                rules.append(
                    NoDoubleCount(
                        id=f"verify.{program or 'all'}-once", title="Once", program=program
                    )
                )
    return rules


@st.composite
def requirement(draw: st.DrawFn, world: World, rule_id: str, program: str) -> RuleBase:
    courses = draw(some(list(world.codes), 1, len(world.codes)))
    if draw(st.booleans()):
        return Choose(
            id=rule_id,
            title="A requirement",
            courses=courses,
            count=draw(st.integers(1, len(courses))),
            program=program,
        )
    return CreditPool(
        id=rule_id,
        title="A requirement",
        courses=courses,
        credits=draw(st.sampled_from([0.5, 1.0, 1.5])),
        program=program,
    )


REQUIREMENT_1 = "verify.requirement-1"

OWN, OTHER = "verify-a", "verify-b"
"""The two programs a rule across programs is verified with (OTHER is a minor)."""


def program(pid: str, category: list[str]) -> Program:
    return Program(
        program=ProgramInfo(
            id=pid, title=pid, first_entry_year=2026, default_start="F26", category=category
        ),
        rules=[Choose(id=f"{pid}.placeholder", title="Placeholder", courses=["90-101"])],
    )


PROGRAMS = (program(OWN, ["major"]), program(OTHER, ["minor"]))


@st.composite
def cases(draw: st.DrawFn, kind: type[RuleBase]) -> Problem:
    world = draw(worlds())
    rules = draw(rules_of(kind, world))
    completed: tuple[tuple[str, Term], ...] = ()
    if draw(st.integers(0, 3)) == 0:
        completed = ((draw(st.sampled_from(world.codes)), Term(world.start.index - 1)),)
    practicum_done = (
        Term(world.start.index - 2) if kind is Practicum and draw(st.booleans()) else None
    )
    outside = frozenset(draw(some(list(world.codes), 0, 1)))
    return Problem(
        programs=PROGRAMS,
        scenario=Scenario(program="verify"),
        courses=world.courses,
        start=world.start,
        terms=world.terms,
        completed=completed,
        practicum_completed=practicum_done,
        rules=tuple(rules),  # type: ignore[arg-type]
        waived=(),
        prefer=(),
        requested=frozenset(),
        objective=DEFAULT_OBJECTIVE,
        outside=outside,
    )


# --- The two halves, each enumerating the plans it accepts ----------------------------------


def practicum_options(problem: Problem) -> list[frozenset[Term]]:
    seasons = {s for r in problem.rules if isinstance(r, Practicum) for s in r.seasons}
    candidates = [t for t in problem.terms if t.season in seasons]
    return [
        frozenset(chosen)
        for size in range(len(candidates) + 1)
        for chosen in itertools.combinations(candidates, size)
    ]


def every_plan(problem: Problem) -> list[Plan]:
    """Every schedule there is in the case's terms: each subset of (course, term) pairs,
    with each choice of practicum terms."""
    pairs = [(c, t) for c in sorted(problem.courses) for t in problem.terms]
    return [
        (frozenset(p for k, p in enumerate(pairs) if mask >> k & 1), practicum)
        for mask in range(1 << len(pairs))
        for practicum in practicum_options(problem)
    ]


def accepted_by_the_audit(problem: Problem) -> set[Plan]:
    """Every plan whose every rule the audit passes (with the exact matching)."""
    done = [Instance(c, t, True) for c, t in problem.completed]
    accepted = set()
    for takes, practicum in every_plan(problem):
        planned = [Instance(c, t, False) for c, t in takes]
        instances = tuple(sorted([*done, *planned], key=lambda i: (i.term, i.code)))
        view = PlanView(problem, instances, practicum, tuple(() for _ in instances))
        matching = best_matching(view)
        if all(rule.check(view, matching).satisfied for rule in problem.rules):
            accepted.add((takes, practicum))
    return accepted


def accepted_by_the_solver(problem: Problem) -> set[Plan]:
    """Every plan the CP-SAT model admits: each schedule fixed by assumptions on the
    decision variables, the model solved for a feasible completion (counting, sharing and
    auxiliary variables free). Enumerating all solutions instead would list each plan once
    per way of counting its courses, which grows fast with two programs."""
    ctx = compile_model(problem)
    assert set(ctx.take) == {(c, t) for c in problem.courses for t in problem.terms}
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    accepted = set()
    for takes, practicum in every_plan(problem):
        ctx.model.clear_assumptions()
        ctx.model.add_assumptions(
            [v if k in takes else v.Not() for k, v in ctx.take.items()]
            + [v if t in practicum else v.Not() for t, v in ctx.practicum.items()]
        )
        status = solver.solve(ctx.model)
        assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.INFEASIBLE)
        if status != cp_model.INFEASIBLE:
            accepted.add((takes, practicum))
    return accepted


# --- The properties -------------------------------------------------------------------------

VERIFY = settings(max_examples=examples(12), deadline=None, suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("kind", KINDS, ids=[k.model_fields["kind"].default for k in KINDS])
def test_build_and_check_accept_the_same_plans(kind: type[RuleBase]) -> None:
    @VERIFY
    @given(cases(kind))
    def agree(problem: Problem) -> None:
        by_audit = accepted_by_the_audit(problem)
        by_solver = accepted_by_the_solver(problem)
        only_audit = sorted(by_audit - by_solver, key=str)[:3]
        only_solver = sorted(by_solver - by_audit, key=str)[:3]
        assert by_audit == by_solver, (problem.rules, only_audit, only_solver)

    agree()


@pytest.mark.parametrize("kind", KINDS, ids=[k.model_fields["kind"].default for k in KINDS])
def test_the_objective_recomputed_without_the_solver_is_the_solvers(
    kind: type[RuleBase],
) -> None:
    @VERIFY
    @given(cases(kind))
    def same(problem: Problem) -> None:
        outcome = solve(problem, time_limit=10)
        if outcome.solution is None:
            assert outcome.status == "infeasible"
            return
        plan = plan_from_outcome(problem, outcome)
        assert plan_objective(problem, plan) == outcome.solution.objective

    same()


def test_every_kind_is_verified() -> None:
    """The kinds verified are the union's, all of them (a new kind is not skipped)."""
    from typing import get_args

    from planner.kinds import Rule

    assert set(KINDS) == set(get_args(get_args(Rule)[0]))
    assert len(KINDS) == len({k.model_fields["kind"].default for k in KINDS})
