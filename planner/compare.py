"""What changed between two plans: courses added, removed and moved, counting that changed,
graduation and units per term, and the scenario changes that led there. No solver."""

from __future__ import annotations

from typing import Any

from planner.plan import Plan
from planner.schema import Frozen


class Move(Frozen):
    code: str
    before: str
    after: str


class Recount(Frozen):
    code: str
    before: list[str]
    after: list[str]


class TermUnitsChange(Frozen):
    term: str
    before: int
    after: int


class Comparison(Frozen):
    before_status: str
    after_status: str
    checks: tuple[list[str], list[str]] = ([], [])
    """What rechecking each plan file found (before, after); empty for solved scenarios."""
    completed: tuple[list[str], list[str]]
    """Courses completed before the start, before and after (not planned either way)."""
    added: list[str]
    removed: list[str]
    moved: list[Move]
    recounted: list[Recount]
    graduation: tuple[str | None, str | None]
    units: list[TermUnitsChange]
    scenario_changes: list[str]

    @property
    def same(self) -> bool:
        return not (self.added or self.removed or self.moved or self.recounted or self.units)


def _placements(plan: Plan) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for term in plan.terms:
        if term.status == "planned":
            for course in term.courses:
                out.setdefault(course.code, []).append(term.term)
    return out


def _completed(plan: Plan) -> set[str]:
    return {c.code for t in plan.terms if t.status == "completed" for c in t.courses}


def _counting(plan: Plan) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for term in plan.terms:
        for course in term.courses:
            out.setdefault(course.code, []).extend(course.counts_toward)
    return {code: sorted(ids) for code, ids in out.items()}


def scenario_changes(before: Plan, after: Plan) -> list[str]:
    """Each scenario field that differs, as the what-if that changed it."""
    a = before.scenario.model_dump()
    b = after.scenario.model_dump()
    changes: list[str] = []
    for name in sorted(set(a) | set(b)):
        old, new = a.get(name), b.get(name)
        if old == new or name == "title":
            continue
        if isinstance(old, list) and isinstance(new, list):
            added = [_show(v) for v in new if v not in old]
            dropped = [_show(v) for v in old if v not in new]
            changes += [f"{name}: + {v}" for v in added] + [f"{name}: - {v}" for v in dropped]
        else:
            changes.append(f"{name}: {_show(old)} -> {_show(new)}")
    return changes


def _show(value: Any) -> str:
    if isinstance(value, dict):
        if set(value) >= {"old", "new"}:
            return f"{value['old']}={value['new']}"
        return ", ".join(f"{k}={v}" for k, v in value.items() if v is not None) or "none"
    return "none" if value is None else str(value)


def compare_plans(before: Plan, after: Plan) -> Comparison:
    """The differences from `before` to `after`, each list sorted for stable output."""
    done_a, done_b = _completed(before), _completed(after)
    # A course completed in one plan and planned in the other is no plan change.
    pa = {c: t for c, t in _placements(before).items() if c not in done_b}
    pb = {c: t for c, t in _placements(after).items() if c not in done_a}
    ca, cb = _counting(before), _counting(after)
    moved = [
        Move(code=code, before=",".join(pa[code]), after=",".join(pb[code]))
        for code in sorted(set(pa) & set(pb))
        if pa[code] != pb[code]
    ]
    recounted = [
        Recount(code=code, before=ca.get(code, []), after=cb.get(code, []))
        for code in sorted(set(ca) & set(cb))
        if ca.get(code, []) != cb.get(code, [])
    ]
    units_a = {t.term: t.units for t in before.terms if t.status == "planned"}
    units_b = {t.term: t.units for t in after.terms if t.status == "planned"}
    units = [
        TermUnitsChange(term=term, before=units_a.get(term, 0), after=units_b.get(term, 0))
        for term in sorted(set(units_a) | set(units_b), key=_term_order)
        if units_a.get(term, 0) != units_b.get(term, 0)
    ]

    def checked(plan: Plan) -> list[str]:
        return [n for n in plan.notes if n.startswith("Checked from the file")]

    return Comparison(
        before_status=before.status,
        after_status=after.status,
        checks=(checked(before), checked(after)),
        completed=(sorted(done_a), sorted(done_b)),
        added=sorted(set(pb) - set(pa)),
        removed=sorted(set(pa) - set(pb)),
        moved=moved,
        recounted=recounted,
        graduation=(before.graduation, after.graduation),
        units=units,
        scenario_changes=scenario_changes(before, after),
    )


def _term_order(code: str) -> int:
    from planner.terms import parse_term

    return parse_term(code).index


def comparison_table(cmp: Comparison, before: str, after: str) -> str:
    lines = [f"Comparing {before} (before) with {after} (after)"]
    if cmp.before_status != cmp.after_status:
        lines.append(f"Status: {cmp.before_status} -> {cmp.after_status}")
    for side, notes in zip(("before", "after"), cmp.checks, strict=True):
        lines += [f"  {side}: {note}" for note in notes]
    if cmp.scenario_changes:
        lines += ["", "What-ifs that differ:", *(f"  {c}" for c in cmp.scenario_changes)]
    done_before, done_after = cmp.completed
    if done_before != done_after:
        lines.append("")
        lines.append(
            f"Completed before the start: {', '.join(done_before) or 'nothing'}"
            f" -> {', '.join(done_after) or 'nothing'}"
        )
    grad_before, grad_after = cmp.graduation
    if grad_before == grad_after:
        lines += ["", f"Graduation: {grad_before or '-'} (unchanged)"]
    else:
        lines += ["", f"Graduation: {grad_before or '-'} -> {grad_after or '-'}"]
    if cmp.same:
        lines.append("The plans are the same.")
        return _wrapped(lines)
    if cmp.added:
        lines.append(f"Added: {', '.join(cmp.added)}")
    if cmp.removed:
        lines.append(f"Removed: {', '.join(cmp.removed)}")
    for move in cmp.moved:
        lines.append(f"Moved: {move.code} {move.before} -> {move.after}")
    for rc in cmp.recounted:
        old, new = ", ".join(rc.before) or "nothing", ", ".join(rc.after) or "nothing"
        lines.append(f"Counts: {rc.code} {old} -> {new}")
    for change in cmp.units:
        lines.append(f"Units: {change.term} {change.before} -> {change.after}")
    return _wrapped(lines)


def _wrapped(lines: list[str]) -> str:
    """The lines within 80 columns, continuations indented under their text."""
    from planner.render import wrap

    out: list[str] = []
    for line in lines:
        indent = " " * (len(line) - len(line.lstrip()) + 2)
        out += wrap(line, indent, "") if len(line) > 80 else [line]
    return "\n".join(out) + "\n"
