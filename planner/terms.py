"""Academic terms as CMU writes them (F26, S27, M27) and their order.

A year runs spring, summer, fall. ``Term`` is an immutable value; its ``index`` orders
terms and makes "strictly earlier" a comparison of integers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal

Season = Literal["spring", "summer", "fall"]
SEASONS: tuple[Season, ...] = ("spring", "summer", "fall")
_LETTER: dict[Season, str] = {"spring": "S", "summer": "M", "fall": "F"}
_BY_LETTER: dict[str, Season] = {v: k for k, v in _LETTER.items()}
# ASCII digits only: "F٢٦" is not F26.
_SHORT = re.compile(r"^([FSM])([0-9]{2}|[0-9]{4})$")
_LONG = re.compile(r"^(fall|spring|summer)[ \t]+([0-9]{4})$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Term:
    """One academic term. Ordered by time; printed as ``F26``."""

    index: int

    def __hash__(self) -> int:
        # The generated hash builds a tuple each call; terms key every placement variable.
        return hash(self.index)

    @classmethod
    def of(cls, season: Season, year: int) -> Term:
        return cls(year * 3 + SEASONS.index(season))

    @property
    def year(self) -> int:
        return self.index // 3

    @property
    def season(self) -> Season:
        return SEASONS[self.index % 3]

    @cached_property
    def code(self) -> str:
        """``F26`` for 2000-2099, the full year otherwise (``F2126``), so codes never wrap."""
        year = f"{self.year % 100:02d}" if 2000 <= self.year <= 2099 else f"{self.year:04d}"
        return f"{_LETTER[self.season]}{year}"

    @property
    def name(self) -> str:
        return f"{self.season.capitalize()} {self.year}"

    @property
    def is_semester(self) -> bool:
        """Fall and spring are semesters; summer is not."""
        return self.season != "summer"

    def next(self) -> Term:
        return Term(self.index + 1)

    def __str__(self) -> str:
        return self.code


@lru_cache(maxsize=4096)
def parse_term(text: str) -> Term:
    """Parse ``F26``, ``S27``, ``M27``, ``F2126`` or ``Fall 2026``; raise ValueError otherwise.

    Two-digit years are 20xx; other years are written in full. Kept by text (a Term never
    changes): the offering history alone parses hundreds of terms per plan, and a warm
    server plans again and again.
    """
    raw = text.strip()
    if m := _SHORT.match(raw.upper()):
        digits = m.group(2)
        year = 2000 + int(digits) if len(digits) == 2 else int(digits)
        return Term.of(_BY_LETTER[m.group(1)], _in_range(year, text))
    if m := _LONG.match(raw):
        season: Season = m.group(1).lower()  # type: ignore[assignment]
        return Term.of(season, _in_range(int(m.group(2)), text))
    raise ValueError(
        f"malformed term '{text}': write F26, S27 or M27 (fall, spring, summer), or 'Fall 2026'"
    )


FIRST_YEAR, LAST_YEAR = 1900, 9999


def _in_range(year: int, text: str) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"term '{text}': years run from {FIRST_YEAR} to {LAST_YEAR}")
    return year


def semesters_from(start: Term, count: int) -> list[Term]:
    """All terms from `start` up to and including its `count`-th semester (summers between)."""
    terms: list[Term] = []
    term = start
    seen = 0
    while True:
        terms.append(term)
        if term.is_semester:
            seen += 1
            if seen >= count:
                return terms
        term = term.next()
