"""The course catalog and the degree programs, read from a curriculum folder and checked once.

The shipped curriculum is package data (``planner/curriculum/``), found with
``importlib.resources`` so that it travels with any install: editable, wheel or pipx.

After loading, every course a rule names exists, every id is unique, tags are expanded
into course lists, and prerequisites have no cycle. Later stages trust this.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import overload

from pydantic import Field, model_validator

from planner.errors import PlannerError, did_you_mean
from planner.history import HistoryRule, ran_in_words
from planner.ids import CourseCode, RuleId, TermCode
from planner.kinds import CountingPolicy, CreditPool, MaxPerTerm, Rule, is_requirement
from planner.loading import read_text, read_toml, validate
from planner.schema import Frozen
from planner.terms import SEASONS, Season, parse_term

RESERVED_PREFIXES = ("catalog", "scenario", "planner")
"""Ids of generated rules start with these, so a program's ids never collide with them
(what a rule is, and where it came from, is its kind and its ``origin``, not its id)."""
"""Ids of rules generated from the catalog and the scenario start with these."""


def shipped_curriculum() -> Path:
    """The folder of the curriculum that ships inside the package."""
    root = resources.files("planner") / "curriculum"
    if not isinstance(root, Path):  # a zip import: no folder to read from
        raise PlannerError("the shipped curriculum is not on a file system; pass --curriculum DIR")
    return root


class Course(Frozen):
    code: CourseCode
    title: str = Field(min_length=1)
    units: int = Field(ge=1, le=48, description="CMU units (12 for a typical graduate course).")
    seasons: list[Season] = Field(
        default=[],
        description="Offered every term of these seasons; where the history record is"
        " complete, the seasons follow from `ran` instead (unless `keep_seasons`).",
    )
    terms: list[TermCode] = Field(default=[], description="Also offered in these terms.")
    ran: list[TermCode] = Field(
        default=[], description="Terms it was seen to run (see the catalog's history rule)."
    )
    keep_seasons: str = Field(
        default="",
        description="A source that overrides the history: then `seasons` is used as written.",
    )
    prereqs: list[CourseCode | list[CourseCode]] = Field(
        default=[],
        description="All items must be taken strictly earlier; a list item means any one of it.",
    )
    cross_listed: list[CourseCode] = Field(default=[], description="Other numbers of this course.")
    tags: list[str] = Field(default=[])
    repeatable: bool = Field(default=False, description="May be taken in several terms.")
    arranged: bool = Field(
        default=False,
        description="Needs a personal arrangement (a supervisor): planned only when asked for"
        " or when nothing else works (the tie-break places it last).",
    )
    source: str = ""
    assumption: str = ""
    notes: str = ""

    @property
    def prereq_clauses(self) -> list[list[str]]:
        return [[p] if isinstance(p, str) else list(p) for p in self.prereqs]


class CatalogInfo(Frozen):
    title: str
    source: str = ""
    history: HistoryRule | None = Field(
        default=None, description="How the courses' offering history is read."
    )


class Catalog(Frozen):
    catalog: CatalogInfo
    courses: list[Course] = Field(min_length=1)

    @cached_property
    def by_code(self) -> dict[str, Course]:
        """Courses by code, built once (the catalog never changes)."""
        return {c.code: c for c in self.courses}

    @cached_property
    def _evidence_memo(self) -> dict[tuple[str, tuple[Season, ...]], str]:
        return {}

    def evidence(self, course: Course, seasons: Sequence[Season]) -> str:
        """Why the course runs when it does, in words, from its history if any. Kept per
        course and seasons for the catalog's own courses: every plan asks again."""
        own = self.by_code.get(course.code) is course
        key = (course.code, tuple(seasons))
        if own and key in self._evidence_memo:
            return self._evidence_memo[key]
        words = _evidence_words(course, list(seasons), self.catalog.history)
        if own:
            self._evidence_memo[key] = words
        return words

    @cached_property
    def _seasons(self) -> dict[str, list[Season]]:
        rule = self.catalog.history
        out: dict[str, list[Season]] = {}
        for course in self.courses:
            if rule is None or not course.ran:
                derived: list[Season] = []
            else:
                derived = rule.seasons(course.ran)
            if rule is not None and rule.covers(course.code) and not course.keep_seasons:
                out[course.code] = derived  # the record decides
            else:
                out[course.code] = [s for s in SEASONS if s in {*course.seasons, *derived}]
        return out

    def offered_seasons(self, code: str) -> list[Season]:
        """The seasons `code` runs in: by its history where the record is complete (unless
        a source overrides it), else as written, widened by any history."""
        return self._seasons.get(code, [])

    def likelihood(self, code: str, season: Season) -> Fraction | None:
        """How often `code` ran in the recent terms of `season` (1: each of them); None
        where the record is not complete for it (nothing to go on)."""
        rule = self.catalog.history
        course = self.by_code.get(code)
        if rule is None or course is None or not rule.covers(code):
            return None
        return rule.likelihood(course.ran, season)

    def suggest(self, code: str) -> str:
        return did_you_mean(code, (c.code for c in self.courses))

    def tagged(self, tag: str) -> list[str]:
        return sorted(c.code for c in self.courses if tag in c.tags)

    def cross_list_groups(self) -> list[list[str]]:
        """Each course with its cross-listings, merged transitively; singletons included."""
        parent = {c.code: c.code for c in self.courses}

        def find(x: str) -> str:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for course in self.courses:
            for other in course.cross_listed:
                parent[find(other)] = find(course.code)
        groups: dict[str, list[str]] = {}
        for code in sorted(parent):
            groups.setdefault(find(code), []).append(code)
        return sorted(groups.values())


