"""The rule kinds: one pydantic model per kind, discriminated on ``kind``.

A rule kind has one name that appears in the curriculum data (``kind = "choose"``), in
this schema (``Choose``), in the CP-SAT builder (``build_choose``), in the solver-free
checker (``check_choose``), in the plain-English description (``describe_choose``) and in
its tests. Rules come from three places: program files (``curriculum/programs``), facts
of the catalog (prerequisites, offerings, no repeats) and the scenario (pins, must-take,
avoid, graduate-by, unit bounds). Every rule has a stable id, so that an explanation of
an impossible request can name it.
"""

from __future__ import annotations

from typing import Annotated, Literal, TypeGuard

from pydantic import BaseModel, ConfigDict, Field, model_validator

from planner.ids import CourseCode, RuleId, TermCode
from planner.loading import register_union_tags
from planner.terms import Season


class Frozen(BaseModel):
    """Base for every data model: unknown keys are errors and values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class RuleBase(Frozen):
    """What every rule has: a stable id, words for people, and where it comes from."""

    id: RuleId = Field(description="Stable dotted id, e.g. 'msml.core.intro-ml'.")
    title: str = Field(min_length=1, description="A short human title.")
    label: str = Field(
        default="",
        max_length=28,
        description="A few words for tables and plan grids (default: the title).",
    )
    source: str = Field(default="", description="Where the rule comes from (page, section).")
    assumption: str = Field(
        default="", description="Where the source is ambiguous: the reading this rule takes."
    )


# --- Requirements: what must be taken. Courses are assigned to them by the solver. ---


class Choose(RuleBase):
    """`count` courses from `courses` fill this requirement (a core slot when count is 1)."""

    kind: Literal["choose"] = "choose"
    courses: list[CourseCode] = Field(min_length=1, description="The courses that can fill it.")
    count: int = Field(default=1, ge=1, le=50, description="How many courses it needs.")


class AllOf(RuleBase):
    """Every course in `courses` is taken, and each counts toward this requirement."""

    kind: Literal["all_of"] = "all_of"
    courses: list[CourseCode] = Field(min_length=1, description="The courses to take.")


class CreditPool(RuleBase):
    """At least `credits` credits from `courses`; a course gives units / units_per_credit."""

    kind: Literal["credit_pool"] = "credit_pool"
    courses: list[CourseCode] = Field(default=[], description="Courses that can count.")
    tags: list[str] = Field(default=[], description="Catalog tags whose courses can count.")
    credits: float = Field(gt=0, le=100, description="Credits needed, e.g. 3 electives.")
    units_per_credit: int = Field(
        default=12,
        ge=1,
        le=48,
        description="Units that make one credit (12: a 6-unit course is half).",
    )

    @model_validator(mode="after")
    def _whole_units(self) -> CreditPool:
        needed = self.credits * self.units_per_credit
        if abs(needed - round(needed)) > 1e-9:
            raise ValueError("credits x units_per_credit must be a whole number of units")
        return self

    @property
    def units_needed(self) -> int:
        return round(self.credits * self.units_per_credit)


# --- Counting policy: which courses may count, and how often. ---


class CountLimit(RuleBase):
    """At most `max_courses` of `courses` count toward requirement `rule` (an "or" line)."""

    kind: Literal["count_limit"] = "count_limit"
    rule: RuleId = Field(description="The requirement this limit applies to.")
    courses: list[CourseCode] = Field(min_length=1)
    max_courses: int = Field(default=1, ge=0, le=50)


class NeverCounts(RuleBase):
    """None of `courses` counts toward any requirement."""

    kind: Literal["never_counts"] = "never_counts"
    courses: list[CourseCode] = Field(min_length=1)


class NoDoubleCount(RuleBase):
    """Each course taken fills at most one requirement."""

    kind: Literal["no_double_count"] = "no_double_count"


# --- Schedule: when things happen. ---


class Practicum(RuleBase):
    """`count` full-time practicum terms in `seasons`, with no course but those in `allow`."""

    kind: Literal["practicum"] = "practicum"
    seasons: list[Season] = Field(default=["summer"], min_length=1)
    count: int = Field(default=1, ge=1, le=4)
    allow: list[CourseCode] = Field(default=[], description="Courses allowed in that term.")


class TermScoped(RuleBase):
    """Base of the rules that bound each term of some seasons (or some listed terms)."""

    seasons: list[Season] = Field(default=["fall", "spring", "summer"], min_length=1)
    terms: list[TermCode] = Field(default=[], description="Only these terms (if given).")

    def covers(self, code: str, season: str) -> bool:
        return code in self.terms if self.terms else season in self.seasons


def _ordered(low: int | None, high: int | None, what: str) -> None:
    if low is None and high is None:
        raise ValueError(f"give min_{what}, max_{what} or both")
    if low is not None and high is not None and low > high:
        raise ValueError(f"min_{what} {low} exceeds max_{what} {high}")


class TermUnits(TermScoped):
    """Units in each term of `seasons` (or of `terms`) lie within [min_units, max_units].

    The minimum applies only to terms the student is enrolled in: terms up to graduation
    that are not practicum terms.
    """

    kind: Literal["term_units"] = "term_units"
    min_units: int | None = Field(default=None, ge=0, le=1000)
    max_units: int | None = Field(default=None, ge=0, le=1000)

    @model_validator(mode="after")
    def _some_bound(self) -> TermUnits:
        _ordered(self.min_units, self.max_units, "units")
        return self


class TermCourses(TermScoped):
    """The number of courses in each term of `seasons` (or of `terms`) lies within
    [min_courses, max_courses]; the minimum only while enrolled and not on practicum."""

    kind: Literal["term_courses"] = "term_courses"
    min_courses: int | None = Field(default=None, ge=0, le=100)
    max_courses: int | None = Field(default=None, ge=0, le=100)

    @model_validator(mode="after")
    def _some_bound(self) -> TermCourses:
        _ordered(self.min_courses, self.max_courses, "courses")
        return self


class MaxPerTerm(RuleBase):
    """At most `max_courses` of `courses` (or courses tagged `tags`) in any one term."""

    kind: Literal["max_per_term"] = "max_per_term"
    courses: list[CourseCode] = Field(default=[])
    tags: list[str] = Field(default=[])
    max_courses: int = Field(default=1, ge=0, le=50)


class Prerequisite(RuleBase):
    """`course` is taken only after each clause is met strictly earlier.

    A clause is a list of courses, any one of which meets it.
    """

    kind: Literal["prerequisite"] = "prerequisite"
    course: CourseCode
    clauses: list[list[CourseCode]] = Field(min_length=1)


class Offering(RuleBase):
    """`course` is taken only in the planned terms listed in `terms`."""

    kind: Literal["offering"] = "offering"
    course: CourseCode
    terms: list[TermCode]


class NoRepeat(RuleBase):
    """Each group (a course and its cross-listings) is taken at most once, unless repeatable."""

    kind: Literal["no_repeat"] = "no_repeat"
    groups: list[list[CourseCode]]


# --- A student's own constraints (from the scenario). ---


class Require(RuleBase):
    """`course` is taken (already completed or planned)."""

    kind: Literal["require"] = "require"
    course: CourseCode


class Avoid(RuleBase):
    """`course` is not planned."""

    kind: Literal["avoid"] = "avoid"
    course: CourseCode


class Pin(RuleBase):
    """`course` is taken in `term`."""

    kind: Literal["pin"] = "pin"
    course: CourseCode
    term: TermCode


class GraduateBy(RuleBase):
    """Nothing (no course, no practicum) is planned after `term`."""

    kind: Literal["graduate_by"] = "graduate_by"
    term: TermCode


class EnrolledThrough(RuleBase):
    """The student stays enrolled through `term`: graduation is no earlier."""

    kind: Literal["enrolled_through"] = "enrolled_through"
    term: TermCode


Rule = Annotated[
    Choose
    | AllOf
    | CreditPool
    | CountLimit
    | NeverCounts
    | NoDoubleCount
    | Practicum
    | TermUnits
    | TermCourses
    | MaxPerTerm
    | Prerequisite
    | Offering
    | NoRepeat
    | Require
    | Avoid
    | Pin
    | GraduateBy
    | EnrolledThrough,
    Field(discriminator="kind"),
]

Requirement = Choose | AllOf | CreditPool
"""Kinds that courses are assigned to ("counts toward")."""

RULE_KINDS: tuple[str, ...] = (
    "choose",
    "all_of",
    "credit_pool",
    "count_limit",
    "never_counts",
    "no_double_count",
    "practicum",
    "term_units",
    "term_courses",
    "max_per_term",
    "prerequisite",
    "offering",
    "no_repeat",
    "require",
    "avoid",
    "pin",
    "graduate_by",
    "enrolled_through",
)
register_union_tags(set(RULE_KINDS))


def is_requirement(rule: Rule) -> TypeGuard[Choose | AllOf | CreditPool]:
    """Whether courses are assigned to `rule` (it "counts toward" something)."""
    return isinstance(rule, Choose | AllOf | CreditPool)
