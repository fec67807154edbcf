"""Plans that survive a cancelled course (``planner plan --robust``).

A planned course its history does not make reliable (it ran in fewer than all of the
recent terms of that season) may be cancelled. For each, the plan needs a repair: with
the courses before that term done, the course not run then, and graduation no later than
the plan's, some plan must exist. Each repair is found by solving, and shown. A placement
with no repair is planned around (the course is kept out of that term) and the plan is
solved again, until every risky placement has one.
"""

from __future__ import annotations

import time
from typing import Any

from planner.catalog import Curriculum
from planner.errors import PlannerError
from planner.plan import Contingency, Plan
from planner.problem import Problem, resolve
from planner.scenario import Scenario
from planner.terms import Term, parse_term

MAX_ROUNDS = 6
"""Plans solved at most, each planning around the placements the one before could not repair."""


def risky(problem: Problem, plan: Plan) -> list[tuple[str, Term]]:
    """Planned courses that may be cancelled: ran in fewer than `reliable` of the recent
    terms of their season (courses whose record is incomplete are not judged)."""
    rule = problem.history
    if rule is None:
        return []
    out = []
    for entry in plan.terms:
        if entry.status != "planned":
            continue
        term = parse_term(entry.term)
        for course in entry.courses:
            if problem.likelihood(course.code, term) is None:
                continue
            if rule.runs(problem.courses[course.code].ran, term.season) < rule.reliable:
                out.append((course.code, term))
    return out


def repair_scenario(problem: Problem, plan: Plan, code: str, term: Term) -> Scenario:
    """The scenario a student faces when `code` is cancelled in `term`: everything the plan
    put before `term` done, the course not run then, graduation no later than planned."""
    scenario = problem.scenario
    done = [
        f"{c.code}@{t.term}" for t in plan.terms for c in t.courses if parse_term(t.term) < term
    ]
    practicum = [
        parse_term(t.term) for t in plan.terms if t.practicum and parse_term(t.term) < term
    ]
    fields: dict[str, Any] = scenario.model_dump(exclude_unset=True)
    for key in ("pin", "offered", "not_offered"):
        fields[key] = [p for p in fields.get(key, []) if parse_term(p.split("@")[1]) >= term]
    cancelled = f"{code}@{term}"
    fields["offered"] = [p for p in fields["offered"] if p != cancelled]
    fields["not_offered"] = [*fields["not_offered"], cancelled]
    fields["term_units"] = {
        t: u for t, u in fields.get("term_units", {}).items() if parse_term(t) >= term
    }
    if fields.get("enrolled_through") and parse_term(fields["enrolled_through"]) < term:
        del fields["enrolled_through"]
    fields["waive"] = [w for w in fields.get("waive", []) if not _about_the_past(w, term)]
    fields.pop("semesters", None)
    fields.update(
        start=term.code,
        completed=done,
        graduate_by=plan.graduation,
        entry_year=problem.entry_year,
    )
    if practicum:
        fields["practicum_completed"] = max(practicum).code
    return Scenario.model_validate(fields)


def _about_the_past(rule_id: str, term: Term) -> bool:
    """Whether a waived scenario rule names a term before `term` (a pin or a per-term
    bound the repair no longer has)."""
    tail = rule_id.rsplit("@", 1)[-1] if "@" in rule_id else rule_id.rsplit(".", 1)[-1]
    try:
        return rule_id.startswith("scenario.") and parse_term(tail) < term
    except ValueError:
        return False


def contingency(
    cur: Curriculum, problem: Problem, plan: Plan, code: str, term: Term, seconds: float
) -> Contingency:
    """What to do if `code` is cancelled in `term`, checked by solving."""
    from planner.api import plan_scenario
    from planner.compare import compare_plans

    rule = problem.history
    assert rule is not None
    evidence = rule.evidence(problem.courses[code].ran, term.season)
    base = Contingency(course=code, term=term.code, evidence=evidence, repaired=False)
    try:
        scenario = repair_scenario(problem, plan, code, term)
        repaired = plan_scenario(
            cur,
            scenario.model_copy(update={"time_limit": max(0.5, seconds)}),
            "repair",
            max_repairs=0,
        )
    except PlannerError:
        return base
    if repaired.status not in ("optimal", "feasible"):
        return base
    cmp = compare_plans(plan, repaired)
    changes = [f"take {c}" for c in cmp.added if c not in cmp.completed[1]]
    changes += [f"drop {c}" for c in cmp.removed if c != code]
    changes += [f"move {m.code} from {m.before} to {m.after}" for m in cmp.moved]
    return base.model_copy(
        update={"repaired": True, "changes": changes, "graduation": repaired.graduation}
    )


def robust_plan(cur: Curriculum, scenario: Scenario, origin: str, time_limit: float) -> Plan:
    """The best plan for `scenario` whose every risky placement has a repair."""
    from planner.api import plan_scenario

    deadline = time.monotonic() + time_limit
    around: list[str] = []
    best: tuple[Plan, list[Contingency], list[str]] | None = None
    for _ in range(MAX_ROUNDS):
        working = scenario
        if around:
            working = scenario.with_overrides(Scenario.model_validate({"not_offered": around}))
        attempt = plan_scenario(cur, working, origin)
        if attempt.status not in ("optimal", "feasible"):
            if best is None:
                return attempt  # no plan at all: the explanation says why
            break  # planning around more leaves no plan: keep the last one
        problem = resolve(cur, working, origin)
        places = risky(problem, attempt)
        share = max(0.5, (deadline - time.monotonic()) / max(1, len(places)))
        entries = [contingency(cur, problem, attempt, c, t, share) for c, t in places]
        best = (attempt, entries, list(around))
        failed = [f"{e.course}@{e.term}" for e in entries if not e.repaired]
        if not failed:
            break
        around += failed
    assert best is not None
    plan, entries, used = best
    notes = [
        f"Planned around {place}: were it cancelled there, no plan would graduate as early."
        for place in used
    ]
    if any(not e.repaired for e in entries):
        notes.append(
            "No plan found survives every cancellation; the courses without a repair are marked."
        )
    return plan.model_copy(
        update={"scenario": scenario, "contingencies": entries, "notes": [*plan.notes, *notes]}
    )
