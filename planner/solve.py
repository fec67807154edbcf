"""Run CP-SAT on a compiled problem: lexicographic optimisation, and cores when infeasible.

Returns a small union of outcomes; "no plan" is an answer, not an exception. Results are
deterministic: one worker, a fixed seed, every input sorted by id.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Literal

from planner.compile import BuildContext, Criterion, LinearExpr, compile_model, objective_terms
from planner.cpsat import cp_model
from planner.errors import PlannerError
from planner.kinds import Offering, RuleBase
from planner.problem import Problem
from planner.terms import Term

Status = Literal["optimal", "feasible", "infeasible", "unknown"]
SEED = 20261125


@dataclass(frozen=True)
class Solution:
    """The solver's answer in plain data: placements, practicum and counting."""

    takes: tuple[tuple[str, Term], ...]
    practicum: tuple[Term, ...]
    fills: dict[tuple[str, str], int]
    objective: dict[str, int]
    graduation: Term | None = None
    """The solver's last active term (the plan computes the same from its courses)."""


@dataclass(frozen=True)
class Outcome:
    status: Status
    solution: Solution | None = None
    conflict: tuple[str, ...] = ()
    conflict_minimal: bool = False
    message: str = ""
    stages: dict[str, str] = field(default_factory=dict)
    gap: float | None = None
    """Relative gap between the plan's weighted objective and the proven bound (0 when
    optimal); None when the criteria were solved in turn."""


