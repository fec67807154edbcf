"""What a course's offering history says: the seasons it runs in, and how likely it runs.

The catalog records, for each course, the terms it was seen to run (``ran``, from CMU's
course evaluations) and, once, the rule that reads them (``[catalog.history]``): which
departments the record covers completely, how many recent terms of a season to look at,
and how many of them make a course "of" that season. A row proves a course ran; a missing
row is only evidence it did not, and only where the record is complete. So history
decides a course's seasons where the record is complete, and elsewhere only widens them.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from pydantic import Field, model_validator

from planner.ids import TermCode
from planner.schema import Frozen
from planner.terms import SEASONS, Season, Term, parse_term


class HistoryRule(Frozen):
    """How the catalog reads offering history; every threshold is data."""

    source: str = Field(description="Where the observed terms come from.")
    first: TermCode = Field(description="The first term the record covers.")
    through: TermCode = Field(description="The last term the record covers.")
    complete: list[str] = Field(
        default=[],
        description="Course-number prefixes the record covers completely (10-, 36-7): a"
        " missing row there is evidence the course did not run.",
    )
    recent: int = Field(
        default=3, ge=1, le=10, description="How many recent terms of a season are read."
    )
    regular: int = Field(
        default=2,
        ge=1,
        le=10,
        description="A course that ran in at least this many of them runs in that season.",
    )
    reliable: int = Field(
        default=3,
        ge=1,
        le=10,
        description="At least this many: it is reliable there (else cancellation is a risk).",
    )

    @model_validator(mode="after")
    def _in_order(self) -> HistoryRule:
        if not self.regular <= self.reliable <= self.recent:
            raise ValueError("need regular <= reliable <= recent")
        if parse_term(self.first) > parse_term(self.through):
            raise ValueError(f"first {self.first} is after through {self.through}")
        return self

    def covers(self, code: str) -> bool:
        """Whether the record is complete for `code`'s department."""
        return any(code.startswith(prefix) for prefix in self.complete)

    def recent_terms(self, season: Season) -> list[Term]:
        """The last `recent` terms of `season` the record covers, latest first."""
        first, term = parse_term(self.first), parse_term(self.through)
        found: list[Term] = []
        while term >= first and len(found) < self.recent:
            if term.season == season:
                found.append(term)
            term = Term(term.index - 1)
        return found

    def runs(self, ran: Iterable[str], season: Season) -> int:
        """How many of the recent terms of `season` the course ran in."""
        seen = {parse_term(t) for t in ran}
        return sum(1 for t in self.recent_terms(season) if t in seen)

    def seasons(self, ran: Iterable[str]) -> list[Season]:
        """The seasons the course runs in, by this rule."""
        ran = list(ran)
        return [s for s in SEASONS if self.recent_terms(s) and self.runs(ran, s) >= self.regular]

    def likelihood(self, ran: Iterable[str], season: Season) -> Fraction:
        """The share of the recent terms of `season` it ran in (1: every one)."""
        recent = self.recent_terms(season)
        return Fraction(self.runs(ran, season), len(recent)) if recent else Fraction(0)

    def evidence(self, ran: Iterable[str], season: Season) -> str:
        """The runs behind a season in words: "ran in 2 of the last 3 falls (F24, F25)"."""
        recent = self.recent_terms(season)
        seen = {parse_term(t) for t in ran}
        hits = [str(t) for t in sorted(t for t in recent if t in seen)]
        plural = {"fall": "falls", "spring": "springs", "summer": "summers"}[season]
        which = f" ({', '.join(hits)})" if hits else ""
        if len(hits) == len(recent):
            return f"ran in each of the last {len(recent)} {plural}{which}"
        return f"ran in {len(hits)} of the last {len(recent)} {plural}{which}"


def ran_in_words(ran: Iterable[str], rule: HistoryRule) -> str:
    """The record in words: "ran in every term F21 to F25", or "ran F21 S23 F25"."""
    seen = sorted({parse_term(t) for t in ran})
    if not seen:
        return f"no run recorded {rule.first} to {rule.through}"
    first, through = parse_term(rule.first), parse_term(rule.through)
    semesters = [Term(i) for i in range(first.index, through.index + 1) if Term(i).is_semester]
    if all(t in seen for t in semesters):
        return f"ran in every fall and spring {rule.first} to {rule.through}"
    return "ran " + " ".join(str(t) for t in seen)
