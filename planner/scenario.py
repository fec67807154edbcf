"""Scenarios: the what-if overlay for one student, read from ``scenarios/*.toml`` or flags.

A scenario names the program, the first term to plan, what the student has completed and
what she or her advisor wants changed: must-take, avoid, pins, unit bounds, waived rules,
substitutions, offerings added or dropped, and the order of the objectives.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from planner.ids import (
    AnyCourse,
    CourseCode,
    RuleId,
    TermCode,
    check_any_course,
    check_course_code,
    split_at,
)
from planner.loading import read_toml, validate
from planner.schema import Frozen
from planner.terms import parse_term

Objective = Literal[
    "graduate-early", "no-extras", "preferences", "balance", "requested-count", "tie-break"
]
DEFAULT_OBJECTIVE: tuple[Objective, ...] = (
    "graduate-early",
    "no-extras",
    "preferences",
    "balance",
    "requested-count",
    "tie-break",
)


def _canonical_placement(text: str) -> str:
    code, term = split_at(text)
    return f"{check_course_code(code)}@{parse_term(term).code}"


def _canonical_taken(text: str) -> str:
    code, term = split_at(text)
    return f"{check_any_course(code)}@{parse_term(term).code}"


Placement = Annotated[str, AfterValidator(_canonical_placement)]
"""A course in a term, written ``10-701@F26``."""

Taken = Annotated[str, AfterValidator(_canonical_taken)]
"""A course completed in a term: a CMU number, known to the catalog or not, or a declared
outside course (``UCB-CS189@F24``)."""


class OutsideCourse(Frozen):
    """A course from outside the catalog (transfer credit, another university, a CMU
    course the catalog does not list), declared with what the planner needs to know."""

    code: AnyCourse = Field(description="Its code, as the transcript has it.")
    title: str = Field(min_length=1, max_length=200)
    units: int = Field(ge=1, le=48, description="CMU units (or the equivalent).")
    source: str = Field(default="", description="Where it was taken, or the approval.")


class Units(Frozen):
    min: int | None = Field(default=None, ge=0, le=1000)
    max: int | None = Field(default=None, ge=0, le=1000)

    @model_validator(mode="after")
    def _ordered(self) -> Units:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} exceeds max {self.max}")
        return self


class Substitution(Frozen):
    """An advisor's exception about course `old` and course `new`, in requirement `rule`
    (or in every requirement listing `old`): in ``substitute``, `new` takes `old`'s place;
    in ``also_allow``, `new` counts as one more option beside `old` (the two meanings
    Degree Works calls "substitute" and "also allow")."""

    old: CourseCode
    new: AnyCourse
    rule: RuleId | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, str):
            old, sep, new = data.partition("=")
            if not sep:
                raise ValueError(f"'{data}' is not OLD=NEW (for example 36-700=36-707)")
            return {"old": old.strip(), "new": new.strip()}
        return data

    @property
    def flag(self) -> str:
        return f"{self.old}={self.new}"


class Scenario(Frozen):
    id: str = Field(
        default="",
        max_length=200,
        description="Who this scenario is about (a student id); batches match rows by it.",
    )
    title: str = ""
    program: str | list[str] = Field(
        default="msml",
        description="The program to plan, or several to plan in one schedule.",
    )
    entry_year: int | None = Field(default=None, ge=1900, le=2200)
    start: TermCode | None = Field(default=None, description="First term to plan.")
    graduate_by: TermCode | None = None
    enrolled_through: TermCode | None = Field(
        default=None, description="Stay enrolled through this term (graduate no earlier)."
    )
    semesters: int | None = Field(default=None, ge=1, le=1000)
    units: Units = Units()
    term_units: dict[TermCode, Units] = {}
    completed: list[Taken] = Field(
        default=[], description="CODE@TERM: courses completed before the start."
    )
    outside: list[OutsideCourse] = Field(
        default=[], description="Courses the catalog does not have, declared for this student."
    )
    practicum_completed: TermCode | None = None
    require: list[CourseCode] = []
    avoid: list[CourseCode] = []
    prefer: list[CourseCode] = []
    pin: list[Placement] = []
    offered: list[Placement] = []
    not_offered: list[Placement] = []
    waive: list[RuleId] = []
    substitute: list[Substitution] = Field(
        default=[], description="OLD=NEW: NEW takes OLD's place in the requirements listing OLD."
    )
    also_allow: list[Substitution] = Field(
        default=[],
        description="OLD=NEW: NEW counts as one more option wherever OLD can (OLD still can).",
    )
    objective: list[Objective] = Field(default=list(DEFAULT_OBJECTIVE), min_length=1)
    time_limit: float | None = Field(default=None, gt=0, le=86_400)

    @field_validator("program", mode="before")
    @classmethod
    def _program_or_list(cls, value: Any) -> Any:
        if isinstance(value, str) or (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            return value
        raise ValueError("give a program id as a string, or a list of them")

    @field_validator("program")
    @classmethod
    def _programs_once(cls, value: str | list[str]) -> str | list[str]:
        if isinstance(value, list):
            if not value:
                raise ValueError("name at least one program")
            if len(set(value)) != len(value):
                raise ValueError("a program is named twice")
        return value

    @property
    def program_ids(self) -> list[str]:
        """The programs to plan, first the main one."""
        return [self.program] if isinstance(self.program, str) else list(self.program)

    @field_validator("objective")
    @classmethod
    def _objective_order(cls, objective: list[Objective]) -> list[Objective]:
        if len(set(objective)) != len(objective):
            raise ValueError("objective lists a criterion twice")
        if "tie-break" in objective[:-1]:
            raise ValueError("the tie-break, when listed, comes last")
        return objective

    @field_validator("term_units", mode="before")
    @classmethod
    def _one_entry_per_term(cls, value: Any) -> Any:
        """F26 and "Fall 2026" are one term: naming it twice would drop one of the bounds."""
        if isinstance(value, dict):
            seen: dict[str, str] = {}
            for key in value:
                try:
                    code = parse_term(str(key)).code
                except ValueError:
                    continue  # reported by the key's own validation
                if code in seen:
                    raise ValueError(f"'{seen[code]}' and '{key}' are the same term; give it once")
                seen[code] = str(key)
        return value

    @model_validator(mode="after")
    def _one_deadline(self) -> Scenario:
        if self.graduate_by is not None and self.semesters is not None:
            raise ValueError("give graduate_by or semesters, not both")
        return self

    def with_overrides(self, overrides: Scenario, origin: str = "command line") -> Scenario:
        """This scenario with the fields set in `overrides` applied on top.

        Lists are extended (but the objective and the programs are replaced), tables merged
        and single values replaced. A deadline given one
        way (graduate_by or semesters) replaces one given the other way. When the two
        contradict each other (a minimum above a maximum), the error is a PlannerError
        naming `origin` and the place.
        """
        update: dict[str, Any] = {}
        for name in overrides.model_fields_set:
            value = getattr(overrides, name)
            mine = getattr(self, name)
            if name in ("objective", "program"):  # what to plan for is chosen, not added to
                update[name] = value
            elif isinstance(value, list):
                update[name] = [*mine, *(v for v in value if v not in mine)]
            elif name == "term_units":
                merged = dict(mine)
                for term, units in value.items():
                    base = merged.get(term, Units())
                    merged[term] = base.model_copy(update=units.model_dump(exclude_unset=True))
                update[name] = merged
            elif name == "units":
                update[name] = mine.model_copy(update=value.model_dump(exclude_unset=True))
            else:
                update[name] = value
        if "graduate_by" in update:
            update.setdefault("semesters", None)
        if "semesters" in update:
            update.setdefault("graduate_by", None)
        return validate(Scenario, {**self.model_dump(exclude_unset=True), **update}, origin)


def load_scenario(path: Path) -> Scenario:
    return validate(Scenario, read_toml(path), path)
