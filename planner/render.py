"""Plans and audits as text: plain tables for people, Markdown for documents.

Output is a pure function of its input (no terminal width, no colour, no clock), so the
same plan always prints byte for byte the same. Tables fit in 80 columns and name rules in
words (a requirement's label, a rule's sentence); rule ids are in ``--format json``, and
in tables with ``show_ids`` (``--ids``).
"""

from __future__ import annotations

import re
import textwrap

from planner.audit import AuditReport
from planner.kinds import RuleResult
from planner.plan import Conflict, Plan

WIDTH = 80
TITLE = 36
"""Columns for a course title in a plan table (longer titles are cut with "...")."""

_STATUS_WORDS = {
    "optimal": "optimal plan",
    "feasible": "feasible plan, not proven optimal",
    "infeasible": "no plan exists",
    "unknown": "no answer within the time limit",
    "invalid": "a plan that breaks rules (planner audit lists them)",
}


_FLAG = re.compile(r"(--[a-z-]+) (?=[^-\s])")
_KEEP = "\u00a0"  # textwrap breaks only at ASCII white space


def wrap(text: str, indent: str = "", first: str | None = None) -> list[str]:
    """`text` in lines of at most WIDTH columns. Course codes (10-701) are never split,
    nor a flag from its value (``--offered 10-623@S27``), so either can be pasted."""
    lines = textwrap.wrap(
        _FLAG.sub(rf"\1{_KEEP}", text),
        WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [line.replace(_KEEP, " ") for line in lines] or [indent.rstrip()]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _header(plan: Plan) -> str:
    names = [f"{p.title} ({p.id} {p.version})" for p in (plan.programs or [plan.program])]
    head = f"{' and '.join(names)}, start {plan.start}: "
    head += _STATUS_WORDS[plan.status]
    if plan.graduation:
        head += f", graduating {plan.graduation}"
    return head


def _left_words(plan: Plan) -> str:
    """What is left, in words: "5 courses (60 units) left, 3 of them toward ...; finish S28"."""
    left = plan.left
    assert left is not None
    many = "s" * (left.courses != 1)
    text = f"Left from {plan.start}: {left.courses} course{many} ({left.units} units)"
    if left.by_program and len(plan.programs) > 1:
        parts = ", ".join(f"{n} toward {p}" for p, n in left.by_program.items())
        text += f", {parts}"
    elif left.counting != left.courses:
        text += f", {left.counting} of them toward the requirements"
    if left.finish:
        text += f"; earliest finish {left.finish}"
    return text + "."


def _labels(plan: Plan, show_ids: bool) -> dict[str, str]:
    """Requirement id -> what a table calls it."""
    if show_ids:
        return {r.id: r.id for r in plan.requirements}
    return {r.id: r.label or r.title for r in plan.requirements}


# --- No plan: the conflict and its repairs --------------------------------------------------


def _conflicts(plan: Plan, bullet: str, show_ids: bool) -> list[str]:
    lines: list[str] = []
    if plan.status != "infeasible":
        return wrap(plan.message) if plan.message else []
    qualifier = (
        "minimal: no plan meets them all, and without any one of them the rest can be"
        " met; other conflicts may remain"
        if plan.conflict_minimal
        else "may not be minimal: the time limit stopped the shrinking"
    )
    lines += wrap(f"These rules conflict ({qualifier}):")
    lines += _conflict_lines(plan.conflicts, bullet, show_ids)
    for note in plan.notes:
        lines += ["", *wrap(note)]
    if plan.repairs:
        lines += ["", *wrap("Any one of these changes gives a plan (each checked by solving):")]
        for repair in plan.repairs:
            lines += wrap(repair.description, " " * len(bullet), bullet)
            lines += wrap(repair.flags, " " * (len(bullet) + 4))
    else:
        lines += ["", "No single change that was tried gives a plan."]
    return lines


GROUP_AT = 6
"""Conflicting rules of one kind beyond this many are summarised in one line (JSON lists all)."""


def _conflict_lines(conflicts: list[Conflict], bullet: str, show_ids: bool) -> list[str]:
    """One line a rule, but the offerings of courses that run in no planned term together,
    and a long run of one kind summarised."""
    never = [
        c
        for c in conflicts
        if c.message.endswith("is not offered in any planned term.") and not show_ids
    ]
    rest = [c for c in conflicts if c not in never]
    lines: list[str] = []
    if never:
        codes = ", ".join(c.id.removeprefix("catalog.offered.") for c in never)
        lines += wrap(f"Not offered in any planned term: {codes}.", " " * len(bullet), bullet)
    kinds: dict[str, int] = {}
    for c in rest:
        kinds[c.kind] = kinds.get(c.kind, 0) + 1
    shown = dict.fromkeys(kinds, 0)
    for c in rest:
        if kinds[c.kind] > GROUP_AT and shown[c.kind] >= 2:
            continue
        shown[c.kind] += 1
        text = f"{c.message} [{c.id}]" if show_ids else c.message
        lines += wrap(text, " " * len(bullet), bullet)
        if kinds[c.kind] > GROUP_AT and shown[c.kind] == 2:
            more = f"... and {kinds[c.kind] - 2} more {c.kind} rules (see --format json)"
            lines += wrap(more, " " * len(bullet), bullet)
    return lines


# --- A plan as a table ----------------------------------------------------------------------


def plan_table(plan: Plan, show_ids: bool = False) -> str:
    lines = wrap(_header(plan))
    if plan.waived:
        lines += wrap(f"Waived: {', '.join(plan.waived)}", "  ")
    if plan.status in ("infeasible", "unknown"):
        return "\n".join([*lines, "", *_conflicts(plan, "  - ", show_ids)]) + "\n"
    names = _labels(plan, show_ids)
    for term in plan.terms:
        lines.append("")
        label = f"{term.term}  {term.season.capitalize()} {term.year}"
        if term.practicum:
            lines.append(f"{label}, practicum (full time)")
        else:
            done = ", completed" if term.status == "completed" else ""
            lines.append(f"{label}, {term.units} units{done}")
        for c in term.courses:
            counts = ", ".join(names.get(r, r) for r in c.counts_toward)
            counts = counts or "(counts toward nothing)"
            line = f"  {c.code}  {_cut(c.title, TITLE):<{TITLE}}  {c.units:>2}  {counts}"
            if len(line) <= WIDTH:
                lines.append(line.rstrip())
            else:  # long counting (ids, several requirements) goes below
                lines.append(f"  {c.code}  {_cut(c.title, TITLE):<{TITLE}}  {c.units:>2}")
                lines += wrap(counts, " " * 10)
    lines += ["", "Requirements"]
    if plan.left is not None:
        lines += wrap(_left_words(plan), "    ", "  ")
    for r in plan.requirements:
        mark = "[x]" if r.satisfied else "[ ]"
        name = f"{r.label or r.title} [{r.id}]" if show_ids else r.label or r.title
        shown = ", ".join(r.courses) or r.detail or "nothing"
        lines += wrap(f"{name}: {shown}", " " * 6, f"  {mark} ")
    if plan.contingencies:
        lines += ["", "If a course is cancelled (each repair checked by solving)"]
        for entry in plan.contingencies:
            head = f"{entry.course} in {entry.term} ({entry.evidence}): "
            if not entry.repaired:
                text = head + "no repair graduates as early."
            else:
                what = "; ".join(entry.changes) or "the rest of the plan holds"
                text = head + f"{what}; graduating {entry.graduation}."
            lines += wrap(text, "    ", "  - ")
    if plan.notes:
        lines += ["", "Notes", *(line for n in plan.notes for line in wrap(n, "    ", "  - "))]
    if plan.reminders:
        lines += ["", "Reminders (not planned)"]
        lines += [line for n in plan.reminders for line in wrap(n, "    ", "  - ")]
    lines += _extras(plan, "  ")
    return "\n".join(lines) + "\n"


def _extras(plan: Plan, indent: str) -> list[str]:
    """Alternatives (as differences from the plan) and answers to --why."""
    from planner.compare import compare_plans

    lines: list[str] = []
    for k, other in enumerate(plan.alternatives, start=2):
        cmp = compare_plans(plan, other)
        worse = [
            f"{name} {plan.objective[name]} -> {value}"
            for name, value in other.objective.items()
            if name != "tie-break" and value > plan.objective.get(name, value)
        ]
        quality = f"worse on {', '.join(worse)}" if worse else "as good on every criterion"
        lines += ["", *wrap(f"Alternative {k}, {quality}:")]
        if cmp.added and cmp.removed:
            change = f"take {', '.join(cmp.added)} instead of {', '.join(cmp.removed)}"
            lines += wrap(change, indent + "  ", indent)
        elif cmp.added:
            lines += wrap(f"also take {', '.join(cmp.added)}", indent + "  ", indent)
        elif cmp.removed:
            lines += wrap(f"leave out {', '.join(cmp.removed)}", indent + "  ", indent)
        lines += [f"{indent}{m.code} in {m.after} instead of {m.before}" for m in cmp.moved]
    if plan.why:
        lines += ["", "Why", *(line for w in plan.why for line in wrap(w, indent + "  ", indent))]
    return lines


def plan_markdown(plan: Plan, show_ids: bool = False) -> str:
    lines = [f"# {plan.program.title}", "", _header(plan) + "."]
    if plan.waived:
        lines += ["", f"Waived: {', '.join(f'`{w}`' for w in plan.waived)}"]
    if plan.status in ("infeasible", "unknown"):
        return "\n".join([*lines, "", *_conflicts(plan, "- ", show_ids)]) + "\n"
    names = _labels(plan, show_ids)
    lines += ["", "| Term | Course | Title | Units | Counts toward |", "|---|---|---|---:|---|"]
    for term in plan.terms:
        label = term.term + (" (completed)" if term.status == "completed" else "")
        if term.practicum:
            lines.append(f"| {label} | practicum | full-time practicum | 0 | |")
        for c in term.courses:
            counts = ", ".join(names.get(r, r) for r in c.counts_toward)
            lines.append(f"| {label} | {c.code} | {c.title} | {c.units} | {counts} |")
    lines += ["", "## Requirements", ""]
    if plan.left is not None:
        lines += [_left_words(plan), ""]
    for r in plan.requirements:
        mark = "x" if r.satisfied else " "
        lines.append(f"- [{mark}] {r.title} (`{r.id}`): {', '.join(r.courses) or r.detail}")
    if plan.notes:
        lines += ["", "## Notes", "", *(f"- {n}" for n in plan.notes)]
    if plan.reminders:
        lines += ["", "## Reminders (not planned)", "", *(f"- {n}" for n in plan.reminders)]
    lines += _extras(plan, "- ")
    return "\n".join(lines) + "\n"


# --- An audit as a table --------------------------------------------------------------------


def _result_lines(r: RuleResult, show_ids: bool) -> list[str]:
    name = f"{r.title} [{r.id}]" if show_ids else r.title
    if r.satisfied:
        evidence = f": {', '.join(r.courses)}" if r.courses else ""
        return wrap(f"{name}{evidence}", " " * 8, "  ok    ")
    return [*wrap(name, " " * 8, "  FAIL  "), *wrap(r.detail, " " * 8)]


def audit_table(report: AuditReport, show_ids: bool = False) -> str:
    failed = len(report.failures)
    verdict = "passed" if report.passed else f"failed ({failed} rule{'s' * (failed != 1)} not met)"
    ending = f"graduating {report.graduation}" if report.graduation else "with nothing planned"
    lines = [*wrap(f"Audit of a plan for {report.program}, {ending}: {verdict}"), ""]
    failures = [r for r in report.results if not r.satisfied]
    met = [r for r in report.results if r.satisfied]
    if failures:
        lines += ["Not met", *(line for r in failures for line in _result_lines(r, show_ids))]
        lines.append("")
    lines += ["Met", *(line for r in met for line in _result_lines(r, show_ids))]
    if report.notes:
        lines += ["", "Notes", *(line for n in report.notes for line in wrap(n, "    ", "  - "))]
    if report.waived:
        lines += ["", *wrap(f"Waived: {', '.join(report.waived)}")]
    if report.not_shown:
        lines += [
            "",
            *wrap(
                f"{report.not_shown} more rules are met that concern courses the plan does"
                " not hold (offerings, prerequisites); --all lists them."
            ),
        ]
    return "\n".join(lines) + "\n"