class ProgramInfo(Frozen):
    id: RuleId
    title: str
    first_entry_year: int | None = Field(
        default=None,
        ge=1900,
        le=2200,
        description="First year of entry this version admits (none: every year up to"
        " last_entry_year, for an old curriculum whose start is not known).",
    )
    last_entry_year: int | None = Field(default=None, ge=1900, le=2200)
    default_start: TermCode
    horizon_semesters: int = Field(
        default=5, ge=1, le=200, description="Semesters the planner looks ahead by default."
    )
    category: list[str] = Field(
        default=[],
        description="What kind of program it is (major, minor, scs-minor, concentration,"
        " masters): sharing rules of other programs name these.",
    )
    audience: str = Field(default="", description="Who the program is for, in words.")
    reminders: list[str] = Field(
        default=[],
        description="Rules the planner records but does not plan (grades, QPA): shown as"
        " reminders.",
    )
    source: str = ""
    notes: str = ""

    @model_validator(mode="after")
    def _some_year(self) -> ProgramInfo:
        if self.first_entry_year is None and self.last_entry_year is None:
            raise ValueError("give first_entry_year, last_entry_year or both")
        if (
            self.first_entry_year is not None
            and self.last_entry_year is not None
            and self.last_entry_year < self.first_entry_year
        ):
            raise ValueError("last_entry_year is before first_entry_year")
        return self

    def admits(self, year: int) -> bool:
        first = self.first_entry_year if self.first_entry_year is not None else 0
        last = self.last_entry_year if self.last_entry_year is not None else 10_000
        return first <= year <= last

    @property
    def version(self) -> str:
        first = self.first_entry_year if self.first_entry_year is not None else ""
        last = self.last_entry_year if self.last_entry_year is not None else ""
        return f"{first}-{last}"

    @property
    def entering(self) -> str:
        """Who the version is for, by year of entry, in words."""
        if self.first_entry_year is None:
            return f"entering in {self.last_entry_year} or before"
        if self.last_entry_year is None:
            return f"entering in {self.first_entry_year} or later"
        return f"entering {self.first_entry_year} to {self.last_entry_year}"


class Assumption(Frozen):
    id: str
    text: str
    source: str = ""


class Program(Frozen):
    program: ProgramInfo
    assumptions: list[Assumption] = []
    rules: list[Rule] = Field(min_length=1)


