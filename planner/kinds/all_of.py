"""all_of: every course of a list is taken, and each counts toward this requirement."""

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


class AllOf(RequirementBase):
    """Every course in `courses` is taken, and each counts toward this requirement."""

    kind: Literal["all_of"] = "all_of"
    courses: list[AnyCourse] = Field(min_length=1, description="The courses to take.")

    def eligible(self, courses: Mapping[str, Course]) -> dict[str, int | None]:
        return dict.fromkeys(self.courses, 1)

    def build(self, ctx: BuildContext) -> None:
        """Every course in `courses` is taken and counts here."""
        for var in ctx.fills_toward(self.id).values():
            ctx.enforce(ctx.model.add(var >= 1), self)

    def advance(self, progress: int, code: str, units: int) -> int | None:
        """Progress is the bit set of the courses counted: each counts once."""
        bit = 1 << self.courses.index(code)
        return None if progress & bit else progress | bit

    def fraction(self, progress: int) -> Fraction:
        return Fraction(progress.bit_count(), len(self.courses))

    def check(self, view: PlanView, matching: Matching) -> RuleResult:
        counted = matching.courses_for(view, self.id)
        missing = sorted(set(self.courses) - {i.code for i in counted})
        shown = f"counted {', '.join(names(counted))}" if counted else "nothing counts"
        return self.result(not missing, names(counted), f"{shown}; missing {', '.join(missing)}")

    def describe(self) -> str:
        return f"{self.title}: take all of {either(self.courses, 'and')}."
