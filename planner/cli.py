"""The ``planner`` command line: thin commands over the library.

Each command parses its options, calls one library function and renders the result.
Errors are one project exception, rendered once here as a single line on stderr.
OR-Tools is imported only when a command solves, so ``planner --help`` stays fast.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from planner.errors import PlannerError

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_NO_PLAN, EXIT_TIMEOUT = 0, 1, 2, 3, 4
EXIT_CODES = (
    "Exit codes: 0 plan found or audit passed; 1 bad input; 2 usage error; "
    "3 no plan exists or audit failed; 4 no answer within the time limit."
)
DEFAULT_TIME_LIMIT = 60.0

app = typer.Typer(
    name="planner",
    help="Plan and audit a CMU MS in Machine Learning degree with a constraint solver.\n\n"
    + EXIT_CODES,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

Format = Literal["table", "json", "markdown"]

CurriculumOpt = Annotated[
    Path | None,
    typer.Option("--curriculum", help="Curriculum folder (default: the shipped curriculum/)."),
]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show a traceback on errors.")]


def _guard(debug: bool, body: Callable[[], int]) -> None:
    """Run a command body; render any error as one line and exit with its code."""
    try:
        code = body()
    except PlannerError as exc:
        if debug:
            traceback.print_exc()
        typer.echo(f"error: {exc.render()}", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:  # the boundary: never a traceback unless asked for
        if debug:
            traceback.print_exc()
        typer.echo(
            f"error: internal error: {type(exc).__name__}: {exc} (rerun with --debug)", err=True
        )
        raise typer.Exit(EXIT_INPUT) from None
    raise typer.Exit(code)


def write_output(text: str, output: Path | None, inputs: list[Path]) -> None:
    """Print `text`, or write it to `output` atomically (temp file, then rename).

    Refuses to overwrite any of the command's input files.
    """
    if output is None:
        sys.stdout.write(text)
        return
    target = output.resolve()
    if any(target == p.resolve() for p in inputs):
        raise PlannerError("refusing to overwrite an input file", file=output, place="--output")
    if target.is_dir():
        raise PlannerError("is a directory", file=output, place="--output")
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        raise PlannerError(f"cannot write: {exc.strerror or exc}", file=output) from None


def _units_flags(values: list[str], side: str, overrides: dict[str, Any]) -> None:
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


@app.command()
def plan(
    scenario: Annotated[
        Path | None,
        typer.Argument(help="Scenario file (TOML). Default: a new student starting Fall 2026."),
    ] = None,
    completed: Annotated[
        list[str],
        typer.Option(
            "--completed", metavar="CODE@TERM", help="CODE@TERM completed before the start."
        ),
    ] = [],  # noqa: B006 (typer reads the default)
    require: Annotated[
        list[str], typer.Option("--require", metavar="CODE", help="Course to take.")
    ] = [],  # noqa: B006
    avoid: Annotated[
        list[str], typer.Option("--avoid", metavar="CODE", help="Course not to plan.")
    ] = [],  # noqa: B006
    prefer: Annotated[
        list[str], typer.Option("--prefer", metavar="CODE", help="Course to take if it fits.")
    ] = [],  # noqa: B006
    pin: Annotated[
        list[str], typer.Option("--pin", metavar="CODE@TERM", help="CODE@TERM: take it then.")
    ] = [],  # noqa: B006
    max_units: Annotated[
        list[str], typer.Option("--max-units", metavar="N[@TERM]", help="N (every term) or N@TERM.")
    ] = [],  # noqa: B006
    min_units: Annotated[
        list[str], typer.Option("--min-units", metavar="N[@TERM]", help="N (every term) or N@TERM.")
    ] = [],  # noqa: B006
    start: Annotated[
        str | None, typer.Option("--start", metavar="TERM", help="First term to plan (F26).")
    ] = None,
    graduate_by: Annotated[
        str | None, typer.Option("--graduate-by", metavar="TERM", help="Last term allowed.")
    ] = None,
    semesters: Annotated[
        int | None, typer.Option("--semesters", help="Graduate within N semesters.")
    ] = None,
    entry_year: Annotated[
        int | None,
        typer.Option("--entry-year", help="Year the student entered (picks the program version)."),
    ] = None,
    offered: Annotated[
        list[str], typer.Option("--offered", metavar="CODE@TERM", help="CODE@TERM: offered then.")
    ] = [],  # noqa: B006
    not_offered: Annotated[
        list[str],
        typer.Option("--not-offered", metavar="CODE@TERM", help="CODE@TERM: not offered then."),
    ] = [],  # noqa: B006
    waive: Annotated[
        list[str], typer.Option("--waive", metavar="RULE_ID", help="Rule id to waive.")
    ] = [],  # noqa: B006
    substitute: Annotated[
        list[str],
        typer.Option(
            "--substitute", metavar="OLD=NEW", help="OLD=NEW: NEW counts in place of OLD."
        ),
    ] = [],  # noqa: B006
    time_limit: Annotated[
        float | None, typer.Option("--time-limit", help="Seconds for the solver (default 60).")
    ] = None,
    alternatives: Annotated[
        int,
        typer.Option("--alternatives", min=0, max=20, help="Also show up to K equally good plans."),
    ] = 0,
    why: Annotated[
        list[str],
        typer.Option("--why", metavar="COURSE|RULE", help="Explain a course or requirement."),
    ] = [],  # noqa: B006
    fmt: Annotated[str, typer.Option("--format", help="table, json or markdown.")] = "table",
    output: Annotated[Path | None, typer.Option("--output", help="Write to this file.")] = None,
    curriculum: CurriculumOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Find the best semester-by-semester plan.

    Exit codes: 0 plan found; 1 bad input; 2 usage error; 3 no plan exists; 4 no answer
    within the time limit.
    """
    overrides: dict[str, Any] = {}
    for name, value in (
        ("completed", completed),
        ("require", require),
        ("avoid", avoid),
        ("prefer", prefer),
        ("pin", pin),
        ("offered", offered),
        ("not_offered", not_offered),
        ("waive", waive),
        ("substitute", substitute),
    ):
        if value:
            overrides[name] = list(value)
    for name, scalar in (
        ("start", start),
        ("graduate_by", graduate_by),
        ("semesters", semesters),
        ("entry_year", entry_year),
        ("time_limit", time_limit),
    ):
        if scalar is not None:
            overrides[name] = scalar

    def body() -> int:
        from planner.api import make_plan

        _units_flags(max_units, "max", overrides)
        _units_flags(min_units, "min", overrides)
        fmt_checked = _check_format(fmt)
        result = make_plan(
            scenario, overrides, curriculum, alternatives=alternatives, why=list(why)
        )
        inputs = [scenario] if scenario else []
        write_output(_render_plan(result, fmt_checked), output, inputs)
        return {"optimal": EXIT_OK, "feasible": EXIT_OK, "infeasible": EXIT_NO_PLAN}.get(
            result.status, EXIT_TIMEOUT
        )

    _guard(debug, body)


