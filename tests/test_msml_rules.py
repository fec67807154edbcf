"""Each MSML rule binds: a scenario whose plan changes or becomes impossible because of it,
and its audit counterpart, a plan that breaks it and fails the solver-free audit."""

from __future__ import annotations

from planner.catalog import Curriculum
from planner.plan import Plan
from planner.terms import parse_term

from helpers import TYPICAL, audited, counts, courses_in, hand_plan, plan_of


def failing(curriculum: Curriculum, plan_terms: dict[str, list[str]], **kw: object) -> set[str]:
    report = audited(curriculum, hand_plan(plan_terms, **kw))  # type: ignore[arg-type]
    return {r.id for r in report.failures}


def test_typical_hand_plan_passes_the_audit(curriculum: Curriculum) -> None:
    assert failing(curriculum, TYPICAL) == set()


# --- 1. Six core slots ----------------------------------------------------------------------


def test_core_slot_either_course_fills_it(curriculum: Curriculum) -> None:
    _, outcome, plan = plan_of(curriculum, avoid=["10-701"])
    assert outcome.status == "optimal"
    assert counts(plan)["10-715"] == ["msml.core.intro-ml"]


def test_core_slot_with_both_options_avoided_has_no_plan(curriculum: Curriculum) -> None:
    _, outcome, _ = plan_of(curriculum, avoid=["10-701", "10-715"])
    assert outcome.status == "infeasible"
    assert "msml.core.intro-ml" in outcome.conflict


def test_core_slot_waived_admits_a_plan_without_it(curriculum: Curriculum) -> None:
    _, outcome, plan = plan_of(
        curriculum, avoid=["36-700", "36-705"], waive=["msml.core.statistics"]
    )
    assert outcome.status == "optimal"
    assert not {"36-700", "36-705"} & set(courses_in(plan))


def test_audit_flags_a_missing_core_slot(curriculum: Curriculum) -> None:
    terms = {
        **TYPICAL,
        "F26": ["10-701", "10-725", "11-711"],
        "S27": ["10-708", "11-741", "10-605"],
    }
    assert failing(curriculum, terms) == {"msml.core.statistics"}


def test_core_membership_is_data_10_703_fills_deep_learning(curriculum: Curriculum) -> None:
    _, _, plan = plan_of(curriculum, avoid=["10-617", "10-707"])
    assert counts(plan)["10-703"] == ["msml.core.deep-learning"]


# --- 2. Electives in credits; a 6-unit course is half an elective ---------------------------


def test_two_half_unit_electives_make_one_elective(curriculum: Curriculum) -> None:
    terms = {
        **TYPICAL,
        "S27": ["10-708", "10-716", "10-605", "10-717"],
        "F27": ["10-617", "10-718", "10-799"],
    }
    offered = ["10-717@S27", "10-799@F27"]
    assert failing(curriculum, terms, offered=offered, waive=["msml.units.min"]) == set()
    without = {**terms, "F27": ["10-617", "10-718"]}
    assert failing(curriculum, without, offered=offered, waive=["msml.units.min"]) == {
        "msml.electives"
    }


def test_one_half_unit_elective_leaves_electives_short(curriculum: Curriculum) -> None:
    terms = {
        **TYPICAL,
        "S27": ["10-708", "10-716", "10-717", "10-725"],
        "F26": ["10-701", "36-700"],
    }
    report = audited(curriculum, hand_plan(terms, offered=["10-717@S27"], waive=["msml.units.min"]))
    [electives] = [r for r in report.results if r.id == "msml.electives"]
    assert not electives.satisfied
    assert "2.5 of 3 credits" in electives.detail


def test_solver_counts_half_unit_electives_as_half(curriculum: Curriculum) -> None:
    _, _, plan = plan_of(
        curriculum,
        require=["10-717", "10-799"],
        offered=["10-717@S27", "10-799@F27"],
        waive=["msml.units.min"],
    )
    units = sum(
        c.units for t in plan.terms for c in t.courses if "msml.electives" in c.counts_toward
    )
    assert units == 36  # two full electives plus two halves, nothing more
    assert len(courses_in(plan)) == 10


# --- 3. "Or" lines: at most one course of each counts ---------------------------------------


def test_or_line_only_one_of_two_counts(curriculum: Curriculum) -> None:
    terms = {
        **TYPICAL,
        "S27": ["10-708", "15-750", "10-605"],
        "F27": ["10-617", "15-853", "10-718"],
    }
    assert failing(curriculum, terms) == {"msml.electives"}
    assert failing(curriculum, terms, waive=["msml.electives.or.algorithms"]) == set()


