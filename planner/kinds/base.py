"""What every rule kind has, and the vocabulary its two halves share.

A rule kind lives in one module of this package, ``kinds/<kind>.py``: its schema (a frozen
pydantic model discriminated on ``kind``), its CP-SAT build (``build``), its solver-free
check (``check``), its sentence (``describe``) and the changes that would relax it
(``repairs``), side by side, as CPMpy keeps ``decompose()`` and ``value()`` on one global
constraint. ``tests/test_kinds.py`` proves, for every kind, that the two halves agree.

The build half never imports OR-Tools: it speaks to the model only through the
``BuildContext`` it is given (``planner/compile.py``), so importing a kind, checking a
plan, and ``planner --help`` load no solver.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field

from planner.ids import AnyCourse, RuleId, TermCode
from planner.schema import Frozen
from planner.terms import Season

if TYPE_CHECKING:
    from collections.abc import Mapping

    from planner.audit import Instance, Matching, PlanView
    from planner.catalog import Course
    from planner.compile import BuildContext
    from planner.problem import Problem

# Rule fields take any course a student can hold (``AnyCourse``): generated rules name
# outside courses too, and the loader checks a program's courses against the catalog.

Origin = Literal["catalog", "program", "scenario", "planner"]
"""Where a rule comes from: a fact of the catalog (prerequisites, offerings, no repeats),
a program file, the student's scenario, or the planner itself (the planning horizon)."""


class RuleResult(Frozen):
    """A rule checked against a plan, without a solver."""

    id: str
    kind: str
    title: str
    satisfied: bool
    courses: list[str] = []
    detail: str = Field(default="", description="What is missing or wrong, when not satisfied.")


@dataclass(frozen=True)
class Candidate:
    """A change that might relax a rule: what it does, the scenario fields and the flags
    that apply it, and how big it is. ``planner.explain`` tries each by solving."""

    description: str
    overrides: dict[str, Any]
    flags: str
    cost: tuple[int, int, int]
    """(rules relaxed, kind of change: 0 scenario, 1 catalog, 2 program, size of change)"""
    group: str
    """Alternatives of one change (a cap raised by 6 or by 12): only the first that works
    is shown."""
    narrower: tuple[Candidate, ...] = ()
    """Smaller versions of this change (the cap raised in one term instead of all), tried
    once it works; the first that also works is shown instead."""


CHANGE_COST: dict[Origin, int] = {"scenario": 0, "planner": 0, "catalog": 1, "program": 2}
"""How far from the student a change reaches: her own wish, the catalog, the program."""


class RuleBase(Frozen):
    """What every rule has: a stable id, words for people, where it comes from, and the
    two halves (build, check) with the sentence (describe) and the repairs."""

    kind: str
    id: RuleId = Field(description="Stable dotted id, e.g. 'msml.core.intro-ml'.")
    title: str = Field(min_length=1, description="A short human title.")
    label: str = Field(
        default="",
        max_length=28,
        description="A few words for tables and plan grids (default: the title).",
    )
    source: str = Field(default="", description="Where the rule comes from (page, section).")
    assumption: str = Field(
        default="", description="Where the source is ambiguous: the reading this rule takes."
    )
    origin: Origin = Field(
        default="program",
        description="Set by the planner: program rules are 'program'; generated rules say"
        " whether the catalog, the scenario or the planner made them.",
    )
    program: str = Field(
        default="",
        description="Set by the planner: the program a program rule belongs to (rules of"
        " one program count courses toward that program's requirements).",
    )

    @abstractmethod
    def build(self, ctx: BuildContext) -> None:
        """Add this rule's constraints to the CP-SAT model (through `ctx` only)."""

    @abstractmethod
    def check(self, view: PlanView, matching: Matching) -> RuleResult:
        """Whether `view` (a plan) meets this rule, without a solver."""

    @abstractmethod
    def describe(self) -> str:
        """The rule as one plain-English sentence."""

    def repairs(self, problem: Problem) -> list[Candidate]:
        """Changes that would relax this rule, most natural first (by default: waive it)."""
        if self.origin == "scenario":
            return [waive(self, f"Drop: {self.title}")]
        return [waive(self, f"Waive {self.id} ({self.title})")]

    def concerns(self, view: PlanView) -> bool:
        """Whether the rule is about this plan (an audit lists only those by default)."""
        return True

    def result(self, ok: bool, courses: list[str] | None = None, detail: str = "") -> RuleResult:
        """This rule's check result."""
        return RuleResult(
            id=self.id,
            kind=self.kind,
            title=self.title,
            satisfied=ok,
            courses=courses or [],
            detail="" if ok else detail,
        )


