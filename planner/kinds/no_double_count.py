"""no_double_count: each course taken fills at most one requirement."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from planner.kinds.base import CountingPolicy, RuleResult, names

if TYPE_CHECKING:
    from planner.audit import Matching, PlanView
    from planner.compile import BuildContext


class NoDoubleCount(CountingPolicy):
    """Each course taken fills at most one requirement (of this rule's program: another
    program may count it too, unless a sharing rule says otherwise)."""

    kind: Literal["no_double_count"] = "no_double_count"

    def build(self, ctx: BuildContext) -> None:
        """Each taken instance of a course counts toward at most one requirement."""
        for code in ctx.codes:
            fills = ctx.fills_of(code, self.program or None)
            if len(fills) > 1:
                ctx.enforce(ctx.model.add(sum(fills) <= ctx.taken(code)), self)

    def check(self, view: PlanView, matching: Matching) -> RuleResult:
        mine = view.requirement_ids(self.program or None)
        wrong = [
            i for k, i in enumerate(view.instances) if len(mine.intersection(view.claims[k])) > 1
        ]
        return self.result(not wrong, names(wrong), f"counted twice: {', '.join(names(wrong))}")

    def describe(self) -> str:
        return "Each course fills at most one requirement."
