"""Definitions that the solver and the audit both rely on, written once.

The CP-SAT model (``compile.py``) states these as constraints over its variables; the
audit (``audit.py``) and the plan builder (``plan.py``) compute them from a plan's facts.
Both halves call the functions here, so that they cannot drift apart: a plan the solver
calls optimal is a plan the audit passes.
"""

from __future__ import annotations

from collections.abc import Iterable

from planner.rules import EnrolledThrough, Practicum, Rule
from planner.terms import Term, parse_term


def stay_term(rules: Iterable[Rule]) -> Term | None:
    """The term the student must stay enrolled through (the latest such rule in force)."""
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


def enrolled(term: Term, graduation_term: Term | None, practicum: Iterable[Term]) -> bool:
    """Whether minimum loads apply in `term`: up to graduation and not on the practicum."""
    return graduation_term is not None and term <= graduation_term and term not in practicum


def practicum_owed(rule: Practicum, practicum_completed: Term | None) -> int:
    """Practicum terms still to plan: the rule's count less one already completed."""
    return max(0, rule.count - (1 if practicum_completed is not None else 0))
