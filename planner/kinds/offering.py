"""offering: a course is taken only in the planned terms it runs in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from planner.kinds.base import (
    AnyCourse,
    Candidate,
    RuleBase,
    RuleResult,
    TermCode,
    academic,
    either,
    names,
)
from planner.terms import Season

if TYPE_CHECKING:
    from planner.audit import Matching, PlanView
    from planner.compile import BuildContext
    from planner.problem import Problem


class Offering(RuleBase):
    """`course` is taken only in the planned terms listed in `terms`."""

    kind: Literal["offering"] = "offering"
    course: AnyCourse
    terms: list[TermCode]
    seasons: list[Season] = Field(
        default=[], description="The seasons it runs in (for words; `terms` decides)."
    )
    evidence: str = Field(default="", description="Why it runs then: its history, in words.")
    dropped: list[TermCode] = Field(
        default=[],
        description="Terms of its seasons the scenario takes away (not_offered), for words.",
    )

    def build(self, ctx: BuildContext) -> None:
        """`course` is planned only in the terms it is offered."""
        closed = [ctx.take[self.course, t] for t in ctx.terms if t.code not in self.terms]
        if closed:
            ctx.enforce(ctx.model.add(sum(closed) == 0), self)

    def check(self, view: PlanView, matching: Matching) -> RuleResult:
        wrong = [i for i in view.planned if i.code == self.course and i.term.code not in self.terms]
        return self.result(not wrong, names(wrong), f"not offered: {', '.join(names(wrong))}")

    def concerns(self, view: PlanView) -> bool:
        return self.course in {i.code for i in view.planned}

    def describe(self) -> str:
        why = f" ({self.evidence})" if self.evidence else ""
        if self.seasons:
            runs = f"{self.course} runs in {either(academic(list(self.seasons)), 'and')}{why}"
            if not self.terms:
                return f"{runs}, but in no planned term."
            gone = f" (not {either(list(self.dropped))}: not offered then, as asked)"
            return f"{runs}: in the planned terms, {either(list(self.terms))}" + (
                f"{gone}." if self.dropped else "."
            )
        if not self.terms:
            return f"{self.course} is not offered in any planned term{why}."
        return f"{self.course} is offered only in {either(list(self.terms))}{why}."

    def repairs(self, problem: Problem) -> list[Candidate]:
        """Ask for the course in a semester it does not run in."""
        closed = [t for t in problem.terms if t.is_semester and t.code not in self.terms]
        return [
            Candidate(
                f"Ask whether {self.course} can be offered in {term}",
                {"offered": [f"{self.course}@{term}"]},
                f"--offered {self.course}@{term}",
                (1, 1, step),
                f"offer {self.course}",
            )
            for step, term in enumerate(closed)
        ]
