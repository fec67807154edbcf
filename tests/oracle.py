"""An exhaustive, solver-free planner for tiny curricula: the oracle of ``test_oracle.py``.

It reads a curriculum in its own plain form (the dataclasses below, not the planner's
models) and decides, by trying every schedule, whether a plan exists and how few terms it
needs. It imports nothing from the planner (in particular not ``planner.compile``,
``planner.solve`` or ``planner.audit``): the rules are checked as the docstrings in
``planner/rules.py`` and ``planner/compile.py`` state them.

Semantics, for the rule kinds a generated case has:

* every course is taken at most once (generated courses are not repeatable, not
  cross-listed), in a planned term of a season it is offered in, or not at all;
* a prerequisite clause is met by any one of its courses taken in a strictly earlier
  planned term (nothing is completed before the start);
* ``term_units``: a term's units never exceed ``max_units`` of any rule covering its
  season; ``min_units`` holds only in terms up to graduation that are not practicum terms;
* ``max_per_term``: at most ``max_courses`` of its courses in any one term;
* ``practicum``: exactly ``count`` terms of its seasons are practicum terms, and in them
  only the courses in ``allow`` are taken;
* requirements: each taken course counts toward requirements it is listed in -- at most
  one of them under ``no_double_count`` -- so that every ``choose`` has ``count`` courses
  and every ``credit_pool`` has its credits (a course brings units / units_per_credit
  credits, so a 6-unit course is half a credit at 12), while a ``count_limit`` lets at
  most ``max_courses`` of its courses count toward its requirement. The assignment is
  found exactly, by enumerating every reachable counting state;
* graduation is the last term with a course or the practicum; the objective
  ("graduate-early") is the number of terms from the first planned term up to and
  including it, 0 when nothing at all is planned.

Terms are computed here too: a year runs spring, summer, fall; the horizon ends with the
``horizon_semesters``-th fall or spring term counted from the start, summers in between.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

SEASON_ORDER: tuple[str, ...] = ("spring", "summer", "fall")
LETTER: dict[str, str] = {"spring": "S", "summer": "M", "fall": "F"}


# --- The input, in plain form ---------------------------------------------------------------


@dataclass(frozen=True)
class Course:
    code: str
    units: int
    seasons: frozenset[str]
    prereqs: tuple[tuple[str, ...], ...] = ()
    """Clauses, all needed; any one course of a clause meets it."""


@dataclass(frozen=True)
class Choose:
    id: str
    courses: tuple[str, ...]
    count: int


@dataclass(frozen=True)
class CreditPool:
    id: str
    courses: tuple[str, ...]
    half_credits: int
    units_per_credit: int = 12

    @property
    def credits(self) -> Fraction:
        return Fraction(self.half_credits, 2)


@dataclass(frozen=True)
class CountLimit:
    id: str
    rule: str
    courses: tuple[str, ...]
    max_courses: int


@dataclass(frozen=True)
class TermUnits:
    id: str
    seasons: frozenset[str]
    min_units: int | None = None
    max_units: int | None = None


@dataclass(frozen=True)
class MaxPerTerm:
    id: str
    courses: tuple[str, ...]
    max_courses: int


@dataclass(frozen=True)
class Practicum:
    id: str
    seasons: frozenset[str]
    count: int = 1
    allow: tuple[str, ...] = ()


@dataclass(frozen=True)
class Case:
    courses: tuple[Course, ...]
    start: str
    horizon_semesters: int
    chooses: tuple[Choose, ...]
    pools: tuple[CreditPool, ...] = ()
    count_limits: tuple[CountLimit, ...] = ()
    no_double_count: bool = True
    term_units: tuple[TermUnits, ...] = ()
    max_per_term: tuple[MaxPerTerm, ...] = ()
    practicum: Practicum | None = None


@dataclass(frozen=True)
class PlannedTerm:
    code: str
    season: str


@dataclass(frozen=True)
class Answer:
    feasible: bool
    min_terms: int | None
    """The fewest active terms of any valid plan (None when there is no plan)."""
    placement: dict[str, str]
    """An optimal plan: course code -> term code (courses not taken are absent)."""
    practicum: tuple[str, ...]
    nodes: int
    """Partial schedules the search visited (for the statistics)."""


# --- Terms ----------------------------------------------------------------------------------


def planned_terms(start: str, semesters: int) -> tuple[PlannedTerm, ...]:
    """From `start` (F26, S27, M27) to its `semesters`-th fall or spring term, summers in
    between."""
    season = {v: k for k, v in LETTER.items()}[start[0]]
    year = 2000 + int(start[1:])
    position = SEASON_ORDER.index(season)
    out: list[PlannedTerm] = []
    seen = 0
    while True:
        season = SEASON_ORDER[position]
        out.append(PlannedTerm(f"{LETTER[season]}{year % 100:02d}", season))
        if season != "summer":
            seen += 1
            if seen >= semesters:
                return tuple(out)
        position += 1
        if position == len(SEASON_ORDER):
            position, year = 0, year + 1


# --- Requirements: which sets of taken courses can fill them --------------------------------


def requirements_table(case: Case, codes: list[str]) -> list[bool]:
    """For every subset of `codes` (a bit mask), whether taking exactly those courses lets
    the requirements be filled under the counting rules.

    The states reachable after counting the courses of a mask are built from those of the
    mask without its highest course: that course counts toward one allowed set of
    requirements (or none). A state is the progress of each requirement (capped at what it
    needs) and how many courses each count limit has let through.
    """
    requirements: list[Choose | CreditPool] = [*case.chooses, *case.pools]
    needed = [Fraction(r.count) if isinstance(r, Choose) else r.credits for r in requirements]
    position = {r.id: k for k, r in enumerate(requirements)}
    limits = [lim for lim in case.count_limits if lim.rule in position]
    units = {c.code: c.units for c in case.courses}

    def gain(k: int, code: str) -> Fraction:
        rule = requirements[k]
        if isinstance(rule, Choose):
            return Fraction(1)
        return Fraction(units[code], rule.units_per_credit)

    def options(code: str) -> list[tuple[int, ...]]:
        eligible = [k for k, r in enumerate(requirements) if code in r.courses]
        if case.no_double_count:
            return [(), *((k,) for k in eligible)]
        subsets: list[tuple[int, ...]] = [()]
        for size in range(1, len(eligible) + 1):
            subsets.extend(combinations(eligible, size))
        return subsets

    State = tuple[tuple[Fraction, ...], tuple[int, ...]]

    def step(state: State, code: str, toward: tuple[int, ...]) -> State | None:
        progress, used = list(state[0]), list(state[1])
        for k in toward:
            progress[k] = min(needed[k], progress[k] + gain(k, code))
            for j, lim in enumerate(limits):
                if position[lim.rule] == k and code in lim.courses:
                    used[j] += 1
                    if used[j] > lim.max_courses:
                        return None
        return tuple(progress), tuple(used)

    n = len(codes)
    choices = [options(code) for code in codes]
    start: State = (tuple(Fraction(0) for _ in requirements), tuple(0 for _ in limits))
    states: list[set[State]] = [{start}]
    ok = [all(p >= need for p, need in zip(start[0], needed, strict=True))]
    for mask in range(1, 1 << n):
        top = mask.bit_length() - 1
        reached: set[State] = set()
        for state in states[mask ^ (1 << top)]:
            for toward in choices[top]:
                new = step(state, codes[top], toward)
                if new is not None:
                    reached.add(new)
        states.append(reached)
        ok.append(
            any(all(p >= need for p, need in zip(s[0], needed, strict=True)) for s in reached)
        )
    return ok


# --- Checking one plan ----------------------------------------------------------------------


def _caps(case: Case, season: str) -> list[int]:
    return [r.max_units for r in case.term_units if season in r.seasons and r.max_units is not None]


def _floors(case: Case, season: str) -> list[int]:
    return [r.min_units for r in case.term_units if season in r.seasons and r.min_units is not None]


def graduation(case: Case, placement: Mapping[str, str], practicum: Iterable[str] = ()) -> int:
    """The number of active terms of a plan: up to its last course or practicum term."""
    terms = [t.code for t in planned_terms(case.start, case.horizon_semesters)]
    used = [terms.index(t) for t in [*placement.values(), *practicum]]
    return max(used) + 1 if used else 0


def check_plan(
    case: Case, placement: Mapping[str, str], practicum: Iterable[str] = ()
) -> list[str]:
    """Every rule a plan breaks, in words; [] for a valid plan.

    `placement` maps each taken course to its term code; `practicum` lists the practicum
    terms. This is the plain, non-incremental statement of the rules; the search below
    applies the same rules incrementally.
    """
    terms = planned_terms(case.start, case.horizon_semesters)
    index = {t.code: i for i, t in enumerate(terms)}
    courses = {c.code: c for c in case.courses}
    busy = set(practicum)
    problems: list[str] = []
    for code, at in placement.items():
        if code not in courses:
            problems.append(f"unknown course {code}")
            continue
        if at not in index:
            problems.append(f"{code}@{at}: not a planned term")
            continue
        course = courses[code]
        if terms[index[at]].season not in course.seasons:
            problems.append(f"{code}@{at}: not offered")
        for clause in course.prereqs:
            if not any(
                alt in placement and index.get(placement[alt], len(terms)) < index[at]
                for alt in clause
            ):
                problems.append(f"{code}@{at}: no earlier course of {clause}")
    if problems:
        return problems
    last = graduation(case, placement, busy)
    for i, term in enumerate(terms):
        here = [code for code, t in placement.items() if t == term.code]
        units = sum(courses[c].units for c in here)
        for cap in _caps(case, term.season):
            if units > cap:
                problems.append(f"{term.code}: {units} units > {cap}")
        if i < last and term.code not in busy:
            for floor in _floors(case, term.season):
                if units < floor:
                    problems.append(f"{term.code}: {units} units < {floor}")
        for cap_rule in case.max_per_term:
            n = sum(1 for c in here if c in cap_rule.courses)
            if n > cap_rule.max_courses:
                problems.append(f"{term.code}: {n} courses of {cap_rule.id}")
    if case.practicum is not None:
        rule = case.practicum
        if len(busy) != rule.count:
            problems.append(f"{len(busy)} practicum terms, not {rule.count}")
        for term_code in busy:
            if term_code not in index or terms[index[term_code]].season not in rule.seasons:
                problems.append(f"practicum in {term_code}")
        for code, term_code in placement.items():
            if term_code in busy and code not in rule.allow:
                problems.append(f"{code}@{term_code} during the practicum")
    elif busy:
        problems.append("a practicum term without a practicum rule")
    codes = sorted(courses)
    mask = sum(1 << i for i, code in enumerate(codes) if code in placement)
    if not requirements_table(case, codes)[mask]:
        problems.append("the requirements cannot be filled by the courses taken")
    return problems


# --- The exhaustive search ------------------------------------------------------------------


def _topological(case: Case) -> list[Course]:
    """The courses, each after every course its prerequisites name (ties by code)."""
    left = {c.code: c for c in case.courses}
    out: list[Course] = []
    while left:
        ready = sorted(
            code
            for code, c in left.items()
            if all(alt not in left for clause in c.prereqs for alt in clause)
        )
        if not ready:
            raise ValueError("prerequisite cycle")
        out.append(left.pop(ready[0]))
    return out


class _Search:
    """Depth-first over the courses in prerequisite order, each placed in a term it may
    take or left out, for one fixed choice of practicum terms. Every rule is checked as
    soon as the courses it concerns are placed; a branch is cut when a rule is already
    broken, when it cannot end before the best plan found, when even every remaining
    course could not fill the requirements, or when an enrolled term can no longer reach
    its minimum units."""

    def __init__(
        self, case: Case, order: list[Course], ok: list[bool], busy: tuple[int, ...], best: int
    ) -> None:
        self.terms = planned_terms(case.start, case.horizon_semesters)
        self.order = order
        self.ok = ok
        at = {c.code: i for i, c in enumerate(order)}
        self.caps = [min(_caps(case, t.season), default=None) for t in self.terms]
        self.floors = [max(_floors(case, t.season), default=0) for t in self.terms]
        self.clauses = [[[at[a] for a in clause] for clause in c.prereqs] for c in self.order]
        self.per_term = [
            ({at[c] for c in rule.courses}, rule.max_courses) for rule in case.max_per_term
        ]
        self.busy = busy
        allow = set(case.practicum.allow) if case.practicum else set()
        self.domains = [
            [
                i
                for i, t in enumerate(self.terms)
                if t.season in course.seasons and (i not in busy or course.code in allow)
            ]
            for course in self.order
        ]
        n, count = len(self.order), len(self.terms)
        # rest[p][i]: the most units courses p.. could still add to term i.
        self.rest = [[0] * count for _ in range(n + 1)]
        # later[p]: the mask of courses p..
        self.later = [0] * (n + 1)
        for p in range(n - 1, -1, -1):
            self.rest[p] = list(self.rest[p + 1])
            for i in self.domains[p]:
                self.rest[p][i] += self.order[p].units
            self.later[p] = self.later[p + 1] | (1 << p)
        self.place: list[int | None] = [None] * n
        self.units = [0] * count
        self.load = [[0] * count for _ in self.per_term]
        self.best = best
        self.best_place: list[int | None] | None = None
        self.nodes = 0

    def before(self, a: int, i: int) -> bool:
        term = self.place[a]
        return term is not None and term < i

    def fits(self, p: int, i: int) -> bool:
        if not all(any(self.before(a, i) for a in clause) for clause in self.clauses[p]):
            return False
        cap = self.caps[i]
        if cap is not None and self.units[i] + self.order[p].units > cap:
            return False
        return all(
            p not in members or self.load[j][i] < most
            for j, (members, most) in enumerate(self.per_term)
        )

    def put(self, p: int, i: int, sign: int) -> None:
        self.place[p] = i if sign > 0 else None
        self.units[i] += sign * self.order[p].units
        for j, (members, _) in enumerate(self.per_term):
            if p in members:
                self.load[j][i] += sign

    def run(self, p: int = 0, mask: int = 0, last: int | None = None) -> None:
        self.nodes += 1
        if last is None:
            last = max(self.busy, default=-1)
        if last + 1 >= self.best or not self.ok[mask | self.later[p]]:
            return
        for i in range(last + 1):
            if i not in self.busy and self.units[i] + self.rest[p][i] < self.floors[i]:
                return
        if p == len(self.order):
            self.best = last + 1
            self.best_place = list(self.place)
            return
        for i in self.domains[p]:
            if self.fits(p, i):
                self.put(p, i, +1)
                self.run(p + 1, mask | (1 << p), max(last, i))
                self.put(p, i, -1)
        self.run(p + 1, mask, last)


def solve(case: Case) -> Answer:
    """Try every schedule and every choice of practicum terms; return whether one is valid
    and the fewest active terms of a valid one."""
    terms = planned_terms(case.start, case.horizon_semesters)
    if case.practicum is None:
        options: list[tuple[int, ...]] = [()]
    else:
        candidates = [i for i, t in enumerate(terms) if t.season in case.practicum.seasons]
        options = list(combinations(candidates, case.practicum.count))
    order = _topological(case)
    codes = [c.code for c in order]
    ok = requirements_table(case, codes)
    best = len(terms) + 1
    found: tuple[_Search, list[int | None]] | None = None
    nodes = 0
    for busy in options:
        search = _Search(case, order, ok, busy, best)
        search.run()
        nodes += search.nodes
        if search.best_place is not None:
            best, found = search.best, (search, search.best_place)
    if found is None:
        return Answer(False, None, {}, (), nodes)
    search, place = found
    placement = {codes[p]: terms[i].code for p, i in enumerate(place) if i is not None}
    practicum = tuple(terms[i].code for i in search.busy)
    problems = check_plan(case, placement, practicum)
    if problems or graduation(case, placement, practicum) != best:
        raise AssertionError(f"the oracle disagrees with itself on {placement}: {problems}")
    return Answer(True, best, placement, practicum, nodes)
