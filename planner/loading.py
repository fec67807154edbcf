"""Reading TOML and JSON files into validated pydantic models, with one-line errors.

Every file the planner reads goes through here, so every bad file is reported the same
way: the file, the place inside it (a dotted path or a line and column) and what is wrong.
Reading never executes anything from the data: TOML and JSON are parsed as data only.
"""

from __future__ import annotations

import json
import os
import stat
import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from planner.errors import PlannerError

M = TypeVar("M", bound=BaseModel)

MAX_FILE_BYTES = 5_000_000
"""Input files larger than this are refused rather than parsed (they are not curricula)."""


def read_text(path: Path) -> str:
    """The file's text, or a PlannerError naming the file.

    The read itself is bounded, so a pipe or a device (``/dev/zero``) is refused at the
    limit instead of exhausting memory. A FIFO is opened without waiting for a writer: with
    none, it reads as empty.
    """
    try:
        if path.is_dir():
            raise PlannerError("is a directory, not a file", file=path)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if stat.S_ISFIFO(os.fstat(fd).st_mode):
                os.set_blocking(fd, True)  # opened at once; now wait for what a writer sends
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise PlannerError("no such file", file=path) from None
    except OSError as exc:
        raise PlannerError(f"cannot read: {exc.strerror or exc}", file=path) from None
    if len(raw) > MAX_FILE_BYTES:
        raise PlannerError(
            f"file has more than {MAX_FILE_BYTES:,} bytes, the limit for an input file", file=path
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PlannerError(
            f"not UTF-8 text (byte {exc.start}); is this a binary file?", file=path
        ) from None


def read_toml(path: Path) -> dict[str, Any]:
    text = read_text(path)
    if not text.strip():
        raise PlannerError("file is empty", file=path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlannerError(f"TOML syntax error: {exc}", file=path) from None
    except (ValueError, RecursionError) as exc:  # e.g. an integer too long to convert
        raise PlannerError(f"unreadable TOML: {exc}", file=path) from None


def read_json(path: Path) -> Any:
    text = read_text(path)
    if not text.strip():
        raise PlannerError("file is empty", file=path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlannerError(
            f"JSON syntax error: {exc.msg}",
            file=path,
            place=f"line {exc.lineno}, column {exc.colno}",
        ) from None
    except RecursionError:
        raise PlannerError("JSON is nested too deeply", file=path) from None
    except ValueError as exc:  # e.g. an integer too long to convert
        raise PlannerError(f"unreadable JSON: {exc}", file=path) from None


def format_loc(loc: tuple[int | str, ...]) -> str:
    """Pydantic's location tuple as a path a person can find: ``rules[3].courses[0]``."""
    out = ""
    for part in loc:
        if part == "[key]":  # pydantic's marker for "the key of this table", not a place
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = part if part.replace("_", "").replace("-", "").isalnum() else f'"{part}"'
            out += f".{name}" if out else name
    return out


def validate(model: type[M], data: Any, path: Path | str, root: str = "") -> M:
    """Validate `data` as `model`; the first error becomes a one-line PlannerError."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        loc = _without_union_tags(tuple(first["loc"]))
        place = format_loc(((root,) if root else ()) + loc)
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = "unknown key"
        elif first["type"] == "missing":
            message = "required key is missing"
        elif first["type"] == "union_tag_invalid":
            message = message.replace("Input tag", "kind")
        value = first.get("input")
        if first["type"] not in ("missing", "extra_forbidden") and isinstance(
            value, str | int | float
        ):
            message = f"{message} (got {value!r})"
        raise PlannerError(message, file=path, place=place) from None


def _without_union_tags(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """Drop the rule kind that discriminated unions insert after a list index
    (``rules[3].choose.courses`` reads better as ``rules[3].courses``)."""
    return tuple(
        part
        for i, part in enumerate(loc)
        if not (
            i > 1 and loc[i - 2] == "rules" and isinstance(loc[i - 1], int) and part in _RULE_KINDS
        )
    )


_RULE_KINDS: set[str] = set()


def register_union_tags(tags: set[str]) -> None:
    """Tell error formatting which location parts are union tags (rule kinds)."""
    _RULE_KINDS.update(tags)
