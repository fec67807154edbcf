"""What-if flags as scenario fields: for the CLI's options, and for a repair's flags
(``--graduate-by F29``) applied by ``planner serve`` with one click. No typer here."""

from __future__ import annotations

import shlex
from typing import Any

from planner.errors import PlannerError

LIST_FLAGS = {
    "--completed": "completed",
    "--require": "require",
    "--avoid": "avoid",
    "--prefer": "prefer",
    "--pin": "pin",
    "--offered": "offered",
    "--not-offered": "not_offered",
    "--waive": "waive",
    "--substitute": "substitute",
    "--also-allow": "also_allow",
    "--program": "program",
    "--max-units": "max_units",
    "--min-units": "min_units",
}
VALUE_FLAGS = {
    "--start": ("start", str),
    "--graduate-by": ("graduate_by", str),
    "--enrolled-through": ("enrolled_through", str),
    "--semesters": ("semesters", int),
    "--entry-year": ("entry_year", int),
    "--time-limit": ("time_limit", float),
}


def what_ifs(**flags: Any) -> dict[str, Any]:
    """Scenario fields from what-if flags (only those given)."""
    overrides: dict[str, Any] = {}
    for name, value in flags.items():
        if name in ("max_units", "min_units"):
            units_flags(value, name.split("_")[0], overrides)
        elif name == "program" and value:
            overrides[name] = value[0] if len(value) == 1 else list(value)
        elif value not in (None, []):
            overrides[name] = list(value) if isinstance(value, list) else value
    return overrides


def units_flags(values: list[str], side: str, overrides: dict[str, Any]) -> None:
    """`--max-units 36` (every term) or `--max-units 60@S27` (one term) into fields."""
    for text in values:
        amount, _, term = text.partition("@")
        try:
            units = int(amount)
        except ValueError:
            raise PlannerError(
                f"'{text}' is not N or N@TERM (for example 60 or 60@S27)",
                file="command line",
                place=f"--{side}-units",
            ) from None
        if term:
            overrides.setdefault("term_units", {}).setdefault(term, {})[side] = units
        else:
            overrides.setdefault("units", {})[side] = units


def parse_flags(text: str, origin: str = "flags") -> dict[str, Any]:
    """Scenario fields from a line of what-if flags, as a repair prints them."""
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise PlannerError(str(exc), file=origin) from None
    given: dict[str, Any] = {}
    index = 0
    while index < len(words):
        flag = words[index]
        if index + 1 >= len(words):
            raise PlannerError(f"{flag} needs a value", file=origin, place=flag)
        value = words[index + 1]
        if flag in LIST_FLAGS:
            given.setdefault(LIST_FLAGS[flag], []).append(value)
        elif flag in VALUE_FLAGS:
            name, kind = VALUE_FLAGS[flag]
            try:
                given[name] = kind(value)
            except ValueError:
                message = f"'{value}' is not a {kind.__name__}"
                raise PlannerError(message, file=origin, place=flag) from None
        else:
            raise PlannerError(f"unknown flag '{flag}'", file=origin, place=flag)
        index += 2
    return what_ifs(**given)