def _solver(seconds: float, work: float | None = None) -> cp_model.CpSolver:
    """A single-worker, seeded solver (deterministic), stopped by `seconds` of wall time or
    by `work` units of CP-SAT's deterministic time, whichever comes first."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = 1
    params.random_seed = SEED
    # Put the half-reified constraints (practicum, unit minimums while enrolled) into the
    # LP too: on synthetic curricula of 100-200 courses over 8 terms this turns searches
    # that do not finish in 60 s into proofs in a tenth of a second (bench/run.py scale).
    params.linearization_level = 2
    # Symmetry detection in presolve may spend up to 1 work unit (about a second) each
    # round, three rounds a solve; on two undergraduate programs a plan that takes 60 ms
    # to find took 2.7 s to find that way. A tenth keeps the orbitopes it finds early.
    params.symmetry_detection_deterministic_time_limit = 0.1
    # One round of presolve: further rounds found nothing more on these models and cost
    # most of the time on two programs (0.89 s to a proven optimum, 0.17 s with one
    # round; the MSML and the synthetic scale curricula alike or faster; bench/run.py).
    params.max_presolve_iterations = 1
    params.max_time_in_seconds = max(0.01, seconds)
    if work is not None:
        params.max_deterministic_time = work
    return solver


def _extract(ctx: BuildContext, solver: cp_model.CpSolver, values: dict[str, int]) -> Solution:
    takes = tuple(
        (c, t) for t in ctx.terms for c in ctx.codes if solver.boolean_value(ctx.take[c, t])
    )
    practicum = tuple(t for t, var in sorted(ctx.practicum.items()) if solver.boolean_value(var))
    fills = {key: int(solver.value(var)) for key, var in sorted(ctx.fill.items())}
    fills = {key: n for key, n in fills.items() if n}
    active = [t for t in ctx.terms if solver.boolean_value(ctx.active[t])]
    return Solution(
        takes=takes,
        practicum=practicum,
        fills=fills,
        objective=dict(values),
        graduation=max(active) if active else None,
    )


def _hint(ctx: BuildContext, solver: cp_model.CpSolver) -> None:
    ctx.model.clear_hints()  # type: ignore[no-untyped-call]
    for var in [*ctx.take.values(), *ctx.active.values(), *ctx.practicum.values()]:
        ctx.model.add_hint(var, solver.boolean_value(var))
    for var in ctx.fill.values():
        ctx.model.add_hint(var, solver.value(var))


MAX_WEIGHT = 2**53
"""Largest weighted objective solved in one go; beyond it the criteria are solved in turn."""


def lexicographic_weights(criteria: list[Criterion]) -> list[int] | None:
    """Weights making one weighted sum order plans exactly as the criteria in turn do.

    Each weight exceeds the whole range of the criteria after it. None when the sum would
    not fit comfortably in CP-SAT's integer objective.
    """
    weights: list[int] = []
    weight = 1
    for criterion in reversed(criteria):
        weights.append(weight)
        weight *= criterion.high - criterion.low + 1
        if weight > MAX_WEIGHT:
            return None
    return weights[::-1]


TIE_BREAK_WORK = 1.0
"""Deterministic time (CP-SAT's machine-independent work units) for the tie-break stage."""


def solve(problem: Problem, time_limit: float = 60.0) -> Outcome:
    """Find the lexicographically best plan for the criteria in `problem.objective`.

    The student's criteria are optimised first: one solve of their weighted sum when the
    weights fit, otherwise one solve per criterion. "optimal" means those are proven
    optimal. The fixed tie-break then picks one plan among the optimal ones, within a
    budget of deterministic work, so that its answer, proven or not, never depends on the
    machine's speed.
    """
    deadline = time.monotonic() + time_limit
    ctx = compile_model(problem)
    terms = objective_terms(ctx, problem.objective)
    if time.monotonic() >= deadline:
        return Outcome("unknown", message="the time limit ran out while building the model")
    if "tie-break" in problem.objective:
        quick = _solve_at_once(ctx, problem, terms, deadline)
        if quick is not None:
            return quick
    main: list[str] = [name for name in problem.objective if name != "tie-break"]
    values: dict[str, int] = {}
    stages: dict[str, str] = {}
    solver: cp_model.CpSolver | None = None
    proven, gap = True, 0.0
    if main:
        weights = lexicographic_weights([terms[name] for name in main])
        if weights is None:
            staged = _solve_in_turn(ctx, main, terms, deadline)
        else:
            staged = _solve_weighted(ctx, main, terms, weights, deadline)
        if isinstance(staged, Outcome):
            return staged
        solver, proven, gap = staged
        for name in main:
            values[name] = round(solver.value(terms[name].expr))
            stages.setdefault(name, "optimal" if proven else "feasible")
            ctx.model.add(terms[name].expr <= values[name])
        _hint(ctx, solver)
    if "tie-break" in problem.objective:
        ctx.model.minimize(terms["tie-break"].expr)
        tie = _solver(deadline - time.monotonic(), TIE_BREAK_WORK)
        status = _checked(tie.solve(ctx.model), ctx)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            solver = tie
            values["tie-break"] = round(tie.value(terms["tie-break"].expr))
            stages["tie-break"] = "optimal" if status == cp_model.OPTIMAL else "work limit"
        elif solver is None:  # the tie-break was the only criterion
            if status == cp_model.INFEASIBLE:
                return Outcome("infeasible")
            return Outcome("unknown", message=f"no plan found within {time_limit:g} s")
        else:
            stages["tie-break"] = "not reached"
    assert solver is not None
    return Outcome(
        "optimal" if proven else "feasible",
        solution=_extract(ctx, solver, values),
        stages=stages,
        gap=gap,
    )


def _solve_at_once(
    ctx: BuildContext, problem: Problem, terms: dict[str, Criterion], deadline: float
) -> Outcome | None:
    """Every criterion and the tie-break in one weighted solve, within a small budget of
    deterministic work; None when the weights do not fit or the optimum is not proven
    in that budget (the criteria are then solved first and the tie-break after)."""
    names: list[str] = list(problem.objective)
    weights = lexicographic_weights([terms[n] for n in names])
    if weights is None:
        return None
    status, solver = _minimize(ctx, names, terms, weights, deadline, TIE_BREAK_WORK)
    if status == cp_model.INFEASIBLE:
        return Outcome("infeasible")
    if status != cp_model.OPTIMAL:
        return None
    values = {name: round(solver.value(terms[name].expr)) for name in names}
    return Outcome(
        "optimal",
        solution=_extract(ctx, solver, values),
        stages=dict.fromkeys(names, "optimal"),
        gap=0.0,
    )


def _solve_weighted(
    ctx: BuildContext,
    names: list[str],
    terms: dict[str, Criterion],
    weights: list[int],
    deadline: float,
) -> tuple[cp_model.CpSolver, bool, float] | Outcome:
    status, solver = _minimize(ctx, names, terms, weights, deadline)
    if status == cp_model.INFEASIBLE:
        return Outcome("infeasible")
    if status == cp_model.UNKNOWN:
        return Outcome("unknown", message="no plan found within the time limit")
    value, bound = solver.objective_value, solver.best_objective_bound
    proven = status == cp_model.OPTIMAL
    return solver, proven, 0.0 if proven else abs(value - bound) / max(1.0, abs(value))


def _minimize(
    ctx: BuildContext,
    names: list[str],
    terms: dict[str, Criterion],
    weights: list[int],
    deadline: float,
    work: float | None = None,
) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver]:
    """Solve once, minimising the weighted sum of the criteria `names`."""
    ctx.model.minimize(LinearExpr.weighted_sum([terms[n].expr for n in names], weights))
    solver = _solver(deadline - time.monotonic(), work)
    return _checked(solver.solve(ctx.model), ctx), solver