def test_or_line_binding_changes_the_plan(curriculum: Curriculum) -> None:
    base = {"require": ["15-750", "15-853"], "waive": ["msml.units.min"]}
    _, _, with_line = plan_of(curriculum, **base)
    waived = {**base, "waive": ["msml.units.min", "msml.electives.or.algorithms"]}
    _, _, without_line = plan_of(curriculum, **waived)

    # With the line, only one of 15-750 and 15-853 counts as an elective; without it, both.
    def counted(plan: Plan) -> int:
        filled = counts(plan)
        return sum(filled.get(c, []).count("msml.electives") for c in ("15-750", "15-853"))

    assert counted(with_line) == 1
    assert counted(without_line) == 2


def test_audit_flags_a_plan_claiming_both_sides_of_an_or_line(curriculum: Curriculum) -> None:
    plan = hand_plan(TYPICAL)
    data = plan.model_dump()
    for term in data["terms"]:
        for course in term["courses"]:
            course["counts_toward"] = (
                ["msml.electives"]
                if course["code"] in ("10-605", "10-703", "10-716", "10-707")
                else []
            )
    data["terms"][2]["courses"][0]["code"] = "10-707"  # F27: 10-707 beside 10-703
    data["terms"][1]["courses"].append({"code": "10-707"})
    from planner.plan import Plan

    report = audited(curriculum, Plan.model_validate(data))
    failed = {r.id for r in report.failures}
    assert "msml.electives.or.deep-learning" in failed or "catalog.no-repeat" in failed


# --- 4. 80-831 never counts -----------------------------------------------------------------


def test_80_831_never_counts_even_when_substituted(curriculum: Curriculum) -> None:
    fields = {"substitute": ["10-716=80-831"], "require": ["80-831"], "offered": ["80-831@S27"]}
    _, _, plan = plan_of(curriculum, **fields)
    assert counts(plan)["80-831"] == []
    _, _, waived = plan_of(curriculum, **fields, waive=["msml.never-counts"])
    assert counts(waived)["80-831"] == ["msml.electives"]


def test_audit_rejects_80_831_claimed_as_elective(curriculum: Curriculum) -> None:
    from planner.plan import Plan

    data = hand_plan({**TYPICAL, "S27": ["10-708", "80-831", "10-605", "10-716"]}).model_dump()
    data["terms"][1]["courses"][1]["counts_toward"] = ["msml.electives"]
    report = audited(curriculum, Plan.model_validate(data))
    failed = {r.id for r in report.failures}
    assert "plan.counts-toward" in failed
    assert "msml.never-counts" in failed


# --- 5. Independent study -------------------------------------------------------------------


def test_two_semester_independent_study_counts_twice(curriculum: Curriculum) -> None:
    _, outcome, plan = plan_of(curriculum, pin=["10-620@S27", "10-620@F27"])
    assert outcome.status == "optimal"
    assert counts(plan)["10-620"] == ["msml.electives", "msml.electives"]


def test_independent_study_counts_at_most_three_times(curriculum: Curriculum) -> None:
    terms = {
        "F26": ["10-701", "36-700", "10-620"],
        "S27": ["10-708", "10-725", "10-620"],
        "F27": ["10-617", "10-718", "10-620"],
        "S28": ["10-620"],
    }
    from planner.plan import Plan

    data = hand_plan(terms, waive=["msml.units.min"]).model_dump()
    for term in data["terms"]:
        for course in term["courses"]:
            if course["code"] == "10-620":
                course["counts_toward"] = ["msml.electives"]
            else:
                course["counts_toward"] = []
    report = audited(curriculum, Plan.model_validate(data))
    assert "msml.electives.independent-study" in {r.id for r in report.failures}


def test_audit_flags_two_independent_studies_in_one_term(curriculum: Curriculum) -> None:
    terms = {**TYPICAL, "S27": ["10-708", "10-620", "10-620"]}
    assert "msml.independent-study.one-at-a-time" in failing(curriculum, terms)


# --- 6. Each course fills one requirement; 10-703 and 10-707 split core/elective --------------


def test_both_703_and_707_one_core_one_elective(curriculum: Curriculum) -> None:
    _, _, plan = plan_of(curriculum, require=["10-703", "10-707"], avoid=["10-617"])
    filled = counts(plan)
    assert sorted(filled["10-703"] + filled["10-707"]) == [
        "msml.core.deep-learning",
        "msml.electives",
    ]


