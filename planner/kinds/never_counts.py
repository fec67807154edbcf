"""never_counts: some courses count toward no requirement (80-831 for the MSML)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from planner.kinds.base import AnyCourse, CountingPolicy, RuleResult, either, names

if TYPE_CHECKING:
    from planner.audit import Matching, PlanView
    from planner.compile import BuildContext


class NeverCounts(CountingPolicy):
    """None of `courses` counts toward any requirement (of this rule's program)."""

    kind: Literal["never_counts"] = "never_counts"
    courses: list[AnyCourse] = Field(min_length=1)

    def build(self, ctx: BuildContext) -> None:
        """No course in `courses` counts toward any requirement."""
        for code in self.courses:
            for var in ctx.fills_of(code, self.program or None):
                ctx.enforce(ctx.model.add(var == 0), self)

    def check(self, view: PlanView, matching: Matching) -> RuleResult:
        mine = view.requirement_ids(self.program or None)
        wrong = [
            i
            for k, i in enumerate(view.instances)
            if i.code in self.courses and mine.intersection(view.claims[k])
        ]
        return self.result(not wrong, names(wrong), f"the plan counts {', '.join(names(wrong))}")

    def concerns(self, view: PlanView) -> bool:
        return view.holds(self.courses)

    def describe(self) -> str:
        verb = "counts" if len(self.courses) == 1 else "count"
        return f"{either(self.courses)} never {verb} toward any requirement."