def _check_format(fmt: str) -> Format:
    if fmt not in ("table", "json", "markdown"):
        raise PlannerError(
            f"unknown format '{fmt}' (use table, json or markdown)",
            file="command line",
            place="--format",
        )
    return fmt  # type: ignore[return-value]


def _render_plan(result: Any, fmt: Format) -> str:
    from planner import render

    if fmt == "json":
        return str(result.model_dump_json(indent=2)) + "\n"
    if fmt == "markdown":
        return render.plan_markdown(result)
    return render.plan_table(result)


@app.command()
def audit(
    plan_file: Annotated[Path, typer.Argument(help="A plan in the JSON format of 'plan'.")],
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    curriculum: CurriculumOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Check a plan against its program, rule by rule, without a solver.

    Exit codes: 0 audit passed; 1 bad input; 2 usage error; 3 audit failed.
    """

    def body() -> int:
        from planner.api import audit_file
        from planner.render import audit_table

        report = audit_file(plan_file, curriculum)
        if fmt == "json":
            text = report.model_dump_json(indent=2) + "\n"
        elif fmt == "table":
            text = audit_table(report)
        else:
            raise PlannerError(
                f"unknown format '{fmt}' (use table or json)", file="command line", place="--format"
            )
        sys.stdout.write(text)
        return EXIT_OK if report.passed else EXIT_NO_PLAN

    _guard(debug, body)


@app.command()
def explain(
    plan_file: Annotated[Path, typer.Argument(help="A plan in the JSON format of 'plan'.")],
    targets: Annotated[list[str], typer.Argument(help="Course codes or requirement ids.")],
    curriculum: CurriculumOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Why a course is in its term and what it fills; what fills a requirement.

    Exit codes: 0 explained; 1 bad input; 2 usage error.
    """

    def body() -> int:
        from planner.api import explain_file

        for line in explain_file(plan_file, list(targets), curriculum):
            typer.echo(line)
        return EXIT_OK

    _guard(debug, body)


@app.command()
def compare(
    before: Annotated[Path, typer.Argument(help="A scenario (.toml) or a plan (.json).")],
    after: Annotated[Path, typer.Argument(help="A scenario (.toml) or a plan (.json).")],
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    curriculum: CurriculumOpt = None,
    debug: DebugOpt = False,
) -> None:
    """What changes from one plan to another, and which what-ifs differ.

    Exit codes: 0 compared; 1 bad input; 2 usage error.
    """

    def body() -> int:
        from planner.api import plan_or_scenario
        from planner.compare import compare_plans, comparison_table

        if fmt not in ("table", "json"):
            raise PlannerError(
                f"unknown format '{fmt}' (use table or json)", file="command line", place="--format"
            )
        result = compare_plans(
            plan_or_scenario(before, curriculum), plan_or_scenario(after, curriculum)
        )
        if fmt == "json":
            sys.stdout.write(result.model_dump_json(indent=2) + "\n")
        else:
            sys.stdout.write(comparison_table(result, str(before), str(after)))
        return EXIT_OK

    _guard(debug, body)


@app.command()
def check(
    scenarios: Annotated[list[Path], typer.Argument(help="Scenario files to check too.")] = [],  # noqa: B006
    curriculum: CurriculumOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Validate the curriculum files (and scenarios) without solving."""

    def body() -> int:
        from planner.api import check_files

        for line in check_files(scenarios, curriculum):
            typer.echo(line)
        return EXIT_OK

    _guard(debug, body)


def main() -> None:
    app()
