"""term_units: the units of each term of some seasons (or of some terms) lie within bounds;
the minimum only while the student is enrolled and not on the practicum."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, model_validator

from planner.kinds.base import CHANGE_COST, Candidate, RuleResult, TermScoped, ordered

if TYPE_CHECKING:
    from planner.audit import Matching, PlanView
    from planner.compile import BuildContext
    from planner.problem import Problem


class TermUnits(TermScoped):
    """Units in each term of `seasons` (or of `terms`) lie within [min_units, max_units].

    The minimum applies only to terms the student is enrolled in: terms up to graduation
    that are not practicum terms. Where several rules bound one term, the one in force is
    chosen by `semantics.unit_bounds` (a scenario bound for a term beats one for every
    term, which beats the program's).
    """

    kind: Literal["term_units"] = "term_units"
    min_units: int | None = Field(default=None, ge=0, le=1000)
    max_units: int | None = Field(default=None, ge=0, le=1000)

    @model_validator(mode="after")
    def _some_bound(self) -> TermUnits:
        ordered(self.min_units, self.max_units, "units")
        return self

    def build(self, ctx: BuildContext) -> None:
        """Units per term within the bounds in force; the minimum only while enrolled."""
        for term in ctx.terms:
            bound = ctx.problem.unit_bounds[term]
            for rule_id, value in bound.max_rules:
                if rule_id == self.id:
                    # Written against active[t] (inactive terms are empty anyway): the LP
                    # then knows that fewer terms hold fewer units, which bounds graduation.
                    ctx.enforce(ctx.model.add(ctx.units(term) <= value * ctx.active[term]), self)
            for rule_id, value in bound.min_rules:
                if rule_id == self.id and value > 0:
                    ctx.enforce(ctx.model.add(ctx.units(term) >= value), self, *ctx.enrolled(term))

    def check(self, view: PlanView, matching: Matching) -> RuleResult:
        problems = []
        for term in view.problem.terms:
            bound = view.problem.unit_bounds[term]
            units = view.units(term)
            for rule_id, value in bound.max_rules:
                if rule_id == self.id and units > value:
                    problems.append(f"{term} has {units} units (most {value})")
            for rule_id, value in bound.min_rules:
                if rule_id == self.id and view.enrolled(term) and units < value:
                    problems.append(f"{term} has {units} units (least {value})")
        return self.result(not problems, [], "; ".join(problems))

    def describe(self) -> str:
        where = self.where()
        if self.min_units and self.max_units is not None:
            return f"Between {self.min_units} and {self.max_units} units in {where}."
        if self.max_units is not None:
            return f"At most {self.max_units} units in {where}."
        if not self.min_units:
            return f"No minimum of units in {where}."
        return f"At least {self.min_units} units in {where} while enrolled (not on practicum)."

    def repairs(self, problem: Problem) -> list[Candidate]:
        """A higher cap (by 6, 12 or 24 units; in every term, then narrowed to one) or a
        lower minimum."""
        cost = CHANGE_COST[self.origin]
        where = f"@{self.terms[0]}" if len(self.terms) == 1 else ""
        out = []
        if self.max_units is not None:
            semesters = [] if where else [t for t in problem.terms if t.is_semester]
            for step, extra in enumerate((6, 12, 24)):
                value = self.max_units + extra
                per_term = tuple(
                    Candidate(
                        f"Raise the unit cap of {term} to {value}",
                        _units_override("max", value, f"@{term}"),
                        f"--max-units {value}@{term}",
                        (1, cost, step),
                        f"max {self.id}",
                    )
                    for term in semesters
                )
                out.append(
                    Candidate(
                        f"Raise the unit cap to {value}" + (f" in {where[1:]}" if where else ""),
                        _units_override("max", value, where),
                        f"--max-units {value}{where}",
                        (1, cost, step),
                        f"max {self.id}",
                        narrower=per_term,
                    )
                )
        if self.min_units:
            for step, value in enumerate(v for v in (self.min_units - 12, 0) if v >= 0):
                out.append(
                    Candidate(
                        f"Lower the unit minimum to {value}"
                        + (f" in {where[1:]}" if where else ""),
                        _units_override("min", value, where),
                        f"--min-units {value}{where}",
                        (1, cost, step),
                        f"min {self.id}",
                    )
                )
        return out


def _units_override(side: str, value: int, where: str) -> dict[str, Any]:
    if where:
        return {"term_units": {where[1:]: {side: value}}}
    return {"units": {side: value}}
