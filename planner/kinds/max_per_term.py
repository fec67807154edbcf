"""max_per_term: at most N of some courses in any one term (one independent study at a
time)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from planner.kinds.base import AnyCourse, RuleBase, RuleResult, either

if TYPE_CHECKING:
    from planner.audit import Matching, PlanView
    from planner.compile import BuildContext


class MaxPerTerm(RuleBase):
    """At most `max_courses` of `courses` (or courses tagged `tags`) in any one term."""

    kind: Literal["max_per_term"] = "max_per_term"
    courses: list[AnyCourse] = Field(default=[])
    tags: list[str] = Field(default=[])
    max_courses: int = Field(default=1, ge=0, le=50)

    def build(self, ctx: BuildContext) -> None:
        """At most `max_courses` of `courses` in any one term."""
        for term in ctx.terms:
            here = sum(ctx.take[c, term] for c in self.courses)
            ctx.enforce(ctx.model.add(here <= self.max_courses), self)

    def check(self, view: PlanView, matching: Matching) -> RuleResult:
        problems = []
        for term in sorted({i.term for i in view.planned}):
            here = [i for i in view.planned if i.term == term and i.code in self.courses]
            if len(here) > self.max_courses:
                problems.append(f"{term} has {len(here)}")
        return self.result(not problems, [], "; ".join(problems))

    def concerns(self, view: PlanView) -> bool:
        return view.holds(self.courses)

    def describe(self) -> str:
        what = "one" if self.max_courses == 1 else str(self.max_courses)
        return f"At most {what} of {either(self.courses)} in any term."
