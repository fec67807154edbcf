"""credit_pool: enough credits from a list, a course giving units / units_per_credit
(so at 12, a 6-unit course is half an elective)."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from planner.kinds.base import AnyCourse, RequirementBase, RuleResult, names, number

if TYPE_CHECKING:
    from collections.abc import Mapping

    from planner.audit import Matching, PlanView
    from planner.catalog import Course
    from planner.compile import BuildContext


class CreditPool(RequirementBase):
    """At least `credits` credits from `courses`; a course gives units / units_per_credit."""

    kind: Literal["credit_pool"] = "credit_pool"
    courses: list[AnyCourse] = Field(default=[], description="Courses that can count.")
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

    def eligible(self, courses: Mapping[str, Course]) -> dict[str, int | None]:
        return dict.fromkeys(self.courses)

    def build(self, ctx: BuildContext) -> None:
        """Courses counted here bring at least `credits` credits, in units."""
        units = ctx.problem.courses
        counted = sum(units[c].units * var for c, var in ctx.fills_toward(self.id).items())
        ctx.enforce(ctx.model.add(counted >= self.units_needed), self)

    def advance(self, progress: int, code: str, units: int) -> int | None:
        """Progress is units counted, capped at the need (surplus still counts)."""
        return min(self.units_needed, progress + units)

    def fraction(self, progress: int) -> Fraction:
        return Fraction(min(progress, self.units_needed), self.units_needed)

    def check(self, view: PlanView, matching: Matching) -> RuleResult:
        counted = matching.courses_for(view, self.id)
        courses = view.problem.courses
        units = sum(courses[i.code].units for i in counted)
        have = Fraction(units, self.units_per_credit)
        parts = [
            f"{name} ({courses[i.code].units} units)"
            if courses[i.code].units != self.units_per_credit
            else name
            for i, name in zip(counted, names(counted), strict=True)
        ]
        from_what = f" from {', '.join(parts)}" if parts else ""
        return self.result(
            units >= self.units_needed,
            names(counted),
            f"has {float(have):g} of {self.credits:g} credits{from_what}",
        )

    def describe(self) -> str:
        return (
            f"{self.title}: {number(self.credits)} credits from {len(self.courses)} approved"
            f" courses, each {self.units_per_credit} units making one credit."
        )
