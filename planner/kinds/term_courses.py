"""term_courses: the number of courses in each term of some seasons lies within bounds;
the minimum only while the student is enrolled and not on the practicum."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from planner.kinds.base import RuleResult, TermScoped, ordered

if TYPE_CHECKING:
    from planner.audit import Matching, PlanView
    from planner.compile import BuildContext


class TermCourses(TermScoped):
    """The number of courses in each term of `seasons` (or of `terms`) lies within
    [min_courses, max_courses]; the minimum only while enrolled and not on practicum."""

    kind: Literal["term_courses"] = "term_courses"
    min_courses: int | None = Field(default=None, ge=0, le=100)
    max_courses: int | None = Field(default=None, ge=0, le=100)

    @model_validator(mode="after")
    def _some_bound(self) -> TermCourses:
        ordered(self.min_courses, self.max_courses, "courses")
        return self

    def build(self, ctx: BuildContext) -> None:
        """Courses per term within bounds; the minimum only while enrolled."""
        for term in ctx.terms:
            if not self.covers(term.code, term.season):
                continue
            count = ctx.sum([ctx.take[c, term] for c in ctx.codes])
            if self.max_courses is not None:
                ctx.enforce(ctx.model.add(count <= self.max_courses), self)
            if self.min_courses:
                ctx.enforce(ctx.model.add(count >= self.min_courses), self, *ctx.enrolled(term))

    def check(self, view: PlanView, matching: Matching) -> RuleResult:
        problems = []
        for term in view.problem.terms:
            if not self.covers(term.code, term.season):
                continue
            count = sum(1 for i in view.planned if i.term == term)
            if self.max_courses is not None and count > self.max_courses:
                problems.append(f"{term} has {count} courses (most {self.max_courses})")
            if self.min_courses and view.enrolled(term) and count < self.min_courses:
                problems.append(f"{term} has {count} courses (least {self.min_courses})")
        return self.result(not problems, [], "; ".join(problems))

    def describe(self) -> str:
        where = self.where()
        low, high = self.min_courses, self.max_courses
        if low and high is not None:
            return f"Between {low} and {high} courses in {where} while enrolled."
        if high is not None:
            return f"At most {high} courses in {where}."
        return f"At least {low} courses in {where} while enrolled (not on practicum)."
