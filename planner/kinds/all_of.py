"""all_of: every course of a list is taken, and each counts toward this requirement.

A course of the list may have stand-ins (`alternatives`, what an advisor's also-allow
makes): then the course or one of its stand-ins fills that place in the list."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from planner.kinds.base import AnyCourse, RequirementBase, RuleResult, either, names

if TYPE_CHECKING:
    from collections.abc import Mapping

    from planner.audit import Matching, PlanView
    from planner.catalog import Course
    from planner.compile import BuildContext


class AllOf(RequirementBase):
    """Every course in `courses` is taken, and each counts toward this requirement."""

    kind: Literal["all_of"] = "all_of"
    courses: list[AnyCourse] = Field(min_length=1, description="The courses to take.")
    alternatives: dict[AnyCourse, list[AnyCourse]] = Field(
        default={},
        description="Stand-ins: a course of `courses` -> courses any one of which may take"
        " its place (an advisor's also-allow).",
    )

    @model_validator(mode="after")
    def _stand_ins_stand_in_for_a_listed_course(self) -> AllOf:
        seen = set(self.courses)
        for old, news in self.alternatives.items():
            if old not in self.courses:
                raise ValueError(f"alternatives: {old} is not one of the courses")
            for new in news:
                if new in seen:
                    raise ValueError(f"alternatives: {new} is already in the list")
                seen.add(new)
        return self

    def slots(self) -> list[list[str]]:
        """Each place in the list: its course, then its stand-ins."""
        return [[code, *self.alternatives.get(code, [])] for code in self.courses]

    def eligible(self, courses: Mapping[str, Course]) -> dict[str, int | None]:
        return {code: 1 for slot in self.slots() for code in slot}

    def build(self, ctx: BuildContext) -> None:
        """Each place in the list is filled by one course: its own or a stand-in."""
        fills = ctx.fills_toward(self.id)
        for slot in self.slots():
            filled = ctx.sum([fills[c] for c in slot if c in fills])
            ctx.enforce(ctx.model.add(filled == 1), self)

    def _slot_of(self, code: str) -> int:
        return next(k for k, slot in enumerate(self.slots()) if code in slot)

    def advance(self, progress: int, code: str, units: int) -> int | None:
        """Progress is the bit set of the places filled: each is filled once."""
        bit = 1 << self._slot_of(code)
        return None if progress & bit else progress | bit

    def fraction(self, progress: int) -> Fraction:
        return Fraction(progress.bit_count(), len(self.courses))

    def check(self, view: PlanView, matching: Matching) -> RuleResult:
        counted = matching.courses_for(view, self.id)
        filled = {self._slot_of(i.code) for i in counted}
        missing = [either(slot) for k, slot in enumerate(self.slots()) if k not in filled]
        shown = f"counted {', '.join(names(counted))}" if counted else "nothing counts"
        return self.result(not missing, names(counted), f"{shown}; missing {', '.join(missing)}")

    def describe(self) -> str:
        places = [
            f"{slot[0]} (or {either(slot[1:])})" if len(slot) > 1 else slot[0]
            for slot in self.slots()
        ]
        return f"{self.title}: take all of {either(places, 'and')}."
