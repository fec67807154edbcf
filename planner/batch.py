"""Plan many students at once, in a process pool; one bad file fails only its own row.

Rows come back in the order of the files, and each plan is deterministic, so the output
does not depend on the number of workers.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from planner.errors import PlannerError
from planner.loading import read_text, validate
from planner.schema import Frozen

RowStatus = Literal["optimal", "feasible", "infeasible", "unknown", "error"]


class BatchRow(Frozen):
    file: str
    student: str = Field(
        default="", description="The scenario's id, or its file name: what baselines match on."
    )
    status: RowStatus
    graduation: str | None = None
    units: int = 0
    courses: int = 0
    conflict: list[str] = []
    repair: str = ""
    error: str = ""
    takes: list[str] = Field(default=[], description="The planned courses, as CODE@TERM.")


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files as given, folders as their ``*.toml`` files; sorted, without duplicates."""
    out: set[Path] = set()
    for path in paths:
        if path.is_dir():
            out.update(path.glob("*.toml"))
        elif any(ch in str(path) for ch in "*?["):
            out.update(Path().glob(str(path)))
        else:
            out.add(path)
    return sorted(out)


_CURRICULA: dict[str | None, Any] = {}
"""Curricula loaded in this process, by the folder asked for (None: the shipped one)."""


def _curriculum(root: str | None) -> Any:
    if root not in _CURRICULA:
        from planner.catalog import load_curriculum

        _CURRICULA[root] = load_curriculum(Path(root) if root else None)
    return _CURRICULA[root]


def plan_one(job: tuple[str, dict[str, Any], str | None]) -> BatchRow:
    """Plan one scenario file with the batch's what-ifs; never raises for bad input."""
    from planner.api import plan_scenario
    from planner.scenario import Scenario, load_scenario

    file, overrides, root = job
    student = Path(file).name
    try:
        scenario = load_scenario(Path(file))
        student = scenario.id or student
        origin = file
        if overrides:
            origin = f"{file} + command line"
            flags = validate(Scenario, overrides, "command line")
            scenario = scenario.with_overrides(flags, origin)
        plan = plan_scenario(_curriculum(root), scenario, origin, max_repairs=1)
    except PlannerError as exc:
        return BatchRow(file=file, student=student, status="error", error=exc.render())
    planned = [t for t in plan.terms if t.status == "planned"]
    return BatchRow(
        file=file,
        student=student,
        status=plan.status,
        graduation=plan.graduation,
        units=sum(t.units for t in planned),
        courses=sum(len(t.courses) for t in planned),
        conflict=[c.id for c in plan.conflicts],
        repair=plan.repairs[0].flags if plan.repairs else "",
        error=plan.message,
        takes=[f"{c.code}@{t.term}" for t in planned for c in t.courses],
    )


def run_batch(
    paths: list[Path],
    overrides: dict[str, Any],
    curriculum: Path | None,
    jobs: int,
    progress: Callable[[int, int], None] | None = None,
) -> list[BatchRow]:
    """Plan every file; `jobs` worker processes (0: one per core)."""
    root = str(curriculum) if curriculum else None
    work = [(str(p), overrides, root) for p in paths]
    workers = jobs or os.cpu_count() or 1
    rows: list[BatchRow] = []
    if workers == 1 or len(work) <= 1:
        for job in work:
            rows.append(plan_one(job))
            if progress:
                progress(len(rows), len(work))
        return rows
    chunk = max(1, len(work) // (workers * 8))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for row in pool.map(plan_one, work, chunksize=chunk):
            rows.append(row)
            if progress:
                progress(len(rows), len(work))
    return rows


def read_rows(path: Path) -> list[BatchRow]:
    """Rows from a JSON Lines file written by ``planner batch --format jsonl``."""
    import json

    rows = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PlannerError(
                f"JSON syntax error: {exc.msg}", file=path, place=f"line {number}"
            ) from None
        rows.append(validate(BatchRow, data, path, root=f"line {number}"))
    return rows


_RANK = {"optimal": 0, "feasible": 0, "unknown": 1, "infeasible": 2, "error": 3}


def student_key(row: BatchRow) -> str:
    """What a row is matched on: the student's id, or the file's name (not its path, so a
    cohort copied or run from another folder still matches)."""
    return row.student or Path(row.file).name


class Matching(Frozen):
    """How the rows of a batch met those of its baseline."""

    matched: int
    new: list[str] = Field(description="Students with no row in the baseline.")
    missing: list[str] = Field(description="Baseline students with no row now.")
    ambiguous: list[str] = Field(description="Students with several rows on one side.")
    hurt: list[tuple[BatchRow, BatchRow]] = Field(description="(before, after) of each worse.")


def hurt(baseline: list[BatchRow], rows: list[BatchRow]) -> Matching:
    """Match rows to the baseline by student; those for whom the change is worse have no
    plan now, or graduate later."""
    from planner.terms import parse_term

    def by_student(side: list[BatchRow]) -> tuple[dict[str, BatchRow], set[str]]:
        seen: dict[str, BatchRow] = {}
        twice: set[str] = set()
        for row in side:
            key = student_key(row)
            if key in seen:
                twice.add(key)
            seen[key] = row
        return seen, twice

    before, twice_before = by_student(baseline)
    after, twice_after = by_student(rows)
    ambiguous = twice_before | twice_after
    worse = []
    matched = 0
    for key, row in after.items():
        old = before.get(key)
        if old is None or key in ambiguous:
            continue
        matched += 1
        if _RANK[row.status] > _RANK[old.status] or (
            row.graduation
            and old.graduation
            and parse_term(row.graduation) > parse_term(old.graduation)
        ):
            worse.append((old, row))
    return Matching(
        matched=matched,
        new=sorted(set(after) - set(before) - ambiguous),
        missing=sorted(set(before) - set(after) - ambiguous),
        ambiguous=sorted(ambiguous),
        hurt=worse,
    )


def batch_table(rows: list[BatchRow], matching: Matching | None) -> str:
    width = max((len(r.file) for r in rows), default=4)
    lines = [f"{'file':<{width}}  {'status':<10}  {'grad':<4}  {'units':>5}  conflict or error"]
    for r in rows:
        tail = ", ".join(r.conflict) if r.conflict else r.error
        if r.repair:
            tail += f"  (repair: {r.repair})"
        grad = r.graduation or "-"
        lines.append(f"{r.file:<{width}}  {r.status:<10}  {grad:<4}  {r.units:>5}  {tail}".rstrip())
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    lines += ["", "Total: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))]
    if matching is not None:
        lines += ["", f"Matched to the baseline by student: {matching.matched} of {len(rows)}"]
        for label, names in (
            ("Not in the baseline", matching.new),
            ("In the baseline only", matching.missing),
            ("Several rows for one student, not compared", matching.ambiguous),
        ):
            if names:
                lines.append(f"{label}: {', '.join(names)}")
        lines += [f"Hurt by this change: {len(matching.hurt)}"]
        for old, new in matching.hurt:
            was = f"{old.status} {old.graduation or '-'}"
            now = f"{new.status} {new.graduation or '-'}"
            lines.append(f"  {student_key(new)}: {was} -> {now}")
    return "\n".join(lines) + "\n"
