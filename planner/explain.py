"""Why no plan exists, and which changes would make one: each answer checked by solving.

The conflict is a minimal set of named rules (see ``solve.explain_infeasible``). Repairs
are concrete changes a person can make, each written as the command-line flags that apply
it, and each verified by solving the changed scenario before it is shown. Smaller changes
come first: one rule relaxed rather than two, a scenario wish before a catalog fact,
a catalog fact before a program rule, a small step before a large one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from planner.catalog import Curriculum
from planner.errors import PlannerError, did_you_mean
from planner.plan import Conflict, Plan, Repair
from planner.problem import Problem, resolve
from planner.rules import (
    GraduateBy,
    Offering,
    Pin,
    Prerequisite,
    Rule,
    TermUnits,
    is_requirement,
)
from planner.scenario import Scenario
from planner.solve import explain_infeasible, has_plan
from planner.terms import parse_term, semesters_from

MAX_REPAIRS = 5
MAX_ATTEMPTS = 24
"""Candidate repairs tried (each one solve) before giving up on more."""
TRIES_PER_KIND = 4
"""Candidates of one kind of change (offer, waive, max, ...) tried at most."""
SLACK_SEMESTERS = 2
"""Explanations look this many semesters past the horizon, so "more time" can be named."""


@dataclass(frozen=True)
class Candidate:
    """A change to try: what it does, the flags that apply it, and how big it is."""

    description: str
    overrides: dict[str, Any]
    flags: str
    cost: tuple[int, int, int]
    """(rules relaxed, kind of change: 0 scenario, 1 catalog, 2 program, size of change)"""
    group: str
    """Alternatives of one change (a cap raised by 6 or by 12): only the first that works
    is shown."""
    narrower: tuple[Candidate, ...] = ()
    """Smaller versions of this change (the cap raised in one term instead of all), tried
    once it works; the first that also works is shown instead."""


@dataclass(frozen=True)
class WhyNot:
    problem: Problem
    conflict: tuple[str, ...]
    minimal: bool
    repairs: tuple[Repair, ...]
    message: str = ""
    story: tuple[str, ...] = ()
    """The arithmetic behind the conflict, when it is the story (see `arithmetic`)."""
    plain_rules: dict[str, Rule] = field(default_factory=dict)
    """The rules as resolved without slack terms, for describing them."""

    def conflicts(self) -> list[Conflict]:
        """The conflict, each rule in a sentence (as the rule reads without slack terms)."""
        from planner.describe import describe

        rules = {**self.problem.rule_by_id, **self.plain_rules}
        return [
            Conflict(id=rid, kind=rules[rid].kind, message=describe(rules[rid]))
            for rid in self.conflict
        ]


def why_not(
    curriculum: Curriculum,
    scenario: Scenario,
    origin: str,
    time_limit: float,
    *,
    max_repairs: int = MAX_REPAIRS,
) -> WhyNot:
    """Explain an infeasible scenario: a minimal conflict and up to five verified repairs.

    Candidates are tried cheapest first, at most a few of each kind of change and
    MAX_ATTEMPTS in all, so that a conflict of fifty offerings does not mean two hundred
    solves.
    """
    deadline = time.monotonic() + time_limit
    problem = resolve(curriculum, scenario, origin, slack_semesters=SLACK_SEMESTERS)
    outcome = explain_infeasible(problem, deadline - time.monotonic())
    if outcome.status != "infeasible":
        return WhyNot(problem, (), False, (), outcome.message)
    rules = problem.rule_by_id
    candidates = sorted(
        {c.flags: c for rid in outcome.conflict for c in _candidates(problem, rules[rid])}.values(),
        key=lambda c: (c.cost, c.flags),
    )
    repairs: list[Repair] = []
    solved: set[str] = set()
    tries: dict[str, int] = {}
    attempts = 0
    for candidate in candidates:
        remaining = deadline - time.monotonic()
        if len(repairs) >= max_repairs or remaining <= 0 or attempts >= MAX_ATTEMPTS:
            break
        kind = candidate.group.split(" ")[0]
        if candidate.group in solved or tries.get(kind, 0) >= TRIES_PER_KIND:
            continue
        attempts += 1
        tries[kind] = tries.get(kind, 0) + 1
        if _works(curriculum, scenario, candidate, remaining):
            for narrow in candidate.narrower[: MAX_ATTEMPTS - attempts]:
                attempts += 1
                if _works(curriculum, scenario, narrow, deadline - time.monotonic()):
                    candidate = narrow
                    break
            repairs.append(Repair(description=candidate.description, flags=candidate.flags))
            solved.add(candidate.group)
    plain = resolve(curriculum, scenario, origin)
    story = arithmetic(plain, outcome.conflict, max(0.1, deadline - time.monotonic()))
    return WhyNot(
        problem,
        outcome.conflict,
        outcome.conflict_minimal,
        tuple(repairs),
        plain_rules=plain.rule_by_id,
        story=tuple(story),
    )


def arithmetic(problem: Problem, conflict: tuple[str, ...], seconds: float) -> list[str]:
    """When a conflict is unit caps against a deadline, the sum that shows it: how many
    units its requirements still need, and how many the terms up to the deadline hold.
    Said only when that sum alone rules the plan out; otherwise nothing."""
    from planner.solve import least_load

    rules = [problem.rule_by_id[rid] for rid in conflict if rid in problem.rule_by_id]
    caps = [r for r in rules if isinstance(r, TermUnits) and r.max_units is not None]
    deadlines = [parse_term(r.term) for r in rules if isinstance(r, GraduateBy)]
    if not caps or not deadlines or not any(is_requirement(r) for r in rules):
        return []
    last = min(deadlines)
    terms = [t for t in problem.terms if t <= last]
    cap_ids = {r.id for r in caps}
    room = []
    for term in terms:
        bound = [v for rid, v in problem.unit_bounds[term].max_rules if rid in cap_ids]
        if not bound:
            return []  # a term without a cap in the conflict: no simple sum
        room.append(min(bound))
    counting = [r.id for r in rules if not isinstance(r, TermUnits | GraduateBy)]
    need = least_load(problem, counting, seconds)
    if need is None or need[0] <= sum(room):
        return []
    units, courses = need
    per = f"{room[0]} a term" if len(set(room)) == 1 else "by their caps"
    return [
        f"The arithmetic: these requirements need at least {courses} more courses"
        f" ({units} units), and the {len(terms)} terms {terms[0]}-{terms[-1]} hold at most"
        f" {sum(room)} units ({per})."
    ]


def _works(
    curriculum: Curriculum, scenario: Scenario, candidate: Candidate, seconds: float
) -> bool:
    try:
        changed = scenario.with_overrides(Scenario.model_validate(candidate.overrides))
        problem = resolve(curriculum, changed, "repair")
    except (PlannerError, ValueError):
        return False
    return has_plan(problem, seconds) is True


def _waive(rule: Rule, kind_cost: int, text: str) -> Candidate:
    return Candidate(
        text,
        {"waive": [rule.id]},
        f"--waive {rule.id}",
        (1, kind_cost, 0),
        f"waive-{rule.kind} {rule.id}",  # tries are counted per kind of rule waived
    )


def _candidates(problem: Problem, rule: Rule) -> list[Candidate]:
    """Concrete changes that relax `rule`, most natural first."""
    out: list[Candidate] = []
    if isinstance(rule, Pin):
        out.append(_waive(rule, 0, f"Unpin {rule.course} from {rule.term}"))
        offered = [t for t in _offering_terms(problem, rule.course) if t != rule.term]
        out += [
            Candidate(
                f"Pin {rule.course} to {term} instead of {rule.term}",
                {"waive": [rule.id], "pin": [f"{rule.course}@{term}"]},
                f"--waive {rule.id} --pin {rule.course}@{term}",
                (1, 0, 1 + step),
                f"move {rule.id}",
            )
            for step, term in enumerate(offered)
        ]
    elif isinstance(rule, GraduateBy):
        out += _later_deadlines(problem, rule)
    elif isinstance(rule, TermUnits):
        out += _unit_changes(problem, rule)
    elif isinstance(rule, Offering):
        closed = [t for t in problem.terms if t.is_semester and t.code not in rule.terms]
        out += [
            Candidate(
                f"Ask whether {rule.course} can be offered in {term}",
                {"offered": [f"{rule.course}@{term}"]},
                f"--offered {rule.course}@{term}",
                (1, 1, step),
                f"offer {rule.course}",
            )
            for step, term in enumerate(closed)
        ]
    elif isinstance(rule, Prerequisite):
        out.append(_waive(rule, 1, f"Ask for a waiver of the prerequisites of {rule.course}"))
    elif rule.id.startswith("scenario."):
        text = {
            "require": f"Drop the wish to take {getattr(rule, 'course', '')}",
            "avoid": f"Allow {getattr(rule, 'course', '')}",
            "enrolled_through": f"Allow graduating before {getattr(rule, 'term', '')}",
        }.get(rule.kind, f"Drop: {rule.title}")
        out.append(_waive(rule, 0, text))
    else:
        out.append(_waive(rule, 2, f"Waive {rule.id} ({rule.title})"))
    return out


def _offering_terms(problem: Problem, course: str) -> list[str]:
    offering = problem.rule_by_id.get(f"catalog.offered.{course}")
    return list(offering.terms) if isinstance(offering, Offering) else []


def _later_deadlines(problem: Problem, rule: GraduateBy) -> list[Candidate]:
    deadline = parse_term(rule.term)
    later = semesters_from(deadline.next(), 2)  # summers included: they may be enough
    out = []
    for step, term in enumerate(later):
        if rule.id == "planner.horizon":
            semesters = problem.program.program.horizon_semesters + step + 1
            out.append(
                Candidate(
                    f"Plan over {semesters} semesters",
                    {"semesters": semesters},
                    f"--semesters {semesters}",
                    (1, 0, step + 1),
                    "deadline",
                )
            )
        elif problem.scenario.semesters is not None:
            semesters = problem.scenario.semesters + step + 1
            out.append(
                Candidate(
                    f"Allow {step + 1} more semester{'s' * bool(step)} ({semesters} in all)",
                    {"semesters": semesters},
                    f"--semesters {semesters}",
                    (1, 0, step + 1),
                    "deadline",
                )
            )
        else:
            out.append(
                Candidate(
                    f"Graduate by {term} instead of {deadline}",
                    {"graduate_by": term.code},
                    f"--graduate-by {term}",
                    (1, 0, step + 1),
                    "deadline",
                )
            )
    return out


def _unit_changes(problem: Problem, rule: TermUnits) -> list[Candidate]:
    kind_cost = 0 if rule.id.startswith("scenario.") else 2
    where = f"@{rule.terms[0]}" if len(rule.terms) == 1 else ""
    out = []
    if rule.max_units is not None:
        semesters = [] if where else [t for t in problem.terms if t.is_semester]
        for step, extra in enumerate((6, 12, 24)):
            value = rule.max_units + extra
            per_term = tuple(
                Candidate(
                    f"Raise the unit cap of {term} to {value}",
                    _units_override("max", value, f"@{term}"),
                    f"--max-units {value}@{term}",
                    (1, kind_cost, step),
                    f"max {rule.id}",
                )
                for term in semesters
            )
            out.append(
                Candidate(
                    f"Raise the unit cap to {value}" + (f" in {where[1:]}" if where else ""),
                    _units_override("max", value, where),
                    f"--max-units {value}{where}",
                    (1, kind_cost, step),
                    f"max {rule.id}",
                    narrower=per_term,
                )
            )
    if rule.min_units:
        for step, value in enumerate(v for v in (rule.min_units - 12, 0) if v >= 0):
            out.append(
                Candidate(
                    f"Lower the unit minimum to {value}" + (f" in {where[1:]}" if where else ""),
                    _units_override("min", value, where),
                    f"--min-units {value}{where}",
                    (1, kind_cost, step),
                    f"min {rule.id}",
                )
            )
    return out


def _units_override(side: str, value: int, where: str) -> dict[str, Any]:
    if where:
        return {"term_units": {where[1:]: {side: value}}}
    return {"units": {side: value}}


# --- Preferences the plan does not meet ----------------------------------------------------

OFFER_TRIES = 4
"""Terms tried for an extra offering of a preferred course that runs in none."""


def unmet_preferences(
    curriculum: Curriculum, scenario: Scenario, problem: Problem, plan: Plan, seconds: float
) -> list[str]:
    """For each preferred course the plan leaves out, why, and what would allow it.

    Each remedy is checked by solving: an extra offering is named only if the plan with it
    takes the course; otherwise the plan with the course required is compared with this
    one, and the first criterion that gets worse (or the conflict) is the reason.
    """
    from planner.solve import explain_infeasible, solve

    deadline = time.monotonic() + seconds
    taken = {c.code for t in plan.terms for c in t.courses}
    notes = []
    for code in problem.prefer:
        if code in taken:
            continue
        left = max(0.1, deadline - time.monotonic())
        same = sorted(set(problem.courses[code].cross_listed) & taken)
        if same:
            notes.append(
                f"Preference not met: {code} is the same course as {', '.join(same)}"
                " (cross-listed), which the plan takes."
            )
            continue
        offering = problem.rule_by_id.get(f"catalog.offered.{code}")
        if isinstance(offering, Offering) and not offering.terms:
            note = f"Preference not met: {code}, not offered in any planned term"
            for term in [t for t in problem.terms if t.is_semester][:OFFER_TRIES]:
                wish = scenario.with_overrides(
                    Scenario.model_validate({"offered": [f"{code}@{term}"]})
                )
                answer = solve(resolve(curriculum, wish, "preference"), max(0.1, left / 2))
                if answer.solution and any(c == code for c, _ in answer.solution.takes):
                    note += f"; --offered {code}@{term} would allow it"
                    break
            notes.append(note + ".")
            continue
        wish = scenario.with_overrides(Scenario.model_validate({"require": [code]}))
        required = resolve(curriculum, wish, "preference")
        answer = solve(required, left / 2)
        if answer.status == "infeasible":
            found = explain_infeasible(required, max(0.1, deadline - time.monotonic()))
            rules = [rid for rid in found.conflict if rid != f"scenario.require.{code}"]
            why = f"it cannot fit beside {', '.join(rules)}" if rules else "it cannot fit"
            notes.append(f"Preference not met: {code}; {why}.")
        elif answer.solution is not None:
            worse = [
                name
                for name in problem.objective
                if name in _WORSE
                and answer.solution.objective.get(name, 0) > plan.objective.get(name, 0)
            ]
            lost = sorted(set(problem.prefer) & taken - {c for c, _ in answer.solution.takes})
            if worse:
                notes.append(
                    f"Preference not met: {code}; taking it, {_WORSE[worse[0]]} [{worse[0]}]."
                )
            elif lost:
                notes.append(
                    f"Preference not met: {code}; taking it would leave out {', '.join(lost)},"
                    " preferred too."
                )
            else:
                notes.append(
                    f"Preference not met: {code}; a plan as good takes it (--require {code}),"
                    " the fixed tie-break chose this one."
                )
    return notes


# --- Why this: the reasons behind one course or requirement of a plan ------------------------

_WORSE = {
    "graduate-early": "graduation would come later",
    "no-extras": "a course that counts toward nothing would be needed",
    "preferences": "a preference would go unmet",
    "balance": "the heaviest term would get heavier",
    "requested-count": "a course you asked for would count toward nothing",
}


def why_this(curriculum: Curriculum, plan: Plan, target: str, time_limit: float) -> list[str]:
    """Plain-English reasons for `target` (a course code or a rule id) in `plan`.

    All the solving it does stays within `time_limit`.
    """
    deadline = time.monotonic() + time_limit
    problem = resolve(curriculum, plan.scenario, "plan")
    rules = problem.rule_by_id
    if target in rules:
        return _why_rule(curriculum, plan, rules[target])
    if target not in problem.courses:
        known = [*problem.courses, *rules]
        raise PlannerError(
            f"'{target}' is neither a course nor a rule{did_you_mean(target, known)}",
            file="command line",
            place="target",
        )
    places = [(t.term, c) for t in plan.terms for c in t.courses if c.code == target]
    if not places:
        return [f"{target} is not in the plan.", *_why_absent(problem, target)]
    lines: list[str] = []
    for term, course in places:
        counts = ", ".join(course.counts_toward) or "nothing"
        status = next(t.status for t in plan.terms if t.term == term)
        lines.append(f"{target} ({course.title}) is {status} in {term}; it counts toward {counts}.")
        if status == "planned":
            lines += _why_term(curriculum, plan.scenario, problem, target, term, deadline)
    return lines


def _why_rule(curriculum: Curriculum, plan: Plan, rule: Rule) -> list[str]:
    """A rule's sentence, how the plan meets it, and other courses that could."""
    from planner.audit import audit_plan
    from planner.describe import describe

    lines = [f"{rule.id}: {describe(rule)}"]
    if is_requirement(rule):
        filled = [
            f"{c.code}@{t.term}"
            for t in plan.terms
            for c in t.courses
            if rule.id in c.counts_toward
        ]
        lines.append(f"Filled by: {', '.join(filled) or 'nothing'}.")
        taken = {f.split("@")[0] for f in filled}
        options = [c for c in rule.courses if c not in taken]
        if options:
            more = f" and {len(options) - 12} more" if len(options) > 12 else ""
            lines.append(f"Other courses that could fill it: {', '.join(options[:12])}{more}.")
        return lines
    report = audit_plan(plan, curriculum, "plan")
    result = next((r for r in report.results if r.id == rule.id), None)
    if result is not None:
        evidence = f" ({', '.join(result.courses)})" if result.courses else ""
        verdict = "Met" + evidence if result.satisfied else f"Not met: {result.detail}"
        lines.append(f"{verdict}.")
    return lines


