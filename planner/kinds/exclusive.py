"""exclusive: at least N courses of at least U units count toward this program and toward
no other program planned with it (the ML minor's "at least 3 courses ... only for the
minor")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from planner.kinds.base import RuleResult, SharingPolicy, names

if TYPE_CHECKING:
    from planner.audit import Matching, PlanView
    from planner.compile import BuildContext


class Exclusive(SharingPolicy):
    """At least `count` courses of at least `min_units` units that count toward this
    rule's program count toward no other program (with none planned beside it, at least
    `count` such courses count toward it)."""

    kind: Literal["exclusive"] = "exclusive"
    count: int = Field(ge=1, le=20, description="How many courses must be the program's own.")
    min_units: int = Field(default=0, ge=0, le=48, description="Only courses of this size.")

    def build(self, ctx: BuildContext) -> None:
        """x[c]: instances of c counted here and nowhere else, the least of the instances
        counted here and those left over by each other program; their sum reaches count."""
        others = self.targets(ctx.problem)
        own = []
        for code in ctx.codes:
            if ctx.problem.courses[code].units < self.min_units:
                continue
            mine = ctx.fills_of(code, self.program)
            if not mine:
                continue
            x = ctx.model.new_int_var(0, len(ctx.terms) + 1, f"own[{self.id}:{code}]")
            bounds = [ctx.sum(mine), ctx.taken(code)]
            for other in sorted(others):
                bounds += [ctx.taken(code) - used for used in ctx.instances_used(code, other)]
            # Defined exactly (not only bounded) so it has one value per plan.
            ctx.model.add_min_equality(x, bounds)
            own.append(x)
        if own:
            ctx.enforce(ctx.model.add(sum(own) >= self.count), self)
        else:
            ctx.enforce(ctx.never(), self)

    def advance(
        self, counter: int, programs: set[str], units: int, targets: set[str]
    ) -> int | None:
        if programs == {self.program} and units >= self.min_units:
            return min(counter + 1, self.count)
        return counter

    def satisfied(self, counter: int) -> bool:
        return counter >= self.count

    def check(self, view: PlanView, matching: Matching) -> RuleResult:
        own = [
            inst
            for inst, ids in zip(view.instances, matching.assignment, strict=True)
            if ids
            and view.programs_of(ids) == {self.program}
            and view.problem.courses[inst.code].units >= self.min_units
        ]
        return self.result(
            len(own) >= self.count,
            names(own),
            f"{len(own)} courses count only toward {self.program}; needs {self.count}",
        )

    def describe(self) -> str:
        sized = f" of at least {self.min_units} units" if self.min_units else ""
        return (
            f"At least {self.count} courses{sized} counting toward {self.program} count"
            " toward no other program."
        )
