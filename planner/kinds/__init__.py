"""The rule kinds: one module each (schema, CP-SAT build, solver-free check, sentence and
repairs side by side), gathered here into one union discriminated on ``kind``.

Adding a kind is one new module and one line in `Rule`; everything else (the names the
loader accepts, the audit's dispatch, the verifier in tests/test_kinds.py) is derived
from the union. See docs/rule-kinds.md, "Adding a rule kind".
"""

from __future__ import annotations

from typing import Annotated, TypeGuard, get_args

from pydantic import Field

from planner.kinds.all_of import AllOf
from planner.kinds.avoid import Avoid
from planner.kinds.base import (
    Candidate,
    CountingPolicy,
    Limit,
    Origin,
    RequirementBase,
    RuleBase,
    RuleResult,
    SharingPolicy,
    TermScoped,
    academic,
    either,
)
from planner.kinds.choose import Choose
from planner.kinds.count_limit import CountLimit
from planner.kinds.credit_pool import CreditPool
from planner.kinds.enrolled_through import EnrolledThrough
from planner.kinds.exclusive import Exclusive
from planner.kinds.graduate_by import GraduateBy
from planner.kinds.max_per_term import MaxPerTerm
from planner.kinds.never_counts import NeverCounts
from planner.kinds.no_double_count import NoDoubleCount
from planner.kinds.no_repeat import NoRepeat
from planner.kinds.offering import Offering
from planner.kinds.one_per_line import OnePerLine
from planner.kinds.pin import Pin
from planner.kinds.practicum import Practicum
from planner.kinds.prerequisite import Prerequisite
from planner.kinds.require import Require
from planner.kinds.share_limit import ShareLimit
from planner.kinds.taken_here import TakenHere
from planner.kinds.term_courses import TermCourses
from planner.kinds.term_units import TermUnits
from planner.kinds.unit_cap import UnitCap
from planner.loading import register_union_tags

Rule = Annotated[
    # Requirements: what must be taken (courses are assigned to them).
    Choose
    | AllOf
    | CreditPool
    # Counting policy: which courses may count, and how often.
    | CountLimit
    | NeverCounts
    | NoDoubleCount
    | OnePerLine
    | UnitCap
    | TakenHere
    # Sharing between programs planned together.
    | Exclusive
    | ShareLimit
    # Schedule: when things happen.
    | Practicum
    | TermUnits
    | TermCourses
    | MaxPerTerm
    | Prerequisite
    | Offering
    | NoRepeat
    # The student's own wishes.
    | Require
    | Avoid
    | Pin
    | GraduateBy
    | EnrolledThrough,
    Field(discriminator="kind"),
]

KINDS: tuple[type[RuleBase], ...] = get_args(get_args(Rule)[0])
"""Every rule kind's class, in the order of the union."""

RULE_KINDS: tuple[str, ...] = tuple(k.model_fields["kind"].default for k in KINDS)
"""Every kind's name, as the data writes it (``kind = "choose"``)."""

register_union_tags(set(RULE_KINDS))


def is_requirement(rule: RuleBase) -> TypeGuard[RequirementBase]:
    """Whether courses are assigned to `rule` (it "counts toward" something)."""
    return isinstance(rule, RequirementBase)


__all__ = [
    "KINDS",
    "RULE_KINDS",
    "AllOf",
    "Avoid",
    "Candidate",
    "Choose",
    "CountLimit",
    "CountingPolicy",
    "CreditPool",
    "EnrolledThrough",
    "Exclusive",
    "GraduateBy",
    "Limit",
    "MaxPerTerm",
    "NeverCounts",
    "NoDoubleCount",
    "NoRepeat",
    "Offering",
    "OnePerLine",
    "Origin",
    "Pin",
    "Practicum",
    "Prerequisite",
    "Require",
    "RequirementBase",
    "Rule",
    "RuleBase",
    "RuleResult",
    "ShareLimit",
    "SharingPolicy",
    "TakenHere",
    "TermCourses",
    "TermScoped",
    "TermUnits",
    "UnitCap",
    "academic",
    "either",
    "is_requirement",
]