def _why_absent(problem: Problem, code: str) -> list[str]:
    from planner.describe import describe

    rules = problem.rule_by_id
    offering = rules.get(f"catalog.offered.{code}")
    return [describe(offering)] if offering is not None else []


def _why_term(
    curriculum: Curriculum,
    scenario: Scenario,
    problem: Problem,
    code: str,
    term: str,
    deadline: float,
) -> list[str]:
    """Why `code` is in `term`: a pin, a conflict elsewhere, or the criterion that would
    get worse without it there (found by solving once more with the term closed)."""
    from planner.describe import describe
    from planner.solve import solve

    pin = problem.rule_by_id.get(f"scenario.pin.{code}@{term}")
    if pin is not None:
        return [f"Because: {describe(pin)} ({pin.id})"]
    base = solve(problem, time_limit=max(0.1, (deadline - time.monotonic()) / 2))
    if base.solution is not None and (code, parse_term(term)) not in base.solution.takes:
        where = sorted({str(t) for c, t in base.solution.takes if c == code})
        best = f"has it in {', '.join(where)}" if where else "leaves it out"
        return [
            f"The plan, not the planner, put {code} in {term}: the planner's best plan"
            f" for this scenario {best}."
        ]
    moved_scenario = scenario.with_overrides(
        Scenario.model_validate({"not_offered": [f"{code}@{term}"]})
    )
    moved_problem = resolve(curriculum, moved_scenario, "plan")
    moved = solve(moved_problem, time_limit=max(0.1, deadline - time.monotonic()))
    if moved.status == "infeasible":
        answer = why_not(curriculum, moved_scenario, "plan", max(0.5, deadline - time.monotonic()))
        reasons = [
            f"  - {c.id}: {c.message}"
            for c in answer.conflicts()
            if c.id != f"catalog.offered.{code}"
        ]
        return ["It cannot be in any other term; elsewhere these rules conflict:", *reasons]
    if base.solution is None or moved.solution is None:
        return ["(No answer within the time limit.)"]
    before, after = base.solution.objective, moved.solution.objective
    where = sorted({str(t) for c, t in moved.solution.takes if c == code})
    if where:
        instead = f"it could go in {', '.join(where)}"
    else:
        had = {c for c, _ in base.solution.takes}
        swaps = sorted({c for c, _ in moved.solution.takes} - had)
        instead = f"{', '.join(swaps)} could take its place" if swaps else "it could be left out"
    for name in problem.objective:
        if name != "tie-break" and after.get(name, 0) > before.get(name, 0):
            return [f"Otherwise {_WORSE[name]} ({instead}) [{name}]."]
    return [
        f"A plan as good exists without it in {term} ({instead}); the fixed tie-break"
        " (earlier terms first, earliest for prerequisites of other courses, then lower"
        " numbers) settles on this one."
    ]
