"""graduate_by: nothing (no course, no practicum) is planned after a term. The planning
horizon (``planner.horizon``) is one too."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from planner.kinds.base import Candidate, RuleBase, RuleResult, TermCode
from planner.terms import Term, parse_term, semesters_from

if TYPE_CHECKING:
    from planner.audit import Matching, PlanView
    from planner.compile import BuildContext
    from planner.problem import Problem


class GraduateBy(RuleBase):
    """Nothing (no course, no practicum) is planned after `term`."""

    kind: Literal["graduate_by"] = "graduate_by"
    term: TermCode

    def build(self, ctx: BuildContext) -> None:
        deadline = parse_term(self.term)
        late = [ctx.active[t] for t in ctx.terms if t > deadline]
        if late:
            ctx.enforce(ctx.model.add(sum(late) == 0), self)

    def check(self, view: PlanView, matching: Matching) -> RuleResult:
        graduation = view.graduation
        ok = graduation is None or graduation <= parse_term(self.term)
        return self.result(ok, [], f"the plan runs to {graduation}")

    def describe(self) -> str:
        if self.origin == "scenario":
            return f"You must graduate by {self.term}."
        return f"{self.title}: finish by {self.term}."

    def repairs(self, problem: Problem) -> list[Candidate]:
        """A later deadline, or more semesters (summers included: they may be enough)."""
        deadline = parse_term(self.term)
        later = semesters_from(deadline.next(), 2)
        now = sum(1 for i in range(problem.start.index, deadline.index + 1) if Term(i).is_semester)
        out = []
        for step, term in enumerate(later):
            overrides: dict[str, Any]
            if self.origin == "planner":
                semesters = now + step + 1
                text, overrides = f"Plan over {semesters} semesters", {"semesters": semesters}
                flags = f"--semesters {semesters}"
            elif problem.scenario.semesters is not None:
                semesters = problem.scenario.semesters + step + 1
                more = f"{step + 1} more semester{'s' * bool(step)}"
                text, overrides = f"Allow {more} ({semesters} in all)", {"semesters": semesters}
                flags = f"--semesters {semesters}"
            else:
                text = f"Graduate by {term} instead of {deadline}"
                overrides, flags = {"graduate_by": term.code}, f"--graduate-by {term}"
            out.append(Candidate(text, overrides, flags, (1, 0, step + 1), "deadline"))
        return out
