"""Finding courses in the catalog (``planner courses QUERY``): what each is, when it runs
and has run, what it needs first, and which requirements it can fill. No solver."""

from __future__ import annotations

import re

from pydantic import Field

from planner.catalog import Curriculum
from planner.history import ran_in_words
from planner.kinds import (
    CountLimit,
    NeverCounts,
    OnePerLine,
    RequirementBase,
    academic,
    either,
)
from planner.schema import Frozen


class Fill(Frozen):
    """A requirement a course can count toward."""

    program: str
    rule: str
    label: str
    note: str = Field(default="", description="A limit on counting it there, in words.")


class CourseInfo(Frozen):
    code: str
    title: str
    units: int
    seasons: list[str] = Field(description="The seasons it runs in (history where complete).")
    terms: list[str] = Field(description="Single terms it runs in besides.")
    ran: list[str] = Field(description="Terms it was seen to run.")
    history: str = Field(description="Its record in words.")
    prereqs: list[list[str]] = Field(description="Clauses: one course of each, first.")
    cross_listed: list[str] = []
    tags: list[str] = []
    fills: list[Fill] = []


_CODE = re.compile(r"[0-9]{2}(-[0-9]{0,3})?")


def find(curriculum: Curriculum, query: str = "") -> list[CourseInfo]:
    """Courses matching `query`: a course number or its start ("10-7", "36"), or words
    that each appear in the title or name a tag ("generative", "special-topic"); all
    courses for an empty query. Sorted by number."""
    catalog = curriculum.catalog
    words = query.lower().split()
    matches = []
    for course in sorted(catalog.courses, key=lambda c: c.code):
        if _CODE.fullmatch(query.strip()):
            if not course.code.startswith(query.strip()):
                continue
        elif not all(w in course.title.lower() or w in course.tags for w in words):
            continue
        matches.append(course.code)
    return [describe(curriculum, code) for code in matches]


def _limit_notes(limit: CountLimit | OnePerLine, code: str) -> list[str]:
    """How a limit on counting bounds `code`, in a few words ("with 10-805: one counts")."""
    if isinstance(limit, OnePerLine):
        return [
            f"with {either([c for c in line if c != code])}: one counts (one per line)"
            for line in limit.lines
            if code in line and len(line) > 1
        ]
    if code not in limit.courses or len(limit.courses) < 2:
        return []
    if limit.max_courses == 1 and not limit.weights and not limit.min_courses:
        return [f"with {either([c for c in limit.courses if c != code])}: one counts"]
    return [limit.title]


def describe(curriculum: Curriculum, code: str) -> CourseInfo:
    catalog = curriculum.catalog
    course = catalog.by_code[code]
    rule = catalog.catalog.history
    fills: list[Fill] = []
    for program in curriculum.programs:
        info = program.program
        never = any(isinstance(r, NeverCounts) and code in r.courses for r in program.rules)
        for r in program.rules:
            if isinstance(r, RequirementBase) and code in r.courses:
                limits = [
                    note
                    for lim in program.rules
                    if isinstance(lim, CountLimit | OnePerLine) and r.id in lim.acts_on()
                    for note in _limit_notes(lim, code)
                ]
                fills.append(
                    Fill(
                        program=f"{info.id} {info.version}",
                        rule=r.id,
                        label=r.label or r.title,
                        note="never counts" if never else "; ".join(limits),
                    )
                )
    return CourseInfo(
        code=code,
        title=course.title,
        units=course.units,
        seasons=list(catalog.offered_seasons(code)),
        terms=list(course.terms),
        ran=list(course.ran),
        history=ran_in_words(course.ran, rule) if rule is not None else "",
        prereqs=course.prereq_clauses,
        cross_listed=list(course.cross_listed),
        tags=list(course.tags),
        fills=fills,
    )


def courses_table(found: list[CourseInfo], query: str) -> str:
    from planner.render import wrap

    if not found:
        return f"No course matches '{query}'.\n"
    lines: list[str] = []
    for info in found:
        lines += ["", *wrap(f"{info.code}  {info.title}, {info.units} units", "        ", "")]
        runs = either(academic(info.seasons), "and") if info.seasons else "no regular season"
        if info.terms:
            runs += f"; also {', '.join(info.terms)}"
        lines += wrap(f"runs: {runs}; {info.history}", "          ", "  ")
        if info.prereqs:
            one = len(info.prereqs) == 1  # one clause needs no parentheses
            needs = either(
                [either(c) if one or len(c) == 1 else f"({either(c)})" for c in info.prereqs],
                "and",
            )
            lines += wrap(f"needs first: {needs}", "          ", "  ")
        if info.cross_listed:
            lines.append(f"  same course as: {', '.join(info.cross_listed)}")
        for fill in info.fills:
            note = f" ({fill.note})" if fill.note else ""
            version = fill.program.split(" ", 1)[1] if " " in fill.program else ""
            where = f"{fill.rule}, {version}" if version else fill.rule
            lines += wrap(f"fills: {fill.label} [{where}]{note}", "          ", "  ")
        if not info.fills:
            lines.append("  fills: no requirement of any program")
    count = len(found)
    return "\n".join([f"{count} course{'s' * (count != 1)} matching '{query}':", *lines]) + "\n"
