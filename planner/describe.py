"""One plain-English sentence per rule: ``describe_<kind>`` for each rule kind."""

from __future__ import annotations

from typing import assert_never

from planner.rules import (
    AllOf,
    Avoid,
    Choose,
    CountLimit,
    CreditPool,
    EnrolledThrough,
    GraduateBy,
    MaxPerTerm,
    NeverCounts,
    NoDoubleCount,
    NoRepeat,
    Offering,
    Pin,
    Practicum,
    Prerequisite,
    Require,
    Rule,
    TermCourses,
    TermUnits,
)


def either(codes: list[str], word: str = "or") -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    if len(codes) <= 1:
        return "".join(codes)
    return f"{', '.join(codes[:-1])} {word} {codes[-1]}"


def _number(x: float) -> str:
    return f"{x:g}"


def describe_choose(rule: Choose) -> str:
    if len(rule.courses) == 1 and rule.count == 1:
        return f"{rule.title}: take {rule.courses[0]}."
    return f"{rule.title}: take {rule.count} of {either(rule.courses)}."


def describe_all_of(rule: AllOf) -> str:
    return f"{rule.title}: take all of {either(rule.courses, 'and')}."


def describe_credit_pool(rule: CreditPool) -> str:
    return (
        f"{rule.title}: {_number(rule.credits)} credits from {len(rule.courses)} approved"
        f" courses, each {rule.units_per_credit} units making one credit."
    )


def describe_count_limit(rule: CountLimit) -> str:
    if len(rule.courses) == 1:
        times = "once" if rule.max_courses == 1 else f"{rule.max_courses} times"
        return f"{rule.courses[0]} counts toward {rule.rule} at most {times}."
    if rule.max_courses == 1:
        return f"At most one of {either(rule.courses)} counts toward {rule.rule}."
    return f"At most {rule.max_courses} of {either(rule.courses)} count toward {rule.rule}."


def describe_never_counts(rule: NeverCounts) -> str:
    verb = "counts" if len(rule.courses) == 1 else "count"
    return f"{either(rule.courses)} never {verb} toward any requirement."


def describe_no_double_count(rule: NoDoubleCount) -> str:
    return "Each course fills at most one requirement."


def describe_practicum(rule: Practicum) -> str:
    seasons = either(list(rule.seasons))
    others = f" other than {either(rule.allow)}" if rule.allow else ""
    times = "one" if rule.count == 1 else str(rule.count)
    return f"{times.capitalize()} full-time practicum term in {seasons}, with no course{others}."


def describe_term_units(rule: TermUnits) -> str:
    where = (
        either(list(rule.terms)) if rule.terms else "each " + either(list(rule.seasons)) + " term"
    )
    if rule.min_units and rule.max_units is not None:
        return f"Between {rule.min_units} and {rule.max_units} units in {where}."
    if rule.max_units is not None:
        return f"At most {rule.max_units} units in {where}."
    if not rule.min_units:
        return f"No minimum of units in {where}."
    return f"At least {rule.min_units} units in {where} while enrolled (not on practicum)."


def describe_term_courses(rule: TermCourses) -> str:
    where = (
        either(list(rule.terms)) if rule.terms else "each " + either(list(rule.seasons)) + " term"
    )
    low, high = rule.min_courses, rule.max_courses
    if low and high is not None:
        return f"Between {low} and {high} courses in {where} while enrolled."
    if high is not None:
        return f"At most {high} courses in {where}."
    return f"At least {low} courses in {where} while enrolled (not on practicum)."


def describe_max_per_term(rule: MaxPerTerm) -> str:
    what = "one" if rule.max_courses == 1 else str(rule.max_courses)
    return f"At most {what} of {either(rule.courses)} in any term."


def describe_prerequisite(rule: Prerequisite) -> str:
    parts = [either(c) if len(c) == 1 else f"({either(c)})" for c in rule.clauses]
    return f"{rule.course} needs {either(parts, 'and')} first."


def describe_offering(rule: Offering) -> str:
    if not rule.terms:
        return f"{rule.course} is not offered in any planned term."
    return f"{rule.course} is offered only in {either(list(rule.terms))}."


def describe_no_repeat(rule: NoRepeat) -> str:
    return "A course is taken at most once (cross-listed numbers are one course) unless repeatable."


def describe_require(rule: Require) -> str:
    return f"You must take {rule.course}."


def describe_avoid(rule: Avoid) -> str:
    return f"You asked not to take {rule.course}."


def describe_pin(rule: Pin) -> str:
    return f"You pinned {rule.course} to {rule.term}."


def describe_graduate_by(rule: GraduateBy) -> str:
    if rule.id.startswith("scenario."):
        return f"You must graduate by {rule.term}."
    return f"{rule.title}: finish by {rule.term}."


def describe_enrolled_through(rule: EnrolledThrough) -> str:
    return f"You stay enrolled through {rule.term}."


def describe(rule: Rule) -> str:
    """The rule as one sentence, for explanations and the audit."""
    match rule:
        case Choose():
            return describe_choose(rule)
        case AllOf():
            return describe_all_of(rule)
        case CreditPool():
            return describe_credit_pool(rule)
        case CountLimit():
            return describe_count_limit(rule)
        case NeverCounts():
            return describe_never_counts(rule)
        case NoDoubleCount():
            return describe_no_double_count(rule)
        case Practicum():
            return describe_practicum(rule)
        case TermUnits():
            return describe_term_units(rule)
        case TermCourses():
            return describe_term_courses(rule)
        case MaxPerTerm():
            return describe_max_per_term(rule)
        case Prerequisite():
            return describe_prerequisite(rule)
        case Offering():
            return describe_offering(rule)
        case NoRepeat():
            return describe_no_repeat(rule)
        case Require():
            return describe_require(rule)
        case Avoid():
            return describe_avoid(rule)
        case Pin():
            return describe_pin(rule)
        case GraduateBy():
            return describe_graduate_by(rule)
        case EnrolledThrough():
            return describe_enrolled_through(rule)
        case _:
            assert_never(rule)
