"""avoid: the student does not plan a course."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from planner.kinds.base import AnyCourse, Candidate, RuleBase, RuleResult, names, waive

if TYPE_CHECKING:
    from planner.audit import Matching, PlanView
    from planner.compile import BuildContext
    from planner.problem import Problem


class Avoid(RuleBase):
    """`course` is not planned."""

    kind: Literal["avoid"] = "avoid"
    course: AnyCourse

    def build(self, ctx: BuildContext) -> None:
        ctx.enforce(ctx.model.add(ctx.planned(self.course) == 0), self)

    def check(self, view: PlanView, matching: Matching) -> RuleResult:
        found = [i for i in view.planned if i.code == self.course]
        return self.result(not found, names(found), f"{self.course} is planned")

    def describe(self) -> str:
        return f"You asked not to take {self.course}."

    def repairs(self, problem: Problem) -> list[Candidate]:
        return [waive(self, f"Allow {self.course}")]
