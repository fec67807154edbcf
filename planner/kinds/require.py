"""require: the student takes a course (already completed, or planned)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from planner.kinds.base import AnyCourse, Candidate, RuleBase, RuleResult, names, waive

if TYPE_CHECKING:
    from planner.audit import Matching, PlanView
    from planner.compile import BuildContext
    from planner.problem import Problem


class Require(RuleBase):
    """`course` is taken (already completed or planned)."""

    kind: Literal["require"] = "require"
    course: AnyCourse

    def build(self, ctx: BuildContext) -> None:
        ctx.enforce(ctx.model.add(ctx.taken(self.course) >= 1), self)

    def check(self, view: PlanView, matching: Matching) -> RuleResult:
        found = view.taken(self.course)
        return self.result(bool(found), names(found), f"{self.course} is not in the plan")

    def describe(self) -> str:
        return f"You must take {self.course}."

    def repairs(self, problem: Problem) -> list[Candidate]:
        return [waive(self, f"Drop the wish to take {self.course}")]
