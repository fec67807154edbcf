from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.terms import Term, parse_term, semesters_from


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("F26", "F26"),
        ("s27", "S27"),
        ("M27", "M27"),
        ("Fall 2026", "F26"),
        ("summer 2027", "M27"),
        ("F2026", "F26"),
        ("Fall 2126", "F2126"),
    ],
)
def test_parse_term_accepts_cmu_and_long_forms(text: str, code: str) -> None:
    assert parse_term(text).code == code


@pytest.mark.parametrize("text", ["F026", "Fall 26", "X26", "", "F", "Autumn 2026", "26F"])
def test_parse_term_rejects_malformed(text: str) -> None:
    with pytest.raises(ValueError, match="malformed term"):
        parse_term(text)


def test_year_runs_spring_summer_fall() -> None:
    assert parse_term("S27") < parse_term("M27") < parse_term("F27") < parse_term("S28")
    assert parse_term("F26").next() == parse_term("S27")


def test_semesters_from_counts_fall_and_spring_only() -> None:
    terms = semesters_from(parse_term("F26"), 3)
    assert [t.code for t in terms] == ["F26", "S27", "M27", "F27"]


@given(st.integers(min_value=1900 * 3, max_value=2999 * 3 + 2))
def test_term_code_round_trips(index: int) -> None:
    term = Term(index)
    assert parse_term(term.code) == term
    assert parse_term(term.name) == term
