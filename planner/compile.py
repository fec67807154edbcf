"""Compile a Problem into one CP-SAT model: course choice, term placement and the
course-to-requirement assignment together.

The `BuildContext` makes every variable up front (placements, active terms, practicum
terms, and the counting a requirement allows) with the constraints that define them; then
each rule adds its own constraints through ``rule.build(ctx)``, in any order. In explain
mode every constraint a rule adds is enforced by the rule's own literal, so that an
infeasible model can be traced back to rule ids; in plan mode the literals are left out
(they would all be true) and the model is smaller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planner import semantics
from planner.cpsat import cp_model
from planner.kinds import NoDoubleCount, Practicum, RuleBase, is_requirement
from planner.problem import Problem
from planner.semantics import stay_term, tie_weights
from planner.terms import Term

LinearExpr = cp_model.LinearExpr
Lit = cp_model.LiteralT
"""A Boolean variable or its negation, as CP-SAT takes in enforcement lists."""


class BuildContext:
    """The model, its variables and one literal per rule id. Builders use only this."""

    def __init__(self, problem: Problem, rules: Sequence[RuleBase] = (), *, explain: bool) -> None:
        self.problem = problem
        self.model = cp_model.CpModel()
        self.explain = explain
        self.terms = problem.terms
        self.codes = sorted(problem.courses)
        model = self.model
        self._planned: dict[str, LinearExpr] = {}
        self._taken: dict[str, LinearExpr] = {}
        self._single: dict[str, bool] = {}  # program -> whether it counts an instance once
        # take[c, t] is true iff course c is planned in term t.
        self.take = {
            (c, t): model.new_bool_var(f"take[{c}@{t}]") for c in self.codes for t in self.terms
        }
        # active[t] is true iff the student is still in the program in term t; the active
        # terms are a prefix of the planned ones, and the last of them is graduation.
        self.active = {t: model.new_bool_var(f"active[{t}]") for t in self.terms}
        # fill[c, r] is how many taken instances of course c count toward requirement r:
        # one variable for each course a requirement of the problem allows (`eligible`).
        # Made for every requirement, even one left out of `rules`: a counting rule that
        # acts on a requirement ("3 courses toward the minor count toward nothing else")
        # keeps its meaning in a subset without that requirement, whose demand alone goes.
        self.fill: dict[tuple[str, str], cp_model.IntVar] = {}
        self.fill_upper: dict[tuple[str, str], int] = {}
        self._fills_by_course: dict[str, list[tuple[str, cp_model.IntVar]]] = {}
        self._fills_by_rule: dict[str, dict[str, cp_model.IntVar]] = {}
        for requirement in problem.rules:
            if is_requirement(requirement):
                for code, upper in requirement.eligible(problem.courses).items():
                    self._new_fill(code, requirement.id, upper)
        # practicum[t] is true iff term t is a practicum term: one variable for each term
        # of a season some practicum rule in `rules` allows.
        self.practicum: dict[Term, cp_model.IntVar] = {}
        for rule in rules:
            if isinstance(rule, Practicum):
                for term in self.terms:
                    if term.season in rule.seasons and term not in self.practicum:
                        var = model.new_bool_var(f"practicum[{term}]")
                        model.add_implication(var, self.active[term])
                        self.practicum[term] = var
        # literal[r] enforces every constraint of rule r (explain mode only).
        self.literals: dict[str, cp_model.IntVar] = {}
        self._before: dict[str, list[LinearExpr]] = {}
        for before, after in zip(self.terms, self.terms[1:], strict=False):
            model.add_implication(self.active[after], self.active[before])
        for (_, t), var in self.take.items():
            model.add_implication(var, self.active[t])
        self._graduation_is_last_used_term(stay_term(rules))

    def _new_fill(self, code: str, rule_id: str, upper: int | None) -> None:
        bound = self.problem.completed_count(code) + len(self.terms)
        top = min(bound, upper or bound)
        var = self.model.new_int_var(0, top, f"fill[{code}->{rule_id}]")
        # A course counts only as often as it is taken.
        self.model.add(var <= self.taken(code))
        self.fill[code, rule_id] = var
        self.fill_upper[code, rule_id] = top
        self._fills_by_course.setdefault(code, []).append((rule_id, var))
        self._fills_by_rule.setdefault(rule_id, {})[code] = var

    def _graduation_is_last_used_term(self, stay: Term | None) -> None:
        """The last active term holds a planned course or the practicum, unless it is the
        term the student must stay enrolled through: `semantics.graduation`, as a
        constraint. Without it an empty term could trail the plan, and the solver's
        graduation would differ from the plan's (the audit's)."""
        for position, term in enumerate(self.terms):
            if term == stay:
                continue
            used: list[Lit] = [self.take[c, term] for c in self.codes]
            if term in self.practicum:
                used.append(self.practicum[term])
            last: list[Lit] = [self.active[term]]
            if position + 1 < len(self.terms):
                last.append(self.active[self.terms[position + 1]].Not())
            self.model.add_bool_or(used).only_enforce_if(last)

    # --- What builders use -----------------------------------------------------------------

    def enforce(self, constraint: cp_model.Constraint, rule: RuleBase, *extra: Lit) -> None:
        """Make `constraint` hold when `extra` literals hold (and, explaining, rule's own)."""
        literals: list[Lit] = list(extra)
        if self.explain:
            literals.append(self.literal(rule.id))
        if literals:
            constraint.only_enforce_if(literals)

    def never(self) -> cp_model.Constraint:
        """A constraint no plan meets (for a rule that cannot hold in these terms)."""
        return self.model.add_bool_or([])

    def literal(self, rule_id: str) -> cp_model.IntVar:
        if rule_id not in self.literals:
            self.literals[rule_id] = self.model.new_bool_var(f"rule[{rule_id}]")
        return self.literals[rule_id]

    @staticmethod
    def sum(expressions: Sequence[LinearExpr | cp_model.IntVar]) -> LinearExpr:
        return LinearExpr.sum(list(expressions))

    def planned(self, code: str) -> LinearExpr:
        """Planned instances of `code` (one expression per course, made once)."""
        if code not in self._planned:
            self._planned[code] = LinearExpr.sum([self.take[code, t] for t in self.terms])
        return self._planned[code]

    def taken(self, code: str) -> LinearExpr:
        """Instances of `code` completed before the start plus those planned."""
        if code not in self._taken:
            self._taken[code] = self.planned(code) + self.problem.completed_count(code)
        return self._taken[code]

    def units(self, term: Term) -> LinearExpr:
        return LinearExpr.weighted_sum(
            [self.take[c, term] for c in self.codes],
            [self.problem.courses[c].units for c in self.codes],
        )

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

    def came_before(self, first: str, then: str) -> cp_model.IntVar:
        """A literal that holds only if `first` is taken in a term before a term `then` is
        taken in (`semantics.taken_before`, as a constraint; the solver sets it when it can)."""
        lit = self.model.new_bool_var(f"before[{first}<{then}]")
        done = self.problem.completed
        ways: list[LinearExpr | cp_model.IntVar] = []
        if semantics.taken_before(done, first, then):
            return lit  # already true: nothing to require of it
        if then in self.problem.courses:
            for position, term in enumerate(self.terms):
                pair = self.model.new_bool_var(f"before[{first}<{then}@{term}]")
                self.model.add_implication(pair, self.take[then, term])
                earlier = self.problem.completed_count(first)
                if first in self.problem.courses:
                    self.model.add(pair <= earlier + self.taken_before(first, position))
                else:
                    self.model.add(pair <= earlier)
                ways.append(pair)
        self.model.add(lit <= LinearExpr.sum(ways))
        return lit

    def fills_of(self, code: str, program: str | None = None) -> list[cp_model.IntVar]:
        """The fill variables of `code`, one per requirement it may count toward (of
        `program` only, when given)."""
        return [
            var
            for rule_id, var in self._fills_by_course.get(code, [])
            if program is None or self.program_of(rule_id) == program
        ]

    def instances_used(self, code: str, program: str) -> list[LinearExpr | cp_model.IntVar]:
        """Lower bounds on how many instances of `code` count toward `program`: under its
        no-double-counting rule, the sum of its counting variables (each instance counts
        once); without one, each variable alone (an instance may count several times)."""
        fills = self.fills_of(code, program)
        if not fills:
            return []
        if program not in self._single:
            self._single[program] = any(
                isinstance(r, NoDoubleCount) and r.program in (program, "")
                for r in self.problem.rules
            )
        return [LinearExpr.sum(fills)] if self._single[program] else list(fills)

    def program_of(self, rule_id: str) -> str:
        """The program requirement `rule_id` belongs to."""
        return self.problem.rule_by_id[rule_id].program

    def fills_toward(self, rule_id: str) -> dict[str, cp_model.IntVar]:
        """The fill variables of requirement `rule_id`, by course (empty if not built)."""
        return self._fills_by_rule.get(rule_id, {})


def compile_model(
    problem: Problem, *, explain: bool = False, rules: Sequence[RuleBase] | None = None
) -> BuildContext:
    """Build the CP-SAT model for `problem` (or for a subset `rules` of its rules)."""
    chosen = problem.rules if rules is None else rules
    ctx = BuildContext(problem, chosen, explain=explain)
    for rule in chosen:
        rule.build(ctx)
    return ctx


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
