"""one_per_line: the courses counted toward a requirement come from separate lines (at
most one course of each line counts): "k of n lines"."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from planner.kinds.base import AnyCourse, CountingPolicy, Limit, RuleId, RuleResult, names

if TYPE_CHECKING:
    from planner.audit import Matching, PlanView
    from planner.compile import BuildContext
    from planner.problem import Problem


class OnePerLine(CountingPolicy):
    """At most one course of each line in `lines` counts toward requirement `rule`, so
    that with `choose` count k the k courses come from k different lines."""

    kind: Literal["one_per_line"] = "one_per_line"
    rule: RuleId = Field(description="The requirement whose courses must come from separate lines.")
    lines: list[list[AnyCourse]] = Field(min_length=1, description="Each line's courses.")

    def limits(self, problem: Problem) -> list[Limit]:
        lines = [line for line in self.lines if len(line) > 1]
        return [Limit((self.rule,), dict.fromkeys(line, 1), 1) for line in lines]

    def build(self, ctx: BuildContext) -> None:
        """At most one course of each line counts toward `rule`."""
        self.build_limits(ctx)

    def check(self, view: PlanView, matching: Matching) -> RuleResult:
        ok, detail = self.check_limits(view, matching)
        counted = matching.courses_for(view, self.rule)
        return self.result(ok, names(counted), detail)

    def concerns(self, view: PlanView) -> bool:
        return view.holds([c for line in self.lines for c in line])

    def describe(self) -> str:
        lines = len(self.lines)
        return f"Courses counted toward {self.rule} come from separate lines ({lines} lines)."
