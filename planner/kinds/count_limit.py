"""count_limit: at most N courses of a list count toward one requirement (an "or" line)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from planner.kinds.base import AnyCourse, CountingPolicy, RuleId, RuleResult, either, names

if TYPE_CHECKING:
    from planner.audit import Matching, PlanView
    from planner.compile import BuildContext


class CountLimit(CountingPolicy):
    """At most `max_courses` of `courses` count toward requirement `rule` (an "or" line)."""

    kind: Literal["count_limit"] = "count_limit"
    rule: RuleId = Field(description="The requirement this limit applies to.")
    courses: list[AnyCourse] = Field(min_length=1)
    max_courses: int = Field(default=1, ge=0, le=50)

    def build(self, ctx: BuildContext) -> None:
        """At most `max_courses` of `courses` count toward `rule`."""
        toward = ctx.fills_toward(self.rule)
        fills = [toward[c] for c in self.courses if c in toward]
        if fills:
            ctx.enforce(ctx.model.add(sum(fills) <= self.max_courses), self)

    def check(self, view: PlanView, matching: Matching) -> RuleResult:
        """Judged on the plan's own counting (the best matching respects the limit)."""
        counted = [i for i in view.claimed(self.rule) if i.code in self.courses]
        return self.result(
            len(counted) <= self.max_courses,
            names(counted),
            f"the plan counts {len(counted)} of {', '.join(self.courses)} toward {self.rule}",
        )

    def concerns(self, view: PlanView) -> bool:
        return view.holds(self.courses)

    def describe(self) -> str:
        if len(self.courses) == 1:
            times = "once" if self.max_courses == 1 else f"{self.max_courses} times"
            return f"{self.courses[0]} counts toward {self.rule} at most {times}."
        if self.max_courses == 1:
            return f"At most one of {either(self.courses)} counts toward {self.rule}."
        return f"At most {self.max_courses} of {either(self.courses)} count toward {self.rule}."
