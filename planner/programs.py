"""The programs the curriculum holds (``planner programs``): each version, who it is for,
what it asks, where its rules come from. No solver."""

from __future__ import annotations

from pydantic import Field

from planner.catalog import Curriculum
from planner.kinds import is_requirement
from planner.schema import Frozen


class ProgramSummary(Frozen):
    id: str
    version: str = Field(description="First-last entry year ('2019-': from 2019 on).")
    title: str
    entering: str = Field(description="Who the version is for, by year of entry, in words.")
    category: list[str]
    audience: str
    notes: str
    source: str
    requirements: list[str] = Field(description="Its requirements, by label or title.")
    rules: int = Field(description="How many rules it has, requirements included.")
    assumptions: int = Field(description="How many of its readings are written as assumptions.")
    reminders: list[str] = Field(description="Rules recorded but not planned (grades, QPA).")


def summaries(curriculum: Curriculum) -> list[ProgramSummary]:
    """Every program version, by id, then by first year of entry."""
    out = []
    for p in curriculum.programs:
        info = p.program
        out.append(
            ProgramSummary(
                id=info.id,
                version=info.version,
                title=info.title,
                entering=info.entering,
                category=list(info.category),
                audience=info.audience,
                notes=info.notes,
                source=info.source,
                requirements=list(
                    dict.fromkeys(r.label or r.title for r in p.rules if is_requirement(r))
                ),
                rules=len(p.rules),
                assumptions=len(p.assumptions),
                reminders=list(info.reminders),
            )
        )
    return sorted(out, key=lambda s: (s.id, s.version.split("-")[0] or "0"))


def programs_table(found: list[ProgramSummary]) -> str:
    from planner.render import wrap

    lines: list[str] = []
    for s in found:
        lines += ["", *wrap(f"{s.id} {s.version}  {s.title}", "    ", "")]
        lines += wrap(f"version: students {s.entering}", "    ", "  ")
        if s.audience:
            lines += wrap(f"for: {s.audience}", "    ", "  ")
        if s.category:
            lines += wrap(f"kind: {', '.join(s.category)}", "    ", "  ")
        lines += wrap(f"asks: {'; '.join(s.requirements)}", "    ", "  ")
        if s.notes:
            lines += wrap(f"in short: {s.notes}", "    ", "  ")
        lines += wrap(
            f"rules: {s.rules}, readings written as assumptions: {s.assumptions}",
            "    ",
            "  ",
        )
        lines += wrap(f"sources: {s.source}", "    ", "  ")
        for text in s.reminders:
            lines += wrap(f"reminder: {text}", "    ", "  ")
    count = len(found)
    head = f"{count} program version{'s' * (count != 1)} (plan with --program ID;"
    head += " the version follows --entry-year):"
    return "\n".join([head, *lines]) + "\n"
