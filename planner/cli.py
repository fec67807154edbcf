"""The ``planner`` command line: thin commands over the library.

Each command parses its options, calls one library function and renders the result.
Errors are one project exception, rendered once here as a single line on stderr.
OR-Tools is imported only when a command solves, so ``planner --help`` stays fast.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from planner.errors import PlannerError
from planner.flags import what_ifs

if TYPE_CHECKING:
    from planner.catalog import Curriculum

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_NO_PLAN, EXIT_TIMEOUT = 0, 1, 2, 3, 4
EXIT_CODES = (
    "Exit codes: 0 plan found or audit passed; 1 bad input; 2 usage error; "
    "3 no plan exists or audit failed; 4 no answer within the time limit."
)

app = typer.Typer(
    name="planner",
    help="Plan and audit a CMU MS in Machine Learning degree with a constraint solver.\n\n"
    + EXIT_CODES,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
cohort_app = typer.Typer(help="Synthetic cohorts of students.", no_args_is_help=True)


def _show_version(value: bool) -> None:
    if value:
        from planner import __version__

        typer.echo(f"planner {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=_show_version, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Plan and audit a CMU MS in Machine Learning degree with a constraint solver."""


app.add_typer(cohort_app, name="cohort")

Format = Literal["table", "json", "markdown", "jsonl", "csv", "html"]


def _many(flag: str, metavar: str, text: str) -> Any:
    return typer.Option(flag, metavar=metavar, help=text)


# What-if flags, shared by `plan` and `batch`.
CompletedOpt = Annotated[
    list[str], _many("--completed", "CODE@TERM", "A course completed before the start.")
]
RequireOpt = Annotated[list[str], _many("--require", "CODE", "A course to take.")]
AvoidOpt = Annotated[list[str], _many("--avoid", "CODE", "A course not to plan.")]
PreferOpt = Annotated[list[str], _many("--prefer", "CODE", "A course to take if it fits.")]
PinOpt = Annotated[list[str], _many("--pin", "CODE@TERM", "Take the course in that term.")]
MaxUnitsOpt = Annotated[
    list[str], _many("--max-units", "N[@TERM]", "Most units in every term, or in TERM.")
]
MinUnitsOpt = Annotated[
    list[str], _many("--min-units", "N[@TERM]", "Least units in every term, or in TERM.")
]
OfferedOpt = Annotated[list[str], _many("--offered", "CODE@TERM", "The course runs then.")]
NotOfferedOpt = Annotated[
    list[str], _many("--not-offered", "CODE@TERM", "The course does not run then.")
]
WaiveOpt = Annotated[list[str], _many("--waive", "RULE_ID", "A rule to waive.")]
SubstituteOpt = Annotated[
    list[str], _many("--substitute", "OLD=NEW", "NEW takes OLD's place in its requirements.")
]
AlsoAllowOpt = Annotated[
    list[str], _many("--also-allow", "OLD=NEW", "NEW also counts wherever OLD can.")
]
StartOpt = Annotated[
    str | None, typer.Option("--start", metavar="TERM", help="First term to plan (F26).")
]
GraduateByOpt = Annotated[
    str | None, typer.Option("--graduate-by", metavar="TERM", help="Last term allowed.")
]
EnrolledThroughOpt = Annotated[
    str | None,
    typer.Option("--enrolled-through", metavar="TERM", help="Stay enrolled through TERM."),
]
SemestersOpt = Annotated[
    int | None, typer.Option("--semesters", metavar="N", help="Graduate within N semesters.")
]
ProgramOpt = Annotated[
    list[str],
    typer.Option(
        "--program",
        metavar="ID",
        help="Plan for this program (default msml); repeat to plan for several at once.",
    ),
]
EntryYearOpt = Annotated[
    int | None,
    typer.Option("--entry-year", metavar="YEAR", help="Year of entry (picks the version)."),
]
TimeLimitOpt = Annotated[
    float | None,
    typer.Option("--time-limit", metavar="SECONDS", help="Solver time per plan (default 60)."),
]
CurriculumOpt = Annotated[
    Path | None,
    typer.Option("--curriculum", help="Curriculum folder (default: the shipped one)."),
]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show a traceback on errors.")]
IdsOpt = Annotated[
    bool, typer.Option("--ids", help="Name rules by their ids in tables (JSON always has them).")
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", help="Write to this file (never onto an input of the command)."),
]


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
        message = " ".join(str(exc).split())
        typer.echo(
            f"error: internal error: {type(exc).__name__}: {message} (rerun with --debug)", err=True
        )
        raise typer.Exit(EXIT_INPUT) from None
    raise typer.Exit(code)


