"""Check a plan against its program without a solver: one ``check_<kind>`` per rule kind.

The audit is the solver-free twin of ``compile.py``. It reads any plan (the solver's or a
person's), rebuilds the same Problem, and checks every rule. Requirements are matched to
courses exactly, by an exhaustive search over assignments (never greedily), so that a
plan is judged by the best assignment its courses allow. The counting the plan itself
claims (``counts_toward``) is checked separately.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import assert_never

from pydantic import Field

from planner import semantics
from planner.catalog import Curriculum
from planner.errors import PlannerError, did_you_mean
from planner.plan import Plan, PlanStatus
from planner.problem import Problem, resolve
from planner.rules import (
    AllOf,
    Avoid,
    Choose,
    CountLimit,
    CreditPool,
    EnrolledThrough,
    Frozen,
    GraduateBy,
    MaxPerTerm,
    NeverCounts,
    NoDoubleCount,
    NoRepeat,
    Offering,
    Pin,
    Practicum,
    Prerequisite,
    Require,
    Requirement,
    Rule,
    TermCourses,
    TermUnits,
    is_requirement,
)
from planner.terms import Term, parse_term


class RuleResult(Frozen):
    id: str
    kind: str
    title: str
    satisfied: bool
    courses: list[str] = []
    detail: str = Field(default="", description="What is missing or wrong, when not satisfied.")


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


# --- Exact requirement matching -------------------------------------------------------------

MAX_COUNTABLE = 150
"""Course instances that could count, at most, in one audited plan (a degree has about ten)."""


@dataclass(frozen=True)
class Matching:
    """For each instance (by index), the requirements it counts toward."""

    assignment: tuple[tuple[str, ...], ...]

    def courses_for(self, view: PlanView, rule_id: str) -> list[Instance]:
        return [view.instances[i] for i, ids in enumerate(self.assignment) if rule_id in ids]


def _advance(view: PlanView, rule: Requirement, progress: int, code: str) -> int | None:
    """Progress toward `rule` after counting one instance of `code`; None if it may not.

    Progress is courses counted (choose), a bit set of the courses counted (all_of: each
    course once) or units counted, capped at the need (credit_pool: surplus still counts).
    """
    if isinstance(rule, Choose):
        return progress + 1 if progress < rule.count else None
    if isinstance(rule, AllOf):
        bit = 1 << rule.courses.index(code)
        return None if progress & bit else progress | bit
    return min(rule.units_needed, progress + view.problem.courses[code].units)


def _fraction(rule: Requirement, progress: int) -> Fraction:
    """How much of `rule` the progress meets, from 0 to 1."""
    if isinstance(rule, Choose):
        return Fraction(min(progress, rule.count), rule.count)
    if isinstance(rule, AllOf):
        return Fraction(progress.bit_count(), len(rule.courses))
    return Fraction(min(progress, rule.units_needed), rule.units_needed)


def _options(view: PlanView, code: str, requirements: list[Requirement]) -> list[tuple[int, ...]]:
    problem = view.problem
    never = {c for r in problem.rules if isinstance(r, NeverCounts) for c in r.courses}
    if code in never:
        return [()]
    eligible = [k for k, r in enumerate(requirements) if code in r.courses]
    if any(isinstance(r, NoDoubleCount) for r in problem.rules):
        return [(k,) for k in eligible] + [()]
    subsets: list[tuple[int, ...]] = [()]
    for k in eligible:
        subsets += [(*s, k) for s in subsets]
    return sorted(subsets, key=lambda s: (-len(s), s))


def best_matching(view: PlanView) -> Matching:
    """The assignment satisfying the most requirements (then the most progress), exactly.

    Depth-first over course instances with memoisation on the progress so far; each
    instance counts toward one eligible requirement or none (or, when the program allows
    double counting, any set of them). Slots never take more than they need, count limits
    ("or" lines) are respected, and courses that never count are skipped.
    """
    problem = view.problem
    requirements: list[Requirement] = [r for r in problem.rules if is_requirement(r)]
    index = {r.id: k for k, r in enumerate(requirements)}
    limits = [r for r in problem.rules if isinstance(r, CountLimit) and r.rule in index]
    options = [_options(view, inst.code, requirements) for inst in view.instances]
    # Only instances that could count are searched; the others count toward nothing.
    live = [i for i, opts in enumerate(options) if opts != [()]]
    if len(live) > MAX_COUNTABLE:
        raise PlannerError(
            f"the plan has {len(live)} course instances that could count; the audit"
            f" handles at most {MAX_COUNTABLE}"
        )
    memo: dict[
        tuple[int, tuple[int, ...], tuple[int, ...]],
        tuple[tuple[int, Fraction], tuple[tuple[int, ...], ...]],
    ] = {}

    def score(progress: tuple[int, ...]) -> tuple[int, Fraction]:
        parts = [_fraction(r, p) for r, p in zip(requirements, progress, strict=True)]
        return sum(1 for f in parts if f == 1), sum(parts, Fraction(0))

    def search(
        i: int, progress: tuple[int, ...], used: tuple[int, ...]
    ) -> tuple[tuple[int, Fraction], tuple[tuple[int, ...], ...]]:
        if i == len(live):
            return score(progress), ()
        key = (i, progress, used)
        if key in memo:
            return memo[key]
        code = view.instances[live[i]].code
        best: tuple[tuple[int, Fraction], tuple[tuple[int, ...], ...]] | None = None
        for choice in options[live[i]]:
            new_progress = list(progress)
            new_used = list(used)
            ok = True
            for k in choice:
                rule = requirements[k]
                advanced = _advance(view, rule, progress[k], code)
                if advanced is None:
                    ok = False
                    break
                new_progress[k] = advanced
                for j, limit in enumerate(limits):
                    if limit.rule == rule.id and code in limit.courses:
                        new_used[j] += 1
                        if new_used[j] > limit.max_courses:
                            ok = False
            if not ok:
                continue
            value, rest = search(i + 1, tuple(new_progress), tuple(new_used))
            if best is None or value > best[0]:
                best = (value, (choice, *rest))
        assert best is not None  # the empty choice is always allowed
        memo[key] = best
        return best

    _, choices = search(0, tuple(0 for _ in requirements), tuple(0 for _ in limits))
    assignment: list[tuple[str, ...]] = [() for _ in view.instances]
    for i, choice in zip(live, choices, strict=True):
        assignment[i] = tuple(requirements[k].id for k in choice)
    return Matching(tuple(assignment))


# --- Checkers -------------------------------------------------------------------------------


def _result(rule: Rule, ok: bool, courses: list[str] | None = None, detail: str = "") -> RuleResult:
    return RuleResult(
        id=rule.id,
        kind=rule.kind,
        title=rule.title,
        satisfied=ok,
        courses=courses or [],
        detail="" if ok else detail,
    )


def _names(instances: list[Instance]) -> list[str]:
    return [f"{i.code}@{i.term}" for i in instances]


def _counted(instances: list[Instance]) -> str:
    return f"counted {', '.join(_names(instances))}" if instances else "nothing counts"


def check_choose(view: PlanView, rule: Choose, matching: Matching) -> RuleResult:
    counted = matching.courses_for(view, rule.id)
    missing = rule.count - len(counted)
    others = [c for c in rule.courses if c not in {i.code for i in counted}]
    return _result(
        rule,
        missing <= 0,
        _names(counted),
        f"{_counted(counted)}; needs {missing} more of {', '.join(others)}",
    )


def check_all_of(view: PlanView, rule: AllOf, matching: Matching) -> RuleResult:
    counted = matching.courses_for(view, rule.id)
    missing = sorted(set(rule.courses) - {i.code for i in counted})
    detail = f"{_counted(counted)}; missing {', '.join(missing)}"
    return _result(rule, not missing, _names(counted), detail)


def check_credit_pool(view: PlanView, rule: CreditPool, matching: Matching) -> RuleResult:
    counted = matching.courses_for(view, rule.id)
    units = sum(view.problem.courses[i.code].units for i in counted)
    have = Fraction(units, rule.units_per_credit)
    parts = [
        f"{name} ({view.problem.courses[i.code].units} units)"
        if view.problem.courses[i.code].units != rule.units_per_credit
        else name
        for i, name in zip(counted, _names(counted), strict=True)
    ]
    from_what = f" from {', '.join(parts)}" if parts else ""
    return _result(
        rule,
        units >= rule.units_needed,
        _names(counted),
        f"has {float(have):g} of {rule.credits:g} credits{from_what}",
    )


def _claimed(view: PlanView, rule_id: str) -> list[Instance]:
    return [view.instances[i] for i, ids in enumerate(view.claims) if rule_id in ids]


def check_count_limit(view: PlanView, rule: CountLimit, matching: Matching) -> RuleResult:
    counted = [i for i in _claimed(view, rule.rule) if i.code in rule.courses]
    return _result(
        rule,
        len(counted) <= rule.max_courses,
        _names(counted),
        f"the plan counts {len(counted)} of {', '.join(rule.courses)} toward {rule.rule}",
    )


def check_never_counts(view: PlanView, rule: NeverCounts, matching: Matching) -> RuleResult:
    wrong = [i for k, i in enumerate(view.instances) if i.code in rule.courses and view.claims[k]]
    return _result(rule, not wrong, _names(wrong), f"the plan counts {', '.join(_names(wrong))}")


def check_no_double_count(view: PlanView, rule: NoDoubleCount, matching: Matching) -> RuleResult:
    wrong = [i for k, i in enumerate(view.instances) if len(view.claims[k]) > 1]
    return _result(rule, not wrong, _names(wrong), f"counted twice: {', '.join(_names(wrong))}")


def check_practicum(view: PlanView, rule: Practicum, matching: Matching) -> RuleResult:
    owed = semantics.practicum_owed(rule, view.problem.practicum_completed)
    terms = sorted(view.practicum)
    wrong_season = [t for t in terms if t.season not in rule.seasons]
    busy = [i for i in view.planned if i.term in view.practicum and i.code not in rule.allow]
    problems = []
    if len(terms) != owed:
        problems.append(f"has {len(terms)} practicum terms, needs {owed}")
    if wrong_season:
        problems.append(
            f"practicum in {', '.join(map(str, wrong_season))} (not {'/'.join(rule.seasons)})"
        )
    if busy:
        problems.append(f"courses during the practicum: {', '.join(_names(busy))}")
    return _result(rule, not problems, [str(t) for t in terms], "; ".join(problems))


def check_term_units(view: PlanView, rule: TermUnits, matching: Matching) -> RuleResult:
    problems = []
    for term in view.problem.terms:
        bound = view.problem.unit_bounds[term]
        units = view.units(term)
        for rule_id, value in bound.max_rules:
            if rule_id == rule.id and units > value:
                problems.append(f"{term} has {units} units (most {value})")
        for rule_id, value in bound.min_rules:
            if rule_id == rule.id and view.enrolled(term) and units < value:
                problems.append(f"{term} has {units} units (least {value})")
    return _result(rule, not problems, [], "; ".join(problems))


def check_term_courses(view: PlanView, rule: TermCourses, matching: Matching) -> RuleResult:
    problems = []
    for term in view.problem.terms:
        if not rule.covers(term.code, term.season):
            continue
        count = sum(1 for i in view.planned if i.term == term)
        if rule.max_courses is not None and count > rule.max_courses:
            problems.append(f"{term} has {count} courses (most {rule.max_courses})")
        if rule.min_courses and view.enrolled(term) and count < rule.min_courses:
            problems.append(f"{term} has {count} courses (least {rule.min_courses})")
    return _result(rule, not problems, [], "; ".join(problems))


def check_max_per_term(view: PlanView, rule: MaxPerTerm, matching: Matching) -> RuleResult:
    problems = []
    for term in sorted({i.term for i in view.planned}):
        here = [i for i in view.planned if i.term == term and i.code in rule.courses]
        if len(here) > rule.max_courses:
            problems.append(f"{term} has {len(here)}")
    return _result(rule, not problems, [], "; ".join(problems))


def check_prerequisite(view: PlanView, rule: Prerequisite, matching: Matching) -> RuleResult:
    problems = []
    for inst in view.taken(rule.course):
        if inst.completed:
            continue
        for clause in rule.clauses:
            if not any(o.code in clause and o.term < inst.term for o in view.instances):
                problems.append(f"{rule.course}@{inst.term} before any of {', '.join(clause)}")
    return _result(rule, not problems, [], "; ".join(problems))


def check_offering(view: PlanView, rule: Offering, matching: Matching) -> RuleResult:
    wrong = [i for i in view.planned if i.code == rule.course and i.term.code not in rule.terms]
    return _result(rule, not wrong, _names(wrong), f"not offered: {', '.join(_names(wrong))}")


def check_no_repeat(view: PlanView, rule: NoRepeat, matching: Matching) -> RuleResult:
    problems = []
    for group in rule.groups:
        found = [i for i in view.instances if i.code in group]
        if len(found) > 1:
            same = len({i.code for i in found}) == 1
            why = "the same course" if same else "one course under cross-listed numbers"
            problems.append(f"{' and '.join(_names(found))} ({why})")
    return _result(rule, not problems, [], "taken more than once: " + "; ".join(problems))


def check_require(view: PlanView, rule: Require, matching: Matching) -> RuleResult:
    found = view.taken(rule.course)
    return _result(rule, bool(found), _names(found), f"{rule.course} is not in the plan")


def check_avoid(view: PlanView, rule: Avoid, matching: Matching) -> RuleResult:
    found = [i for i in view.planned if i.code == rule.course]
    return _result(rule, not found, _names(found), f"{rule.course} is planned")


def check_pin(view: PlanView, rule: Pin, matching: Matching) -> RuleResult:
    ok = any(i.code == rule.course and i.term.code == rule.term for i in view.planned)
    return _result(rule, ok, [], f"{rule.course} is not in {rule.term}")


def check_graduate_by(view: PlanView, rule: GraduateBy, matching: Matching) -> RuleResult:
    graduation = view.graduation
    ok = graduation is None or graduation <= parse_term(rule.term)
    return _result(rule, ok, [], f"the plan runs to {graduation}")


def check_enrolled_through(view: PlanView, rule: EnrolledThrough, matching: Matching) -> RuleResult:
    graduation = view.graduation
    ok = graduation is not None and graduation >= parse_term(rule.term)
    return _result(rule, ok, [], f"the plan ends at {graduation or 'the start'}")


def check_rule(view: PlanView, rule: Rule, matching: Matching) -> RuleResult:
    """Dispatch `rule` to the checker of its kind."""
    match rule:
        case Choose():
            return check_choose(view, rule, matching)
        case AllOf():
            return check_all_of(view, rule, matching)
        case CreditPool():
            return check_credit_pool(view, rule, matching)
        case CountLimit():
            return check_count_limit(view, rule, matching)
        case NeverCounts():
            return check_never_counts(view, rule, matching)
        case NoDoubleCount():
            return check_no_double_count(view, rule, matching)
        case Practicum():
            return check_practicum(view, rule, matching)
        case TermUnits():
            return check_term_units(view, rule, matching)
        case TermCourses():
            return check_term_courses(view, rule, matching)
        case MaxPerTerm():
            return check_max_per_term(view, rule, matching)
        case Prerequisite():
            return check_prerequisite(view, rule, matching)
        case Offering():
            return check_offering(view, rule, matching)
        case NoRepeat():
            return check_no_repeat(view, rule, matching)
        case Require():
            return check_require(view, rule, matching)
        case Avoid():
            return check_avoid(view, rule, matching)
        case Pin():
            return check_pin(view, rule, matching)
        case GraduateBy():
            return check_graduate_by(view, rule, matching)
        case EnrolledThrough():
            return check_enrolled_through(view, rule, matching)
        case _:
            assert_never(rule)


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
            elif inst.code not in rule.courses:
                problems.append(f"{inst.code}@{inst.term} cannot count toward {rule_id}")
    claimed = Matching(view.claims)
    for rule in requirements.values():
        result = check_rule(view, rule, claimed)
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
    if start is not None:
        update["start"] = start
    scenario = plan.scenario.model_validate(
        {**plan.scenario.model_dump(exclude_unset=True), **update}
    )
    last = max(planned) if planned else None
    try:
        return resolve(curriculum, scenario, "plan", extend_to=last)
    except PlannerError as exc:
        # Name the place in the plan file, not in the scenario built from it.
        place = exc.place
        if place.startswith("completed["):
            index = int(place[len("completed[") : place.index("]")])
            place = completed_places[index]
        elif place:
            place = f"scenario.{place}"
        raise PlannerError(exc.message, file=origin, place=place) from None


def concerns(rule: Rule, view: PlanView) -> bool:
    """Whether `rule` is about this plan: every rule is, but an offering, a prerequisite
    or a counting limit only when a course it names is in the plan."""
    held = {i.code for i in view.instances}
    if isinstance(rule, Offering | Prerequisite):
        return rule.course in {i.code for i in view.planned}
    if isinstance(rule, NeverCounts | MaxPerTerm | CountLimit):
        return bool(held.intersection(rule.courses))
    return True


def audit_plan(
    plan: Plan, curriculum: Curriculum, origin: str = "plan", *, everything: bool = True
) -> AuditReport:
    """Check every rule of the plan's program and scenario against the plan.

    With `everything` false, the results list only the rules that concern the plan
    (`concerns`) and every rule not met; the others are counted in ``not_shown``.
    """
    problem = problem_for_plan(plan, curriculum, origin)
    view = plan_view(plan, problem, origin)
    try:
        matching = best_matching(view)
    except PlannerError as exc:
        raise exc.located(origin, "terms") from None
    results = [check_rule(view, rule, matching) for rule in problem.rules]
    shown = [
        everything or not result.satisfied or concerns(rule, view)
        for rule, result in zip(problem.rules, results, strict=True)
    ]
    if any(view.claims):
        results.append(check_claims(view))
        shown.append(True)
    graduation = view.graduation
    return AuditReport(
        passed=all(r.satisfied for r in results),
        program=problem.program.program.id,
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
    if not report.passed:
        status: PlanStatus = "invalid"
        note = "it breaks rules: " + ", ".join(r.id for r in report.failures)
    elif plan.status == "optimal" and plan.objective == objective:
        status, note = "optimal", ""
    else:
        status = "feasible"
        note = "it passes the audit" + (
            "; its objective is no longer the planner's optimum" if plan.status == "optimal" else ""
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
