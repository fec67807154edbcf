"""share_limit: at most N courses (or U units) count toward this program and toward some
other program at once, as Degree Works and Stellic limit double counting between a major
and a minor; N = 0 forbids sharing ("no course toward another SCS minor")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from planner.kinds.base import RuleResult, SharingPolicy, either, names

if TYPE_CHECKING:
    from planner.audit import Instance, Matching, PlanView
    from planner.compile import BuildContext
    from planner.problem import Problem


class ShareLimit(SharingPolicy):
    """At most `max_courses` courses (or `max_units` units) that count toward this rule's
    program also count toward one of `programs`, or a program of one of `categories`."""

    kind: Literal["share_limit"] = "share_limit"
    programs: list[str] = Field(default=[], description="Other programs, by id.")
    categories: list[str] = Field(default=[], description="Other programs, by category.")
    max_courses: int | None = Field(default=None, ge=0, le=50)
    max_units: int | None = Field(default=None, ge=0, le=500)

    @model_validator(mode="after")
    def _one_limit(self) -> ShareLimit:
        if (self.max_courses is None) == (self.max_units is None):
            raise ValueError("give max_courses or max_units")
        if not self.programs and not self.categories:
            raise ValueError("name programs or categories to limit sharing with")
        return self

    def targets(self, problem: Problem) -> set[str]:
        return {
            p.program.id
            for p in problem.programs
            if p.program.id != self.program
            and (p.program.id in self.programs or set(p.program.category) & set(self.categories))
        }

    def _weight(self, units: int) -> int:
        return 1 if self.max_courses is not None else units

    def _most(self) -> int:
        return self.max_courses if self.max_courses is not None else self.max_units or 0

    def build(self, ctx: BuildContext) -> None:
        """shared[c] is the largest overlap of the instances counted here and those
        counted toward each target program (pigeonhole); their weighted sum is capped."""
        targets = self.targets(ctx.problem)
        if not targets:
            return
        terms = []
        for code in ctx.codes:
            mine = ctx.instances_used(code, self.program)
            theirs = [used for other in sorted(targets) for used in ctx.instances_used(code, other)]
            if not mine or not theirs:
                continue
            shared = ctx.model.new_int_var(0, len(ctx.terms) + 1, f"shared[{self.id}:{code}]")
            # Defined exactly (not only bounded) so it has one value per plan.
            overlaps = [a + b - ctx.taken(code) for a in mine for b in theirs]
            ctx.model.add_max_equality(shared, [0, *overlaps])
            terms.append(shared * self._weight(ctx.problem.courses[code].units))
        if terms:
            ctx.enforce(ctx.model.add(sum(terms) <= self._most()), self)

    def advance(
        self, counter: int, programs: set[str], units: int, targets: set[str]
    ) -> int | None:
        if self.program in programs and programs & targets:
            counter += self._weight(units)
            return counter if counter <= self._most() else None
        return counter

    def check(self, view: PlanView, matching: Matching) -> RuleResult:
        targets = self.targets(view.problem)

        def shared_in(assignment: tuple[tuple[str, ...], ...]) -> list[Instance]:
            return [
                inst
                for inst, ids in zip(view.instances, assignment, strict=True)
                if self.program in view.programs_of(ids) and view.programs_of(ids) & targets
            ]

        # The best matching, and the plan's own counting when it claims one.
        shared, claimed = shared_in(matching.assignment), shared_in(view.claims)
        worst = max(shared, claimed, key=lambda found: self._total(view, found))
        total = self._total(view, worst)
        what = "courses" if self.max_courses is not None else "units"
        return self.result(
            total <= self._most(),
            names(worst),
            f"{total} {what} count toward {self.program} and {either(sorted(targets))}"
            f" (most {self._most()})",
        )

    def _total(self, view: PlanView, found: list[Instance]) -> int:
        return sum(self._weight(view.problem.courses[i.code].units) for i in found)

    def describe(self) -> str:
        others = either([*self.programs, *(f"any {c} program" for c in self.categories)])
        if self.max_courses == 0 or self.max_units == 0:
            return f"No course counting toward {self.program} counts toward {others}."
        limit = (
            f"{self.max_courses} courses"
            if self.max_courses is not None
            else f"{self.max_units} units"
        )
        return f"At most {limit} count toward both {self.program} and {others}."