def _outputs_checked(output: Path | None, curriculum: Path | None, *inputs: Path | None) -> None:
    """Refuse `output` before any work when it is an input: one of `inputs` or a file of
    the curriculum (the catalog or a program)."""
    from planner.catalog import curriculum_files
    from planner.output import check_output

    check_output(output, [*(p for p in inputs if p is not None), *curriculum_files(curriculum)])


def _write(text: str, output: Path | None, curriculum: Path | None, *inputs: Path | None) -> None:
    from planner.catalog import curriculum_files
    from planner.output import write_output

    write_output(
        text, output, [*(p for p in inputs if p is not None), *curriculum_files(curriculum)]
    )


def _warn(warnings: list[str]) -> None:
    """Each warning as one line on stderr (the result itself goes to stdout)."""
    for warning in warnings:
        typer.echo(f"warning: {warning}", err=True)


def _check_format(fmt: str, allowed: tuple[str, ...]) -> Format:
    fmt = fmt.lower()  # --format JSON is --format json
    if fmt not in allowed:
        raise PlannerError(
            f"unknown format '{fmt}' (use {', '.join(allowed)})",
            file="command line",
            place="--format",
        )
    return fmt  # type: ignore[return-value]


def _exit_for(status: str) -> int:
    return {"optimal": EXIT_OK, "feasible": EXIT_OK, "infeasible": EXIT_NO_PLAN}.get(
        status, EXIT_TIMEOUT
    )


