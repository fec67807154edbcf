"""taken_here: a requirement is met by courses taken at CMU, not by transfer or outside
credit (36-401 and 36-402 for the B.S. in Statistics & Machine Learning)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from planner.kinds.base import CountingPolicy, Limit, RuleId, RuleResult, names

if TYPE_CHECKING:
    from planner.audit import Matching, PlanView
    from planner.compile import BuildContext
    from planner.problem import Problem


class TakenHere(CountingPolicy):
    """No course from outside the catalog (transfer credit, another university) counts
    toward requirement `rule`, even when an advisor allows it elsewhere."""

    kind: Literal["taken_here"] = "taken_here"
    rule: RuleId = Field(description="The requirement that must be met at CMU.")

    def limits(self, problem: Problem) -> list[Limit]:
        return [Limit((self.rule,), dict.fromkeys(sorted(problem.outside), 1), 0)]

    def build(self, ctx: BuildContext) -> None:
        """No outside course counts toward `rule`."""
        self.build_limits(ctx)

    def check(self, view: PlanView, matching: Matching) -> RuleResult:
        ok, detail = self.check_limits(view, matching)
        outside = [i for i in view.claimed(self.rule) if i.code in view.problem.outside]
        return self.result(ok, names(outside), detail or "an outside course counts here")

    def describe(self) -> str:
        return f"{self.rule} is met by courses taken at CMU (no transfer credit)."
