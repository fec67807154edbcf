"""unit_cap: at most so many units of a category count toward a requirement (senior
research: at most 12 or 24 units)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from planner.kinds.base import AnyCourse, CountingPolicy, Limit, RuleId, RuleResult, either, names

if TYPE_CHECKING:
    from planner.audit import Matching, PlanView
    from planner.compile import BuildContext
    from planner.problem import Problem


class UnitCap(CountingPolicy):
    """At most `max_units` units of `courses` count toward requirement `rule`."""

    kind: Literal["unit_cap"] = "unit_cap"
    rule: RuleId = Field(description="The requirement the cap applies to.")
    courses: list[AnyCourse] = Field(min_length=1, description="The category.")
    max_units: int = Field(ge=0, le=500)

    def limits(self, problem: Problem) -> list[Limit]:
        units = {c: problem.courses[c].units for c in self.courses if c in problem.courses}
        return [Limit((self.rule,), units, self.max_units)]

    def build(self, ctx: BuildContext) -> None:
        """The units of `courses` counted toward `rule` stay within `max_units`."""
        self.build_limits(ctx)

    def check(self, view: PlanView, matching: Matching) -> RuleResult:
        ok, detail = self.check_limits(view, matching)
        counted = [i for i in matching.courses_for(view, self.rule) if i.code in self.courses]
        return self.result(ok, names(counted), detail)

    def concerns(self, view: PlanView) -> bool:
        return view.holds(self.courses)

    def describe(self) -> str:
        return f"At most {self.max_units} units of {either(self.courses)} count toward {self.rule}."
