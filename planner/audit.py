"""Check a plan against its program without a solver: each rule kind's ``check``.

The audit is the solver-free twin of ``compile.py``. It reads any plan (the solver's or a
person's), rebuilds the same Problem, and checks every rule with its kind's ``check``.
Requirements are matched to courses exactly, by an exhaustive search over assignments
(never greedily), so that a plan is judged by the best assignment its courses allow. The
counting the plan itself claims (``counts_toward``) is checked separately. Nothing here
imports OR-Tools.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from pydantic import Field

from planner import semantics
from planner.catalog import Curriculum
from planner.errors import PlannerError, did_you_mean
from planner.kinds import (
    CountingPolicy,
    NeverCounts,
    NoDoubleCount,
    RequirementBase,
    RuleResult,
    SharingPolicy,
    is_requirement,
)
from planner.plan import Plan, PlanStatus, outside_notes
from planner.problem import DEFAULT_UNITS, NOT_IN_CATALOG, Problem, resolve
from planner.schema import Frozen
from planner.terms import Term, parse_term


class AuditReport(Frozen):
    passed: bool
    program: str
    graduation: str | None
    results: list[RuleResult]
    waived: list[str] = []
    not_shown: int = Field(
        default=0,
        description="Rules met that concern only courses the plan does not hold (see --all).",
    )
    notes: list[str] = Field(default=[], description="Courses the catalog does not know.")
    warnings: list[str] = Field(
        default=[], description="About the input: a course code that looks mistyped."
    )

    @property
    def failures(self) -> list[RuleResult]:
        return [r for r in self.results if not r.satisfied]


@dataclass(frozen=True)
class Instance:
    code: str
    term: Term
    completed: bool


@dataclass(frozen=True)
class PlanView:
    """A plan reduced to facts: course instances, practicum terms and claimed counting."""

    problem: Problem
    instances: tuple[Instance, ...]
    practicum: frozenset[Term]
    claims: tuple[tuple[str, ...], ...]

    @property
    def planned(self) -> list[Instance]:
        return [i for i in self.instances if not i.completed]

    @property
    def graduation(self) -> Term | None:
        return semantics.graduation(
            (i.term for i in self.planned), self.practicum, semantics.stay_term(self.problem.rules)
        )

    def enrolled(self, term: Term) -> bool:
        """Up to graduation and not the practicum term: when minimum loads apply."""
        return semantics.enrolled(term, self.graduation, self.practicum)

    def units(self, term: Term) -> int:
        return sum(self.problem.courses[i.code].units for i in self.planned if i.term == term)

    def taken(self, code: str) -> list[Instance]:
        return [i for i in self.instances if i.code == code]

    def requirement_ids(self, program: str | None = None) -> set[str]:
        """The ids of the requirements (of `program` only, when given)."""
        return {
            r.id
            for r in self.problem.rules
            if is_requirement(r) and (program is None or r.program == program)
        }

    def programs_of(self, rule_ids: Iterable[str]) -> set[str]:
        """The programs whose requirements are among `rule_ids`."""
        rules = self.problem.rule_by_id
        return {rules[r].program for r in rule_ids if r in rules}

    def holds(self, codes: list[str]) -> bool:
        """Whether the plan holds (completed or planned) any of `codes`."""
        return bool({i.code for i in self.instances}.intersection(codes))

    def claimed(self, rule_id: str) -> list[Instance]:
        """The instances the plan itself counts toward `rule_id`."""
        return [self.instances[i] for i, ids in enumerate(self.claims) if rule_id in ids]


# --- Exact requirement matching -------------------------------------------------------------

MAX_COUNTABLE = 150
"""Course instances that could count, at most, in one audited plan (a degree has about ten)."""


@dataclass(frozen=True)
class Matching:
    """For each instance (by index), the requirements it counts toward."""

    assignment: tuple[tuple[str, ...], ...]

    def courses_for(self, view: PlanView, rule_id: str) -> list[Instance]:
        return [view.instances[i] for i, ids in enumerate(self.assignment) if rule_id in ids]


def _options(
    view: PlanView, code: str, requirements: list[RequirementBase]
) -> list[tuple[int, ...]]:
    """The sets of requirements (by index) one instance of `code` may count toward.

    Per program: none, if a never-counts rule of that program names it; else one of its
    eligible requirements or none under no double counting; else any subset. A course
    may count in several programs at once (sharing rules limit that elsewhere).
    """
    problem = view.problem
    combined: list[tuple[int, ...]] = [()]
    for program in sorted({r.program for r in requirements}):
        scoped = [r for r in problem.rules if r.program in (program, "")]
        if any(isinstance(r, NeverCounts) and code in r.courses for r in scoped):
            continue
        eligible = [
            k
            for k, r in enumerate(requirements)
            if r.program == program and code in r.eligible(problem.courses)
        ]
        if any(isinstance(r, NoDoubleCount) for r in scoped):
            mine: list[tuple[int, ...]] = [(k,) for k in eligible] + [()]
        else:
            mine = [()]
            for k in eligible:
                mine += [(*m, k) for m in mine]
        combined = [(*c, *m) for c in combined for m in mine]
    return sorted(combined, key=lambda s: (-len(s), s))


def best_matching(view: PlanView) -> Matching:
    """The assignment meeting the most conditions (then the most progress), exactly.

    Each instance counts toward, per program, one eligible requirement or none (or, where
    a program allows double counting, any set of them). The state after some instances is
    each requirement's progress (capped at its need), how much each counting limit has let
    through ("or" lines, lines, unit caps, no transfer credit), and each sharing rule's
    counter across programs. A condition is a requirement met, a limit's least reached,
    or a sharing rule (at least N courses of a program's own) met.

    Branch and bound, depth first over the instances: a branch stops when even counting
    every remaining instance toward every requirement it could fill cannot beat the best
    assignment found so far, or when its state was reached before (what follows depends
    on the state alone, and the best from it is known or was beaten). The search ends at
    once when an assignment meets every condition, as a passing plan's does.
    """
    problem = view.problem
    requirements: list[RequirementBase] = [r for r in problem.rules if is_requirement(r)]
    index = {r.id: k for k, r in enumerate(requirements)}
    limits = [
        (frozenset(index[rule_id] for rule_id in lim.rules if rule_id in index), lim)
        for r in problem.rules
        if isinstance(r, CountingPolicy)
        for lim in r.limits(problem)
    ]
    limits = [(ks, lim) for ks, lim in limits if ks]
    sharing = [(r, r.targets(problem)) for r in problem.rules if isinstance(r, SharingPolicy)]
    program_of = [r.program for r in requirements]
    options = [_options(view, inst.code, requirements) for inst in view.instances]
    # Only instances that could count are searched; the others count toward nothing.
    live = [i for i, opts in enumerate(options) if opts != [()]]
    if len(live) > MAX_COUNTABLE:
        raise PlannerError(
            f"the plan has {len(live)} course instances that could count; the audit"
            f" handles at most {MAX_COUNTABLE}"
        )
    codes = [view.instances[i].code for i in live]
    units = [problem.courses[c].units for c in codes]
    # For each requirement, the live positions whose instance could count toward it.
    could = [
        [j for j, i in enumerate(live) if any(k in choice for choice in options[i])]
        for k in range(len(requirements))
    ]
    anyway = [r.met_anyway(view) for r in requirements]
    goals = [lim.least for _, lim in limits]
    conditions = len(requirements) + sum(1 for g in goals if g) + len(sharing)
    perfect = (conditions, Fraction(len(requirements)))
    State = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]
    Score = tuple[int, Fraction]

    def part(k: int, progress: int) -> Fraction:
        return Fraction(1) if anyway[k] else requirements[k].fraction(progress)

    def score(state: State) -> Score:
        progress, used, counters = state
        parts = [part(k, p) for k, p in enumerate(progress)]
        met = sum(1 for f in parts if f == 1)
        met += sum(1 for g, u in zip(goals, used, strict=True) if g and u >= g)
        met += sum(1 for (rule, _), c in zip(sharing, counters, strict=True) if rule.satisfied(c))
        return met, sum(parts, Fraction(0))

    def bound(state: State, position: int) -> Score:
        """The score if every remaining instance counted toward every requirement it
        could fill, and every limit's least and sharing rule were met: never below the
        score of any completion of `state`."""
        progress = state[0]
        met = sum(1 for g in goals if g) + len(sharing)
        total = Fraction(0)
        for k, p in enumerate(progress):
            best = part(k, p)
            for j in could[k]:
                if best == 1:
                    break
                if j >= position:
                    advanced = requirements[k].advance(p, codes[j], units[j])
                    if advanced is not None:
                        p = advanced
                        best = part(k, p)
            met += best == 1
            total += best
        return met, total

    def step(state: State, choice: tuple[int, ...], j: int) -> State | None:
        progress, used, counters = (list(values) for values in state)
        for k in choice:
            advanced = requirements[k].advance(progress[k], codes[j], units[j])
            if advanced is None:
                return None
            progress[k] = advanced
        for m, (ks, lim) in enumerate(limits):
            for k in choice:
                if k in ks:
                    used[m] += lim.weights.get(codes[j], 0)
            if used[m] > lim.most:
                return None
        programs = {program_of[k] for k in choice}
        for m, (rule, targets) in enumerate(sharing):
            counter = rule.advance(counters[m], programs, units[j], targets)
            if counter is None:
                return None
            counters[m] = counter
        return tuple(progress), tuple(used), tuple(counters)

    seen: set[tuple[int, State]] = set()
    path: list[tuple[int, ...]] = []
    best: list[Any] = [None, ()]  # score, choices

    def search(position: int, state: State) -> bool:
        """Explore from `state`; True when a perfect assignment was found (stop)."""
        if position == len(live):
            value = score(state)
            if best[0] is None or value > best[0]:
                best[0], best[1] = value, tuple(path)
            return value == perfect
        key = (position, state)
        if key in seen:
            return False
        seen.add(key)
        if best[0] is not None and bound(state, position) <= best[0]:
            return False
        for choice in options[live[position]]:
            following = step(state, choice, position)
            if following is None:
                continue
            path.append(choice)
            done = search(position + 1, following)
            path.pop()
            if done:
                return True
        return False

    start: State = (
        tuple(0 for _ in requirements),
        tuple(0 for _ in limits),
        tuple(0 for _ in sharing),
    )
    search(0, start)
    assert best[0] is not None  # counting toward nothing is always allowed
    assignment: list[tuple[str, ...]] = [() for _ in view.instances]
    for i, choice in zip(live, best[1], strict=True):
        assignment[i] = tuple(requirements[k].id for k in choice)
    return Matching(tuple(assignment))


def check_claims(view: PlanView) -> RuleResult:
    """The plan's own ``counts_toward`` names real requirements, for eligible courses,
    and by itself satisfies every requirement."""
    requirements = {r.id: r for r in view.problem.rules if is_requirement(r)}
    problems = []
    for inst, ids in zip(view.instances, view.claims, strict=True):
        for rule_id in ids:
            rule = requirements.get(rule_id)
            if rule is None:
                problems.append(f"{inst.code}@{inst.term} counts toward unknown '{rule_id}'")
            elif inst.code not in rule.eligible(view.problem.courses):
                problems.append(f"{inst.code}@{inst.term} cannot count toward {rule_id}")
    claimed = Matching(view.claims)
    for rule in requirements.values():
        result = rule.check(view, claimed)
        if not result.satisfied:
            problems.append(f"{rule.id} {result.detail}")
    return RuleResult(
        id="plan.counts-toward",
        kind="claims",
        title="The plan's own counting (counts_toward) is valid and complete",
        satisfied=not problems,
        detail="; ".join(problems),
    )


# --- Entry point ----------------------------------------------------------------------------


def plan_view(plan: Plan, problem: Problem, origin: str) -> PlanView:
    instances: list[Instance] = []
    claims: list[tuple[str, ...]] = []
    practicum: set[Term] = set()
    for ti, term_entry in enumerate(plan.terms):
        term = parse_term(term_entry.term)
        done = term_entry.status == "completed"
        if not done and term < problem.start:
            raise PlannerError(
                f"planned term {term} is before the start term {problem.start}",
                file=origin,
                place=f"terms[{ti}]",
            )
        if term_entry.practicum:
            practicum.add(term)
        for ci, course in enumerate(term_entry.courses):
            if course.code not in problem.courses:
                raise PlannerError(
                    f"unknown course '{course.code}'{did_you_mean(course.code, problem.courses)}",
                    file=origin,
                    place=f"terms[{ti}].courses[{ci}]",
                )
            instances.append(Instance(course.code, term, done))
            claims.append(tuple(course.counts_toward))
    order = sorted(range(len(instances)), key=lambda k: (instances[k].term, instances[k].code))
    return PlanView(
        problem=problem,
        instances=tuple(instances[k] for k in order),
        practicum=frozenset(practicum),
        claims=tuple(claims[k] for k in order),
    )


def problem_for_plan(plan: Plan, curriculum: Curriculum, origin: str) -> Problem:
    """The Problem a plan answers: its scenario, with completed courses taken from the plan."""
    completed = [
        f"{c.code}@{t.term}" for t in plan.terms if t.status == "completed" for c in t.courses
    ]
    completed_places = [
        f"terms[{ti}].courses[{ci}]"
        for ti, t in enumerate(plan.terms)
        if t.status == "completed"
        for ci, _ in enumerate(t.courses)
    ]
    planned = [parse_term(t.term) for t in plan.terms if t.status == "planned"]
    start = plan.start or plan.scenario.start or (min(planned).code if planned else None)
    update: dict[str, object] = {"completed": completed}
    # A course the catalog lacks is declared from the file itself (its title and units,
    # or the default units), so that the plan is judged as written.
    declared = [o.model_dump() for o in plan.scenario.outside]
    known = {*curriculum.catalog.by_code, *(o["code"] for o in declared)}
    for term in plan.terms:
        for course in term.courses:
            if course.code not in known:
                known.add(course.code)
                declared.append(
                    {
                        "code": course.code,
                        "title": course.title or NOT_IN_CATALOG,
                        "units": course.units or DEFAULT_UNITS,
                        "source": "the plan file",
                    }
                )
    if len(declared) > len(plan.scenario.outside):
        update["outside"] = declared
    if start is not None:
        update["start"] = start
    scenario = plan.scenario.model_validate(
        {**plan.scenario.model_dump(exclude_unset=True), **update}
    )
    last = max(planned) if planned else None
    try:
        held = frozenset(c.code for t in plan.terms for c in t.courses)
        return resolve(curriculum, scenario, "plan", extend_to=last, keep=held)
    except PlannerError as exc:
        if exc.file != "plan":  # a curriculum file's own error (its programs load lazily)
            raise
        # Name the place in the plan file, not in the scenario built from it.
        place = exc.place
        if place.startswith("completed["):
            index = int(place[len("completed[") : place.index("]")])
            place = completed_places[index]
        elif place:
            place = f"scenario.{place}"
        raise PlannerError(exc.message, file=origin, place=place) from None


def audit_plan(
    plan: Plan, curriculum: Curriculum, origin: str = "plan", *, everything: bool = True
) -> AuditReport:
    """Check every rule of the plan's program and scenario against the plan.

    With `everything` false, the results list only the rules that concern the plan
    (each kind's ``concerns``) and every rule not met; the others are counted in
    ``not_shown``.
    """
    problem = problem_for_plan(plan, curriculum, origin)
    view = plan_view(plan, problem, origin)
    try:
        matching = best_matching(view)
    except PlannerError as exc:
        raise exc.located(origin, "terms") from None
    results = [rule.check(view, matching) for rule in problem.rules]
    shown = [
        everything or not result.satisfied or rule.concerns(view)
        for rule, result in zip(problem.rules, results, strict=True)
    ]
    if any(view.claims):
        results.append(check_claims(view))
        shown.append(True)
    graduation = view.graduation
    counted = {i.code for i, ids in zip(view.instances, matching.assignment, strict=True) if ids}
    held = {i.code for i in view.instances}
    return AuditReport(
        notes=outside_notes(problem, held, counted),
        warnings=list(problem.warnings),
        passed=all(r.satisfied for r in results),
        program=" + ".join(p.program.id for p in problem.programs),
        graduation=graduation.code if graduation else None,
        results=[r for r, keep in zip(results, shown, strict=True) if keep],
        waived=[r.id for r in problem.waived],
        not_shown=shown.count(False),
    )


def recheck(plan: Plan, curriculum: Curriculum, origin: str = "plan") -> Plan:
    """A plan file as its courses say, not as it claims.

    Titles and units come from the catalog; each term's units, the graduation and the
    surplus notes are recomputed; the plan's own counting is kept when it is valid, and
    otherwise replaced by the audit's best matching. The status is "optimal" only when the
    file said so and its objective, recomputed from its courses, is still the one it
    states (an edited plan rarely is); "feasible" when it passes the audit; "invalid" when
    it does not. Comparing or explaining a plan file starts here.
    """
    from planner.plan import build_plan, plan_objective

    problem = problem_for_plan(plan, curriculum, origin)
    view = plan_view(plan, problem, origin)
    report = audit_plan(plan, curriculum, origin)
    claims_ok = any(view.claims) and all(
        r.satisfied for r in report.results if r.id == "plan.counts-toward"
    )
    assignment = view.claims if claims_ok else best_matching(view).assignment
    fills: dict[tuple[str, str], int] = {}
    for instance, ids in zip(view.instances, assignment, strict=True):
        for rule_id in ids:
            fills[instance.code, rule_id] = fills.get((instance.code, rule_id), 0) + 1
    takes = [(i.code, i.term) for i in view.planned]
    rebuilt = build_plan(problem, "feasible", takes, sorted(view.practicum), fills, {})
    objective = plan_objective(problem, rebuilt)
    # The counting is recomputed when the file's is wrong, so only the rules themselves
    # (under the best counting) can make the plan invalid.
    broken = [r for r in report.failures if r.id != "plan.counts-toward"]
    recounted = (
        "; its own counting was wrong and is recomputed"
        if not claims_ok and any(view.claims)
        else ""
    )
    if broken:
        status: PlanStatus = "invalid"
        note = "it breaks rules: " + "; ".join(r.title for r in broken)
    elif plan.status == "optimal" and plan.objective == objective and not recounted:
        status, note = "optimal", ""
    else:
        status = "feasible"
        note = (
            "it passes the audit"
            + recounted
            + (
                "; its objective is no longer the planner's optimum"
                if plan.status == "optimal"
                else ""
            )
        )
    notes = [f"Checked from the file: {note}."] if note else []
    return rebuilt.model_copy(
        update={
            "status": status,
            "objective": objective,
            "scenario": plan.scenario,
            "notes": [*notes, *rebuilt.notes],
        }
    )