class ProgramShelf(Sequence["Program"]):
    """The programs of a curriculum, each read from its file when first asked for.

    Planning one program reads only its files: each file's `[program]` table (the text
    before its first ``[[``) is read alone to learn its id, and a file is parsed and
    checked whole only when a version of that id is wanted, or when every program is (a
    listing, `planner check`). A file whose head cannot be read that way is read whole.
    A shelf may also hold programs already loaded (tests build curricula in memory).
    """

    def __init__(self, items: Sequence[Path | Program], catalog: Catalog | None = None) -> None:
        self._items: list[Path | Program] = list(items)
        self._catalog = catalog
        self._ids: list[str | None] | None = None

    def _load(self, k: int) -> Program:
        item = self._items[k]
        if isinstance(item, Path):
            assert self._catalog is not None, "a shelf of files needs its catalog"
            item = self._items[k] = load_program(item, self._catalog)
        return item

    def _all(self) -> list[Program]:
        return [self._load(k) for k in range(len(self._items))]

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> Program: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Program]: ...
    def __getitem__(self, index: int | slice) -> Program | Sequence[Program]:
        return self._all()[index]

    def __iter__(self) -> Iterator[Program]:
        return iter(self._all())

    def _head_ids(self) -> list[str | None]:
        if self._ids is None:
            self._ids = [
                _program_id_from_head(item) if isinstance(item, Path) else item.program.id
                for item in self._items
            ]
        return self._ids

    def versions(self, program_id: str) -> list[Program]:
        """Every version of `program_id`, reading only the files that may hold one."""
        heads = self._head_ids()
        found = [self._load(k) for k, pid in enumerate(heads) if pid in (program_id, None)]
        return [p for p in found if p.program.id == program_id]

    def ids(self) -> list[str]:
        heads = self._head_ids()
        return sorted(
            {pid if pid is not None else self._load(k).program.id for k, pid in enumerate(heads)}
        )


