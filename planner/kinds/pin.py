"""pin: the student takes a course in a given term."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from planner.kinds.base import AnyCourse, Candidate, RuleBase, RuleResult, TermCode, waive
from planner.terms import parse_term

if TYPE_CHECKING:
    from planner.audit import Matching, PlanView
    from planner.compile import BuildContext
    from planner.problem import Problem


class Pin(RuleBase):
    """`course` is taken in `term`."""

    kind: Literal["pin"] = "pin"
    course: AnyCourse
    term: TermCode

    def build(self, ctx: BuildContext) -> None:
        term = parse_term(self.term)
        if term in ctx.terms:
            ctx.enforce(ctx.model.add(ctx.take[self.course, term] == 1), self)
        else:  # a pin outside the planned terms cannot be met
            ctx.enforce(ctx.never(), self)

    def check(self, view: PlanView, matching: Matching) -> RuleResult:
        ok = any(i.code == self.course and i.term.code == self.term for i in view.planned)
        return self.result(ok, [], f"{self.course} is not in {self.term}")

    def describe(self) -> str:
        return f"You pinned {self.course} to {self.term}."

    def repairs(self, problem: Problem) -> list[Candidate]:
        """Unpin, or pin to another term the course is offered in."""
        offering = problem.rule_by_id.get(f"catalog.offered.{self.course}")
        offered = [t for t in getattr(offering, "terms", []) if t != self.term]
        return [
            waive(self, f"Unpin {self.course} from {self.term}"),
            *(
                Candidate(
                    f"Pin {self.course} to {term} instead of {self.term}",
                    {"waive": [self.id], "pin": [f"{self.course}@{term}"]},
                    f"--waive {self.id} --pin {self.course}@{term}",
                    (1, 0, 1 + step),
                    f"move {self.id}",
                )
                for step, term in enumerate(offered)
            ),
        ]