class RequirementBase(RuleBase):
    """A rule that courses are assigned to ("counts toward"): the solver decides which
    taken course fills which requirement; the audit finds the best assignment exactly."""

    courses: list[AnyCourse]

    @abstractmethod
    def eligible(self, courses: Mapping[str, Course]) -> dict[str, int | None]:
        """The courses that can count here (`courses`: what the planner knows of each),
        each with the most times it can (None: any)."""

    @abstractmethod
    def advance(self, progress: int, code: str, units: int) -> int | None:
        """Progress after counting one more instance of `code` (of `units` units); None
        when it may not count. Progress is capped at the need, so matching stays small."""

    @abstractmethod
    def fraction(self, progress: int) -> Fraction:
        """How much of the requirement the progress meets, from 0 to 1."""

    def met_anyway(self, view: PlanView) -> bool:
        """Whether the plan meets the requirement whatever counts toward it (a requirement
        that lapses under a condition); the exact matching scores it as met."""
        return False


class TermScoped(RuleBase):
    """Base of the rules that bound each term of some seasons (or some listed terms)."""

    seasons: list[Season] = Field(default=["fall", "spring", "summer"], min_length=1)
    terms: list[TermCode] = Field(default=[], description="Only these terms (if given).")
    when_alone: bool = Field(
        default=False,
        description="Only when this program is planned alone: the bound stands for a load"
        " the plan does not hold (a minor beside an unplanned major).",
    )

    def covers(self, code: str, season: str) -> bool:
        return code in self.terms if self.terms else season in self.seasons

    def where(self) -> str:
        """The terms it bounds, in words."""
        if self.terms:
            return either(list(self.terms))
        return "each " + either(list(self.seasons)) + " term"


@dataclass(frozen=True)
class Limit:
    """How many of some courses may count toward some requirements, weighted: the sum over
    the instances counted toward each of `rules` of `weights[code]` lies within
    [least, most]."""

    rules: tuple[str, ...]
    weights: dict[str, int]
    most: int
    least: int = 0

    def words(self) -> str:
        return " or ".join(self.rules)


