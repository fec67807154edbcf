"""Property: every plan the solver emits, for any generated scenario, passes the audit and
ends where the solver says it does.

The scenarios draw every what-if a student or an advisor can give: completed courses,
must-take, avoid, preferences, pins, unit bounds (for every term and for one term, maximum
and minimum), a deadline (graduate-by or a number of semesters), a stay (enrolled
through), offerings added and dropped, substitutions, waivers of any rule (program rules
and the generated ones: prerequisites, offerings, no-repeat, the horizon, the scenario's
own), and the order of the objectives.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from planner.catalog import Curriculum, load_curriculum
from planner.errors import PlannerError
from planner.explain import why_not
from planner.kinds import Choose, CreditPool
from planner.plan import plan_from_outcome
from planner.problem import resolve
from planner.scenario import DEFAULT_OBJECTIVE, Scenario
from planner.solve import solve

from helpers import audited, examples

CURRICULUM: Curriculum = load_curriculum()
CODES = sorted(c.code for c in CURRICULUM.catalog.courses)
REGULAR = sorted(c.code for c in CURRICULUM.catalog.courses if c.seasons)
PLANNED_TERMS = ["F26", "S27", "M27", "F27", "S28"]
LATER_TERMS = [*PLANNED_TERMS, "M28", "F28", "S29"]
PROGRAM_RULES = sorted(r.id for p in CURRICULUM.programs for r in p.rules)
LISTED = sorted(
    {
        c
        for p in CURRICULUM.programs
        for r in p.rules
        if isinstance(r, Choose | CreditPool)
        for c in r.courses
    }
)
GENERATED_RULES = [
    *(f"catalog.prereq.{c.code}" for c in CURRICULUM.catalog.courses if c.prereqs),
    *(f"catalog.offered.{c}" for c in REGULAR),
    "catalog.no-repeat",
    "planner.horizon",
]


def maybe(draw: st.DrawFn) -> bool:
    return draw(st.booleans())


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
    if maybe(draw):
        fields["require"] = draw(st.lists(st.sampled_from(REGULAR), max_size=3, unique=True))
    if maybe(draw):
        fields["avoid"] = draw(st.lists(st.sampled_from(REGULAR), max_size=3, unique=True))
    if maybe(draw):
        fields["prefer"] = draw(st.lists(st.sampled_from(CODES), max_size=2, unique=True))
    if maybe(draw):
        pins = draw(
            st.lists(
                st.tuples(st.sampled_from(REGULAR), st.sampled_from(PLANNED_TERMS)),
                max_size=2,
                unique_by=lambda p: p[0],
            )
        )
        fields["pin"] = [f"{c}@{t}" for c, t in pins]
    if maybe(draw):
        units: dict[str, int] = {"max": draw(st.sampled_from([24, 30, 36, 48, 60]))}
        if maybe(draw):
            units["min"] = draw(
                st.sampled_from([0, 12, 24, 36]).filter(lambda m: m <= units["max"])
            )
        fields["units"] = units
    if maybe(draw):
        term = draw(st.sampled_from(PLANNED_TERMS))
        bound = draw(
            st.sampled_from([{"max": 24}, {"max": 60}, {"min": 0}, {"min": 12, "max": 36}])
        )
        fields["term_units"] = {term: bound}
    if maybe(draw):
        fields["waive"] = draw(
            st.lists(st.sampled_from(PROGRAM_RULES + GENERATED_RULES), max_size=2, unique=True)
        )
    if maybe(draw):
        fields["offered"] = [
            f"{draw(st.sampled_from(CODES))}@{draw(st.sampled_from(PLANNED_TERMS))}"
        ]
    if maybe(draw):
        fields["not_offered"] = [
            f"{draw(st.sampled_from(REGULAR))}@{draw(st.sampled_from(PLANNED_TERMS))}"
        ]
    if maybe(draw):
        fields["substitute"] = [f"{draw(st.sampled_from(LISTED))}={draw(st.sampled_from(CODES))}"]
    deadline = draw(st.sampled_from(["none", "semesters", "graduate_by"]))
    if deadline == "semesters":
        fields["semesters"] = draw(st.integers(min_value=2, max_value=6))
    elif deadline == "graduate_by":
        fields["graduate_by"] = draw(st.sampled_from(LATER_TERMS))
    if maybe(draw):
        fields["enrolled_through"] = draw(st.sampled_from(LATER_TERMS))
    if maybe(draw):
        chosen = st.lists(st.sampled_from(DEFAULT_OBJECTIVE[:-1]), min_size=1, unique=True)
        fields["objective"] = [*draw(chosen), "tie-break"]
    return fields


@settings(max_examples=examples(50), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_every_solver_plan_passes_the_audit(fields: dict[str, Any]) -> None:
    try:
        problem = resolve(CURRICULUM, Scenario.model_validate(fields), "generated")
    except PlannerError:
        event("rejected as input")
        return  # e.g. a completed course pinned again: rejected as input, not planned
    outcome = solve(problem, time_limit=10)
    event(f"status: {outcome.status}")
    if outcome.status == "infeasible":
        answer = why_not(CURRICULUM, problem.scenario, "generated", 10)
        assert answer.conflict
        assert set(answer.conflict) <= {r.id for r in answer.problem.rules}
        return
    if outcome.solution is None:
        assert outcome.status == "unknown"
        return
    plan = plan_from_outcome(problem, outcome)
    # One definition of graduation: the solver's last active term is the plan's.
    solver_end = outcome.solution.graduation
    assert plan.graduation == (solver_end.code if solver_end else None), fields
    report = audited(CURRICULUM, plan)
    assert report.passed, (fields, [r for r in report.results if not r.satisfied])
