"""What a cohort will need of each course (``planner demand``): from the cohort's plans,
how many students take each course in each term, and what a change does to that.

It answers the department's question "if we do not offer 10-725 in S27, how many need it
in F27?". The counts are the cohort's planned courses, added up: together they hold
exactly the courses the plans hold. No solver here (the plans come from the batch).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

from pydantic import Field

from planner.batch import BatchRow
from planner.errors import PlannerError
from planner.loading import read_text, validate
from planner.schema import Frozen
from planner.terms import parse_term


class Cell(Frozen):
    term: str
    course: str
    students: int


class Demand(Frozen):
    planned: int = Field(description="Students with a plan (their courses are counted).")
    unplanned: list[str] = Field(default=[], description="Students without one (not counted).")
    cells: list[Cell] = Field(default=[], description="By term, then course.")

    def count(self) -> dict[tuple[str, str], int]:
        return {(c.term, c.course): c.students for c in self.cells}


def demand(rows: list[BatchRow]) -> Demand:
    """The students who take each course in each term, over the rows that have a plan."""
    counts: Counter[tuple[str, str]] = Counter()
    planned, unplanned = 0, []
    for row in rows:
        if row.status in ("optimal", "feasible"):
            planned += 1
            for take in row.takes:
                code, term = take.split("@")
                counts[term, code] += 1
        else:
            unplanned.append(row.student or row.file)
    cells = [
        Cell(term=term, course=course, students=n)
        for (term, course), n in sorted(counts.items(), key=lambda kv: _order(kv[0]))
    ]
    return Demand(planned=planned, unplanned=unplanned, cells=cells)


def _order(key: tuple[str, str]) -> tuple[int, str]:
    return parse_term(key[0]).index, key[1]


def demand_csv(d: Demand) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["term", "course", "students"])
    for cell in d.cells:
        writer.writerow([cell.term, cell.course, cell.students])
    return out.getvalue()


def read_demand(path: Path) -> Demand:
    """A baseline: the output of ``planner demand`` as CSV or JSON."""
    text = read_text(path)
    if text.lstrip().startswith("{"):
        try:
            return validate(Demand, json.loads(text), path)
        except json.JSONDecodeError as exc:
            raise PlannerError(f"JSON syntax error: {exc.msg}", file=path) from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or rows[0] != ["term", "course", "students"]:
        raise PlannerError("not a demand file: the header must be term,course,students", file=path)
    cells = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != 3:
            raise PlannerError("expected three columns", file=path, place=f"line {number}")
        cells.append(
            validate(
                Cell,
                dict(zip(("term", "course", "students"), row, strict=True)),
                path,
                root=f"line {number}",
            )
        )
    return Demand(planned=0, cells=cells)


def _unplanned_words(count: int) -> str:
    return (
        "1 without a plan is not counted"
        if count == 1
        else f"{count} without a plan are not counted"
    )


def demand_grid(d: Demand) -> tuple[list[str], list[str], dict[tuple[str, str], int]]:
    """The terms in order, the courses, and the students by (term, course)."""
    terms = sorted({c.term for c in d.cells}, key=lambda t: parse_term(t).index)
    return terms, sorted({c.course for c in d.cells}), d.count()


def changes(d: Demand, baseline: Demand) -> list[tuple[str, str, int, int]]:
    """(term, course, before, after) for every cell that differs from the baseline."""
    before, after = baseline.count(), d.count()
    keys = sorted(
        (k for k in set(before) | set(after) if before.get(k, 0) != after.get(k, 0)), key=_order
    )
    return [(t, c, before.get((t, c), 0), after.get((t, c), 0)) for t, c in keys]


def unplanned_words(d: Demand) -> str:
    return f" ({_unplanned_words(len(d.unplanned))})" if d.unplanned else ""


def demand_table(d: Demand, baseline: Demand | None = None) -> str:
    """Courses down, terms across; with a baseline, the cells that changed."""
    lines = [f"Demand of {d.planned} planned students{unplanned_words(d)}"]
    if baseline is not None:
        changed = changes(d, baseline)
        lines += ["", "Changes from the baseline (term, course: before -> after):"]
        if not changed:
            lines.append("  none")
        for term, course, old, new in changed:
            lines.append(f"  {term} {course}: {old} -> {new} ({new - old:+d})")
        return "\n".join(lines) + "\n"
    terms, courses, count = demand_grid(d)
    header = f"{'course':<9}" + "".join(f"{t:>6}" for t in terms) + f"{'total':>7}"
    lines += ["", header]
    for course in courses:
        row = [count.get((t, course), 0) for t in terms]
        cells = "".join(f"{n if n else '-':>6}" for n in row)
        lines.append(f"{course:<9}{cells}{sum(row):>7}")
    return "\n".join(lines) + "\n"