class CountingPolicy(RuleBase):
    """A rule about how courses count toward requirements ("or" lines, never counts,
    no double counting): it acts only where a requirement is."""

    needs_requirement: ClassVar[bool] = True

    def acts_on(self) -> list[str]:
        """The requirements this rule limits (its `rule` field, for the kinds that have one;
        none for the kinds that act on every requirement of their program)."""
        rule = getattr(self, "rule", None)
        if rule is None:
            return []
        return [rule] if isinstance(rule, str) else list(rule)

    def limits(self, problem: Problem) -> list[Limit]:
        """The limits this rule puts on counting; the audit's exact matching respects them
        (kinds whose meaning is not a limit return none and check themselves)."""
        return []

    def build_limits(self, ctx: BuildContext) -> None:
        """Each limit as a linear constraint over the counting variables."""
        for lim in self.limits(ctx.problem):
            terms = []
            for rule_id in lim.rules:
                fills = ctx.fills_toward(rule_id)
                terms += [(fills[c], w) for c, w in sorted(lim.weights.items()) if c in fills]
            total = ctx.sum([var * w for var, w in terms])
            if terms:
                ctx.enforce(ctx.model.add(total <= lim.most), self)
            if lim.least:
                # With nothing that can count, this is a constraint that cannot hold: it
                # still carries the rule, so an explanation can name it.
                ctx.enforce(ctx.model.add(total >= lim.least), self)

    def check_limits(self, view: PlanView, matching: Matching) -> tuple[bool, str]:
        """Whether every limit holds: its most on the plan's own counting (when it claims
        one) and on the best matching, its least on the best matching."""
        problems = []
        for lim in self.limits(view.problem):
            best = sum(_weighted(lim, matching.courses_for(view, r)) for r in lim.rules)
            claimed = sum(_weighted(lim, view.claimed(r)) for r in lim.rules)
            if max(best, claimed) > lim.most:
                problems.append(
                    f"{max(best, claimed)} counted toward {lim.words()} (most {lim.most})"
                )
            if best < lim.least:
                problems.append(f"{best} counted toward {lim.words()} (least {lim.least})")
        return not problems, "; ".join(problems)


class SharingPolicy(RuleBase):
    """A rule about courses counting toward several programs planned together (at least
    N courses count only here; at most N shared with another program). The audit's exact
    matching follows each instance with a counter (`advance`)."""

    needs_programs: ClassVar[bool] = True

    def targets(self, problem: Problem) -> set[str]:
        """The other programs planned that the rule is about."""
        return {p.program.id for p in problem.programs if p.program.id != self.program}

    @abstractmethod
    def advance(
        self, counter: int, programs: set[str], units: int, targets: set[str]
    ) -> int | None:
        """The counter after one course instance (of `units` units) counts toward
        `programs` (those with a requirement in its counting), `targets` being what
        `targets()` returned; None when the rule is broken."""

    def satisfied(self, counter: int) -> bool:
        """Whether the counter, at the end, meets the rule (a most-limit always does)."""
        return True


def _weighted(lim: Limit, instances: list[Instance]) -> int:
    return sum(lim.weights.get(i.code, 0) for i in instances)


# --- Shared helpers -------------------------------------------------------------------------


def waive(rule: RuleBase, text: str) -> Candidate:
    """The repair that waives `rule`."""
    return Candidate(
        text,
        {"waive": [rule.id]},
        f"--waive {rule.id}",
        (1, CHANGE_COST[rule.origin], 0),
        f"waive-{rule.kind} {rule.id}",  # tries are counted per kind of rule waived
    )


def names(instances: list[Instance]) -> list[str]:
    """Course instances as CODE@TERM."""
    return [f"{i.code}@{i.term}" for i in instances]


def either(codes: list[str], word: str = "or") -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    if len(codes) <= 1:
        return "".join(codes)
    return f"{', '.join(codes[:-1])} {word} {codes[-1]}"


def academic(seasons: list[str]) -> list[str]:
    """Seasons in the order of an academic year: fall, spring, summer."""
    return sorted(seasons, key=["fall", "spring", "summer"].index)


def number(x: float) -> str:
    return f"{x:g}"


def ordered(low: int | None, high: int | None, what: str) -> None:
    """A ValueError unless at least one bound is given and they are in order."""
    if low is None and high is None:
        raise ValueError(f"give min_{what}, max_{what} or both")
    if low is not None and high is not None and low > high:
        raise ValueError(f"min_{what} {low} exceeds max_{what} {high}")


__all__ = [
    "CHANGE_COST",
    "AnyCourse",
    "Candidate",
    "CountingPolicy",
    "Limit",
    "Origin",
    "RequirementBase",
    "RuleBase",
    "RuleId",
    "RuleResult",
    "SharingPolicy",
    "TermCode",
    "TermScoped",
    "academic",
    "either",
    "names",
    "number",
    "ordered",
    "waive",
]
