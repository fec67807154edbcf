"""An exhaustive, solver-free planner for tiny curricula: the oracle of ``test_oracle.py``.

It reads a curriculum in its own plain form (the dataclasses below, not the planner's
models) and decides, by trying every schedule, whether a plan exists and how few terms it
needs. It imports nothing from the planner (in particular not ``planner.compile``,
``planner.solve`` or ``planner.audit``): the rules are checked as the docstrings in
the docstrings of the rule kinds (``planner/kinds/``) state them.

Semantics, for the rule kinds a generated case has:

* only the courses a rule or the scenario names, and their prerequisites, are planned
  with (the rest of the catalog belongs to other programs);
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
* graduation is the last term with a course or the practicum, or the scenario's
  ``enrolled_through`` term if later; the objective ("graduate-early") is the number of
  terms from the first planned term up to and including it, 0 when nothing at all is
  planned and no stay is asked for;
* the scenario: ``graduate_by`` (graduation no later), ``enrolled_through`` (no earlier),
  ``not_offered`` (a course does not run in a term), substitutions (a course replaces
  another in the requirements that list it, and in their "or" lines), unit bounds for
  every term and for single terms (per side, a bound for the term beats one for every
  term, which beats the program's), and waivers of any rule by id, generated ones
  included: ``catalog.prereq.X`` (X needs nothing first), ``catalog.offered.X`` (X runs
  in every term), ``planner.horizon`` (no horizon; the planner then looks as far again).

Terms are computed here too: a year runs spring, summer, fall; the horizon ends with the
``horizon_semesters``-th fall or spring term counted from the start, summers in between,
or at the scenario's deadline or stay if later; graduation may not pass it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
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
    # The scenario.
    graduate_by: str | None = None
    enrolled_through: str | None = None
    units: TermUnits | None = None
    """Bounds for every term (the scenario's ``units``); its id is ``scenario.units``."""
    term_bounds: tuple[tuple[str, int | None, int | None], ...] = ()
    """(term, min, max) for single terms (``term_units``); ids ``scenario.units.<term>``."""
    not_offered: tuple[tuple[str, str], ...] = ()
    substitute: tuple[tuple[str, str], ...] = ()
    """(old, new): new replaces old in every requirement listing old."""
    waive: frozenset[str] = frozenset()


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


def _terms_from(start: str) -> Iterator[PlannedTerm]:
    """Every term from `start` on: a year runs spring, summer, fall."""
    season = {v: k for k, v in LETTER.items()}[start[0]]
    year = 2000 + int(start[1:])
    position = SEASON_ORDER.index(season)
    while True:
        season = SEASON_ORDER[position]
        yield PlannedTerm(f"{LETTER[season]}{year % 100:02d}", season)
        position += 1
        if position == len(SEASON_ORDER):
            position, year = 0, year + 1


def planned_terms(start: str, semesters: int) -> tuple[PlannedTerm, ...]:
    """From `start` (F26, S27, M27) to its `semesters`-th fall or spring term, summers in
    between."""
    out: list[PlannedTerm] = []
    seen = 0
    for term in _terms_from(start):
        out.append(term)
        if term.season != "summer":
            seen += 1
            if seen >= semesters:
                break
    return tuple(out)


def _index_of(code: str) -> int:
    """A term code as a number that orders terms (three a year)."""
    season = {v: k for k, v in LETTER.items()}[code[0]]
    return (2000 + int(code[1:])) * 3 + SEASON_ORDER.index(season)


def horizon_end(case: Case) -> str:
    """The last term of the horizon: the program's, or a later deadline or stay."""
    ends = [planned_terms(case.start, case.horizon_semesters)[-1].code]
    ends += [t for t in (case.graduate_by, case.enrolled_through) if t is not None]
    return max(ends, key=_index_of)


def window(case: Case) -> tuple[PlannedTerm, ...]:
    """The planned terms: to the horizon's end, and as far again when it is waived."""
    end = _index_of(horizon_end(case))
    extra = case.horizon_semesters if "planner.horizon" in case.waive else 0
    terms: list[PlannedTerm] = []
    for term in _terms_from(case.start):
        if _index_of(term.code) > end:
            if extra == 0:
                break
            if term.season != "summer":
                extra -= 1
        terms.append(term)
    return tuple(terms)


def latest_graduation(case: Case) -> int | None:
    """The index (in `window`) of the last term graduation may fall in; None: no limit."""
    terms = [t.code for t in window(case)]
    limits = []
    if "planner.horizon" not in case.waive:
        limits.append(horizon_end(case))
    if case.graduate_by is not None and "scenario.graduate-by" not in case.waive:
        limits.append(case.graduate_by)
    return min(terms.index(t) for t in limits) if limits else None


def stay_index(case: Case) -> int | None:
    if case.enrolled_through is None or "scenario.enrolled-through" in case.waive:
        return None
    return [t.code for t in window(case)].index(case.enrolled_through)


# --- What is in force once substitutions and waivers are applied ----------------------------


def universe(case: Case) -> set[str]:
    """The courses a plan may hold: those a rule or the scenario names (before waivers;
    both sides of a substitution), and, transitively, their prerequisites."""
    named = {
        code
        for rule in (*case.chooses, *case.pools, *case.count_limits, *case.max_per_term)
        for code in rule.courses
    }
    named |= set(case.practicum.allow) if case.practicum else set()
    named |= {c for c, _ in case.not_offered} | {c for pair in case.substitute for c in pair}
    prereqs = {c.code: {p for clause in c.prereqs for p in clause} for c in case.courses}
    found: set[str] = set()
    while named - found:
        code = min(named - found)
        found.add(code)
        named |= prereqs.get(code, set())
    return found & set(prereqs)


def in_force(case: Case) -> Case:
    """The case with substitutions applied, every waived rule taken out and only the
    courses of its universe."""
    kept = universe(case)
    chooses = list(case.chooses)
    pools = list(case.pools)
    limits = list(case.count_limits)
    for old, new in case.substitute:
        targets = {r.id for r in [*chooses, *pools] if old in r.courses}

        def swap(courses: tuple[str, ...], old: str = old, new: str = new) -> tuple[str, ...]:
            return tuple(dict.fromkeys(new if c == old else c for c in courses))

        chooses = [replace(r, courses=swap(r.courses)) if r.id in targets else r for r in chooses]
        pools = [replace(r, courses=swap(r.courses)) if r.id in targets else r for r in pools]
        limits = [replace(r, courses=swap(r.courses)) if r.rule in targets else r for r in limits]
    gone = case.waive
    courses = tuple(
        replace(
            c,
            prereqs=() if f"catalog.prereq.{c.code}" in gone else c.prereqs,
            seasons=frozenset(SEASON_ORDER) if f"catalog.offered.{c.code}" in gone else c.seasons,
        )
        for c in case.courses
        if c.code in kept
    )
    return replace(
        case,
        courses=courses,
        chooses=tuple(r for r in chooses if r.id not in gone),
        pools=tuple(r for r in pools if r.id not in gone),
        count_limits=tuple(r for r in limits if r.id not in gone),
        no_double_count=case.no_double_count and "oracle.no-double-count" not in gone,
        term_units=tuple(r for r in case.term_units if r.id not in gone),
        max_per_term=tuple(r for r in case.max_per_term if r.id not in gone),
        practicum=None if case.practicum and case.practicum.id in gone else case.practicum,
        units=None if "scenario.units" in gone else case.units,
        term_bounds=tuple(b for b in case.term_bounds if f"scenario.units.{b[0]}" not in gone),
        not_offered=tuple(
            (c, t) for c, t in case.not_offered if f"catalog.offered.{c}" not in gone
        ),
        substitute=(),
    )


def offered(case: Case, course: Course, term: PlannedTerm) -> bool:
    return term.season in course.seasons and (course.code, term.code) not in case.not_offered


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


def _bounds(case: Case, term: PlannedTerm, side: str) -> list[int]:
    """The `side` ("min" or "max") bounds on `term`'s units: a scenario bound for this term
    if there is one, else the scenario's bound for every term, else the program's."""
    single = [b[1] if side == "min" else b[2] for b in case.term_bounds if b[0] == term.code]
    every = [getattr(case.units, f"{side}_units")] if case.units is not None else []
    program = [getattr(r, f"{side}_units") for r in case.term_units if term.season in r.seasons]
    for level in (single, every, program):
        values = [v for v in level if v is not None]
        if values:
            return values
    return []


def _cap(case: Case, term: PlannedTerm) -> int | None:
    return min(_bounds(case, term, "max"), default=None)


def _floor(case: Case, term: PlannedTerm) -> int:
    return max(_bounds(case, term, "min"), default=0)


def graduation(case: Case, placement: Mapping[str, str], practicum: Iterable[str] = ()) -> int:
    """The number of active terms of a plan: up to its last course or practicum term, or
    the term the student stays enrolled through if later."""
    terms = [t.code for t in window(case)]
    used = [terms.index(t) for t in [*placement.values(), *practicum]]
    stay = stay_index(case)
    if stay is not None:
        used.append(stay)
    return max(used) + 1 if used else 0


def check_plan(
    case: Case, placement: Mapping[str, str], practicum: Iterable[str] = ()
) -> list[str]:
    """Every rule a plan breaks, in words; [] for a valid plan.

    `placement` maps each taken course to its term code; `practicum` lists the practicum
    terms. This is the plain, non-incremental statement of the rules; the search below
    applies the same rules incrementally.
    """
    rules = in_force(case)
    terms = window(case)
    index = {t.code: i for i, t in enumerate(terms)}
    courses = {c.code: c for c in rules.courses}
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
        if not offered(rules, course, terms[index[at]]):
            problems.append(f"{code}@{at}: not offered")
        for clause in course.prereqs:
            if not any(
                alt in placement and index.get(placement[alt], len(terms)) < index[at]
                for alt in clause
            ):
                problems.append(f"{code}@{at}: no earlier course of {clause}")
    if problems:
        return problems
    active = graduation(case, placement, busy)
    latest = latest_graduation(case)
    if latest is not None and active > latest + 1:
        problems.append(f"graduates in {terms[active - 1].code}, after {terms[latest].code}")
    for i, term in enumerate(terms):
        here = [code for code, t in placement.items() if t == term.code]
        units = sum(courses[c].units for c in here)
        cap = _cap(rules, term)
        if cap is not None and units > cap:
            problems.append(f"{term.code}: {units} units > {cap}")
        if i < active and term.code not in busy and units < _floor(rules, term):
            problems.append(f"{term.code}: {units} units < {_floor(rules, term)}")
        for cap_rule in rules.max_per_term:
            n = sum(1 for c in here if c in cap_rule.courses)
            if n > cap_rule.max_courses:
                problems.append(f"{term.code}: {n} courses of {cap_rule.id}")
    if rules.practicum is not None:
        rule = rules.practicum
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
    if not requirements_table(rules, codes)[mask]:
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
        """`case` has its substitutions and waivers applied (`in_force`)."""
        self.terms = window(case)
        self.order = order
        self.ok = ok
        at = {c.code: i for i, c in enumerate(order)}
        self.caps = [_cap(case, t) for t in self.terms]
        self.floors = [_floor(case, t) for t in self.terms]
        latest = latest_graduation(case)
        self.latest = len(self.terms) - 1 if latest is None else latest
        self.stay = stay_index(case)
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
                if offered(case, course, t)
                and i <= self.latest
                and (i not in busy or course.code in allow)
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
        end = last if self.stay is None else max(last, self.stay)  # graduation, so far
        if end + 1 >= self.best or not self.ok[mask | self.later[p]]:
            return
        for i in range(end + 1):
            if i not in self.busy and self.units[i] + self.rest[p][i] < self.floors[i]:
                return
        if p == len(self.order):
            self.best = end + 1
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
    rules = in_force(case)
    terms = window(case)
    latest = latest_graduation(case)
    last = len(terms) - 1 if latest is None else latest
    stay = stay_index(case)
    if rules.practicum is None:
        options: list[tuple[int, ...]] = [()]
    else:
        candidates = [
            i for i, t in enumerate(terms) if t.season in rules.practicum.seasons and i <= last
        ]
        options = list(combinations(candidates, rules.practicum.count))
    if stay is not None and stay > last:
        options = []  # enrolled past the last term graduation may fall in
    order = _topological(rules)
    codes = [c.code for c in order]
    ok = requirements_table(rules, codes)
    best = len(terms) + 1
    found: tuple[_Search, list[int | None]] | None = None
    nodes = 0
    for busy in options:
        search = _Search(rules, order, ok, busy, best)
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
