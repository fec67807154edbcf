"""The one project exception, rendered once at the CLI boundary."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path


class PlannerError(Exception):
    """Raised when input (a curriculum file, a scenario, a flag, a plan file) is unusable.

    The message is one line: where the problem is (file and place) and what is wrong.
    """

    def __init__(self, message: str, *, file: Path | str | None = None, place: str = "") -> None:
        self.message = message
        self.file = str(file) if file is not None else ""
        self.place = place
        super().__init__(self.render())

    def render(self) -> str:
        """The error as exactly one line (line breaks from the input are shown escaped)."""
        parts = [p for p in (self.file, self.place) if p]
        prefix = ": ".join(parts)
        text = f"{prefix}: {self.message}" if prefix else self.message
        return text.replace("\r", "\\r").replace("\n", "\\n")

    def located(self, file: Path | str, place: str = "") -> PlannerError:
        """The same error, attributed to `file` (and `place`) unless it already names one."""
        if self.file:
            return self
        return PlannerError(self.message, file=file, place=place or self.place)


_LOOKALIKE = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1"})


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ``; did you mean 'x'?`` suffix naming the closest choice, or an empty string.

    A letter typed for a look-alike digit (10-7O8) is tried first.
    """
    options = sorted(set(choices))
    fixed = word.translate(_LOOKALIKE)
    if fixed != word and fixed in options:
        return f"; did you mean '{fixed}'?"
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def likely_typo(code: str, choices: Iterable[str]) -> str | None:
    """A course number one keystroke from `code`: two neighbouring digits swapped
    (10-710 for 10-701) or one digit mistyped (16-726 for 16-720); None when none is.

    Stricter than `did_you_mean`: a real course the catalog lacks (15-642) is not a
    typo just because some catalog number looks alike."""
    options = sorted(set(choices))
    swaps = []
    for i in range(len(code) - 1):
        if code[i] != code[i + 1] and "-" not in (code[i], code[i + 1]):
            swaps.append(code[:i] + code[i + 1] + code[i] + code[i + 2 :])
    for candidate in swaps:
        if candidate in options:
            return candidate
    near = [
        o
        for o in options
        if len(o) == len(code) and sum(a != b for a, b in zip(o, code, strict=True)) == 1
    ]
    # The same department first: a number mistyped is likelier than a department.
    near.sort(key=lambda o: (o.split("-")[0] != code.split("-")[0], o))
    return near[0] if near else None
