"""count_limit: at most N courses of a list count toward one requirement (an "or" line)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from planner.kinds.base import AnyCourse, CountingPolicy, Limit, RuleId, RuleResult, either, names

if TYPE_CHECKING:
    from planner.audit import Matching, PlanView
    from planner.compile import BuildContext
    from planner.problem import Problem


class CountLimit(CountingPolicy):
    """At most `max_courses` (and at least `min_courses`) of `courses` count toward
    requirement `rule` (an "or" line; a mix such as "at least one principal course"), or
    toward the requirements of a list together ("at most one of 10-417, 11-485, 10-707
    counts", across core and electives). With `weights`, a course counts that many times
    (a mix such as "an interdisciplinary course weighs as two research semesters")."""

    kind: Literal["count_limit"] = "count_limit"
    rule: RuleId | list[RuleId] = Field(
        description="The requirement this limit applies to, or several counted together."
    )
    courses: list[AnyCourse] = Field(min_length=1)
    max_courses: int = Field(default=1, ge=0, le=50)
    min_courses: int = Field(default=0, ge=0, le=50)
    weights: dict[AnyCourse, int] = Field(
        default={}, description="How much a course weighs (default 1)."
    )

    def limits(self, problem: Problem) -> list[Limit]:
        weights = {c: self.weights.get(c, 1) for c in self.courses}
        return [Limit(tuple(self.acts_on()), weights, self.max_courses, self.min_courses)]

    def build(self, ctx: BuildContext) -> None:
        """Between `min_courses` and `max_courses` of `courses` count toward `rule`."""
        self.build_limits(ctx)

    def check(self, view: PlanView, matching: Matching) -> RuleResult:
        rules = self.acts_on()
        counted = [i for r in rules for i in view.claimed(r) if i.code in self.courses]
        best = [i for r in rules for i in matching.courses_for(view, r) if i.code in self.courses]
        ok, detail = self.check_limits(view, matching)
        names_ = names(counted or best)
        return self.result(ok, names_, detail)

    def concerns(self, view: PlanView) -> bool:
        return view.holds(self.courses)

    def describe(self) -> str:
        target = " or ".join(self.acts_on())
        if self.min_courses:
            return f"At least {self.min_courses} of {either(self.courses)} count toward {target}."
        if self.weights:
            weighed = ", ".join(f"{c} x{w}" for c, w in self.weights.items())
            return (
                f"Of {either(self.courses)}, at most {self.max_courses} count toward"
                f" {target}, weighed by {weighed}."
            )
        if len(self.courses) == 1:
            times = "once" if self.max_courses == 1 else f"{self.max_courses} times"
            return f"{self.courses[0]} counts toward {target} at most {times}."
        if self.max_courses == 1:
            return f"At most one of {either(self.courses)} counts toward {target}."
        return f"At most {self.max_courses} of {either(self.courses)} count toward {target}."
