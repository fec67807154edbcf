"""no_repeat: each course, with its cross-listed numbers, is taken at most once, unless
it is repeatable."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from planner.kinds.base import AnyCourse, RuleBase, RuleResult, names

if TYPE_CHECKING:
    from planner.audit import Matching, PlanView
    from planner.compile import BuildContext


class NoRepeat(RuleBase):
    """Each group (a course and its cross-listings) is taken at most once, unless repeatable."""

    kind: Literal["no_repeat"] = "no_repeat"
    groups: list[list[AnyCourse]]

    def build(self, ctx: BuildContext) -> None:
        """Each group of cross-listed numbers is taken at most once in all."""
        for group in self.groups:
            ctx.enforce(ctx.model.add(sum(ctx.taken(c) for c in group) <= 1), self)

    def check(self, view: PlanView, matching: Matching) -> RuleResult:
        problems = []
        for group in self.groups:
            found = [i for i in view.instances if i.code in group]
            if len(found) > 1:
                same = len({i.code for i in found}) == 1
                why = "the same course" if same else "one course under cross-listed numbers"
                problems.append(f"{' and '.join(names(found))} ({why})")
        return self.result(not problems, [], "taken more than once: " + "; ".join(problems))

    def describe(self) -> str:
        return (
            "A course is taken at most once (cross-listed numbers are one course)"
            " unless repeatable."
        )
