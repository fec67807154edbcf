"""What-ifs from the scenario format: substitute, prefer, deadlines, per-term bounds."""

from __future__ import annotations

import pytest

from planner.catalog import Curriculum
from planner.errors import PlannerError
from planner.scenario import Scenario

from helpers import audited, counts, courses_in, plan_of, problem_of


def test_substitute_lets_a_new_course_fill_a_slot(curriculum: Curriculum) -> None:
    fields = {"substitute": ["36-700=36-707"], "avoid": ["36-705"]}
    _, outcome, plan = plan_of(curriculum, **fields)
    assert outcome.status == "optimal"
    assert counts(plan)["36-707"] == ["msml.core.statistics"]
    assert audited(curriculum, plan).passed
    _, without, _ = plan_of(curriculum, avoid=["36-705", "36-700"])
    assert without.status == "infeasible"


def test_substitute_scoped_to_one_rule(curriculum: Curriculum) -> None:
    sub = {"old": "10-703", "new": "10-805", "rule": "msml.core.deep-learning"}
    problem = problem_of(curriculum, substitute=[sub])
    rules = problem.rule_by_id
    assert "10-805" in rules["msml.core.deep-learning"].courses  # type: ignore[union-attr]
    assert "10-703" in rules["msml.electives"].courses  # type: ignore[union-attr]


def test_preference_is_honoured_when_it_costs_nothing(curriculum: Curriculum) -> None:
    _, _, plan = plan_of(curriculum, prefer=["11-777"])
    assert "11-777" in courses_in(plan)
    _, _, baseline = plan_of(curriculum)
    assert "11-777" not in courses_in(baseline)


def test_preference_never_delays_graduation(curriculum: Curriculum) -> None:
    _, _, plan = plan_of(curriculum, prefer=["10-717"])  # not offered in any planned term
    assert plan.graduation == "F27"
    assert plan.objective["preferences"] == 1


def test_semesters_limit_is_a_named_rule(curriculum: Curriculum) -> None:
    _, outcome, _ = plan_of(curriculum, semesters=2)
    assert outcome.status == "infeasible"
    assert "scenario.graduate-by" in outcome.conflict


def test_per_term_minimum_forces_a_heavier_term(curriculum: Curriculum) -> None:
    _, _, plan = plan_of(curriculum, term_units={"F26": {"min": 48}})
    first = next(t for t in plan.terms if t.term == "F26")
    assert first.units == 48
    assert audited(curriculum, plan).passed


def test_completed_practicum_frees_the_summer(curriculum: Curriculum) -> None:
    _, _, plan = plan_of(curriculum, practicum_completed="M26")
    assert not any(t.practicum for t in plan.terms)
    assert audited(curriculum, plan).passed


def test_objective_order_is_data(curriculum: Curriculum) -> None:
    # Balance first: spread nine courses so that no term carries more than 36 units,
    # even if that is already the case; graduation is still F27.
    order = ["balance", "graduate-early", "no-extras", "preferences", "tie-break"]
    _, outcome, plan = plan_of(curriculum, objective=order, units={"max": 60})
    assert outcome.status == "optimal"
    assert max(t.units for t in plan.terms) == 36


@pytest.mark.parametrize(
    ("fields", "place", "fragment"),
    [
        ({"completed": ["10-701@F27"]}, "completed[0]", "before the start term"),
        ({"pin": ["10-702@F26"]}, "pin[0]", "did you mean"),
        ({"waive": ["msml.core.stats"]}, "waive[0]", "msml.core.statistics"),
        ({"substitute": ["10-999=10-701"]}, "substitute[0]", "unknown course"),
        ({"substitute": ["10-716=10-701"], "avoid": []}, "", ""),
        ({"program": "msds"}, "program", "unknown program"),
        ({"start": "F19"}, "program", "no version"),
        ({"graduate_by": "S26"}, "graduate_by", "before the start"),
        ({"completed": ["10-605@S26", "10-805@F25"]}, "completed[1]", "cannot be repeated"),
    ],
)
def test_scenario_reference_errors_name_the_place(
    curriculum: Curriculum, fields: dict[str, object], place: str, fragment: str
) -> None:
    if not place:
        problem_of(curriculum, **fields)  # substituting into the electives is fine
        return
    with pytest.raises(PlannerError) as caught:
        problem_of(curriculum, **fields)
    assert caught.value.place == place
    assert fragment in caught.value.message


def test_flags_extend_lists_and_replace_deadlines() -> None:
    base = Scenario.model_validate({"pin": ["10-701@F26"], "semesters": 4})
    flags = Scenario.model_validate({"pin": ["10-708@S27"], "graduate_by": "F28"})
    merged = base.with_overrides(flags)
    assert merged.pin == ["10-701@F26", "10-708@S27"]
    assert merged.graduate_by == "F28" and merged.semesters is None
