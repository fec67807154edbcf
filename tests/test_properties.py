"""Property: every plan the solver emits, for any generated scenario, passes the audit."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.catalog import Curriculum, load_curriculum
from planner.errors import PlannerError
from planner.explain import why_not
from planner.plan import plan_from_outcome
from planner.problem import resolve
from planner.scenario import Scenario
from planner.solve import solve

from helpers import audited, examples

CURRICULUM: Curriculum = load_curriculum()
CODES = sorted(c.code for c in CURRICULUM.catalog.courses)
REGULAR = sorted(c.code for c in CURRICULUM.catalog.courses if c.seasons)
PLANNED_TERMS = ["F26", "S27", "M27", "F27", "S28"]
PROGRAM_RULES = sorted(r.id for p in CURRICULUM.programs for r in p.rules)


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    fields: dict[str, Any] = {"start": "F26"}
    done = draw(
        st.lists(
            st.sampled_from(["10-701", "36-700", "10-605", "11-711", "10-620"]),
            max_size=2,
            unique=True,
        )
    )
    if done:
        fields["completed"] = [f"{c}@S26" for c in done]
    if draw(st.booleans()):
        fields["require"] = draw(st.lists(st.sampled_from(REGULAR), max_size=3, unique=True))
    if draw(st.booleans()):
        fields["avoid"] = draw(st.lists(st.sampled_from(REGULAR), max_size=3, unique=True))
    if draw(st.booleans()):
        fields["prefer"] = draw(st.lists(st.sampled_from(CODES), max_size=2, unique=True))
    if draw(st.booleans()):
        pins = draw(
            st.lists(
                st.tuples(st.sampled_from(REGULAR), st.sampled_from(PLANNED_TERMS)),
                max_size=2,
                unique_by=lambda p: p[0],
            )
        )
        fields["pin"] = [f"{c}@{t}" for c, t in pins]
    if draw(st.booleans()):
        fields["units"] = {"max": draw(st.sampled_from([24, 30, 36, 48, 60]))}
    if draw(st.booleans()):
        fields["waive"] = draw(st.lists(st.sampled_from(PROGRAM_RULES), max_size=2, unique=True))
    if draw(st.booleans()):
        fields["offered"] = [
            f"{draw(st.sampled_from(CODES))}@{draw(st.sampled_from(PLANNED_TERMS))}"
        ]
    if draw(st.booleans()):
        fields["semesters"] = draw(st.integers(min_value=2, max_value=5))
    return fields


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_every_solver_plan_passes_the_audit(fields: dict[str, Any]) -> None:
    try:
        problem = resolve(CURRICULUM, Scenario.model_validate(fields), "generated")
    except PlannerError:
        return  # e.g. a completed course pinned again: rejected as input, not planned
    outcome = solve(problem, time_limit=10)
    if outcome.status == "infeasible":
        answer = why_not(CURRICULUM, problem.scenario, "generated", 10)
        assert answer.conflict
        assert set(answer.conflict) <= {r.id for r in answer.problem.rules}
        return
    if outcome.solution is None:
        assert outcome.status == "unknown"
        return
    plan = plan_from_outcome(problem, outcome)
    report = audited(CURRICULUM, plan)
    assert report.passed, (fields, [r for r in report.results if not r.satisfied])
