"""Compile a Problem into one CP-SAT model: course choice, term placement and the
course-to-requirement assignment together.

One ``build_<kind>`` function per rule kind adds that rule's constraints. In explain mode
every constraint a rule adds is enforced by the rule's own literal, so that an infeasible
model can be traced back to rule ids; in plan mode the literals are left out (they would
all be true) and the model is smaller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import assert_never

from planner.cpsat import cp_model
from planner.problem import Problem
from planner.rules import (
    AllOf,
    Avoid,
    Choose,
    CountLimit,
    CreditPool,
    EnrolledThrough,
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
    Rule,
    TermCourses,
    TermUnits,
    is_requirement,
)
from planner.semantics import practicum_owed, stay_term, tie_weights
from planner.terms import Term, parse_term

LinearExpr = cp_model.LinearExpr
Lit = cp_model.LiteralT
"""A Boolean variable or its negation, as CP-SAT takes in enforcement lists."""


class BuildContext:
    """The model, its variables and one literal per rule id. Builders use only this."""

    def __init__(self, problem: Problem, *, explain: bool) -> None:
        self.problem = problem
        self.model = cp_model.CpModel()
        self.explain = explain
        self.terms = problem.terms
        self.codes = sorted(problem.courses)
        model = self.model
        # take[c, t] is true iff course c is planned in term t.
        self.take = {
            (c, t): model.new_bool_var(f"take[{c}@{t}]") for c in self.codes for t in self.terms
        }
        # active[t] is true iff the student is still in the program in term t; the active
        # terms are a prefix of the planned ones, and the last of them is graduation.
        self.active = {t: model.new_bool_var(f"active[{t}]") for t in self.terms}
        # practicum[t] is true iff term t is the practicum term (created by build_practicum).
        self.practicum: dict[Term, cp_model.IntVar] = {}
        # fill[c, r] is how many taken instances of course c count toward requirement r.
        self.fill: dict[tuple[str, str], cp_model.IntVar] = {}
        self.fill_upper: dict[tuple[str, str], int] = {}
        self._fills_by_course: dict[str, list[cp_model.IntVar]] = {}
        # literal[r] enforces every constraint of rule r (explain mode only).
        self.literals: dict[str, cp_model.IntVar] = {}
        self._before: dict[str, list[LinearExpr]] = {}
        for before, after in zip(self.terms, self.terms[1:], strict=False):
            model.add_implication(self.active[after], self.active[before])
        for (_, t), var in self.take.items():
            model.add_implication(var, self.active[t])

    def enforce(self, constraint: cp_model.Constraint, rule: Rule, *extra: Lit) -> None:
        """Make `constraint` hold when `extra` literals hold (and, explaining, rule's own)."""
        literals: list[Lit] = list(extra)
        if self.explain:
            literals.append(self.literal(rule.id))
        if literals:
            constraint.only_enforce_if(literals)

    def literal(self, rule_id: str) -> cp_model.IntVar:
        if rule_id not in self.literals:
            self.literals[rule_id] = self.model.new_bool_var(f"rule[{rule_id}]")
        return self.literals[rule_id]

    def planned(self, code: str) -> LinearExpr:
        return LinearExpr.sum([self.take[code, t] for t in self.terms])

    def taken(self, code: str) -> LinearExpr:
        """Instances of `code` completed before the start plus those planned."""
        return self.planned(code) + self.problem.completed_count(code)

    def units(self, term: Term) -> LinearExpr:
        return LinearExpr.weighted_sum(
            [self.take[c, term] for c in self.codes],
            [self.problem.courses[c].units for c in self.codes],
        )

    def fill_var(self, code: str, rule_id: str, upper: int | None = None) -> cp_model.IntVar:
        key = (code, rule_id)
        if key not in self.fill:
            bound = self.problem.completed_count(code) + len(self.terms)
            top = min(bound, upper or bound)
            var = self.model.new_int_var(0, top, f"fill[{code}->{rule_id}]")
            self.fill_upper[key] = top
            # A course counts only as often as it is taken.
            self.model.add(var <= self.taken(code))
            self.fill[key] = var
            self._fills_by_course.setdefault(code, []).append(var)
        return self.fill[key]

    def enrolled(self, term: Term) -> list[Lit]:
        """Literals that hold while the student is enrolled in `term`: active, and not on
        the practicum. Minimum loads apply only then."""
        guards: list[Lit] = [self.active[term]]
        if term in self.practicum:
            guards.append(self.practicum[term].Not())
        return guards

    def taken_before(self, code: str, position: int) -> LinearExpr:
        """Planned instances of `code` in the terms before ``terms[position]``.

        Kept as running sums (one variable per term) so prerequisites stay linear in the
        number of terms instead of quadratic.
        """
        if code not in self._before:
            running: list[LinearExpr] = [LinearExpr.sum([])]
            for k, term in enumerate(self.terms[:-1]):
                var = self.model.new_int_var(0, k + 1, f"taken_before[{code}@{self.terms[k + 1]}]")
                self.model.add(var == running[-1] + self.take[code, term])
                running.append(var)
            self._before[code] = running
        return self._before[code][position]

    def fills_of(self, code: str) -> list[cp_model.IntVar]:
        """The fill variables of `code`, one per requirement it may count toward."""
        return self._fills_by_course.get(code, [])


# --- Requirements ---------------------------------------------------------------------------


def build_choose(ctx: BuildContext, rule: Choose) -> None:
    """`rule.count` taken courses from `rule.courses` fill this requirement."""
    fills = [ctx.fill_var(c, rule.id, upper=rule.count) for c in rule.courses]
    ctx.enforce(ctx.model.add(sum(fills) >= rule.count), rule)
    # A slot holds no more courses than it needs (surplus courses count elsewhere or nowhere).
    ctx.model.add(sum(fills) <= rule.count)


def build_all_of(ctx: BuildContext, rule: AllOf) -> None:
    """Every course in `rule.courses` is taken and counts here."""
    for code in rule.courses:
        ctx.enforce(ctx.model.add(ctx.fill_var(code, rule.id, upper=1) >= 1), rule)


def build_credit_pool(ctx: BuildContext, rule: CreditPool) -> None:
    """Courses counted here bring at least `rule.credits` credits, in units."""
    units = ctx.problem.courses
    counted = sum(units[c].units * ctx.fill_var(c, rule.id) for c in rule.courses)
    ctx.enforce(ctx.model.add(counted >= rule.units_needed), rule)


# --- Counting policy ------------------------------------------------------------------------


def build_count_limit(ctx: BuildContext, rule: CountLimit) -> None:
    """At most `rule.max_courses` of `rule.courses` count toward `rule.rule`."""
    fills = [ctx.fill[c, rule.rule] for c in rule.courses if (c, rule.rule) in ctx.fill]
    if fills:
        ctx.enforce(ctx.model.add(sum(fills) <= rule.max_courses), rule)


def build_never_counts(ctx: BuildContext, rule: NeverCounts) -> None:
    """No course in `rule.courses` counts toward any requirement."""
    for code in rule.courses:
        for var in ctx.fills_of(code):
            ctx.enforce(ctx.model.add(var == 0), rule)


def build_no_double_count(ctx: BuildContext, rule: NoDoubleCount) -> None:
    """Each taken instance of a course counts toward at most one requirement."""
    for code in ctx.codes:
        fills = ctx.fills_of(code)
        if len(fills) > 1:
            ctx.enforce(ctx.model.add(sum(fills) <= ctx.taken(code)), rule)


# --- Schedule -------------------------------------------------------------------------------


def build_practicum(ctx: BuildContext, rule: Practicum) -> None:
    """Exactly the practicum terms still owed, in allowed seasons, with no other course."""
    model = ctx.model
    owed = practicum_owed(rule, ctx.problem.practicum_completed)
    candidates = [t for t in ctx.terms if t.season in rule.seasons]
    for term in candidates:
        if term not in ctx.practicum:
            var = model.new_bool_var(f"practicum[{term}]")
            model.add_implication(var, ctx.active[term])
            ctx.practicum[term] = var
    ctx.enforce(model.add(sum(ctx.practicum[t] for t in candidates) == owed), rule)
    for term in candidates:
        others = [ctx.take[c, term] for c in ctx.codes if c not in rule.allow]
        ctx.enforce(model.add(sum(others) == 0), rule, ctx.practicum[term])


def build_term_units(ctx: BuildContext, rule: TermUnits) -> None:
    """Units per term within bounds; the minimum only while enrolled and not on practicum."""
    for term in ctx.terms:
        bound = ctx.problem.unit_bounds[term]
        for rule_id, value in bound.max_rules:
            if rule_id == rule.id:
                # Written against active[t] (inactive terms are empty anyway): the LP then
                # knows that fewer terms hold fewer units, which bounds graduation early.
                ctx.enforce(ctx.model.add(ctx.units(term) <= value * ctx.active[term]), rule)
        for rule_id, value in bound.min_rules:
            if rule_id == rule.id and value > 0:
                ctx.enforce(ctx.model.add(ctx.units(term) >= value), rule, *ctx.enrolled(term))


def build_term_courses(ctx: BuildContext, rule: TermCourses) -> None:
    """Courses per term within bounds; the minimum only while enrolled and not on practicum."""
    for term in ctx.terms:
        if not rule.covers(term.code, term.season):
            continue
        count = LinearExpr.sum([ctx.take[c, term] for c in ctx.codes])
        if rule.max_courses is not None:
            ctx.enforce(ctx.model.add(count <= rule.max_courses), rule)
        if rule.min_courses:
            ctx.enforce(ctx.model.add(count >= rule.min_courses), rule, *ctx.enrolled(term))


def build_max_per_term(ctx: BuildContext, rule: MaxPerTerm) -> None:
    """At most `rule.max_courses` of `rule.courses` in any one term."""
    for term in ctx.terms:
        ctx.enforce(
            ctx.model.add(sum(ctx.take[c, term] for c in rule.courses) <= rule.max_courses), rule
        )


def build_prerequisite(ctx: BuildContext, rule: Prerequisite) -> None:
    """Each clause of `rule.course`'s prerequisites is met strictly before it is taken."""
    done = {c for c, _ in ctx.problem.completed}
    for position, term in enumerate(ctx.terms):
        for clause in rule.clauses:
            if done.intersection(clause):
                continue
            earlier = LinearExpr.sum([ctx.taken_before(c, position) for c in clause])
            ctx.enforce(ctx.model.add(earlier >= 1), rule, ctx.take[rule.course, term])


def build_offering(ctx: BuildContext, rule: Offering) -> None:
    """`rule.course` is planned only in the terms it is offered."""
    closed = [ctx.take[rule.course, t] for t in ctx.terms if t.code not in rule.terms]
    if closed:
        ctx.enforce(ctx.model.add(sum(closed) == 0), rule)


def build_no_repeat(ctx: BuildContext, rule: NoRepeat) -> None:
    """Each group of cross-listed numbers is taken at most once in all."""
    for group in rule.groups:
        ctx.enforce(ctx.model.add(sum(ctx.taken(c) for c in group) <= 1), rule)


# --- The student's own constraints ----------------------------------------------------------


def build_require(ctx: BuildContext, rule: Require) -> None:
    ctx.enforce(ctx.model.add(ctx.taken(rule.course) >= 1), rule)


def build_avoid(ctx: BuildContext, rule: Avoid) -> None:
    ctx.enforce(ctx.model.add(ctx.planned(rule.course) == 0), rule)


def build_pin(ctx: BuildContext, rule: Pin) -> None:
    term = parse_term(rule.term)
    if term in ctx.terms:
        ctx.enforce(ctx.model.add(ctx.take[rule.course, term] == 1), rule)
    else:  # a pin outside the planned terms cannot be met
        ctx.enforce(ctx.model.add_bool_or([]), rule)


def build_graduate_by(ctx: BuildContext, rule: GraduateBy) -> None:
    deadline = parse_term(rule.term)
    late = [ctx.active[t] for t in ctx.terms if t > deadline]
    if late:
        ctx.enforce(ctx.model.add(sum(late) == 0), rule)


def build_enrolled_through(ctx: BuildContext, rule: EnrolledThrough) -> None:
    """The student is still enrolled in `rule.term` (so in every term before it)."""
    term = parse_term(rule.term)
    if term in ctx.active:
        ctx.enforce(ctx.model.add(ctx.active[term] == 1), rule)
    else:  # a term outside the planned ones cannot be reached
        ctx.enforce(ctx.model.add_bool_or([]), rule)


def build_rule(ctx: BuildContext, rule: Rule) -> None:
    """Dispatch `rule` to the builder of its kind."""
    match rule:
        case Choose():
            build_choose(ctx, rule)
        case AllOf():
            build_all_of(ctx, rule)
        case CreditPool():
            build_credit_pool(ctx, rule)
        case CountLimit():
            build_count_limit(ctx, rule)
        case NeverCounts():
            build_never_counts(ctx, rule)
        case NoDoubleCount():
            build_no_double_count(ctx, rule)
        case Practicum():
            build_practicum(ctx, rule)
        case TermUnits():
            build_term_units(ctx, rule)
        case TermCourses():
            build_term_courses(ctx, rule)
        case MaxPerTerm():
            build_max_per_term(ctx, rule)
        case Prerequisite():
            build_prerequisite(ctx, rule)
        case Offering():
            build_offering(ctx, rule)
        case NoRepeat():
            build_no_repeat(ctx, rule)
        case Require():
            build_require(ctx, rule)
        case Avoid():
            build_avoid(ctx, rule)
        case Pin():
            build_pin(ctx, rule)
        case GraduateBy():
            build_graduate_by(ctx, rule)
        case EnrolledThrough():
            build_enrolled_through(ctx, rule)
        case _:
            assert_never(rule)


# Requirements create the fill variables that counting rules limit; practicum variables
# exist before unit minimums refer to them. Everything else may come in any order.
_PHASE: dict[type, int] = {Choose: 0, AllOf: 0, CreditPool: 0, Practicum: 1}


def compile_model(
    problem: Problem, *, explain: bool = False, rules: Sequence[Rule] | None = None
) -> BuildContext:
    """Build the CP-SAT model for `problem` (or for a subset `rules` of its rules)."""
    ctx = BuildContext(problem, explain=explain)
    chosen = problem.rules if rules is None else rules
    for rule in sorted(chosen, key=lambda r: _PHASE.get(type(r), 2)):
        build_rule(ctx, rule)
    _graduation_is_last_used_term(ctx, stay_term(chosen))
    return ctx


def _graduation_is_last_used_term(ctx: BuildContext, stay: Term | None) -> None:
    """The last active term holds a planned course or the practicum, unless it is the term
    the student must stay enrolled through: `semantics.graduation`, as a constraint.

    Without it an empty term could trail the plan, and the solver's graduation would
    differ from the plan's (the audit's)."""
    for position, term in enumerate(ctx.terms):
        if term == stay:
            continue
        used: list[Lit] = [ctx.take[c, term] for c in ctx.codes]
        if term in ctx.practicum:
            used.append(ctx.practicum[term])
        last: list[Lit] = [ctx.active[term]]
        if position + 1 < len(ctx.terms):
            last.append(ctx.active[ctx.terms[position + 1]].Not())
        ctx.model.add_bool_or(used).only_enforce_if(last)


# --- Objective terms ------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    """An expression to minimise, with bounds on its value (for lexicographic weights)."""

    expr: LinearExpr
    low: int
    high: int


def graduate_early(ctx: BuildContext) -> Criterion:
    """The number of active terms (the last of them is graduation)."""
    return Criterion(LinearExpr.sum(list(ctx.active.values())), 0, len(ctx.terms))


def no_extras(ctx: BuildContext) -> Criterion:
    """Course instances (planned, or completed and so left unused) that fill no
    requirement, unless the student asked for them."""
    problem, extras, most = ctx.problem, [], 0
    for code in ctx.codes:
        if code in problem.requested:
            continue
        top = len(ctx.terms) + problem.completed_count(code)
        extra = ctx.model.new_int_var(0, top, f"extra[{code}]")
        ctx.model.add(extra >= ctx.taken(code) - LinearExpr.sum(ctx.fills_of(code)))
        extras.append(extra)
        most += top
    return Criterion(LinearExpr.sum(extras), 0, most)


def preferences(ctx: BuildContext) -> Criterion:
    """Preferred courses not taken."""
    missing = []
    for code in ctx.problem.prefer:
        miss = ctx.model.new_bool_var(f"unmet_preference[{code}]")
        ctx.model.add(ctx.taken(code) + miss >= 1)
        missing.append(miss)
    return Criterion(LinearExpr.sum(missing), 0, len(missing))


def balance(ctx: BuildContext) -> Criterion:
    """The heaviest term's units."""
    most = sum(c.units for c in ctx.problem.courses.values())
    heaviest = ctx.model.new_int_var(0, most, "heaviest_term_units")
    for term in ctx.terms:
        ctx.model.add(heaviest >= ctx.units(term))
    # Redundant: the heaviest term carries at least the average load. It gives the LP
    # relaxation the bound that proves most optima at once.
    total = LinearExpr.sum([ctx.units(t) for t in ctx.terms])
    ctx.model.add(len(ctx.terms) * heaviest >= total)
    return Criterion(heaviest, 0, most)


def requested_count(ctx: BuildContext) -> Criterion:
    """Instances of courses the student asked for (must-take, preferred, pinned) that
    count toward nothing: where some assignment lets such a course count, it does."""
    problem, unused, most = ctx.problem, [], 0
    for code in sorted(problem.requested):
        top = len(ctx.terms) + problem.completed_count(code)
        var = ctx.model.new_int_var(0, top, f"requested_unused[{code}]")
        ctx.model.add(var >= ctx.taken(code) - LinearExpr.sum(ctx.fills_of(code)))
        unused.append(var)
        most += top
    return Criterion(LinearExpr.sum(unused), 0, most)


def tie_break(ctx: BuildContext) -> Criterion:
    """Earlier terms first, and earliest for the courses other courses need first (intro
    ML, statistics); then lower course numbers; courses taken by arrangement
    (independent study) after every regular course. Last, every course that can count
    does.

    A placement of course c in the term at position p costs ``p x n x (2 if c is a
    prerequisite of another course, else 1) + rank(c) + 1``, where n is the number of
    courses and rank orders them by number (`semantics.tie_weights`). Doubling the cost
    of waiting for a prerequisite means that of two courses trading terms, the one others
    build on takes the earlier term. Ties that remain are settled by the single-threaded,
    seeded search, so the same input still gives the same plan. Placements are weighted
    above the most one course can add to the counts, so counting never pays for an extra
    course, and a
    surplus elective is still labelled as one.
    """
    scale = 1 + sum(1 for r in ctx.problem.rules if is_requirement(r))
    weights = tie_weights(ctx.problem.courses, ctx.terms, scale)
    placement = LinearExpr.weighted_sum([ctx.take[key] for key in weights], list(weights.values()))
    counted = LinearExpr.sum(list(ctx.fill.values()))
    return Criterion(placement - counted, -sum(ctx.fill_upper.values()), sum(weights.values()))


CRITERIA = {
    "graduate-early": graduate_early,
    "no-extras": no_extras,
    "preferences": preferences,
    "balance": balance,
    "requested-count": requested_count,
    "tie-break": tie_break,
}
"""Each objective criterion a scenario can name, as an expression to minimise."""


def objective_terms(ctx: BuildContext, names: Sequence[str] | None = None) -> dict[str, Criterion]:
    """The criteria `names` (by default all of them), built into the model."""
    return {name: CRITERIA[name](ctx) for name in (names or list(CRITERIA))}
