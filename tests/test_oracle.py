"""The CP-SAT planner against an exhaustive oracle, on small random curricula.

Hypothesis generates curricula of up to 8 courses over at most 4 planned terms, with
prerequisites, offerings, choice groups, a credit pool with half credits, "or" lines
(count limits), no double counting, per-term caps, unit bounds and a summer practicum.
For each, ``oracle.solve`` (tests/oracle.py, which uses neither the compiler, the solver
nor the audit) tries every schedule. The solver must agree on feasibility and on the
optimum of the first objective (graduate-early: the number of active terms), its plan
must be valid by the oracle's own check, and it must pass the audit.

Runs the hypothesis profile named by the environment variable PLANNER_ORACLE_PROFILE:
"ci" (300 cases, the same ones every run; the default) or "long" (5000 new cases), e.g.
``PLANNER_ORACLE_PROFILE=long pytest tests/test_oracle.py`` (about two minutes), or
``pytest --hypothesis-profile long`` (tests/conftest.py registers "long" early enough).
Without the variable, the profile hypothesis runs under is used if it is one of these two,
else "ci".
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import oracle
import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from planner.catalog import (
    Catalog,
    CatalogInfo,
    Course,
    Curriculum,
    Program,
    ProgramInfo,
    ProgramShelf,
)
from planner.kinds import (
    Choose,
    CountLimit,
    CreditPool,
    MaxPerTerm,
    NoDoubleCount,
    Practicum,
    Rule,
    TermUnits,
)
from planner.plan import plan_from_outcome
from planner.problem import resolve
from planner.scenario import Scenario
from planner.solve import solve
from planner.terms import SEASONS

from helpers import audited

# --- Hypothesis profiles --------------------------------------------------------------------

# "ci" is hypothesis' own profile (derandomized: the same cases every run; no example
# database), which hypothesis loads by itself when it detects a CI service. Other tests run
# under it, so it is extended here, never replaced. "long" draws new cases every run and
# keeps failures in the example database.
ORACLE_PROFILES: dict[str, dict[str, Any]] = {
    "ci": {"max_examples": 300, "derandomize": True, "database": None},
    "long": {"max_examples": 5000},
}
for _name, _values in ORACLE_PROFILES.items():
    try:
        settings.get_profile(_name)
    except InvalidArgument:
        settings.register_profile(_name, **_values)


def _profile_name() -> str:
    chosen = os.environ.get("PLANNER_ORACLE_PROFILE")
    if chosen:
        return chosen
    current = settings.get_current_profile_name()
    return current if current in ORACLE_PROFILES else "ci"


PROFILE = _profile_name()
ORACLE_SETTINGS = settings(
    settings.get_profile(PROFILE),
    **ORACLE_PROFILES.get(PROFILE, {}),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

PROGRAM_ID = "oracle"
T = TypeVar("T")
TIME_LIMIT = 10.0


# --- Random small curricula -----------------------------------------------------------------


def subsets(codes: list[str], low: int, high: int) -> st.SearchStrategy[list[str]]:
    """Distinct codes from `codes` (as many as there are, if fewer than `low`), sorted."""
    high = min(high, len(codes))
    return st.lists(
        st.sampled_from(codes), min_size=min(low, high), max_size=high, unique=True
    ).map(lambda picked: sorted(picked))


def often(value: T, other: st.SearchStrategy[T], times: int) -> st.SearchStrategy[T]:
    """`value` about `times` times in `times` + 1, else a draw from `other`.

    (A plain ``integers(0, k) == 0`` is far likelier than 1 in k + 1, since hypothesis
    favours boundary values; ``sampled_from`` is much closer to uniform.)
    """
    return st.sampled_from([True] * times + [False]).flatmap(
        lambda usual: st.just(value) if usual else other
    )


def rarely(strategy: st.SearchStrategy[T], times: int) -> st.SearchStrategy[T | None]:
    """None about `times` times in `times` + 1, else a draw from `strategy`."""
    return often(None, strategy, times)


@st.composite
def cases(draw: st.DrawFn) -> oracle.Case:
    n = draw(st.sampled_from([1, 2, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8]))
    codes = [f"90-1{i + 1:02d}" for i in range(n)]
    courses = []
    for i, code in enumerate(codes):
        some = st.frozensets(st.sampled_from(SEASONS), min_size=1, max_size=2)
        seasons = draw(often(frozenset(SEASONS), some, 1))
        if draw(often(False, st.just(True), 15)):
            seasons = frozenset()  # never offered
        clauses = (
            draw(rarely(st.lists(subsets(codes[:i], 1, 2), min_size=1, max_size=2), 2)) if i else []
        )
        courses.append(
            oracle.Course(
                code=code,
                units=draw(st.sampled_from([6, 12])),
                seasons=seasons,
                prereqs=tuple(tuple(clause) for clause in clauses or ()),
            )
        )
    chooses = []
    for k in range(draw(st.sampled_from([1, 1, 2, 3]))):
        count = draw(st.sampled_from([1, 1, 2]))
        group = draw(subsets(codes, count, 4))
        chooses.append(oracle.Choose(f"oracle.choose-{k}", tuple(group), count))
    pools = tuple(
        oracle.CreditPool(
            id=f"oracle.pool-{k}",
            courses=tuple(draw(subsets(codes, 1, 5))),
            half_credits=draw(st.sampled_from([1, 2, 3, 4])),
        )
        for k in range(draw(st.sampled_from([0, 1])))
    )
    requirement_ids = [r.id for r in chooses] + [r.id for r in pools]
    count_limits = tuple(
        oracle.CountLimit(
            id=f"oracle.or-{k}",
            rule=draw(st.sampled_from(requirement_ids)),
            courses=tuple(draw(subsets(codes, 1, 3))),
            max_courses=draw(st.sampled_from([1, 1, 0, 2])),
        )
        for k in range(draw(st.sampled_from([0, 0, 1, 2])))
    )
    max_per_term = tuple(
        oracle.MaxPerTerm(
            id=f"oracle.per-term-{k}",
            courses=tuple(draw(subsets(codes, 1, n))),
            max_courses=draw(st.sampled_from([1, 2, 1, 2, 0])),
        )
        for k in range(draw(st.sampled_from([0, 0, 1])))
    )
    term_units = [draw(unit_bounds("oracle.units", 12, 36, every_season=True))]
    extra = draw(rarely(unit_bounds("oracle.units-extra", 0, 24, every_season=False), 3))
    if extra is not None:
        term_units.append(extra)
    start = draw(st.sampled_from(["F26", "F26", "S27"]))
    horizon = draw(st.sampled_from([3, 3, 3, 3, 3, 2, 1]))
    terms = oracle.planned_terms(start, horizon)
    assert len(terms) <= 4
    has_summer = any(t.season == "summer" for t in terms)
    practicum = draw(
        rarely(
            st.builds(
                oracle.Practicum,
                id=st.just("oracle.practicum"),
                seasons=often(frozenset({"summer"}), st.just(frozenset(SEASONS)), 3),
                count=often(1, st.just(2), 5),
                allow=subsets(codes, 0, 2).map(tuple),
            ),
            2 if has_summer else 11,
        )
    )
    case = oracle.Case(
        courses=tuple(courses),
        start=start,
        horizon_semesters=horizon,
        chooses=tuple(chooses),
        pools=pools,
        count_limits=count_limits,
        no_double_count=draw(often(True, st.just(False), 4)),
        term_units=tuple(term_units),
        max_per_term=max_per_term,
        practicum=practicum,
    )
    return draw(with_scenario(case))


@st.composite
def with_scenario(draw: st.DrawFn, case: oracle.Case) -> oracle.Case:
    """The case with a student's what-ifs: a deadline, a stay, unit bounds for every term
    and for one, a dropped offering, a substitution and waivers of any rule, generated
    ones included (all of them, each only now and then)."""
    codes = [c.code for c in case.courses]
    terms = [t.code for t in oracle.planned_terms(case.start, case.horizon_semesters)]
    past = [t.code for t in oracle.planned_terms(case.start, case.horizon_semesters + 1)]
    fields: dict[str, Any] = {
        "graduate_by": draw(rarely(st.sampled_from(terms), 4)),
        "enrolled_through": draw(rarely(st.sampled_from(past), 2)),
        "not_offered": tuple(
            draw(st.lists(st.tuples(st.sampled_from(codes), st.sampled_from(terms)), max_size=2))
        )
        if draw(often(False, st.just(True), 3))
        else (),
    }
    if draw(often(False, st.just(True), 2)):
        fields["units"] = draw(unit_bounds("scenario.units", 6, 24, every_season=True))
    if draw(often(False, st.just(True), 2)):
        term = draw(st.sampled_from(terms))
        least = draw(st.sampled_from([None, 0, 12, 24]))
        most = draw(st.sampled_from([None, 24, 36, 48]).filter(lambda m: m is not None or least))
        if least is not None and most is not None and least > most:
            least, most = most, least
        fields["term_bounds"] = ((term, least, most),)
    listed = sorted({c for r in [*case.chooses, *case.pools] for c in r.courses})
    if listed and draw(often(False, st.just(True), 4)):
        fields["substitute"] = ((draw(st.sampled_from(listed)), draw(st.sampled_from(codes))),)
    drafted = replace(case, **fields)
    waivable = [r.id for r in [*case.chooses, *case.pools, *case.count_limits]]
    waivable += [r.id for r in [*case.term_units, *case.max_per_term]]
    waivable += [f"catalog.offered.{c}" for c in codes]
    waivable += [f"catalog.prereq.{c.code}" for c in case.courses if c.prereqs]
    waivable += ["oracle.no-double-count"] if case.no_double_count else []
    waivable += [case.practicum.id] if case.practicum else []
    waivable += ["scenario.graduate-by"] if drafted.graduate_by else []
    waivable += ["scenario.enrolled-through"] if drafted.enrolled_through else []
    waivable += ["scenario.units"] if drafted.units else []
    waivable += [f"scenario.units.{t}" for t, _, _ in drafted.term_bounds]
    if case.horizon_semesters <= 2:  # as far again: keep the window small for the oracle
        waivable.append("planner.horizon")
    waive = draw(often(frozenset(), st.frozensets(st.sampled_from(waivable), max_size=2), 3))
    return replace(drafted, waive=waive)


def scenario_of(case: oracle.Case) -> Scenario:
    """The planner's scenario for the oracle's what-ifs."""
    fields: dict[str, Any] = {"program": PROGRAM_ID, "start": case.start}
    if case.graduate_by:
        fields["graduate_by"] = case.graduate_by
    if case.enrolled_through:
        fields["enrolled_through"] = case.enrolled_through
    if case.units is not None:
        fields["units"] = {"min": case.units.min_units, "max": case.units.max_units}
    fields["term_units"] = {t: {"min": low, "max": high} for t, low, high in case.term_bounds}
    fields["not_offered"] = [f"{c}@{t}" for c, t in case.not_offered]
    fields["substitute"] = [f"{old}={new}" for old, new in case.substitute]
    fields["waive"] = sorted(case.waive)
    return Scenario.model_validate(fields)


@st.composite
def unit_bounds(
    draw: st.DrawFn, rule_id: str, low: int, high: int, *, every_season: bool
) -> oracle.TermUnits:
    """A max in [low, high], and sometimes a min up to it, for all or some seasons."""
    most = draw(st.integers(low, high))
    least = draw(rarely(st.sampled_from([v for v in (0, 6, 12, 18, 24) if v <= most]), 2))
    some = st.frozensets(st.sampled_from(SEASONS), min_size=1)
    seasons = draw(often(frozenset(SEASONS), some, 3) if every_season else some)
    return oracle.TermUnits(id=rule_id, seasons=seasons, min_units=least, max_units=most)


# --- The same case as the planner's models --------------------------------------------------


def in_order(seasons: frozenset[str]) -> list[str]:
    return [s for s in SEASONS if s in seasons]


def curriculum_of(case: oracle.Case) -> Curriculum:
    catalog = Catalog(
        catalog=CatalogInfo(title="Random oracle catalog"),
        courses=[
            Course(
                code=c.code,
                title=f"Course {c.code}",
                units=c.units,
                seasons=in_order(c.seasons),
                prereqs=[clause[0] if len(clause) == 1 else list(clause) for clause in c.prereqs],
            )
            for c in case.courses
        ],
    )
    rules: list[Rule] = [
        Choose(id=r.id, title="Choose", courses=list(r.courses), count=r.count)
        for r in case.chooses
    ]
    rules += [
        CreditPool(
            id=r.id,
            title="Credits",
            courses=list(r.courses),
            credits=r.half_credits / 2,
            units_per_credit=r.units_per_credit,
        )
        for r in case.pools
    ]
    rules += [
        CountLimit(
            id=r.id, title="Or", rule=r.rule, courses=list(r.courses), max_courses=r.max_courses
        )
        for r in case.count_limits
    ]
    if case.no_double_count:
        rules.append(NoDoubleCount(id="oracle.no-double-count", title="No double counting"))
    rules += [
        MaxPerTerm(id=r.id, title="Cap", courses=list(r.courses), max_courses=r.max_courses)
        for r in case.max_per_term
    ]
    rules += [
        TermUnits(
            id=r.id,
            title="Units",
            min_units=r.min_units,
            max_units=r.max_units,
            seasons=in_order(r.seasons),
        )
        for r in case.term_units
    ]
    if case.practicum is not None:
        p = case.practicum
        rules.append(
            Practicum(
                id=p.id,
                title="Practicum",
                seasons=in_order(p.seasons),
                count=p.count,
                allow=list(p.allow),
            )
        )
    program = Program(
        program=ProgramInfo(
            id=PROGRAM_ID,
            title="Random oracle program",
            first_entry_year=2026,
            default_start="F26",
            horizon_semesters=case.horizon_semesters,
        ),
        rules=rules,
    )
    return Curriculum(catalog=catalog, programs=ProgramShelf([program]), root=Path("."))


# --- The property ---------------------------------------------------------------------------

A, B, C = "90-101", "90-102", "90-103"
EVERY, FALL, SPRING = frozenset(SEASONS), frozenset({"fall"}), frozenset({"spring"})
AT_MOST_12 = (oracle.TermUnits("oracle.units", EVERY, None, 12),)
FROM_12_TO_24 = (oracle.TermUnits("oracle.units", EVERY, 12, 24),)


def small(courses: list[oracle.Course], **fields: Any) -> oracle.Case:
    """A case by hand: F26-F27 (4 terms), at most 12 units a term unless `fields` say."""
    base: dict[str, Any] = {
        "courses": tuple(courses),
        "start": "F26",
        "horizon_semesters": 3,
        "chooses": (),
        "term_units": AT_MOST_12,
    }
    return oracle.Case(**{**base, **fields})


# Corners that random cases reach only now and then, checked on every run, with the
# number of active terms the oracle finds for each.
CORNERS = [
    # The minimum does not apply in the practicum term: A@F26, B@S27, practicum M27.
    (
        small(
            [oracle.Course(A, 12, FALL), oracle.Course(B, 12, SPRING)],
            chooses=(oracle.Choose("oracle.core", (A, B), 2),),
            practicum=oracle.Practicum("oracle.practicum", frozenset({"summer"})),
            term_units=FROM_12_TO_24,
        ),
        3,
    ),
    # Nor after graduation: A@F26 is the whole plan, though nothing fits S27-F27.
    (
        small(
            [oracle.Course(A, 12, FALL)],
            chooses=(oracle.Choose("oracle.core", (A,), 1),),
            term_units=FROM_12_TO_24,
        ),
        1,
    ),
    # Half credits: 6 + 12 units make exactly 1.5 credits, all in one term.
    (
        small(
            [oracle.Course(A, 6, EVERY), oracle.Course(B, 12, EVERY), oracle.Course(C, 12, EVERY)],
            chooses=(oracle.Choose("oracle.core", (C,), 1),),
            pools=(oracle.CreditPool("oracle.pool", (A, B), half_credits=3),),
            term_units=(oracle.TermUnits("oracle.units", EVERY, None, 30),),
        ),
        1,
    ),
    # An "or" line: at most one of A, B counts toward the pool, so C is needed too and
    # the plan takes two terms.
    (
        small(
            [oracle.Course(A, 12, EVERY), oracle.Course(B, 12, EVERY), oracle.Course(C, 12, EVERY)],
            pools=(oracle.CreditPool("oracle.pool", (A, B, C), half_credits=4),),
            count_limits=(oracle.CountLimit("oracle.or", "oracle.pool", (A, B), 1),),
        ),
        2,
    ),
]


# Corners of the what-ifs, each pinning one reading of the scenario.
TWO_CORE = {
    "chooses": (oracle.Choose("oracle.core", (A, B), 2),),
    "term_units": (oracle.TermUnits("oracle.units", EVERY, None, 24),),
}
TWO = [oracle.Course(A, 12, EVERY), oracle.Course(B, 12, EVERY)]
CORNERS += [
    # A bound for one term beats the scenario's bound for every term: both in F26.
    (
        small(
            TWO,
            **TWO_CORE,
            units=oracle.TermUnits("scenario.units", EVERY, None, 12),
            term_bounds=(("F26", None, 24),),
        ),
        1,
    ),
    # Staying enrolled through M27 makes graduation M27 (the summer may be empty).
    (small(TWO, **TWO_CORE, enrolled_through="M27"), 3),
    # A dropped offering and a waived prerequisite: B needs A first, A is not run in
    # F26, but B's prerequisite is waived, so B goes in F26 and A in S27.
    (
        small(
            [oracle.Course(A, 12, EVERY), oracle.Course(B, 12, EVERY, ((A,),))],
            chooses=(oracle.Choose("oracle.core", (A, B), 2),),
            not_offered=((A, "F26"),),
            waive=frozenset({"catalog.prereq.90-102"}),
        ),
        2,
    ),
    # A substitution: C replaces A in the core, and C fits in F26 beside B.
    (
        small(
            [*TWO, oracle.Course(C, 12, EVERY)],
            **TWO_CORE,
            not_offered=((A, "F26"), (A, "S27"), (A, "M27"), (A, "F27")),
            substitute=((A, C),),
        ),
        1,
    ),
]


@ORACLE_SETTINGS
@given(cases())
@example(CORNERS[0][0])
@example(CORNERS[1][0])
@example(CORNERS[2][0])
@example(CORNERS[3][0])
@example(CORNERS[4][0])
@example(CORNERS[5][0])
@example(CORNERS[6][0])
@example(CORNERS[7][0])
def test_the_solver_agrees_with_the_exhaustive_oracle(case: oracle.Case) -> None:
    curriculum = curriculum_of(case)
    problem = resolve(curriculum, scenario_of(case), "generated")
    assert [t.code for t in problem.terms] == [t.code for t in oracle.window(case)]
    expected = oracle.solve(case)
    outcome = solve(problem, time_limit=TIME_LIMIT)
    event(f"feasible: {expected.feasible}")
    for name in ("graduate_by", "enrolled_through", "units", "term_bounds", "not_offered"):
        if getattr(case, name):
            event(f"scenario sets {name}")
    for name in ("substitute", "waive"):
        if getattr(case, name):
            event(f"scenario sets {name}")
    if any(w.startswith(("catalog.", "planner.")) for w in case.waive):
        event("a generated rule is waived")
    event(f"graduate-early: {expected.min_terms}")

    # 1. Feasibility agrees.
    if not expected.feasible:
        assert outcome.status == "infeasible", (outcome.status, outcome.solution)
        return
    assert outcome.status == "optimal", (outcome.status, outcome.message, expected)
    solution = outcome.solution
    assert solution is not None

    # 2. The optimum of the first objective agrees.
    assert solution.objective["graduate-early"] == expected.min_terms, (
        solution.objective,
        solution.takes,
        solution.practicum,
        expected,
    )

    # 3. The solver's plan is valid: by the oracle's own check, and by the audit.
    placement = {code: term.code for code, term in solution.takes}
    assert len(placement) == len(solution.takes), solution.takes  # nothing taken twice
    practicum = [t.code for t in solution.practicum]
    assert oracle.check_plan(case, placement, practicum) == []
    assert oracle.graduation(case, placement, practicum) == expected.min_terms
    report = audited(curriculum, plan_from_outcome(problem, outcome))
    assert report.passed, [(r.id, r.detail) for r in report.failures]


# --- The oracle itself, on cases worked by hand ---------------------------------------------


@pytest.mark.parametrize(("case", "terms"), CORNERS)
def test_oracle_on_the_corners(case: oracle.Case, terms: int) -> None:
    assert oracle.solve(case).min_terms == terms


def test_oracle_terms_run_spring_summer_fall() -> None:
    assert [t.code for t in oracle.planned_terms("F26", 3)] == ["F26", "S27", "M27", "F27"]
    assert [t.code for t in oracle.planned_terms("S27", 2)] == ["S27", "M27", "F27"]
    assert [t.code for t in oracle.planned_terms("M27", 1)] == ["M27", "F27"]


def test_oracle_prerequisites_are_strictly_earlier() -> None:
    courses = [oracle.Course(A, 12, EVERY), oracle.Course(B, 12, EVERY, ((A,),))]
    case = small(courses, chooses=(oracle.Choose("c", (B,), 1),), term_units=())
    answer = oracle.solve(case)
    assert answer.min_terms == 2
    assert answer.placement == {A: "F26", B: "S27"}
    assert oracle.check_plan(case, {A: "F26", B: "F26"}) != []


def test_oracle_half_credits() -> None:
    courses = [oracle.Course(A, 6, EVERY), oracle.Course(B, 6, EVERY)]
    pool = oracle.CreditPool("p", (A, B), half_credits=2)  # one credit: two 6-unit courses
    case = small(courses, pools=(pool,), term_units=(oracle.TermUnits("u", EVERY, None, 6),))
    assert oracle.solve(case).min_terms == 2
    half = small(courses, pools=(oracle.CreditPool("p", (A, B), 1),))
    assert oracle.solve(half).min_terms == 1


def test_oracle_counting_rules() -> None:
    courses = [oracle.Course(A, 12, EVERY), oracle.Course(B, 12, EVERY)]
    wide = (oracle.TermUnits("u", EVERY, None, 36),)
    both = (oracle.Choose("x", (A,), 1), oracle.Choose("y", (A, B), 1))
    assert oracle.solve(small(courses, chooses=both, term_units=wide)).min_terms == 1
    limited = (oracle.CountLimit("or", "y", (B,), 0),)
    case = small(courses, chooses=both, count_limits=limited, term_units=wide)
    assert not oracle.solve(case).feasible  # A cannot count twice, B may not count toward y
    doubled = small(
        courses, chooses=both, count_limits=limited, term_units=wide, no_double_count=False
    )
    assert oracle.solve(doubled).min_terms == 1
    assert oracle.check_plan(doubled, {A: "F26"}) == []  # A counts toward x and y
    assert oracle.check_plan(case, {A: "F26", B: "F26"}) != []


def test_oracle_minimum_units_only_while_enrolled_and_not_on_practicum() -> None:
    courses = [oracle.Course(A, 12, FALL), oracle.Course(B, 12, FALL)]
    practicum = oracle.Practicum("p", frozenset({"summer"}))
    case = small(
        courses,
        chooses=(oracle.Choose("c", (A, B), 2),),
        term_units=FROM_12_TO_24,
        practicum=practicum,
    )
    answer = oracle.solve(case)
    # F26 A+B, S27 must have 12 units but nothing is left to take there: the practicum
    # in M27 makes S27 an enrolled term, so no plan exists.
    assert not answer.feasible
    no_min_in_spring = (oracle.TermUnits("u", EVERY - {"spring"}, 12, 24),)
    answer = oracle.solve(replace(case, term_units=no_min_in_spring))
    assert answer.min_terms == 3
    assert answer.practicum == ("M27",)