def test_audit_matches_exactly_not_greedily(curriculum: Curriculum) -> None:
    # 10-707 comes first; a greedy audit would put it in the elective line and then find
    # 10-703 blocked by the or-line and the core slot empty only if it went the wrong way.
    terms = {
        "F26": ["10-701", "36-700", "10-725"],
        "S27": ["10-708", "10-707", "10-605"],
        "F27": ["10-703", "10-718", "11-711"],
    }
    assert failing(curriculum, terms) == set()


def test_double_counting_waived_needs_fewer_courses(curriculum: Curriculum) -> None:
    base = {"require": ["10-703"], "avoid": ["10-617", "10-707"], "waive": ["msml.units.min"]}
    _, _, strict = plan_of(curriculum, **base)
    relaxed = {**base, "waive": ["msml.units.min", "msml.one-requirement-per-course"]}
    _, _, loose = plan_of(curriculum, **relaxed)
    assert len(courses_in(loose)) < len(courses_in(strict))


# --- 7. Practicum ---------------------------------------------------------------------------


def test_practicum_takes_a_summer_with_no_course(curriculum: Curriculum) -> None:
    _, _, plan = plan_of(curriculum)
    practicum = [t for t in plan.terms if t.practicum]
    assert [(t.term, t.courses) for t in practicum] == [("M27", [])]


def test_practicum_needs_a_summer_before_graduation(curriculum: Curriculum) -> None:
    _, outcome, _ = plan_of(curriculum, graduate_by="S27")
    assert outcome.status == "infeasible"
    assert "msml.practicum" in outcome.conflict


def test_audit_flags_missing_practicum_and_course_during_it(curriculum: Curriculum) -> None:
    assert failing(curriculum, TYPICAL, practicum=None) == {"msml.practicum"}
    busy = {**TYPICAL, "M27": ["10-620"]}
    assert failing(curriculum, busy) == {"msml.practicum"}


# --- 8. Prerequisites, offerings, unit bounds -----------------------------------------------


def test_prerequisite_must_be_strictly_earlier(curriculum: Curriculum) -> None:
    _, outcome, _ = plan_of(curriculum, start="S27", pin=["10-708@S27"])
    assert set(outcome.conflict) == {"catalog.prereq.10-708", "scenario.pin.10-708@S27"}
    same_term = {
        **TYPICAL,
        "S27": ["10-708", "10-716", "10-701"],
        "F26": ["10-605", "36-700", "10-725"],
    }
    assert "catalog.prereq.10-708" in failing(curriculum, same_term)


def test_offering_forbids_an_unoffered_term(curriculum: Curriculum) -> None:
    # 10-725 runs in the fall (its record: every fall, and only S22 and S25 of the springs).
    _, outcome, _ = plan_of(curriculum, pin=["10-725@S27"])
    assert "catalog.offered.10-725" in outcome.conflict
    _, offered, _ = plan_of(curriculum, pin=["10-725@S27"], offered=["10-725@S27"])
    assert offered.status == "optimal"
    moved = {
        **TYPICAL,
        "F26": ["10-701", "36-700", "10-605"],
        "S27": ["10-708", "10-716", "10-725"],
    }
    assert "catalog.offered.10-725" in failing(curriculum, moved)


def test_not_offered_moves_a_course(curriculum: Curriculum) -> None:
    _, _, plan = plan_of(curriculum, not_offered=["10-725@F26"])
    where = {c.code: t.term for t in plan.terms for c in t.courses}
    assert where["10-725"] != "F26"


def test_unit_cap_stretches_the_plan(curriculum: Curriculum) -> None:
    _, _, capped = plan_of(curriculum, units={"max": 24}, waive=["msml.units.min"])
    # Two courses a term: nine courses no longer fit in F26-F27.
    assert capped.graduation is not None
    assert parse_term(capped.graduation) > parse_term("F27")
    assert all(t.units <= 24 for t in capped.terms)


def test_unit_minimum_applies_to_fall_and_spring(curriculum: Curriculum) -> None:
    light = {**TYPICAL, "F26": ["10-701", "36-700"], "F28": ["10-725"]}
    assert failing(curriculum, light) == {"msml.units.min"}
    heavy = {
        "F26": ["10-701", "36-700", "10-725", "10-605", "11-711"],
        "S27": ["10-708", "10-716", "10-707"],
        "F27": ["10-718"],
    }
    assert {"msml.units.max", "msml.units.min"} <= failing(curriculum, heavy)


def test_per_term_unit_override_beats_the_program_cap(curriculum: Curriculum) -> None:
    _, outcome, plan = plan_of(
        curriculum, graduate_by="F27", term_units={"F26": {"max": 60}}, require=["11-711", "10-805"]
    )
    assert outcome.status == "optimal"
    assert all(t.units <= (60 if t.term == "F26" else 48) for t in plan.terms)
