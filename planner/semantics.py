"""Definitions that the solver and the audit both rely on, written once.

The CP-SAT model (``compile.py``) states these as constraints over its variables; the
audit (``audit.py``) and the plan builder (``plan.py``) compute them from a plan's facts.
Both halves call the functions here, so that they cannot drift apart: a plan the solver
calls optimal is a plan the audit passes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner.terms import Term, parse_term

if TYPE_CHECKING:
    from planner.catalog import Course
    from planner.kinds import Practicum, RuleBase


def stay_term(rules: Iterable[RuleBase]) -> Term | None:
    """The term the student must stay enrolled through (the latest such rule in force)."""
    from planner.kinds import EnrolledThrough

    terms = [parse_term(r.term) for r in rules if isinstance(r, EnrolledThrough)]
    return max(terms) if terms else None


def graduation(
    planned: Iterable[Term], practicum: Iterable[Term], stay: Term | None
) -> Term | None:
    """The last term of a plan, when the student graduates.

    It is the last term with a planned course or the practicum, or the term the student
    must stay enrolled through, whichever is later; None when the plan holds nothing and
    asks for no stay. The student is enrolled (active) in every term from the start up to
    it; in the solver, ``active[t]`` is exactly that prefix.
    """
    candidates = [*planned, *practicum, *([stay] if stay is not None else [])]
    return max(candidates) if candidates else None


def taken_before(instances: Iterable[tuple[str, Term]], first: str, then: str) -> bool:
    """Whether `first` was taken in a term strictly before some term `then` was taken
    (a condition such as "36-202 before 36-401")."""
    pairs = list(instances)
    firsts = [t for c, t in pairs if c == first]
    return any(any(f < t for f in firsts) for c, t in pairs if c == then)


def enrolled(term: Term, graduation_term: Term | None, practicum: Iterable[Term]) -> bool:
    """Whether minimum loads apply in `term`: up to graduation and not on the practicum."""
    return graduation_term is not None and term <= graduation_term and term not in practicum


def practicum_owed(rule: Practicum, practicum_completed: Term | None) -> int:
    """Practicum terms still to plan: the rule's count less one already completed."""
    return max(0, rule.count - (1 if practicum_completed is not None else 0))


@dataclass(frozen=True)
class UnitBound:
    """The bounds in force for one term's units, each with the rules that impose it."""

    min_rules: tuple[tuple[str, int], ...] = ()
    max_rules: tuple[tuple[str, int], ...] = ()


def unit_bounds(rules: Iterable[RuleBase], terms: Iterable[Term]) -> dict[Term, UnitBound]:
    """Per term, the rules that bound its units, per side: a scenario bound for that term
    beats a scenario bound for every term, which beats the program's. Rules of one rank
    all apply (the tightest binds)."""
    from planner.kinds import TermUnits

    unit_rules = [r for r in rules if isinstance(r, TermUnits)]

    def rank(rule: TermUnits) -> int:
        if rule.origin == "scenario":
            return 2 if rule.terms else 1
        return 0

    bounds: dict[Term, UnitBound] = {}
    for term in terms:
        picked: dict[str, list[tuple[str, int]]] = {"min": [], "max": []}
        for side in ("min", "max"):
            candidates = [
                (rank(r), r.id, getattr(r, f"{side}_units"))
                for r in unit_rules
                if r.covers(term.code, term.season) and getattr(r, f"{side}_units") is not None
            ]
            if candidates:
                top = max(c[0] for c in candidates)
                picked[side] = [(rid, v) for rk, rid, v in candidates if rk == top]
        bounds[term] = UnitBound(tuple(picked["min"]), tuple(picked["max"]))
    return bounds


# --- The objective: each criterion's value for a concrete plan ------------------------------


def prerequisites_of_others(courses: Mapping[str, Course]) -> set[str]:
    """Courses some other course names as a prerequisite (intro ML, statistics)."""
    return {c for course in courses.values() for clause in course.prereq_clauses for c in clause}


def tie_weights(
    courses: Mapping[str, Course], terms: Sequence[Term], scale: int
) -> dict[tuple[str, Term], int]:
    """The tie-break's cost of each placement (course, term); see `compile.tie_break`.

    Earlier terms first, and earliest for the courses other courses need first; then
    lower numbers; courses taken by arrangement after every regular course. `scale` (one
    more than the number of requirements) keeps counting from paying for a course.
    """
    order = sorted(courses, key=lambda c: (courses[c].arranged, c))
    needed = prerequisites_of_others(courses)
    n = len(order)
    last = 2 * n * len(terms)  # above any regular weight
    return {
        (code, term): scale
        * (
            position * n * (2 if code in needed else 1)
            + rank
            + 1
            + (last if courses[code].arranged else 0)
        )
        for position, term in enumerate(terms)
        for rank, code in enumerate(order)
    }


def objective_values(
    *,
    courses: Mapping[str, Course],
    terms: Sequence[Term],
    start: Term,
    graduation_term: Term | None,
    taken: Sequence[tuple[str, Term, bool]],
    fills: Mapping[str, int],
    requested: Iterable[str],
    prefer: Iterable[str],
    requirements: int,
) -> dict[str, int]:
    """Every criterion's value for a plan, computed without a solver.

    `taken` lists course instances (code, term, completed); `fills` says how many times
    each course counts toward some requirement. The solver minimises exactly these; for
    its own plans the two must agree (tests/test_objective.py).
    """
    planned = [(c, t) for c, t, done in taken if not done]
    count: dict[str, int] = {}
    for code, _, _ in taken:
        count[code] = count.get(code, 0) + 1
    asked = set(requested)
    unused = {code: max(0, n - fills.get(code, 0)) for code, n in count.items()}
    units: dict[Term, int] = {}
    for code, term in planned:
        units[term] = units.get(term, 0) + courses[code].units
    weights = tie_weights(courses, terms, 1 + requirements)
    active = 0 if graduation_term is None else graduation_term.index - start.index + 1
    return {
        "graduate-early": active,
        "no-extras": sum(n for code, n in unused.items() if code not in asked),
        "preferences": sum(1 for code in set(prefer) if code not in count),
        "balance": max(units.values(), default=0),
        "requested-count": sum(n for code, n in unused.items() if code in asked),
        "tie-break": sum(weights[c, t] for c, t in planned) - sum(fills.values()),
    }
