"""Resolve a curriculum and a scenario into one planning problem.

This is where the scenario meets the data: the program version is chosen, substitutions
and waivers are applied, catalog facts become rules (prerequisites, offerings, no
repeats), the scenario's own wishes become rules (pins, must-take, avoid, graduate-by,
unit bounds), and every reference is checked. The result is plain data, the same input
to the CP-SAT compiler and to the solver-free audit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any

from planner import semantics
from planner.catalog import Course, Curriculum, Program, referenced_courses
from planner.errors import PlannerError, did_you_mean, likely_typo
from planner.history import HistoryRule
from planner.ids import COURSE_PATTERN, split_at
from planner.kinds import (
    AllOf,
    Avoid,
    CountingPolicy,
    CountLimit,
    EnrolledThrough,
    GraduateBy,
    NoRepeat,
    Offering,
    OnePerLine,
    Origin,
    Pin,
    Prerequisite,
    Require,
    Rule,
    TermUnits,
    is_requirement,
)
from planner.scenario import Objective, Scenario, Substitution
from planner.semantics import UnitBound
from planner.terms import LAST_YEAR, Term, parse_term, semesters_from

ORIGIN: Origin = "scenario"
"""The origin of every rule made from the scenario's wishes."""

HORIZON = "planner.horizon"
"""The rule that keeps a plan within the planning window (waivable like any other)."""

NOT_IN_CATALOG = "(not in the catalog)"
"""The title of a course read from a transcript that gives none."""

DEFAULT_UNITS = 12
"""Units of a CMU course the catalog does not know, unless a plan file or an ``[[outside]]``
declaration gives them: the CMU default for a graduate course (assumption A5)."""


@dataclass(frozen=True)
class Problem:
    """Everything the compiler and the audit need, with every reference resolved."""

    programs: tuple[Program, ...]
    scenario: Scenario
    courses: dict[str, Course]
    start: Term
    terms: tuple[Term, ...]
    completed: tuple[tuple[str, Term], ...]
    practicum_completed: Term | None
    rules: tuple[Rule, ...]
    waived: tuple[Rule, ...]
    prefer: tuple[str, ...]
    requested: frozenset[str]
    objective: tuple[Objective, ...]
    deadline: Term | None = None
    outside: frozenset[str] = frozenset()
    """Courses taken that the catalog does not know: declared outside courses, and CMU
    numbers read as courses that count toward nothing (Degree Works' "fallthrough")."""
    warnings: tuple[str, ...] = ()
    """What the student should know about the input (a course the catalog lacks)."""
    history: HistoryRule | None = None
    """How the catalog reads offering history (for how likely a course runs)."""
    entry_year: int = 0
    """The year the student entered, which chose each program's version."""

    @property
    def program(self) -> Program:
        """The main program (the first named)."""
        return self.programs[0]

    @cached_property
    def rule_by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    @cached_property
    def unit_bounds(self) -> dict[Term, UnitBound]:
        """The unit bounds in force in each planned term (`semantics.unit_bounds`)."""
        return semantics.unit_bounds(self.rules, self.terms)

    def completed_count(self, code: str) -> int:
        return sum(1 for c, _ in self.completed if c == code)

    def likelihood(self, code: str, term: Term) -> Fraction | None:
        """How often `code` ran in the recent terms of `term`'s season; None where the
        record is not complete for it."""
        course = self.courses.get(code)
        if self.history is None or course is None or not self.history.covers(code):
            return None
        return self.history.likelihood(course.ran, term.season)


def resolve(
    curriculum: Curriculum,
    scenario: Scenario,
    origin: str = "scenario",
    *,
    extend_to: Term | None = None,
    slack_semesters: int = 0,
    keep: frozenset[str] = frozenset(),
) -> Problem:
    """Check `scenario` against `curriculum` and build the Problem; errors name `origin`.

    The planned terms run from the start to the end of the program's horizon, or to the
    scenario's deadline or enrolled-through term, whichever is latest. Finishing by then
    is a rule like any other, ``planner.horizon``: explanations name it, repairs relax it
    (``--semesters N``), the audit checks it, and it can be waived, which lets the planner
    look as far again past it. ``slack_semesters`` adds terms past the horizon
    (explanations use them to test whether more time would help). An audit passes
    `extend_to`, its plan's last term, so that the terms reach it, and `keep`, the
    courses its plan holds: planning considers only the courses the programs and the
    scenario name, and their prerequisites.
    """
    return _Resolver(curriculum, scenario, origin, extend_to, slack_semesters, keep).problem()


