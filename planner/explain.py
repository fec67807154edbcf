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

from planner.catalog import Curriculum
from planner.errors import PlannerError, did_you_mean
from planner.kinds import Candidate, GraduateBy, Offering, Rule, TermUnits, is_requirement
from planner.plan import Conflict, Plan, Repair
from planner.problem import Problem, resolve
from planner.scenario import Scenario
from planner.solve import explain_infeasible, has_plan
from planner.terms import parse_term

MAX_REPAIRS = 5
MAX_ATTEMPTS = 24
"""Candidate repairs tried (each one solve) before giving up on more."""
TRIES_PER_KIND = 4
"""Candidates of one kind of change (offer, waive, max, ...) tried at most."""
SLACK_SEMESTERS = 2
"""Explanations look this many semesters past the horizon, so "more time" can be named."""


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
        rules = {**self.problem.rule_by_id, **self.plain_rules}
        return [
            Conflict(id=rid, kind=rules[rid].kind, message=rules[rid].describe())
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
        {c.flags: c for rid in outcome.conflict for c in rules[rid].repairs(problem)}.values(),
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
            rules = [
                required.rule_by_id[rid].title
                for rid in found.conflict
                if rid != f"scenario.require.{code}"
            ]
            why = f"it cannot fit beside: {'; '.join(rules)}" if rules else "it cannot fit"
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
        counts = ", ".join(
            f"{getattr(rules.get(rid), 'label', '') or rid} [{rid}]" for rid in course.counts_toward
        )
        counts = counts or "nothing"
        status = next(t.status for t in plan.terms if t.term == term)
        lines.append(f"{target} ({course.title}) is {status} in {term}; it counts toward {counts}.")
        offering = rules.get(f"catalog.offered.{target}")
        if status == "planned" and offering is not None and getattr(offering, "seasons", None):
            lines.append(offering.describe())
        if status == "planned":
            lines += _why_term(curriculum, plan.scenario, problem, target, term, deadline)
    return lines


def _why_rule(curriculum: Curriculum, plan: Plan, rule: Rule) -> list[str]:
    """A rule's sentence, how the plan meets it, and other courses that could."""
    from planner.audit import audit_plan

    lines = [f"{rule.id}: {rule.describe()}"]
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
    offering = problem.rule_by_id.get(f"catalog.offered.{code}")
    return [offering.describe()] if offering is not None else []


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
    from planner.solve import solve

    pin = problem.rule_by_id.get(f"scenario.pin.{code}@{term}")
    if pin is not None:
        return [f"Because: {pin.describe()} ({pin.id})"]
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
    if after.get("tie-break", 0) > before.get("tie-break", 0):
        return [
            f"A plan as good exists without it in {term} ({instead}); the fixed tie-break"
            " (earlier terms first, earliest for prerequisites of other courses, then lower"
            " numbers) prefers this one."
        ]
    return [
        f"A plan as good exists without it in {term} ({instead}), equal even on the"
        " tie-break; the solver's fixed, seeded search settles on this one, the same every"
        " time."
    ]
