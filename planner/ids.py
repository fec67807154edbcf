"""Semantic string types shared by the data models: course codes, rule ids, term codes."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

from planner.terms import parse_term

COURSE_PATTERN = r"[0-9]{2}-[0-9]{3}"  # ASCII digits only, matched whole
RULE_ID_PATTERN = r"^[a-z0-9][a-z0-9-]*(?:\.[A-Za-z0-9@-]+)*$"

_LOOKALIKE = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "L": "1"})


def check_course_code(text: str) -> str:
    """`text` if it is a course number; a ValueError with a guess at what was meant if not."""
    if re.fullmatch(COURSE_PATTERN, text):
        return text
    guess = text.strip().translate(_LOOKALIKE)
    if re.fullmatch(r"[0-9]{5}", guess):
        guess = f"{guess[:2]}-{guess[2:]}"
    hint = f"; did you mean '{guess}'?" if re.fullmatch(COURSE_PATTERN, guess) else ""
    raise ValueError(f"'{text}' is not a course number such as 10-701{hint}")


CourseCode = Annotated[str, AfterValidator(check_course_code)]
"""A CMU course number such as ``10-701``: what the catalog and programs name."""

OUTSIDE_PATTERN = r"[A-Z][A-Z0-9]{0,7}-[A-Z0-9]{1,8}"
"""An outside course (transfer credit, another university): ``UCB-CS189``, ``XF-101``."""


def check_any_course(text: str) -> str:
    """`text` if it is a CMU course number or an outside course's code (upper case)."""
    if re.fullmatch(COURSE_PATTERN, text) or re.fullmatch(OUTSIDE_PATTERN, text):
        return text
    return check_course_code(text)  # the error, with its guess at a CMU number


AnyCourse = Annotated[str, AfterValidator(check_any_course)]
"""A course a student took, as a transcript has it: a CMU number (known to the catalog or
not) or the code of an outside course declared in the scenario (``[[outside]]``)."""

RuleId = Annotated[str, StringConstraints(pattern=RULE_ID_PATTERN, max_length=120)]
"""A stable dotted id chosen by a person, such as ``msml.core.intro-ml``."""


def _canonical_term(text: str) -> str:
    return parse_term(text).code


TermCode = Annotated[str, AfterValidator(_canonical_term)]
"""A term written F26, S27, M27 or 'Fall 2026'; stored in the short form."""


def split_at(text: str) -> tuple[str, str]:
    """Split ``CODE@TERM`` into its two halves; raise ValueError when malformed."""
    code, sep, term = text.partition("@")
    if not sep or not code.strip() or not term.strip():
        raise ValueError(f"'{text}' is not COURSE@TERM (for example 10-701@F26)")
    return code.strip(), term.strip()
