"""choose: `count` courses from a list fill a requirement (a core slot when count is 1)."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from planner.kinds.base import AnyCourse, RequirementBase, RuleResult, either, names

if TYPE_CHECKING:
    from collections.abc import Mapping

    from planner.audit import Matching, PlanView
    from planner.catalog import Course
    from planner.compile import BuildContext


class Choose(RequirementBase):
    """`count` courses from `courses` fill this requirement (a core slot when count is 1)."""

    kind: Literal["choose"] = "choose"
    courses: list[AnyCourse] = Field(min_length=1, description="The courses that can fill it.")
    count: int = Field(default=1, ge=1, le=50, description="How many courses it needs.")
    min_units: int = Field(
        default=0,
        ge=0,
        le=48,
        description="Only courses of at least this many units count (at least N courses of"
        " at least U units).",
    )

    def eligible(self, courses: Mapping[str, Course]) -> dict[str, int | None]:
        return {
            c: self.count
            for c in self.courses
            if c in courses and courses[c].units >= self.min_units
        }

    def build(self, ctx: BuildContext) -> None:
        """`count` taken courses from `courses` count here."""
        fills = list(ctx.fills_toward(self.id).values())
        ctx.enforce(ctx.model.add(sum(fills) >= self.count), self)
        # A slot holds no more courses than it needs (surplus courses count elsewhere or
        # nowhere): definitional, so no rule literal.
        ctx.model.add(sum(fills) <= self.count)

    def advance(self, progress: int, code: str, units: int) -> int | None:
        return progress + 1 if progress < self.count else None

    def fraction(self, progress: int) -> Fraction:
        return Fraction(min(progress, self.count), self.count)

    def check(self, view: PlanView, matching: Matching) -> RuleResult:
        counted = matching.courses_for(view, self.id)
        missing = self.count - len(counted)
        others = [c for c in self.courses if c not in {i.code for i in counted}][:8]
        shown = f"counted {', '.join(names(counted))}" if counted else "nothing counts"
        return self.result(
            missing <= 0, names(counted), f"{shown}; needs {missing} more of {', '.join(others)}"
        )

    def describe(self) -> str:
        sized = f" (each of at least {self.min_units} units)" if self.min_units else ""
        if len(self.courses) == 1 and self.count == 1:
            return f"{self.title}: take {self.courses[0]}{sized}."
        if len(self.courses) > 8:
            return f"{self.title}: take {self.count} of {len(self.courses)} courses{sized}."
        return f"{self.title}: take {self.count} of {either(self.courses)}{sized}."
