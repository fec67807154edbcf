"""The objective, computed without a solver from a plan's courses, is the solver's.

`semantics.objective_values` is the solver-free twin of the criteria in compile.py; the
tie-break's weights are one function both use. For every plan the solver emits, the two
must agree on every criterion.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.catalog import Curriculum
from planner.plan import plan_from_outcome, plan_objective
from planner.problem import resolve
from planner.scenario import load_scenario
from planner.solve import solve

from helpers import SCENARIOS, plan_of


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_objective_recomputed_for_every_shipped_scenario(
    curriculum: Curriculum, path: Path
) -> None:
    problem = resolve(curriculum, load_scenario(path), str(path))
    outcome = solve(problem, 30)
    if outcome.solution is None:
        assert path.stem.startswith("impossible"), outcome
        return
    plan = plan_from_outcome(problem, outcome)
    assert plan_objective(problem, plan) == outcome.solution.objective


@pytest.mark.parametrize(
    "fields",
    [
        {"prefer": ["10-623", "11-777"], "offered": ["10-623@S27"]},
        {"require": ["10-707", "10-703"], "completed": ["10-620@S26", "10-620@F25"]},
        {"enrolled_through": "F29"},
        {"objective": ["balance", "tie-break"]},
        {"pin": ["10-620@S27", "10-620@F27"], "units": {"max": 36}},
    ],
)
def test_objective_recomputed_for_what_ifs(curriculum: Curriculum, fields: dict) -> None:  # type: ignore[type-arg]
    problem, outcome, plan = plan_of(curriculum, **fields)
    assert outcome.solution is not None
    assert plan_objective(problem, plan) == outcome.solution.objective