class _Resolver:
    def __init__(
        self,
        curriculum: Curriculum,
        scenario: Scenario,
        origin: str,
        extend_to: Term | None,
        slack_semesters: int,
        keep: frozenset[str] = frozenset(),
    ) -> None:
        self.extend_to = extend_to
        self.keep = keep
        self.slack_semesters = slack_semesters
        self.curriculum = curriculum
        self.catalog = curriculum.catalog
        self.courses = {c.code: c for c in sorted(self.catalog.courses, key=lambda c: c.code)}
        self.scenario = scenario
        self.origin = origin
        self.outside: set[str] = set()
        self.warnings: list[str] = []
        self._declare_outside()

    def fail(self, place: str, message: str) -> PlannerError:
        return PlannerError(message, file=self.origin, place=place)

    def _declare_outside(self) -> None:
        for i, declared in enumerate(self.scenario.outside):
            if declared.code in self.courses:
                known = "is in the catalog" if declared.code not in self.outside else "is twice"
                raise self.fail(f"outside[{i}].code", f"{declared.code} {known}; list it once")
            self._add_outside(declared.code, declared.title, declared.units, declared.source)
            if re.fullmatch(COURSE_PATTERN, declared.code):
                self._warn_if_misspelled(declared.code)

    def _warn_if_misspelled(self, code: str) -> None:
        """A CMU number close to a catalog one may be a typo: say so (a warning, not an
        error, since real transcripts hold courses the catalog lacks)."""
        guess = likely_typo(code, self.catalog.by_code)
        if guess:
            self.warnings.append(
                f"{code} is not in the catalog; did you mean '{guess}'? It is read as a"
                " course that counts toward nothing."
            )

    def _add_outside(self, code: str, title: str, units: int, source: str) -> None:
        # Validated as an outside course already; model_construct keeps its code, which
        # need not be a CMU number.
        self.courses[code] = Course.model_construct(
            code=code, title=title, units=units, source=source
        )
        self.outside.add(code)

    def course(self, code: str, place: str, *, taken: bool = False) -> str:
        """`code` if the scenario may name it here. A course only taken (completed, or
        approved as a stand-in) may be one the catalog lacks: a declared outside course,
        or a well-formed CMU number read as a course that counts toward nothing."""
        if code in self.courses:
            if taken or code not in self.outside:
                return code
            raise self.fail(
                place, f"{code} is not in the catalog: it can be completed, not planned"
            )
        if taken and re.fullmatch(COURSE_PATTERN, code):
            self._add_outside(code, NOT_IN_CATALOG, DEFAULT_UNITS, "")
            self._warn_if_misspelled(code)
            return code
        if taken:
            raise self.fail(
                place,
                f"unknown course '{code}': not in the catalog; declare it in [[outside]] with"
                " its title and units",
            )
        raise self.fail(place, f"unknown course '{code}'{self.catalog.suggest(code)}")

    def placement(self, text: str, place: str, *, taken: bool = False) -> tuple[str, Term]:
        code, term = split_at(text)
        return self.course(code, place, taken=taken), parse_term(term)

    def problem(self) -> Problem:
        sc = self.scenario
        start = parse_term(sc.start) if sc.start else None
        completed = [
            self.placement(p, f"completed[{i}]", taken=True) for i, p in enumerate(sc.completed)
        ]
        entry_year, programs = self._programs(self._entry_years(completed, start))
        program = programs[0]
        horizon_semesters = max(p.program.horizon_semesters for p in programs)
        if start is None:
            start = parse_term(program.program.default_start)
        self._check_completed(completed, start)

        deadline = self._deadline(start)
        stay = parse_term(sc.enrolled_through) if sc.enrolled_through else None
        horizon_end = max(
            t
            for t in (semesters_from(start, horizon_semesters)[-1], deadline, stay)
            if t is not None
        )
        last = horizon_end
        if HORIZON in sc.waive:  # no horizon: look as far again past it
            last = semesters_from(last.next(), horizon_semesters)[-1]
        if self.extend_to is not None and self.extend_to > last:
            last = self.extend_to
        if self.slack_semesters:
            last = semesters_from(last.next(), self.slack_semesters)[-1]
        if last.year > LAST_YEAR:
            raise self.fail("start", f"the planned terms would run past {LAST_YEAR}")
        terms = tuple(Term(i) for i in range(start.index, last.index + 1))
        semesters = sum(1 for t in terms if t.is_semester and t <= horizon_end)
        horizon: list[Rule] = [
            GraduateBy(
                id=HORIZON,
                title=f"Finish within the planning horizon of {semesters} semesters",
                term=horizon_end.code,
                origin="planner",
                source="program.horizon_semesters, or the scenario's deadline or stay if later",
            )
        ]

        program_rules = self._substituted(
            [
                r
                for p in programs
                for r in p.rules
                # A bound standing for an unplanned host program goes when it is planned.
                if not (len(programs) > 1 and getattr(r, "when_alone", False))
            ]
        )
        self._keep_only(self._universe(program_rules, completed))
        generated = (
            self._catalog_rules(terms, start)
            + self._scenario_rules(terms, start, deadline)
            + horizon
        )
        all_rules = program_rules + generated
        waived_ids = self._check_waivers(all_rules)
        rules = tuple(r for r in all_rules if r.id not in waived_ids)
        waived = tuple(r for r in all_rules if r.id in waived_ids)
        practicum_done = parse_term(sc.practicum_completed) if sc.practicum_completed else None
        if practicum_done is not None and practicum_done >= start:
            raise self.fail(
                "practicum_completed", f"{practicum_done} is not before the start term {start}"
            )
        for i, code in enumerate(sc.prefer):
            self.course(code, f"prefer[{i}]")
        requested = {*sc.require, *sc.prefer, *(split_at(p)[0] for p in sc.pin)}
        return Problem(
            programs=programs,
            scenario=sc,
            courses=self.courses,
            start=start,
            terms=terms,
            completed=tuple(sorted(completed, key=lambda ct: (ct[1], ct[0]))),
            practicum_completed=practicum_done,
            rules=rules,
            waived=waived,
            prefer=tuple(sorted(set(sc.prefer))),
            requested=frozenset(requested),
            objective=tuple(sc.objective),
            deadline=deadline,
            outside=frozenset(self.outside),
            warnings=tuple(self.warnings),
            history=self.catalog.catalog.history,
            entry_year=entry_year,
        )

    def _entry_years(self, completed: list[tuple[str, Term]], start: Term | None) -> list[int]:
        """Candidate entry years, best first: the scenario's own, else the year of the
        earliest completed course, else the start year (a course taken before entering
        the program, say as an undergraduate, does not make the program older)."""
        if self.scenario.entry_year is not None:
            return [self.scenario.entry_year]
        years = [min(t for _, t in completed).year] if completed else []
        if start is None:
            first = self.scenario.program_ids[0]
            versions = self.curriculum.versions(first)
            start = parse_term(versions[-1].program.default_start) if versions else None
        if start is not None:
            years.append(start.year)
        return years

    def _universe(self, rules: list[Rule], completed: list[tuple[str, Term]]) -> set[str]:
        """The courses a plan may hold: those the programs' rules name, those the scenario
        names (taken, asked for, moved, allowed) and those kept (an audited plan's), with
        their cross-listings and, transitively, their prerequisites. The rest of the
        catalog (another program's courses) stays out of the model."""
        sc = self.scenario
        named = {code for rule in rules for _, code in referenced_courses(rule)}
        named |= {code for code, _ in completed} | set(self.outside) | set(self.keep)
        named |= {*sc.require, *sc.avoid, *sc.prefer}
        named |= {split_at(p)[0] for p in (*sc.pin, *sc.offered, *sc.not_offered)}
        named |= {c for s in (*sc.substitute, *sc.also_allow) for c in (s.old, s.new)}
        universe: set[str] = set()
        todo = [c for c in named if c in self.courses]
        while todo:
            code = todo.pop()
            if code in universe:
                continue
            universe.add(code)
            todo += [
                c
                for clause in self.courses[code].prereq_clauses
                for c in clause
                if c in self.courses and c not in universe
            ]
        # A cross-listing stays too, so that taking one number rules out the other; its
        # own prerequisites are not brought in (a clause left empty cannot be met, so it
        # is never planned unless named).
        groups = {c: g for g in self._groups() for c in g}
        return universe | {c for code in universe for c in groups.get(code, [])}

    def _keep_only(self, universe: set[str]) -> None:
        self.courses = {c: course for c, course in self.courses.items() if c in universe}

    def _programs(self, entry_years: list[int]) -> tuple[int, tuple[Program, ...]]:
        """The entry year (the first candidate every program admits) and, for each
        program named, the version a student entering then follows."""
        ids = self.scenario.program_ids
        error: PlannerError | None = None
        for year in entry_years or [0]:
            try:
                return year, tuple(self.curriculum.program_for(pid, year) for pid in ids)
            except PlannerError as exc:
                error = error or exc
        assert error is not None
        raise self.fail("program", error.message)

    def _check_completed(self, completed: list[tuple[str, Term]], start: Term) -> None:
        seen: dict[str, int] = {}
        groups = {c: g for g in self._groups() for c in g}
        for i, (code, term) in enumerate(completed):
            if term >= start:
                raise self.fail(
                    f"completed[{i}]",
                    f"{code}@{term}: completed courses lie before the start term {start}"
                    " (set start to the first term to plan)",
                )
            if not self.courses[code].repeatable:
                for other in groups[code]:
                    if other in seen:
                        raise self.fail(
                            f"completed[{i}]",
                            f"{code} is already completed as {completed[seen[other]][0]}"
                            f"@{completed[seen[other]][1]} and cannot be repeated",
                        )
            seen[code] = i

    def _groups(self) -> list[list[str]]:
        """Each course with its cross-listings (outside courses stand alone), of the
        courses planned with."""
        groups = self.catalog.cross_list_groups() + [[code] for code in sorted(self.outside)]
        return [g for g in groups if all(c in self.courses for c in g)]

    def _deadline(self, start: Term) -> Term | None:
        sc = self.scenario
        if sc.semesters is not None:
            deadline = semesters_from(start, sc.semesters)[-1]
            if deadline.year > LAST_YEAR:
                raise self.fail("semesters", f"the planned terms would run past {LAST_YEAR}")
            return deadline
        if sc.graduate_by is not None:
            deadline = parse_term(sc.graduate_by)
            if deadline < start:
                raise self.fail("graduate_by", f"{deadline} is before the start term {start}")
            return deadline
        return None

    def _substituted(self, rules: list[Rule]) -> list[Rule]:
        """Apply the scenario's substitutions (NEW replaces OLD) and also-allows (NEW
        joins OLD) to the requirements that list OLD, and to their "or" lines, so that NEW
        counts as OLD would, under the same limits."""
        changes = [("substitute", sub) for sub in self.scenario.substitute]
        changes += [("also_allow", sub) for sub in self.scenario.also_allow]
        for field, sub in changes:
            index = getattr(self.scenario, field).index(sub)
            rules = self._exception(rules, sub, f"{field}[{index}]", replace=field == "substitute")
        return rules

    def _exception(
        self, rules: list[Rule], sub: Substitution, place: str, *, replace: bool
    ) -> list[Rule]:
        ids = {r.id for r in rules}
        self.course(sub.old, place)
        if sub.new not in self.courses:  # a catalog course, or one she took (or declared)
            hint = self.catalog.suggest(sub.new)
            raise self.fail(
                place,
                f"unknown course '{sub.new}'{hint}: only a catalog course, or one completed"
                " or declared in [[outside]], can stand in",
            )
        if sub.rule is not None and sub.rule not in ids:
            raise self.fail(place, f"unknown rule '{sub.rule}'{did_you_mean(sub.rule, ids)}")
        targets = {
            r.id
            for r in rules
            if is_requirement(r) and sub.old in r.courses and (sub.rule is None or r.id == sub.rule)
        }
        if not targets:
            where = f"rule '{sub.rule}'" if sub.rule else "any requirement"
            raise self.fail(place, f"{sub.old} is not in {where}; nothing to change")

        def swap(codes: list[str]) -> list[str]:
            """OLD replaced by NEW in its place, or NEW right after it."""
            swapped: list[str] = []
            for code in codes:
                if code != sub.old or not replace:
                    swapped.append(code)
                if code == sub.old:
                    swapped.append(sub.new)
            return list(dict.fromkeys(swapped))

        out: list[Rule] = []
        for rule in rules:
            # The requirement itself, and every limit on how its courses count ("or" lines,
            # lines, unit caps, weights): NEW stands where OLD stood in each.
            limits = isinstance(rule, CountingPolicy) and set(rule.acts_on()) & targets
            if rule.id in targets or limits:
                update: dict[str, Any] = {}
                if isinstance(rule, AllOf) and not replace:
                    # Every course of the list is taken: NEW stands in for OLD's place.
                    if sub.new in {c for slot in rule.slots() for c in slot}:
                        raise self.fail(place, f"{sub.new} is already in {rule.id}")
                    stand_ins = [*rule.alternatives.get(sub.old, []), sub.new]
                    update["alternatives"] = {**rule.alternatives, sub.old: stand_ins}
                elif isinstance(getattr(rule, "courses", None), list):
                    update["courses"] = swap(rule.courses)  # type: ignore[union-attr]
                    if isinstance(rule, AllOf) and sub.old in rule.alternatives:
                        update["alternatives"] = {
                            (sub.new if k == sub.old else k): v
                            for k, v in rule.alternatives.items()
                        }
                if isinstance(rule, OnePerLine):
                    update["lines"] = [swap(line) for line in rule.lines]
                if isinstance(rule, CountLimit) and sub.old in rule.weights:
                    update["weights"] = {**rule.weights, sub.new: rule.weights[sub.old]}
                rule = rule.model_copy(update=update)
            out.append(rule)
        return out

    def _catalog_rules(self, terms: tuple[Term, ...], start: Term) -> list[Rule]:
        sc = self.scenario
        added: dict[str, set[Term]] = {}
        dropped: dict[str, set[Term]] = {}
        for name, table in (("offered", added), ("not_offered", dropped)):
            for i, text in enumerate(getattr(sc, name)):
                code, term = self.placement(text, f"{name}[{i}]")
                if term < start:
                    raise self.fail(
                        f"{name}[{i}]", f"{text}: {term} is before the start term {start}"
                    )
                table.setdefault(code, set()).add(term)
        rules: list[Rule] = []
        for code, course in self.courses.items():
            if course.prereq_clauses:
                clauses = [
                    [c for c in clause if c in self.courses] for clause in course.prereq_clauses
                ]
                rules.append(
                    Prerequisite(
                        id=f"catalog.prereq.{code}",
                        title=f"Prerequisites of {code}",
                        course=code,
                        clauses=clauses,
                        origin="catalog",
                        source=course.source,
                        assumption=course.assumption,
                    )
                )
        for code, course in self.courses.items():
            if code in self.outside:
                if self.extend_to is None:  # planning: outside courses are never planned
                    rules.append(
                        Offering(
                            id=f"catalog.offered.{code}",
                            title=f"Offerings of {code}",
                            course=code,
                            terms=[],
                            origin="catalog",
                            source="not in the catalog: it can be completed, not planned",
                        )
                    )
                continue  # an audit takes the plan's word for when it ran
            # A term it ran in is a term it was offered (an audit of a past plan).
            explicit = {parse_term(t) for t in (*course.terms, *course.ran)}
            seasons = self.catalog.offered_seasons(code)
            offered = [
                t
                for t in terms
                # Offered beats not offered for the same course and term, so that a
                # repair (--offered) can undo a drop the scenario made.
                if t in added.get(code, ())
                or ((t.season in seasons or t in explicit) and t not in dropped.get(code, ()))
            ]
            rules.append(
                Offering(
                    id=f"catalog.offered.{code}",
                    title=f"Offerings of {code}",
                    course=code,
                    terms=[t.code for t in offered],
                    seasons=seasons,
                    evidence=self.catalog.evidence(course, seasons),
                    dropped=[
                        t.code for t in terms if t in dropped.get(code, ()) and t not in offered
                    ],
                    origin="catalog",
                    source=course.source,
                )
            )
        groups = [g for g in self._groups() if not any(self.courses[c].repeatable for c in g)]
        rules.append(
            NoRepeat(
                id="catalog.no-repeat",
                title="A course (or its cross-listing) is taken at most once unless repeatable",
                groups=groups,
                origin="catalog",
                source="catalog: repeatable and cross_listed",
            )
        )
        return rules

    def _scenario_rules(
        self, terms: tuple[Term, ...], start: Term, deadline: Term | None
    ) -> list[Rule]:
        sc = self.scenario
        rules: list[Rule] = []
        for i, code in enumerate(sc.require):
            self.course(code, f"require[{i}]")
            rules.append(
                Require(
                    id=f"scenario.require.{code}", title=f"Take {code}", course=code, origin=ORIGIN
                )
            )
        for i, code in enumerate(sc.avoid):
            self.course(code, f"avoid[{i}]")
            rules.append(
                Avoid(
                    id=f"scenario.avoid.{code}", title=f"Avoid {code}", course=code, origin=ORIGIN
                )
            )
        for i, text in enumerate(sc.pin):
            code, term = self.placement(text, f"pin[{i}]")
            if not terms[0] <= term <= terms[-1]:
                raise self.fail(f"pin[{i}]", f"{text}: {self._outside(term, terms)}")
            rules.append(
                Pin(
                    id=f"scenario.pin.{code}@{term}",
                    title=f"Take {code} in {term}",
                    course=code,
                    term=term.code,
                    origin=ORIGIN,
                )
            )
        if sc.enrolled_through is not None:
            stay = parse_term(sc.enrolled_through)
            if stay < start:
                raise self.fail("enrolled_through", f"{stay} is before the start term {start}")
            rules.append(
                EnrolledThrough(
                    id="scenario.enrolled-through",
                    title=f"Stay enrolled through {stay}",
                    term=stay.code,
                    origin=ORIGIN,
                )
            )
        if deadline is not None:
            how = f"within {sc.semesters} semesters" if sc.semesters else f"by {deadline}"
            rules.append(
                GraduateBy(
                    id="scenario.graduate-by",
                    title=f"Graduate {how}",
                    term=deadline.code,
                    origin=ORIGIN,
                )
            )
        if sc.units.min is not None or sc.units.max is not None:
            rules.append(
                TermUnits(
                    id="scenario.units",
                    title="Unit bounds set for every term",
                    min_units=sc.units.min,
                    max_units=sc.units.max,
                    origin=ORIGIN,
                )
            )
        for term_code, units in sorted(sc.term_units.items(), key=lambda kv: parse_term(kv[0])):
            term = parse_term(term_code)
            if not terms[0] <= term <= terms[-1]:
                raise self.fail(f"term_units.{term_code}", self._outside(term, terms))
            if units.min is None and units.max is None:
                raise self.fail(f"term_units.{term_code}", "give min, max or both")
            rules.append(
                TermUnits(
                    id=f"scenario.units.{term_code}",
                    title=f"Unit bounds set for {term_code}",
                    min_units=units.min,
                    max_units=units.max,
                    terms=[term_code],
                    origin=ORIGIN,
                )
            )
        return rules

    @staticmethod
    def _outside(term: Term, terms: tuple[Term, ...]) -> str:
        """Why `term` cannot be used, and how to widen the window when it lies past it."""
        text = f"{term} is outside the planned terms {terms[0]}-{terms[-1]}"
        if term > terms[-1]:
            semesters = sum(1 for t in range(terms[0].index, term.index + 1) if Term(t).is_semester)
            text += f"; plan over more semesters with --semesters {semesters}"
        return text

    def _check_waivers(self, rules: list[Rule]) -> set[str]:
        ids = {r.id for r in rules}
        for i, rule_id in enumerate(self.scenario.waive):
            if rule_id not in ids:
                raise self.fail(
                    f"waive[{i}]", f"unknown rule '{rule_id}'{did_you_mean(rule_id, ids)}"
                )
        return set(self.scenario.waive)
