"""Plans and audits as text: a plain table for people, Markdown for documents.

Output is a pure function of its input (no terminal width, no colour, no clock), so the
same plan always prints byte for byte the same.
"""

from __future__ import annotations

from planner.audit import AuditReport
from planner.plan import Plan

_STATUS_WORDS = {
    "optimal": "optimal plan",
    "feasible": "feasible plan, not proven optimal (the time limit stopped the search)",
    "infeasible": "no plan exists",
    "unknown": "no answer within the time limit",
    "invalid": "a plan that breaks rules (planner audit lists them)",
}


def _header(plan: Plan) -> str:
    prog = plan.program
    head = (
        f"{prog.title} ({prog.id} {prog.version}), start {plan.start}: {_STATUS_WORDS[plan.status]}"
    )
    if plan.graduation:
        head += f", graduating {plan.graduation}"
    return head


def _conflicts(plan: Plan, bullet: str) -> list[str]:
    lines: list[str] = []
    if plan.status == "infeasible":
        qualifier = (
            "minimal: no plan meets them all, and without any one of them the rest can be"
            " met; other conflicts may remain"
            if plan.conflict_minimal
            else "may not be minimal: the time limit stopped the shrinking"
        )
        lines.append(f"These rules conflict ({qualifier}):")
        lines += _conflict_lines(plan, bullet)
        if plan.repairs:
            lines += ["", "Any one of these changes gives a plan (each checked by solving again):"]
            width = max(len(r.description) for r in plan.repairs)
            lines += [f"{bullet}{r.description:<{width}}  {r.flags}" for r in plan.repairs]
        else:
            lines += ["", "No single change that was tried gives a plan."]
    elif plan.message:
        lines.append(plan.message)
    return lines


GROUP_AT = 6
"""Conflicting rules of one kind beyond this many are summarised in one line (JSON lists all)."""


def _conflict_lines(plan: Plan, bullet: str) -> list[str]:
    kinds: dict[str, int] = {}
    for c in plan.conflicts:
        kinds[c.kind] = kinds.get(c.kind, 0) + 1
    lines, shown = [], dict.fromkeys(kinds, 0)
    for c in plan.conflicts:
        if kinds[c.kind] > GROUP_AT and shown[c.kind] >= 2:
            continue
        shown[c.kind] += 1
        lines.append(f"{bullet}{c.id}: {c.message}")
        if kinds[c.kind] > GROUP_AT and shown[c.kind] == 2:
            lines.append(
                f"{bullet}... and {kinds[c.kind] - 2} more {c.kind} rules (see --format json)"
            )
    return lines


def plan_table(plan: Plan) -> str:
    lines = [_header(plan)]
    if plan.waived:
        lines.append(f"Waived: {', '.join(plan.waived)}")
    if plan.status in ("infeasible", "unknown"):
        return "\n".join([*lines, "", *_conflicts(plan, "  - ")]) + "\n"
    width = max((len(c.title) for t in plan.terms for c in t.courses), default=10)
    width = min(width, 60)
    for term in plan.terms:
        lines.append("")
        label = f"{term.term}  {term.season} {term.year}"
        if term.practicum:
            lines.append(f"{label}  practicum (full time)")
        else:
            suffix = ", completed" if term.status == "completed" else ""
            lines.append(f"{label}  {term.units} units{suffix}")
        for c in term.courses:
            title = c.title if len(c.title) <= width else c.title[: width - 3] + "..."
            counts = ", ".join(c.counts_toward) or "(counts toward nothing)"
            lines.append(f"  {c.code}  {title:<{width}}  {c.units:>2}  {counts}")
    lines += ["", "Requirements"]
    id_width = max((len(r.id) for r in plan.requirements), default=10)
    for r in plan.requirements:
        mark = "[x]" if r.satisfied else "[ ]"
        lines.append(f"  {mark} {r.id:<{id_width}}  {', '.join(r.courses)}")
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
        lines += ["", f"Alternative {k}, {quality}:"]
        if cmp.added and cmp.removed:
            lines.append(f"{indent}take {', '.join(cmp.added)} instead of {', '.join(cmp.removed)}")
        elif cmp.added:
            lines.append(f"{indent}also take {', '.join(cmp.added)}")
        elif cmp.removed:
            lines.append(f"{indent}leave out {', '.join(cmp.removed)}")
        lines += [f"{indent}{m.code} in {m.after} instead of {m.before}" for m in cmp.moved]
    if plan.why:
        lines += ["", "Why", *(f"{indent}{line}" for line in plan.why)]
    return lines


def plan_markdown(plan: Plan) -> str:
    lines = [f"# {plan.program.title}", "", _header(plan) + "."]
    if plan.waived:
        lines += ["", f"Waived: {', '.join(f'`{w}`' for w in plan.waived)}"]
    if plan.status in ("infeasible", "unknown"):
        return "\n".join([*lines, "", *_conflicts(plan, "- ")]) + "\n"
    lines += ["", "| Term | Course | Title | Units | Counts toward |", "|---|---|---|---:|---|"]
    for term in plan.terms:
        label = term.term + (" (completed)" if term.status == "completed" else "")
        if term.practicum:
            lines.append(f"| {label} | practicum | full-time practicum | 0 | |")
        for c in term.courses:
            counts = ", ".join(f"`{x}`" for x in c.counts_toward)
            lines.append(f"| {label} | {c.code} | {c.title} | {c.units} | {counts} |")
    lines += ["", "## Requirements", ""]
    for r in plan.requirements:
        mark = "x" if r.satisfied else " "
        lines.append(f"- [{mark}] `{r.id}`: {r.title} ({', '.join(r.courses)})")
    lines += _extras(plan, "- ")
    return "\n".join(lines) + "\n"


def audit_table(report: AuditReport) -> str:
    failed = len(report.failures)
    verdict = "passed" if report.passed else f"failed ({failed} rule{'s' * (failed != 1)} not met)"
    ending = f"graduating {report.graduation}" if report.graduation else "with nothing planned"
    lines = [f"Audit of a {report.program} plan {ending}: {verdict}", ""]
    id_width = max((len(r.id) for r in report.results), default=10)
    for r in report.results:
        mark = "ok  " if r.satisfied else "FAIL"
        tail = ", ".join(r.courses) if r.satisfied else r.detail
        lines.append(f"  {mark} {r.id:<{id_width}}  {tail}".rstrip())
    if report.waived:
        lines += ["", f"Waived: {', '.join(report.waived)}"]
    return "\n".join(lines) + "\n"