@app.command()
def plan(
    scenario: Annotated[
        Path | None,
        typer.Argument(help="Scenario file (TOML). Default: a new student starting Fall 2026."),
    ] = None,
    completed: CompletedOpt = [],  # noqa: B006 (typer reads list defaults, never mutates them)
    require: RequireOpt = [],  # noqa: B006
    avoid: AvoidOpt = [],  # noqa: B006
    prefer: PreferOpt = [],  # noqa: B006
    pin: PinOpt = [],  # noqa: B006
    max_units: MaxUnitsOpt = [],  # noqa: B006
    min_units: MinUnitsOpt = [],  # noqa: B006
    start: StartOpt = None,
    graduate_by: GraduateByOpt = None,
    enrolled_through: EnrolledThroughOpt = None,
    semesters: SemestersOpt = None,
    program: ProgramOpt = [],  # noqa: B006
    entry_year: EntryYearOpt = None,
    offered: OfferedOpt = [],  # noqa: B006
    not_offered: NotOfferedOpt = [],  # noqa: B006
    waive: WaiveOpt = [],  # noqa: B006
    substitute: SubstituteOpt = [],  # noqa: B006
    also_allow: AlsoAllowOpt = [],  # noqa: B006
    time_limit: TimeLimitOpt = None,
    alternatives: Annotated[
        int,
        typer.Option("--alternatives", min=0, max=20, help="Also show up to K equally good plans."),
    ] = 0,
    slack: Annotated[
        int,
        typer.Option(
            "--slack", min=0, max=100, help="Alternatives may be worse by N on each criterion."
        ),
    ] = 0,
    why: Annotated[
        list[str],
        typer.Option("--why", metavar="COURSE|RULE", help="Explain a course or requirement."),
    ] = [],  # noqa: B006
    robust: Annotated[
        bool,
        typer.Option(
            "--robust", help="Plan so that any course that may be cancelled has a repair."
        ),
    ] = False,
    fmt: Annotated[
        str, typer.Option("--format", help="table, json, markdown or html (one page).")
    ] = "table",
    output: OutputOpt = None,
    ids: IdsOpt = False,
    curriculum: CurriculumOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Find the best semester-by-semester plan; when there is none, say why.

    Exit codes: 0 plan found; 1 bad input; 2 usage error; 3 no plan exists; 4 no answer
    within the time limit.
    """

    def body() -> int:
        from planner.api import curriculum_of, make_plan

        overrides = what_ifs(
            completed=completed, require=require, avoid=avoid, prefer=prefer, pin=pin,
            max_units=max_units, min_units=min_units, start=start, graduate_by=graduate_by,
            enrolled_through=enrolled_through, semesters=semesters, entry_year=entry_year,
            program=program,
            offered=offered,
            not_offered=not_offered, waive=waive, substitute=substitute, also_allow=also_allow,
            time_limit=time_limit,
        )  # fmt: skip
        chosen = _check_format(fmt, ("table", "json", "markdown", "html"))
        _outputs_checked(output, curriculum, scenario)
        # A page names the assumptions of the programs: read the curriculum once for both.
        cur = curriculum_of(curriculum) if chosen == "html" else curriculum
        result = make_plan(
            scenario,
            overrides,
            cur,
            alternatives=alternatives,
            slack=slack,
            why=why,
            robust=robust,
        )
        _warn(result.warnings)
        _write(_render_plan(result, chosen, ids, cur), output, curriculum, scenario)
        return _exit_for(result.status)

    _guard(debug, body)


def _render_plan(
    result: Any, fmt: Format, ids: bool, curriculum: Path | Curriculum | None = None
) -> str:
    from planner import render

    if fmt == "html":
        from planner.api import assumptions_of
        from planner.html import plan_html

        return plan_html(result, assumptions_of(result, curriculum))
    if fmt == "json":
        return str(result.model_dump_json(indent=2)) + "\n"
    if fmt == "markdown":
        return render.plan_markdown(result, ids)
    return render.plan_table(result, ids)


@app.command()
def audit(
    plan_file: Annotated[Path, typer.Argument(help="A plan in the JSON format of 'plan'.")],
    fmt: Annotated[str, typer.Option("--format", help="table, json or html.")] = "table",
    everything: Annotated[
        bool, typer.Option("--all", help="Also list rules about courses the plan does not hold.")
    ] = False,
    output: OutputOpt = None,
    ids: IdsOpt = False,
    curriculum: CurriculumOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Check a plan against its program, rule by rule, without a solver.

    Exit codes: 0 audit passed; 1 bad input; 2 usage error; 3 audit failed.
    """

    def body() -> int:
        from planner.api import audit_file
        from planner.render import audit_table

        chosen = _check_format(fmt, ("table", "json", "html"))
        _outputs_checked(output, curriculum, plan_file)
        report = audit_file(plan_file, curriculum, everything=everything)
        _warn(report.warnings)
        if chosen == "json":
            text = report.model_dump_json(indent=2) + "\n"
        elif chosen == "html":
            from planner.html import audit_html

            text = audit_html(report)
        else:
            text = audit_table(report, ids)
        _write(text, output, curriculum, plan_file)
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
        from planner.render import wrap

        for line in explain_file(plan_file, list(targets), curriculum):
            indent = " " * (len(line) - len(line.lstrip()) + 2)
            for part in wrap(line.lstrip(), indent, line[: len(indent) - 2]):
                typer.echo(part)
        return EXIT_OK

    _guard(debug, body)


@app.command()
def compare(
    before: Annotated[Path, typer.Argument(help="A scenario (.toml) or a plan (.json).")],
    after: Annotated[Path, typer.Argument(help="A scenario (.toml) or a plan (.json).")],
    fmt: Annotated[str, typer.Option("--format", help="table, json or html.")] = "table",
    output: OutputOpt = None,
    curriculum: CurriculumOpt = None,
    debug: DebugOpt = False,
) -> None:
    """What changes from one plan to another, and which what-ifs differ.

    Exit codes: 0 compared; 1 bad input; 2 usage error.
    """

    def body() -> int:
        from planner.api import plan_or_scenario
        from planner.compare import compare_plans, comparison_table

        chosen = _check_format(fmt, ("table", "json", "html"))
        _outputs_checked(output, curriculum, before, after)
        result = compare_plans(
            plan_or_scenario(before, curriculum), plan_or_scenario(after, curriculum)
        )
        if chosen == "json":
            text = result.model_dump_json(indent=2) + "\n"
        elif chosen == "html":
            from planner.html import compare_html

            text = compare_html(result, str(before), str(after))
        else:
            text = comparison_table(result, str(before), str(after))
        _write(text, output, curriculum, before, after)
        return EXIT_OK

    _guard(debug, body)


@app.command()
def batch(
    scenarios: Annotated[
        list[Path], typer.Argument(help="Scenario files, folders of them, or glob patterns.")
    ],
    completed: CompletedOpt = [],  # noqa: B006
    require: RequireOpt = [],  # noqa: B006
    avoid: AvoidOpt = [],  # noqa: B006
    prefer: PreferOpt = [],  # noqa: B006
    pin: PinOpt = [],  # noqa: B006
    max_units: MaxUnitsOpt = [],  # noqa: B006
    min_units: MinUnitsOpt = [],  # noqa: B006
    start: StartOpt = None,
    graduate_by: GraduateByOpt = None,
    enrolled_through: EnrolledThroughOpt = None,
    semesters: SemestersOpt = None,
    program: ProgramOpt = [],  # noqa: B006
    entry_year: EntryYearOpt = None,
    offered: OfferedOpt = [],  # noqa: B006
    not_offered: NotOfferedOpt = [],  # noqa: B006
    waive: WaiveOpt = [],  # noqa: B006
    substitute: SubstituteOpt = [],  # noqa: B006
    also_allow: AlsoAllowOpt = [],  # noqa: B006
    time_limit: TimeLimitOpt = None,
    jobs: Annotated[
        int, typer.Option("--jobs", min=0, help="Worker processes (0: one per core).")
    ] = 0,
    compare_to: Annotated[
        Path | None,
        typer.Option("--compare-to", help="A baseline from --format jsonl: list who is hurt."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or jsonl.")] = "table",
    output: OutputOpt = None,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress", help="Progress bar on stderr (default: if a tty)."
        ),
    ] = None,
    curriculum: CurriculumOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Plan many students at once, with the same what-ifs applied to all.

    A bad file is reported in its own row. Exit codes: 0 every student has a plan; 1 a
    file was bad input; 2 usage error; 3 some student has no plan; 4 some answer timed out.
    """

    def body() -> int:
        from planner.batch import batch_table, hurt, read_rows

        overrides = what_ifs(
            completed=completed, require=require, avoid=avoid, prefer=prefer, pin=pin,
            max_units=max_units, min_units=min_units, start=start, graduate_by=graduate_by,
            enrolled_through=enrolled_through, semesters=semesters, entry_year=entry_year,
            program=program,
            offered=offered, not_offered=not_offered, waive=waive, substitute=substitute,
            also_allow=also_allow, time_limit=time_limit,
        )  # fmt: skip
        chosen = _check_format(fmt, ("table", "jsonl"))
        paths = _cohort_files(scenarios)
        _outputs_checked(output, curriculum, *paths, compare_to)
        baseline = read_rows(compare_to) if compare_to else None
        rows = _run_cohort(paths, overrides, curriculum, jobs, progress)
        matching = hurt(baseline, rows) if baseline is not None else None
        if chosen == "jsonl":
            text = "".join(row.model_dump_json() + "\n" for row in rows)
        else:
            text = batch_table(rows, matching)
        _write(text, output, curriculum, *paths, compare_to)
        return _cohort_exit(rows)

    _guard(debug, body)


@app.command()
def demand(
    scenarios: Annotated[
        list[Path], typer.Argument(help="A cohort: scenario files, folders of them, or globs.")
    ],
    completed: CompletedOpt = [],  # noqa: B006
    require: RequireOpt = [],  # noqa: B006
    avoid: AvoidOpt = [],  # noqa: B006
    prefer: PreferOpt = [],  # noqa: B006
    pin: PinOpt = [],  # noqa: B006
    max_units: MaxUnitsOpt = [],  # noqa: B006
    min_units: MinUnitsOpt = [],  # noqa: B006
    start: StartOpt = None,
    graduate_by: GraduateByOpt = None,
    enrolled_through: EnrolledThroughOpt = None,
    semesters: SemestersOpt = None,
    program: ProgramOpt = [],  # noqa: B006
    entry_year: EntryYearOpt = None,
    offered: OfferedOpt = [],  # noqa: B006
    not_offered: NotOfferedOpt = [],  # noqa: B006
    waive: WaiveOpt = [],  # noqa: B006
    substitute: SubstituteOpt = [],  # noqa: B006
    also_allow: AlsoAllowOpt = [],  # noqa: B006
    time_limit: TimeLimitOpt = None,
    jobs: Annotated[
        int, typer.Option("--jobs", min=0, help="Worker processes (0: one per core).")
    ] = 0,
    compare_to: Annotated[
        Path | None,
        typer.Option("--compare-to", help="A baseline from 'planner demand' (csv or json)."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, json or html.")] = "table",
    output: OutputOpt = None,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress", help="Progress bar on stderr (default: if a tty)."
        ),
    ] = None,
    curriculum: CurriculumOpt = None,
    debug: DebugOpt = False,
) -> None:
    """How many students of a cohort take each course in each term, with the same
    what-ifs for all; with --compare-to, what changes.

    Exit codes: 0 counted; 1 bad input; 2 usage error. Students without a plan are
    reported and not counted.
    """

    def body() -> int:
        from planner.demand import demand as count
        from planner.demand import demand_csv, demand_table, read_demand

        overrides = what_ifs(
            completed=completed, require=require, avoid=avoid, prefer=prefer, pin=pin,
            max_units=max_units, min_units=min_units, start=start, graduate_by=graduate_by,
            enrolled_through=enrolled_through, semesters=semesters, entry_year=entry_year,
            program=program,
            offered=offered, not_offered=not_offered, waive=waive, substitute=substitute,
            also_allow=also_allow, time_limit=time_limit,
        )  # fmt: skip
        chosen = _check_format(fmt, ("table", "csv", "json", "html"))
        paths = _cohort_files(scenarios)
        _outputs_checked(output, curriculum, *paths, compare_to)
        baseline = read_demand(compare_to) if compare_to else None
        result = count(_run_cohort(paths, overrides, curriculum, jobs, progress))
        if chosen == "csv":
            text = demand_csv(result)
        elif chosen == "json":
            text = result.model_dump_json(indent=2) + "\n"
        elif chosen == "html":
            from planner.html import demand_html

            text = demand_html(result, baseline)
        else:
            text = demand_table(result, baseline)
        _write(text, output, curriculum, *paths, compare_to)
        return EXIT_OK

    _guard(debug, body)


def _cohort_files(scenarios: list[Path]) -> list[Path]:
    from planner.batch import expand

    paths = expand(scenarios)
    if not paths:
        raise PlannerError("no scenario files found", file="command line", place="SCENARIOS")
    return paths


def _run_cohort(
    paths: list[Path],
    overrides: dict[str, Any],
    curriculum: Path | None,
    jobs: int,
    progress: bool | None,
) -> list[Any]:
    """Plan every file, with a progress bar on stderr when asked (or when a terminal)."""
    from planner.batch import run_batch

    show = sys.stderr.isatty() if progress is None else progress
    rows = run_batch(paths, overrides, curriculum, jobs, _progress_bar if show else None)
    if show:
        sys.stderr.write("\n")
    return rows


def _cohort_exit(rows: list[Any]) -> int:
    """Exit 1 if some file was bad input, else 3 if some student has no plan, else 4 if
    some answer timed out, else 0."""
    statuses = {row.status for row in rows}
    for status, code in (
        ("error", EXIT_INPUT),
        ("infeasible", EXIT_NO_PLAN),
        ("unknown", EXIT_TIMEOUT),
    ):
        if status in statuses:
            return code
    return EXIT_OK


def _progress_bar(done: int, total: int) -> None:
    width = 30
    filled = width * done // total
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    sys.stderr.flush()


@cohort_app.command("generate")
def cohort_generate(
    count: Annotated[int, typer.Argument(help="How many students.")],
    out: Annotated[Path, typer.Option("--out", help="Folder to write student-NNNN.toml into.")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same files).")] = 0,
    debug: DebugOpt = False,
) -> None:
    """Write a seeded synthetic cohort of student scenarios."""

    def body() -> int:
        from planner.cohort import generate

        paths, stale = generate(count, seed, out)
        removed = f" (removed {len(stale)} older generated students)" if stale else ""
        typer.echo(f"wrote {len(paths)} students to {out}{removed}")
        return EXIT_OK

    _guard(debug, body)


@app.command()
def courses(
    query: Annotated[
        str, typer.Argument(help="A course number or its start (10-7), title words, or a tag.")
    ] = "",
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    output: OutputOpt = None,
    curriculum: CurriculumOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Find courses: units, prerequisites, when they run and ran, what they can fill.

    Exit codes: 0 found (or nothing matched); 1 bad input; 2 usage error.
    """

    def body() -> int:
        import json

        from planner.catalog import load_curriculum
        from planner.courses import courses_table, find

        chosen = _check_format(fmt, ("table", "json"))
        _outputs_checked(output, curriculum)
        found = find(load_curriculum(curriculum), query)
        if chosen == "json":
            text = json.dumps([c.model_dump() for c in found], indent=2) + "\n"
        else:
            text = courses_table(found, query)
        _write(text, output, curriculum)
        return EXIT_OK

    _guard(debug, body)


@app.command()
def programs(
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    output: OutputOpt = None,
    curriculum: CurriculumOpt = None,
    debug: DebugOpt = False,
) -> None:
    """List the programs: their versions, who each is for, what it asks, its sources.

    Exit codes: 0 listed; 1 bad input; 2 usage error.
    """

    def body() -> int:
        import json

        from planner.catalog import load_curriculum
        from planner.programs import programs_table, summaries

        chosen = _check_format(fmt, ("table", "json"))
        _outputs_checked(output, curriculum)
        found = summaries(load_curriculum(curriculum))
        if chosen == "json":
            text = json.dumps([s.model_dump() for s in found], indent=2) + "\n"
        else:
            text = programs_table(found)
        _write(text, output, curriculum)
        return EXIT_OK

    _guard(debug, body)


@app.command()
def serve(
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")
    ] = 8000,
    host: Annotated[
        str, typer.Option("--host", help="Address to bind (default: this machine only).")
    ] = "127.0.0.1",
    curriculum: CurriculumOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Serve the what-if page and the JSON API (POST /api/plan) until stopped.

    Needs the web extra: pip install 'planner[web]'. Exit codes: 0 stopped; 1 bad input.
    """

    def body() -> int:
        try:
            from planner.web import serve as run
        except ImportError as exc:
            raise PlannerError(
                f"planner serve needs the web extra ({exc.name} is missing):"
                " pip install 'planner[web]'",
                file="command line",
                place="serve",
            ) from None
        typer.echo(f"planner: serving http://{host}:{port}/ (Ctrl-C stops)", err=True)
        run(curriculum, host, port)
        return EXIT_OK

    _guard(debug, body)


SCHEMAS = ("scenario", "plan", "curriculum", "catalog", "program")


@app.command()
def schema(
    name: Annotated[str, typer.Argument(help="scenario, plan, curriculum, catalog or program.")],
    output: OutputOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Print the JSON Schema of a file format, for editors that validate as you type.

    curriculum is either curriculum file: the catalog or a program.
    Exit codes: 0 printed; 1 bad input.
    """

    def body() -> int:
        from planner.schema import json_schema

        if name.lower() not in SCHEMAS:
            raise PlannerError(
                f"unknown schema '{name}' (use {', '.join(SCHEMAS)})",
                file="command line",
                place="schema",
            )
        _outputs_checked(output, None)
        _write(json_schema(name.lower()), output, None)
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
    """The console script: the CLI, with OR-Tools imported lean (see `planner.cpsat`)."""
    from planner.cpsat import lean_start

    lean_start()
    app()
