"""prerequisite: a course is taken only after each clause of its prerequisites is met,
strictly earlier; a clause is met by any one of its courses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from planner.kinds.base import AnyCourse, Candidate, RuleBase, RuleResult, either, waive

if TYPE_CHECKING:
    from planner.audit import Matching, PlanView
    from planner.compile import BuildContext
    from planner.problem import Problem


class Prerequisite(RuleBase):
    """`course` is taken only after each clause is met strictly earlier.

    A clause is a list of courses, any one of which meets it.
    """

    kind: Literal["prerequisite"] = "prerequisite"
    course: AnyCourse
    clauses: list[list[AnyCourse]] = Field(min_length=1)

    def build(self, ctx: BuildContext) -> None:
        """Each clause is met strictly before `course` is taken (completed courses meet
        theirs at once)."""
        done = {c for c, _ in ctx.problem.completed}
        for position, term in enumerate(ctx.terms):
            for clause in self.clauses:
                if done.intersection(clause):
                    continue
                earlier = ctx.sum([ctx.taken_before(c, position) for c in clause])
                ctx.enforce(ctx.model.add(earlier >= 1), self, ctx.take[self.course, term])

    def check(self, view: PlanView, matching: Matching) -> RuleResult:
        problems = []
        for inst in view.taken(self.course):
            if inst.completed:
                continue
            for clause in self.clauses:
                if not any(o.code in clause and o.term < inst.term for o in view.instances):
                    problems.append(f"{self.course}@{inst.term} before any of {', '.join(clause)}")
        return self.result(not problems, [], "; ".join(problems))

    def concerns(self, view: PlanView) -> bool:
        return self.course in {i.code for i in view.planned}

    def describe(self) -> str:
        parts = [either(c) if len(c) == 1 else f"({either(c)})" for c in self.clauses]
        return f"{self.course} needs {either(parts, 'and')} first."

    def repairs(self, problem: Problem) -> list[Candidate]:
        return [waive(self, f"Ask for a waiver of the prerequisites of {self.course}")]