def _checked(status: cp_model.CpSolverStatus, ctx: BuildContext) -> cp_model.CpSolverStatus:
    if status == cp_model.MODEL_INVALID:
        raise PlannerError(f"internal error: the model is invalid ({ctx.model.validate()})")
    return status


def _solve_in_turn(
    ctx: BuildContext, names: list[str], terms: dict[str, Criterion], deadline: float
) -> tuple[cp_model.CpSolver, bool, float] | Outcome:
    """One solve per criterion, each keeping the best value of the ones before."""
    solver: cp_model.CpSolver | None = None
    for name in names:
        expr = terms[name].expr
        ctx.model.minimize(expr)
        attempt = _solver(deadline - time.monotonic())
        status = _checked(attempt.solve(ctx.model), ctx)
        if status == cp_model.INFEASIBLE:
            return Outcome("infeasible")
        if status == cp_model.UNKNOWN:
            if solver is None:
                return Outcome("unknown", message="no plan found within the time limit")
            return solver, False, 1.0
        solver = attempt
        if status != cp_model.OPTIMAL:
            return solver, False, 1.0
        ctx.model.add(expr <= round(solver.objective_value))
        _hint(ctx, solver)
    assert solver is not None
    return solver, True, 0.0


def alternatives(
    problem: Problem, best: Solution, count: int, time_limit: float, slack: int = 0
) -> list[Solution]:
    """Up to `count` more plans as good as `best` on every criterion but the tie-break (or
    worse by at most `slack` on each), each taking a different set of courses, not only a
    different order."""
    deadline = time.monotonic() + time_limit
    ctx = compile_model(problem)
    criteria = objective_terms(ctx)
    for name, value in best.objective.items():
        if name != "tie-break":
            ctx.model.add(criteria[name].expr <= value + slack)
    # chosen[c] is true iff course c is planned at least once.
    chosen = {}
    for code in ctx.codes:
        var = ctx.model.new_bool_var(f"chosen[{code}]")
        ctx.model.add(ctx.planned(code) >= 1).only_enforce_if(var)
        ctx.model.add(ctx.planned(code) == 0).only_enforce_if(var.Not())
        chosen[code] = var
    # Best first: the criteria again (within their bounds), then the tie-break; this also
    # keeps criterion variables such as the heaviest term's units tight.
    names = [name for name in problem.objective if name in criteria]
    weights = lexicographic_weights([criteria[name] for name in names])
    if weights is None:
        ctx.model.minimize(criteria["tie-break"].expr)
    else:
        ctx.model.minimize(LinearExpr.weighted_sum([criteria[n].expr for n in names], weights))
    found: list[Solution] = []
    taken = {c for c, _ in best.takes}
    while len(found) < count and time.monotonic() < deadline:
        # Differ from every plan so far in at least one course.
        ctx.model.add_bool_or(
            [chosen[c].Not() for c in sorted(taken)]
            + [chosen[c] for c in ctx.codes if c not in taken]
        )
        solver = _solver(deadline - time.monotonic())
        status = solver.solve(ctx.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        values = {name: round(solver.value(c.expr)) for name, c in criteria.items()}
        found.append(_extract(ctx, solver, values))
        taken = {c for c, _ in found[-1].takes}
    return found


def has_plan(problem: Problem, seconds: float) -> bool | None:
    """Whether any plan meets every rule of `problem` (None: the time ran out)."""
    verdict, _ = _infeasible_under(problem, [r.id for r in problem.rules], seconds)
    return None if verdict is None else not verdict


def _infeasible_under(
    problem: Problem,
    rule_ids: list[str],
    seconds: float,
    *,
    want_core: bool = False,
    work: float | None = None,
) -> tuple[bool | None, list[str]]:
    """Whether the rules `rule_ids` alone admit no plan.

    Returns (True, core) when infeasible, (False, []) when a plan exists, (None, []) when
    the time (or the deterministic `work`) ran out. With `want_core`, every rule hangs off
    an assumption literal and the core is the solver's subset of them; otherwise the model
    is built without literals, which keeps the LP relaxation tight and the proof fast, and
    the core is `rule_ids`.
    """
    keep = set(rule_ids)
    chosen = [r for r in problem.rules if r.id in keep]
    ctx = compile_model(problem, explain=want_core, rules=chosen)
    by_index: dict[int, str] = {}
    if want_core:
        literals = [ctx.literal(rid) for rid in sorted(keep)]
        by_index = {lit.index: rid for rid, lit in ctx.literals.items()}
        ctx.model.add_assumptions(literals)
    solver = _solver(seconds, work)
    status = solver.solve(ctx.model)
    if status == cp_model.INFEASIBLE:
        if want_core:
            core = sorted(by_index[i] for i in solver.sufficient_assumptions_for_infeasibility())
            return True, core or sorted(keep)
        return True, sorted(keep)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False, []
    return None, []


FIRST_WINDOW = 12
"""Terms (four years) of the first window a conflict is looked for in; see explain_infeasible."""

CORE_WORK = 2.0
"""Deterministic time (CP-SAT's work units, about seconds) the solver's own core search
(assumption literals) gets before the conflict is shrunk from every rule by plain solves
instead; a count of work, not of seconds, so that the answer does not depend on the
machine."""

PREFERENCE_ROUNDS = 2
"""Further conflicts looked for, each without the offerings of the one before."""


def control(rule: RuleBase) -> int:
    """How directly a person controls a rule, 0 most: the student's own wishes, the
    program's rules, the planning horizon, catalog facts, and last the offerings (which
    only the department changes). Conflicts made of the first kinds are preferred."""
    if isinstance(rule, Offering):
        return 4
    return {"scenario": 0, "program": 1, "planner": 2, "catalog": 3}[rule.origin]


def explain_infeasible(problem: Problem, time_limit: float) -> Outcome:
    """Name a minimal set of rules that together admit no plan, preferring rules a person
    controls (see `control`).

    Long windows are searched in parts: any set of rules that admits a plan over the first
    terms admits one over all of them (the later terms can stay empty), so a minimal
    conflict found over the first FIRST_WINDOW terms, and then shown to admit no plan over
    the whole window too, is a minimal conflict of the whole problem. The window doubles
    until one is shown; a twelve-term search costs milliseconds where the whole of a
    300-semester window costs seconds.
    """
    deadline = time.monotonic() + time_limit
    size = FIRST_WINDOW
    while True:
        part = (
            problem if size >= len(problem.terms) else replace(problem, terms=problem.terms[:size])
        )
        found = _preferred_conflict(part, deadline)
        if found is None:
            break
        conflict, minimal = found
        if part is problem:
            return Outcome("infeasible", conflict=conflict, conflict_minimal=minimal)
        verdict, _ = _infeasible_under(problem, list(conflict), deadline - time.monotonic())
        if verdict is True:
            return Outcome("infeasible", conflict=conflict, conflict_minimal=minimal)
        if verdict is None:
            break
        size *= 2
    return Outcome("unknown", message="no plan was found, and no conflict within the time limit")


def _preferred_conflict(problem: Problem, deadline: float) -> tuple[tuple[str, ...], bool] | None:
    """A minimal conflict, and whether it was proven minimal; None when none was found in
    time. If it names offerings, conflicts without those are looked for too, and the one
    with the fewest offerings (then the fewest rules) is kept."""
    every = [r.id for r in problem.rules]
    best = _shrunk_core(problem, every, deadline)
    for _ in range(PREFERENCE_ROUNDS):
        if best is None or not best[1]:
            break
        offerings = {rid for rid in best[0] if control(problem.rule_by_id[rid]) == 4}
        if not offerings:
            break
        other = _shrunk_core(problem, [r for r in every if r not in offerings], deadline)
        if other is None or _rank(problem, other[0]) >= _rank(problem, best[0]):
            break
        best = other
    return best


def _rank(problem: Problem, conflict: tuple[str, ...]) -> tuple[int, int]:
    offerings = sum(1 for rid in conflict if control(problem.rule_by_id[rid]) == 4)
    return offerings, len(conflict)


def _shrunk_core(
    problem: Problem, rule_ids: list[str], deadline: float
) -> tuple[tuple[str, ...], bool] | None:
    """A conflict among `rule_ids`: the solver's core, shrunk to a minimal one.

    The core (from assumption literals) is small but not always minimal, so it is shrunk
    by deletion: chunks of rules are dropped while the rest still admit no plan, halving
    the chunk down to single rules (a rule is kept only if without it the others admit a
    plan). The rules a person controls least are tried first, so they are the ones that
    go. Every verdict comes from solving again. None when the rules admit a plan or the
    time ran out before a core was found.
    """
    verdict, core = _infeasible_under(
        problem, rule_ids, deadline - time.monotonic(), want_core=True, work=CORE_WORK
    )
    if verdict is False:
        return None
    if verdict is None:
        # Assumption literals weaken presolve and the LP: on two undergraduate programs
        # the core search can run for a minute where the plain model is refuted in a
        # fifth of a second. Then shrink from every rule, each verdict a plain solve.
        verdict, _ = _infeasible_under(problem, rule_ids, deadline - time.monotonic())
        if verdict is not True:
            return None
        core = list(rule_ids)
    core = sorted(core, key=lambda rid: (-control(problem.rule_by_id[rid]), rid))
    minimal = True
    chunk = max(1, len(core) // 2)
    while minimal:
        index = 0
        while index < len(core):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                minimal = False
                break
            candidate = core[:index] + core[index + chunk :]
            verdict, _ = _infeasible_under(problem, candidate, remaining)
            if verdict is True:
                core = candidate
            elif verdict is None:
                minimal = False
                break
            else:
                index += chunk
        if chunk == 1:
            break
        chunk //= 2
    return tuple(sorted(core)), minimal


def least_load(problem: Problem, rule_ids: list[str], seconds: float) -> tuple[int, int] | None:
    """The fewest units (and, with them, courses) still to plan to meet the rules
    `rule_ids` alone; None when they cannot be met or the time ran out."""
    keep = set(rule_ids)
    ctx = compile_model(problem, rules=[r for r in problem.rules if r.id in keep])
    units = LinearExpr.sum([ctx.units(t) for t in ctx.terms])
    courses = LinearExpr.sum(list(ctx.take.values()))
    ctx.model.minimize(units * (len(ctx.take) + 1) + courses)
    solver = _solver(seconds)
    if solver.solve(ctx.model) != cp_model.OPTIMAL:
        return None
    return round(solver.value(units)), round(solver.value(courses))
