"""practicum: full-time practicum terms in given seasons, with no course but those allowed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from planner.kinds.base import AnyCourse, RuleBase, RuleResult, either, names
from planner.semantics import practicum_owed
from planner.terms import Season

if TYPE_CHECKING:
    from planner.audit import Matching, PlanView
    from planner.compile import BuildContext


class Practicum(RuleBase):
    """`count` full-time practicum terms in `seasons`, with no course but those in `allow`."""

    kind: Literal["practicum"] = "practicum"
    seasons: list[Season] = Field(default=["summer"], min_length=1)
    count: int = Field(default=1, ge=1, le=4)
    allow: list[AnyCourse] = Field(default=[], description="Courses allowed in that term.")

    def build(self, ctx: BuildContext) -> None:
        """Exactly the practicum terms still owed, in allowed seasons, with no other course.

        The practicum variables themselves are made by the context, from this rule's
        seasons, so that unit minimums can refer to them whatever the build order."""
        model = ctx.model
        owed = practicum_owed(self, ctx.problem.practicum_completed)
        candidates = [t for t in ctx.terms if t.season in self.seasons]
        ctx.enforce(model.add(sum(ctx.practicum[t] for t in candidates) == owed), self)
        for term in candidates:
            others = [ctx.take[c, term] for c in ctx.codes if c not in self.allow]
            ctx.enforce(model.add(sum(others) == 0), self, ctx.practicum[term])

    def check(self, view: PlanView, matching: Matching) -> RuleResult:
        owed = practicum_owed(self, view.problem.practicum_completed)
        terms = sorted(view.practicum)
        wrong_season = [t for t in terms if t.season not in self.seasons]
        busy = [i for i in view.planned if i.term in view.practicum and i.code not in self.allow]
        problems = []
        if len(terms) != owed:
            problems.append(f"has {len(terms)} practicum terms, needs {owed}")
        if wrong_season:
            problems.append(
                f"practicum in {', '.join(map(str, wrong_season))} (not {'/'.join(self.seasons)})"
            )
        if busy:
            problems.append(f"courses during the practicum: {', '.join(names(busy))}")
        return self.result(not problems, [str(t) for t in terms], "; ".join(problems))

    def describe(self) -> str:
        seasons = either(list(self.seasons))
        others = f" other than {either(self.allow)}" if self.allow else ""
        times = "one" if self.count == 1 else str(self.count)
        return (
            f"{times.capitalize()} full-time practicum term in {seasons}, with no course{others}."
        )
