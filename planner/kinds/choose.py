"""choose: `count` courses from a list fill a requirement (a core slot when count is 1)."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from planner import semantics
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
    unless_before: tuple[AnyCourse, AnyCourse] | None = Field(
        default=None,
        description="[A, B]: the requirement lapses when A is taken in a term before B"
        ' ("without 36-202 before 36-401, one more elective").',
    )

    def eligible(self, courses: Mapping[str, Course]) -> dict[str, int | None]:
        return {
            c: self.count
            for c in self.courses
            if c in courses and courses[c].units >= self.min_units
        }

    def build(self, ctx: BuildContext) -> None:
        """`count` taken courses from `courses` count here (unless A comes before B)."""
        fills = list(ctx.fills_toward(self.id).values())
        if self.unless_before is None:
            ctx.enforce(ctx.model.add(sum(fills) >= self.count), self)
        else:
            lapsed = ctx.came_before(*self.unless_before)
            ctx.enforce(ctx.model.add(sum(fills) >= self.count), self, lapsed.Not())
        # A slot holds no more courses than it needs (surplus courses count elsewhere or
        # nowhere): definitional, so no rule literal.
        ctx.model.add(sum(fills) <= self.count)

    def advance(self, progress: int, code: str, units: int) -> int | None:
        return progress + 1 if progress < self.count else None

    def fraction(self, progress: int) -> Fraction:
        return Fraction(min(progress, self.count), self.count)

    def met_anyway(self, view: PlanView) -> bool:
        if self.unless_before is None:
            return False
        first, then = self.unless_before
        return semantics.taken_before(((i.code, i.term) for i in view.instances), first, then)

    def check(self, view: PlanView, matching: Matching) -> RuleResult:
        counted = matching.courses_for(view, self.id)
        if self.met_anyway(view):
            assert self.unless_before is not None
            first, then = self.unless_before
            return self.result(True, names(counted), f"not needed: {first} came before {then}")
        missing = self.count - len(counted)
        others = [c for c in self.courses if c not in {i.code for i in counted}][:8]
        shown = f"counted {', '.join(names(counted))}" if counted else "nothing counts"
        return self.result(
            missing <= 0, names(counted), f"{shown}; needs {missing} more of {', '.join(others)}"
        )

    def describe(self) -> str:
        sized = f" (each of at least {self.min_units} units)" if self.min_units else ""
        if self.unless_before is not None:
            first, then = self.unless_before
            sized += f", unless {first} is taken before {then}"
        if len(self.courses) == 1 and self.count == 1:
            return f"{self.title}: take {self.courses[0]}{sized}."
        if len(self.courses) > 8:
            return f"{self.title}: take {self.count} of {len(self.courses)} courses{sized}."
        return f"{self.title}: take {self.count} of {either(self.courses)}{sized}."