def _program_id_from_head(path: Path) -> str | None:
    """The `[program]` id of a program file, from the text before its first ``[[``
    (None when it is not there: the file is then read whole)."""
    import tomllib

    text = read_text(path)
    head = text.split("\n[[", 1)[0]
    try:
        table = tomllib.loads(head).get("program")
    except (tomllib.TOMLDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(table, dict) or not isinstance(table.get("id"), str):
        return None
    return str(table["id"])


@dataclass(frozen=True)
class Curriculum:
    """A catalog and the programs that draw on it."""

    catalog: Catalog
    programs: ProgramShelf
    root: Path

    def versions(self, program_id: str) -> list[Program]:
        """Every version of `program_id` (reading only its files)."""
        return self.programs.versions(program_id)

    def program_for(self, program_id: str, entry_year: int) -> Program:
        """The version of `program_id` a student entering in `entry_year` follows: of the
        versions that admit the year, the one that starts latest, so that a later version
        takes over without the earlier one having to end (as catalog years do)."""
        versions = self.versions(program_id)
        if not versions:
            known = self.programs.ids()
            raise PlannerError(
                f"unknown program '{program_id}'{did_you_mean(program_id, known)}"
                f" (known: {', '.join(known)})"
            )
        admitting = [p for p in versions if p.program.admits(entry_year)]
        if admitting:
            return max(admitting, key=lambda p: p.program.first_entry_year or 0)
        spans = ", ".join(sorted(p.program.version for p in versions))
        raise PlannerError(
            f"no version of program '{program_id}' admits students starting in {entry_year}"
            f" (versions: {spans})"
        )


def _evidence_words(course: Course, seasons: list[Season], rule: HistoryRule | None) -> str:
    if course.keep_seasons:
        return course.keep_seasons
    if rule is None or not course.ran:
        return ""
    record = ran_in_words(course.ran, rule)
    if not rule.covers(course.code):
        return f"as the catalog says; the record, in part: {record}"
    if not seasons or record.startswith("ran in every"):
        return record
    return "; ".join(rule.evidence(course.ran, s) for s in seasons)


def load_catalog(path: Path) -> Catalog:
    catalog = validate(Catalog, read_toml(path), path)
    _check_catalog(catalog, path)
    return catalog


def _check_catalog(catalog: Catalog, path: Path) -> None:
    seen: dict[str, int] = {}
    for i, course in enumerate(catalog.courses):
        if course.code in seen:
            raise PlannerError(
                f"duplicate course '{course.code}' (first at courses[{seen[course.code]}])",
                file=path,
                place=f"courses[{i}].code",
            )
        seen[course.code] = i
    for i, course in enumerate(catalog.courses):
        for field, codes in (
            ("prereqs", [c for clause in course.prereq_clauses for c in clause]),
            ("cross_listed", course.cross_listed),
        ):
            for code in codes:
                if code not in seen:
                    raise PlannerError(
                        f"unknown course '{code}'{catalog.suggest(code)}",
                        file=path,
                        place=f"courses[{i}].{field} ({course.code})",
                    )
                if code == course.code:
                    raise PlannerError(
                        "course names itself", file=path, place=f"courses[{i}].{field}"
                    )
    history = catalog.catalog.history
    for i, course in enumerate(catalog.courses):
        covered = history is not None and history.covers(course.code)
        if covered and course.seasons and not course.keep_seasons:
            raise PlannerError(
                "seasons come from its history here (the record is complete for this"
                " department); remove them, or give keep_seasons with the source that"
                " says otherwise",
                file=path,
                place=f"courses[{i}].seasons ({course.code})",
            )
        if history is not None:
            outside = [
                t
                for t in course.ran
                if not parse_term(history.first) <= parse_term(t) <= parse_term(history.through)
            ]
            if outside:
                raise PlannerError(
                    f"{outside[0]} is outside the history record {history.first}-{history.through}",
                    file=path,
                    place=f"courses[{i}].ran ({course.code})",
                )
    cycle = _prereq_cycle(catalog)
    if cycle:
        raise PlannerError(
            "prerequisite cycle: " + " -> ".join(cycle),
            file=path,
            place=f"courses[{seen[cycle[0]]}].prereqs ({cycle[0]})",
        )


def _prereq_cycle(catalog: Catalog) -> list[str]:
    """A prerequisite cycle as a closed path of codes, or [] when there is none."""
    edges = {
        c.code: sorted({p for clause in c.prereq_clauses for p in clause}) for c in catalog.courses
    }
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(code: str) -> list[str]:
        state[code] = 1
        path.append(code)
        for nxt in edges[code]:
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[code] = 2
        return []

    for code in sorted(edges):
        if code not in state and (found := visit(code)):
            return found
    return []


def load_program(path: Path, catalog: Catalog) -> Program:
    program = validate(Program, read_toml(path), path)
    return _expand_and_check_program(program, catalog, path)


def _expand_and_check_program(program: Program, catalog: Catalog, path: Path) -> Program:
    known_tags = {t for c in catalog.courses for t in c.tags}
    requirement_ids = {r.id for r in program.rules if is_requirement(r)}
    seen: dict[str, int] = {}
    rules: list[Rule] = []
    for i, rule in enumerate(program.rules):
        place = f"rules[{i}]"
        if rule.id in seen:
            raise PlannerError(
                f"duplicate rule id '{rule.id}' (first at rules[{seen[rule.id]}])",
                file=path,
                place=f"{place}.id",
            )
        seen[rule.id] = i
        pid = program.program.id
        if rule.program not in ("", pid):
            raise PlannerError(
                f"program '{rule.program}' is set by the planner (this file is '{pid}')",
                file=path,
                place=f"{place}.program ({rule.id})",
            )
        if not rule.id.startswith(f"{pid}."):
            raise PlannerError(
                f"rule id '{rule.id}' must start with the program's id, '{pid}.'",
                file=path,
                place=f"{place}.id",
            )
        if rule.origin != "program":
            raise PlannerError(
                f"origin '{rule.origin}' is set by the planner; a program's rules are 'program'",
                file=path,
                place=f"{place}.origin ({rule.id})",
            )
        if rule.id.split(".")[0] in RESERVED_PREFIXES:
            raise PlannerError(
                f"rule id '{rule.id}' starts with a reserved prefix"
                f" ({', '.join(p + '.' for p in RESERVED_PREFIXES)} name generated rules)",
                file=path,
                place=f"{place}.id",
            )
        listed: dict[str, str] = {}
        for field, code in referenced_courses(rule):
            if field.startswith(("courses[", "allow[")) and code in listed:
                raise PlannerError(
                    f"course '{code}' is listed twice (also at {listed[code]})",
                    file=path,
                    place=f"{place}.{field} ({rule.id})",
                )
            listed.setdefault(code, field)
            if code not in catalog.by_code:
                raise PlannerError(
                    f"unknown course '{code}'{catalog.suggest(code)}",
                    file=path,
                    place=f"{place}.{field} ({rule.id})",
                )
        if isinstance(rule, CreditPool | MaxPerTerm):
            for tag in rule.tags:
                if tag not in known_tags:
                    raise PlannerError(
                        f"no course has tag '{tag}'{did_you_mean(tag, known_tags)}",
                        file=path,
                        place=f"{place}.tags ({rule.id})",
                    )
            expanded = sorted({*rule.courses, *(c for t in rule.tags for c in catalog.tagged(t))})
            if not expanded:
                raise PlannerError("rule names no course", file=path, place=f"{place} ({rule.id})")
            rule = rule.model_copy(update={"courses": expanded, "tags": []})
        if isinstance(rule, CountingPolicy):
            for target in rule.acts_on():
                if target not in requirement_ids:
                    raise PlannerError(
                        f"names no requirement: '{target}'{did_you_mean(target, requirement_ids)}",
                        file=path,
                        place=f"{place}.rule ({rule.id})",
                    )
        rules.append(rule.model_copy(update={"program": pid}))
    return program.model_copy(update={"rules": rules})


def referenced_courses(rule: Rule) -> list[tuple[str, str]]:
    """(field, course code) for every course a rule names, in field order."""
    out: list[tuple[str, str]] = []
    for field in ("course", "courses", "allow"):
        value = getattr(rule, field, None)
        if isinstance(value, str):
            out.append((field, value))
        elif isinstance(value, list):
            out.extend((f"{field}[{j}]", code) for j, code in enumerate(value))
    for field in ("clauses", "groups", "lines"):
        value = getattr(rule, field, None)
        if isinstance(value, list):
            out.extend(
                (f"{field}[{j}][{k}]", code)
                for j, group in enumerate(value)
                for k, code in enumerate(group)
            )
    weights = getattr(rule, "weights", None)
    if isinstance(weights, dict):
        out.extend((f"weights.{code}", code) for code in weights)
    stand_ins = getattr(rule, "alternatives", None)
    if isinstance(stand_ins, dict):
        out.extend(
            (f"alternatives.{old}[{j}]", code)
            for old, codes in stand_ins.items()
            for j, code in enumerate(codes)
        )
    pair = getattr(rule, "unless_before", None)
    if pair is not None:
        out.extend((f"unless_before[{j}]", code) for j, code in enumerate(pair))
    return out


def curriculum_files(root: Path | None = None) -> list[Path]:
    """The files a curriculum folder is read from (the catalog and every program)."""
    root = root or shipped_curriculum()
    programs = root / "programs"
    return [root / "catalog.toml", *(sorted(programs.glob("*.toml")) if programs.is_dir() else [])]


def load_curriculum(root: Path | None = None) -> Curriculum:
    """Load ``catalog.toml`` below `root`, and shelve every ``programs/*.toml`` (each is
    read when first asked for: see `ProgramShelf`)."""
    root = root or shipped_curriculum()
    catalog_path = root / "catalog.toml"
    catalog = load_catalog(catalog_path)
    program_dir = root / "programs"
    paths = sorted(program_dir.glob("*.toml")) if program_dir.is_dir() else []
    if not paths:
        raise PlannerError("no program files (programs/*.toml)", file=root)
    return Curriculum(catalog=catalog, programs=ProgramShelf(paths, catalog), root=root)
