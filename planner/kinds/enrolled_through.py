"""enrolled_through: the student stays enrolled through a term: graduation is no earlier."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from planner.kinds.base import Candidate, RuleBase, RuleResult, TermCode, waive
from planner.terms import parse_term

if TYPE_CHECKING:
    from planner.audit import Matching, PlanView
    from planner.compile import BuildContext
    from planner.problem import Problem


class EnrolledThrough(RuleBase):
    """The student stays enrolled through `term`: graduation is no earlier."""

    kind: Literal["enrolled_through"] = "enrolled_through"
    term: TermCode

    def build(self, ctx: BuildContext) -> None:
        """The student is still enrolled in `term` (so in every term before it)."""
        term = parse_term(self.term)
        if term in ctx.active:
            ctx.enforce(ctx.model.add(ctx.active[term] == 1), self)
        else:  # a term outside the planned ones cannot be reached
            ctx.enforce(ctx.never(), self)

    def check(self, view: PlanView, matching: Matching) -> RuleResult:
        term = parse_term(self.term)
        if term not in view.problem.terms:  # as in the model: no term to stay enrolled in
            return self.result(False, [], f"{term} is outside the planned terms")
        graduation = view.graduation
        ok = graduation is not None and graduation >= term
        return self.result(ok, [], f"the plan ends at {graduation or 'the start'}")

    def describe(self) -> str:
        return f"You stay enrolled through {self.term}."

    def repairs(self, problem: Problem) -> list[Candidate]:
        return [waive(self, f"Allow graduating before {self.term}")]
