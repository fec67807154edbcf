"""Bad input never crashes the planner: exit 1 and one line, ``error: FILE: PLACE: ...``.

Runs every file of the corpus in ``tests/bad_input/`` (scenarios through ``planner plan``,
plan files through ``planner audit``, broken curriculum folders through ``planner check``),
inputs generated at run time (binary garbage, files over the size limit, empty files, deep
nesting) and bad command-line flags. The tables below say, for each input, the place that
must follow the file name in the error line and a fragment of the message.

The corpus is described in ``tests/bad_input/README.md``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
from typer.testing import CliRunner, Result

from planner.catalog import load_curriculum
from planner.cli import app
from planner.loading import MAX_FILE_BYTES

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS = HERE / "bad_input"
CURRICULA = CORPUS / "curricula"
CONTROL = CORPUS / "control-curriculum"
COMMAND_LINE = "command line"

runner = CliRunner()


# --- Running the CLI and judging its answer --------------------------------------------------


def invoke(*args: str | Path) -> Result:
    """Run the CLI in-process; stdout and stderr are kept apart."""
    return runner.invoke(app, [str(a) for a in args])


def no_crash(result: Result) -> None:
    """No exception escaped the CLI and no traceback was printed."""
    escaped = result.exception
    assert escaped is None or isinstance(escaped, SystemExit), repr(escaped)
    assert "Traceback" not in result.stdout
    assert "Traceback" not in result.stderr


def error_line(result: Result, file: str | Path, place: str = "", fragment: str = "") -> str:
    """Assert the contract for bad input and return the one error line.

    Exit code 1; stderr is exactly one line ``error: FILE: ...``; the text right after the
    file is `place` (a location such as ``rules[2].courses[0]:``); `fragment` occurs in it.
    """
    no_crash(result)
    stderr = result.stderr
    assert result.exit_code == 1, f"exit {result.exit_code}; stderr: {stderr!r}"
    assert stderr.endswith("\n"), repr(stderr)
    line = stderr[:-1]
    assert "\n" not in line and "\r" not in line, f"more than one line: {stderr!r}"
    assert line.startswith("error: "), line
    head = f"error: {file}: "
    assert line.startswith(head), f"does not name {file!s} first: {line!r}"
    rest = line[len(head) :]
    assert rest.startswith(place), f"place is not {place!r}: {line!r}"
    assert fragment in rest, f"{fragment!r} not in {rest!r}"
    return line


class Case(NamedTuple):
    place: str
    """What must follow ``error: FILE: `` (a location such as ``units.max:``), or ""."""
    fragment: str
    """A piece of the message (or "")."""


# --- Scenarios: planner plan FILE ------------------------------------------------------------

SCENARIOS: dict[str, Case] = {
    "scenario-syntax-error": Case("TOML syntax error", "(at line 3"),
    "scenario-duplicate-key": Case("TOML syntax error", "Cannot overwrite a value (at line 4"),
    "scenario-bom": Case("TOML syntax error", "(at line 1"),
    "scenario-unknown-key": Case("bogus:", "unknown key"),
    "scenario-misspelled-key": Case("requires:", "unknown key"),
    "scenario-unknown-table": Case("options:", "unknown key"),
    "scenario-start-wrong-type": Case("start:", "valid string"),
    "scenario-start-date": Case("start:", "valid string"),
    "scenario-start-malformed": Case("start:", "malformed term 'Fall 26'"),
    "scenario-title-wrong-type": Case("title:", "valid string"),
    "scenario-program-wrong-type": Case("program:", "give a program id as a string"),
    "scenario-semesters-wrong-type": Case("semesters:", "valid integer"),
    "scenario-semesters-zero": Case("semesters:", "greater than or equal to 1"),
    "scenario-semesters-huge": Case("semesters:", "less than or equal to 1000"),
    "scenario-huge-integer": Case("", "integer"),
    "scenario-units-negative": Case("units.max:", "greater than or equal to 0"),
    "scenario-units-huge": Case("units.min:", "less than or equal to 1000"),
    "scenario-units-fraction": Case("units.max:", "fractional part"),
    "scenario-units-unknown-key": Case("units.maximum:", "unknown key"),
    "scenario-units-wrong-type": Case("units:", "valid dictionary"),
    "scenario-units-min-gt-max": Case("units:", "min 40 exceeds max 30"),
    "scenario-term-units-malformed-term": Case('term_units."Fall 26":', "malformed term 'Fall 26'"),
    "scenario-term-units-outside": Case("term_units.F40:", "outside the planned terms"),
    "scenario-term-units-empty": Case("term_units.S27:", "give min, max or both"),
    "scenario-completed-malformed-term": Case("completed[0]:", "malformed term 'Q26'"),
    "scenario-completed-no-term": Case("completed[0]:", "is not COURSE@TERM"),
    "scenario-completed-after-start": Case("completed[0]:", "lie before the start term F26"),
    "scenario-completed-twice": Case("completed[1]:", "cannot be repeated"),
    "scenario-completed-unknown-course": Case(
        "completed[0]:", "unknown course 'UCB-CS189': not in the catalog; declare it in [[outside]]"
    ),
    "scenario-completed-table": Case("completed[0]:", "valid string"),
    "scenario-require-unknown-course": Case("require[0]:", "unknown course '10-123'"),
    "scenario-require-misspelled": Case("require[1]:", "did you mean '10-707'?"),
    "scenario-require-bad-format": Case("require[0]:", "is not a course number"),
    "scenario-avoid-unknown-course": Case("avoid[0]:", "unknown course '99-999'"),
    "scenario-prefer-unknown-course": Case("prefer[0]:", "unknown course '10-123'"),
    "scenario-pin-unknown-course": Case("pin[0]:", "unknown course '10-710'"),
    "scenario-pin-outside": Case("pin[0]:", "F35 is outside the planned terms"),
    "scenario-pin-before-start": Case("pin[0]:", "S26 is outside the planned terms F26-"),
    "scenario-offered-before-start": Case("offered[0]:", "before the start term F26"),
    "scenario-not-offered-malformed": Case("not_offered[0]:", "is not COURSE@TERM"),
    "scenario-waive-unknown": Case("waive[0]:", "unknown rule 'msml.nope'"),
    "scenario-waive-misspelled": Case("waive[0]:", "did you mean 'msml.core.pgm'?"),
    "scenario-waive-bad-id": Case("waive[0]:", "should match pattern"),
    "scenario-substitute-no-equals": Case("substitute[0]:", "is not OLD=NEW"),
    "scenario-substitute-unknown-course": Case("substitute[0]:", "unknown course '36-799'"),
    "scenario-substitute-not-in-requirement": Case(
        "substitute[0]:", "80-831 is not in any requirement"
    ),
    "scenario-substitute-unknown-rule": Case(
        "substitute[0]:", "did you mean 'msml.core.statistics'?"
    ),
    "scenario-substitute-missing-new": Case("substitute[0].new:", "required key is missing"),
    "scenario-other-program": Case("program:", "unknown program 'mscs'"),
    "scenario-program-misspelled": Case("program:", "did you mean 'msml'?"),
    "scenario-entry-year-too-early": Case("program:", "admits students starting in 2020"),
    "scenario-entry-year-huge": Case("entry_year:", "less than or equal to 2200"),
    "scenario-both-deadlines": Case("", "give graduate_by or semesters, not both"),
    "scenario-graduate-by-before-start": Case("graduate_by:", "S26 is before the start term F26"),
    "scenario-graduate-by-malformed": Case("graduate_by:", "malformed term 'soon'"),
    "scenario-start-year-1999": Case("program:", "admits students starting in 1999"),
    "scenario-practicum-completed-after-start": Case(
        "practicum_completed:", "not before the start term F26"
    ),
    "scenario-objective-unknown": Case("objective[0]:", "Input should be"),
    "scenario-objective-twice": Case("", "objective lists a criterion twice"),
    "scenario-objective-empty": Case("objective:", "at least 1 item"),
    "scenario-time-limit-negative": Case("time_limit:", "greater than 0"),
    "scenario-time-limit-infinite": Case("time_limit:", "less than or equal to 86400"),
    "scenario-time-limit-string": Case("time_limit:", "valid number"),
    "scenario-newline-in-key": Case("", "unknown key"),
    "scenario-newline-in-term": Case("start:", "malformed term"),
}

# --- Plan files: planner audit FILE ----------------------------------------------------------

NOT_A_PLAN = "Input should be a valid dictionary or instance of Plan"
PLANS: dict[str, Case] = {
    "plan-syntax-error": Case("line 2, column 1:", "JSON syntax error"),
    "plan-trailing-comma": Case("line 1, column 28:", "JSON syntax error"),
    "plan-bom": Case("line 1, column 1:", "BOM"),
    "plan-array": Case("", NOT_A_PLAN),
    "plan-string": Case("", NOT_A_PLAN),
    "plan-null": Case("", NOT_A_PLAN),
    "plan-missing-program": Case("program:", "required key is missing"),
    "plan-program-wrong-type": Case("program:", "valid dictionary"),
    "plan-unknown-key": Case("bogus:", "unknown key"),
    "plan-bad-status": Case(
        "status:", "'optimal', 'feasible', 'infeasible', 'unknown' or 'invalid'"
    ),
    "plan-start-malformed": Case("start:", "malformed term 'soon'"),
    "plan-terms-not-list": Case("terms:", "valid list"),
    "plan-term-malformed": Case("terms[0].term:", "malformed term 'X99'"),
    "plan-term-status-bad": Case("terms[0].status:", "'completed' or 'planned'"),
    "plan-term-practicum-wrong-type": Case("terms[0].practicum:", "valid boolean"),
    "plan-courses-not-list": Case("terms[0].courses:", "valid list"),
    "plan-course-code-bad": Case("terms[0].courses[0].code:", "did you mean '10-701'?"),
    "plan-course-missing-code": Case("terms[0].courses[0].code:", "required key is missing"),
    "plan-course-units-wrong-type": Case("terms[0].courses[0].units:", "valid integer"),
    "plan-planned-before-start": Case("terms[0]:", "planned term F26 is before the start term F27"),
    "plan-completed-duplicate": Case("", "cannot be repeated"),
    "plan-completed-after-start": Case("", "lie before the start term F26"),
    "plan-scenario-unknown-key": Case("scenario.bogus:", "unknown key"),
    "plan-scenario-other-program": Case("scenario.program:", "unknown program 'mscs'"),
    "plan-scenario-waive-unknown": Case("", "unknown rule 'msml.nope'"),
    "plan-scenario-nan": Case("scenario.time_limit:", "less than or equal to 86400"),
    "plan-objective-wrong-type": Case("objective.balance:", "valid integer"),
    "plan-conflicts-wrong-type": Case("conflicts[0].message:", "required key is missing"),
    "plan-huge-integer": Case("", "integer"),
}

# --- Broken curriculum folders: planner check --curriculum DIR -------------------------------

CATALOG, PROGRAM = "catalog.toml", "programs/x.toml"
CURRICULA_CASES: dict[str, tuple[str, Case]] = {
    "catalog-duplicate-course": (
        CATALOG,
        Case("courses[3].code:", "duplicate course '10-701' (first at courses[0])"),
    ),
    "catalog-unknown-prereq": (
        CATALOG,
        Case("courses[1].prereqs (10-708):", "unknown course '10-799'"),
    ),
    "catalog-prereq-cycle": (
        CATALOG,
        Case("courses[0].prereqs (10-701):", "prerequisite cycle: 10-701 -> 10-708 -> 10-701"),
    ),
    "catalog-prereq-self": (CATALOG, Case("courses[2].prereqs:", "course names itself")),
    "catalog-cross-listed-self": (CATALOG, Case("courses[2].cross_listed:", "course names itself")),
    "catalog-units-zero": (CATALOG, Case("courses[0].units:", "greater than or equal to 1")),
    "catalog-units-negative": (CATALOG, Case("courses[0].units:", "greater than or equal to 1")),
    "catalog-units-huge": (CATALOG, Case("courses[0].units:", "less than or equal to 48")),
    "catalog-unknown-key": (CATALOG, Case("courses[0].instructor:", "unknown key")),
    "catalog-wrong-type": (CATALOG, Case("courses[0].units:", "valid integer")),
    "catalog-syntax-error": (CATALOG, Case("TOML syntax error", "(at line 4")),
    "catalog-empty": (CATALOG, Case("file is empty", "")),
    "catalog-no-courses": (CATALOG, Case("courses:", "at least 1 item")),
    "catalog-bad-code": (CATALOG, Case("courses[0].code:", "is not a course number")),
    "catalog-bad-season": (CATALOG, Case("courses[2].seasons[0]:", "'spring', 'summer' or 'fall'")),
    "catalog-bad-term": (CATALOG, Case("courses[2].terms[0]:", "malformed term 'Fall 26'")),
    "catalog-missing-title": (CATALOG, Case("courses[0].title:", "required key is missing")),
    "catalog-courses-is-table": (CATALOG, Case("courses:", "valid list")),
    "program-duplicate-rule-id": (
        PROGRAM,
        Case("rules[4].id:", "duplicate rule id 'mini.core' (first at rules[0])"),
    ),
    "program-unknown-course": (
        PROGRAM,
        Case("rules[0].courses[1] (mini.core):", "unknown course '10-702'"),
    ),
    "program-unknown-kind": (PROGRAM, Case("rules[0]:", "kind 'pick'")),
    "program-misspelled-kind": (PROGRAM, Case("rules[0]:", "kind 'chose'")),
    "program-missing-kind": (PROGRAM, Case("rules[0]:", "'kind'")),
    "program-count-limit-no-requirement": (
        PROGRAM,
        Case(
            "rules[2].rule (mini.electives.or):",
            "names no requirement: 'mini.elective'; did you mean 'mini.electives'?",
        ),
    ),
    "program-credit-pool-empty": (PROGRAM, Case("rules[1] (mini.electives):", "names no course")),
    "program-unknown-tag": (
        PROGRAM,
        Case("rules[1].tags (mini.electives):", "no course has tag 'electives'"),
    ),
    "program-term-units-min-gt-max": (
        PROGRAM,
        Case("rules[3]:", "min_units 60 exceeds max_units 48"),
    ),
    "program-missing-key": (PROGRAM, Case("rules[0].title:", "required key is missing")),
    "program-missing-program-id": (PROGRAM, Case("program.id:", "required key is missing")),
    "program-no-rules": (PROGRAM, Case("rules:", "at least 1 item")),
    "program-bad-rule-id": (PROGRAM, Case("rules[0].id:", "should match pattern")),
    "program-bad-default-start": (PROGRAM, Case("program.default_start:", "malformed term")),
    "program-choose-count-zero": (PROGRAM, Case("rules[0].count:", "greater than or equal to 1")),
    "program-choose-no-courses": (PROGRAM, Case("rules[0].courses:", "at least 1 item")),
    "program-credits-not-whole-units": (PROGRAM, Case("rules[1]:", "whole number of units")),
    "program-unknown-rule-key": (PROGRAM, Case("rules[0].minimum:", "unknown key")),
    "program-syntax-error": (PROGRAM, Case("TOML syntax error", "(at line 5")),
    "program-count-limit-unknown-course": (
        PROGRAM,
        Case("rules[2].courses[0] (mini.electives.or):", "unknown course '10-799'"),
    ),
}


def params(table: dict[str, Case]) -> list[object]:
    return [pytest.param(name, case, id=name) for name, case in table.items()]


# --- The corpus and the tables agree ---------------------------------------------------------


def test_every_corpus_file_has_an_expectation() -> None:
    assert sorted(p.stem for p in CORPUS.glob("*.toml")) == sorted(SCENARIOS)
    assert sorted(p.stem for p in CORPUS.glob("*.json")) == sorted(PLANS)
    assert sorted(p.name for p in CURRICULA.iterdir()) == sorted(CURRICULA_CASES)
    for folder in CURRICULA.iterdir():
        assert (folder / CATALOG).is_file() and (folder / PROGRAM).is_file(), folder


def test_corpus_files_say_what_is_wrong() -> None:
    """TOML files begin with a comment; JSON files are described in the README table."""
    tomls = [*CORPUS.glob("*.toml"), *CURRICULA.glob("*/*.toml"), *CURRICULA.glob("*/*/*.toml")]
    for path in tomls:
        text = path.read_text(encoding="utf-8").removeprefix("\ufeff")
        if path.parent.name == "catalog-empty":
            assert text == "", "the empty catalog must stay empty"
            continue
        assert text.startswith("#"), f"{path} does not begin with a comment"
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    for path in CORPUS.glob("*.json"):
        assert f"`{path.name}`" in readme, f"{path.name} is not in README.md"


def test_corpus_is_small() -> None:
    files = [p for p in CORPUS.rglob("*") if p.is_file()]
    assert len(files) >= 45
    assert all(p.stat().st_size < 20_000 for p in files)


def test_control_curriculum_is_valid() -> None:
    """The broken curricula are copies of this one with one defect each."""
    result = invoke("check", "--curriculum", CONTROL)
    no_crash(result)
    assert result.exit_code == 0, result.stderr
    assert "3 courses" in result.stdout


# --- The corpus ------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "case"), params(SCENARIOS))
def test_bad_scenario(name: str, case: Case) -> None:
    path = CORPUS / f"{name}.toml"
    error_line(invoke("plan", path), path, case.place, case.fragment)


@pytest.mark.parametrize(("name", "case"), params(PLANS))
def test_bad_plan_file(name: str, case: Case) -> None:
    path = CORPUS / f"{name}.json"
    error_line(invoke("audit", path), path, case.place, case.fragment)


@pytest.mark.parametrize(
    ("name", "file", "case"),
    [pytest.param(name, file, case, id=name) for name, (file, case) in CURRICULA_CASES.items()],
)
def test_bad_curriculum(name: str, file: str, case: Case) -> None:
    root = CURRICULA / name
    error_line(invoke("check", "--curriculum", root), root / file, case.place, case.fragment)


@pytest.mark.parametrize("name", ["catalog-prereq-cycle", "program-unknown-course"])
def test_bad_curriculum_fails_plan_and_audit_too(name: str, tmp_path: Path) -> None:
    """Every command that loads the curriculum reports the same error."""
    file, case = CURRICULA_CASES[name]
    root = CURRICULA / name
    scenario = tmp_path / "s.toml"
    scenario.write_text('program = "mini"\n')
    plan = tmp_path / "p.json"
    plan.write_text(json.dumps({"program": {"id": "mini"}, "scenario": {"program": "mini"}}))
    for args in (("plan", scenario), ("audit", plan), ("check", scenario)):
        result = invoke(*args, "--curriculum", root)
        error_line(result, root / file, case.place, case.fragment)


# --- Inputs generated at run time ------------------------------------------------------------

GARBAGE = bytes(range(256)) * 4 + b"\xff\xfe\x00\x00\xc3\x28\xa0\xa1"


def big_text(comment: str = "#") -> str:
    line = f"{comment} padding to exceed the planner's input size limit .................\n"
    return line * (MAX_FILE_BYTES // len(line) + 10)


def copy_control(tmp_path: Path) -> Path:
    root = tmp_path / "curriculum"
    shutil.copytree(CONTROL, root)
    return root


@pytest.mark.parametrize(
    ("command", "suffix"), [("plan", ".toml"), ("audit", ".json"), ("check", ".toml")]
)
def test_binary_garbage(command: str, suffix: str, tmp_path: Path) -> None:
    path = tmp_path / f"garbage{suffix}"
    path.write_bytes(GARBAGE)
    error_line(invoke(command, path), path, "not UTF-8 text")


@pytest.mark.parametrize("file", [CATALOG, PROGRAM])
def test_binary_garbage_curriculum(file: str, tmp_path: Path) -> None:
    root = copy_control(tmp_path)
    (root / file).write_bytes(GARBAGE)
    error_line(invoke("check", "--curriculum", root), root / file, "not UTF-8 text")


@pytest.mark.parametrize(("command", "suffix"), [("plan", ".toml"), ("audit", ".json")])
def test_file_over_the_size_limit(command: str, suffix: str, tmp_path: Path) -> None:
    path = tmp_path / f"huge{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps({"program": {"id": "msml"}, "message": big_text("x")}))
    else:
        path.write_text(big_text())
    assert path.stat().st_size > MAX_FILE_BYTES
    error_line(invoke(command, path), path, f"file has more than {MAX_FILE_BYTES:,} bytes")


@pytest.mark.parametrize("file", [CATALOG, PROGRAM])
def test_curriculum_file_over_the_size_limit(file: str, tmp_path: Path) -> None:
    root = copy_control(tmp_path)
    with (root / file).open("a", encoding="utf-8") as handle:
        handle.write(big_text())
    error_line(invoke("check", "--curriculum", root), root / file, "file has more than")


@pytest.mark.parametrize("content", ["", "   \n\t\n"], ids=["zero-bytes", "whitespace"])
@pytest.mark.parametrize(("command", "suffix"), [("plan", ".toml"), ("audit", ".json")])
def test_empty_file(command: str, suffix: str, content: str, tmp_path: Path) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_text(content)
    error_line(invoke(command, path), path, "file is empty")


def test_empty_program_file(tmp_path: Path) -> None:
    root = copy_control(tmp_path)
    (root / PROGRAM).write_text("")
    error_line(invoke("check", "--curriculum", root), root / PROGRAM, "file is empty")


def test_no_program_files(tmp_path: Path) -> None:
    root = copy_control(tmp_path)
    (root / PROGRAM).rename(root / "programs" / "x.toml.disabled")
    error_line(invoke("check", "--curriculum", root), root, "no program files")


def test_program_file_is_a_directory(tmp_path: Path) -> None:
    root = copy_control(tmp_path)
    (root / "programs" / "y.toml").mkdir()
    error_line(
        invoke("check", "--curriculum", root), root / "programs" / "y.toml", "is a directory"
    )


def test_curriculum_folder_missing(tmp_path: Path) -> None:
    root = tmp_path / "nowhere"
    error_line(invoke("check", "--curriculum", root), root / CATALOG, "no such file")


def test_curriculum_is_a_file(tmp_path: Path) -> None:
    root = tmp_path / "file"
    root.write_text("not a folder\n")
    error_line(invoke("check", "--curriculum", root), root / CATALOG, "cannot read")


@pytest.mark.parametrize("command", ["plan", "audit", "check"])
def test_input_file_missing(command: str, tmp_path: Path) -> None:
    path = tmp_path / "missing.toml"
    error_line(invoke(command, path), path, "no such file")


@pytest.mark.parametrize("command", ["plan", "audit"])
def test_input_is_a_directory(command: str, tmp_path: Path) -> None:
    error_line(invoke(command, tmp_path), tmp_path, "is a directory")


def test_deeply_nested_json(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    error_line(invoke("audit", path), path, "JSON is nested too deeply")


def test_deeply_nested_toml(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("# nested arrays\nx = " + "[" * 5000 + "]" * 5000 + "\n")
    error_line(invoke("plan", path), path)


def test_plan_with_thousands_of_course_instances(tmp_path: Path) -> None:
    path = tmp_path / "many.json"
    courses = [{"code": "10-701"}] * 1500
    path.write_text(
        json.dumps({"program": {"id": "msml"}, "terms": [{"term": "F26", "courses": courses}]})
    )
    result = invoke("audit", path)
    no_crash(result)
    assert result.exit_code in (1, 3), result.stderr
    if result.exit_code == 1:
        error_line(result, path)


def test_program_pin_outside_the_planned_terms(tmp_path: Path) -> None:
    """A program rule pinning a course outside the planned terms: no plan, or an input error
    naming the program file; never a crash (it was 'internal error: StopIteration')."""
    root = copy_control(tmp_path)
    with (root / PROGRAM).open("a", encoding="utf-8") as handle:
        handle.write(
            '\n[[rules]]\nid = "mini.pin"\nkind = "pin"\ntitle = "Pinned"\n'
            'course = "10-701"\nterm = "F40"\n'
        )
    scenario = tmp_path / "s.toml"
    scenario.write_text('program = "mini"\n')
    result = invoke("plan", scenario, "--curriculum", root, "--time-limit", "5")
    no_crash(result)
    assert result.exit_code in (1, 3), result.output
    if result.exit_code == 1:
        error_line(result, root / PROGRAM)


# --- Bad flags -------------------------------------------------------------------------------


def plan_flags(*flags: str) -> Result:
    return invoke("plan", *flags, "--time-limit", "5")


def test_flag_pin_misspelled_course() -> None:
    result = plan_flags("--pin", "10-7O1@F26")
    error_line(result, COMMAND_LINE, "pin[0]:", "did you mean '10-701'?")


def test_flag_pin_unknown_course_suggests() -> None:
    result = plan_flags("--pin", "10-710@F26")
    error_line(result, COMMAND_LINE, "pin[0]:", "unknown course '10-710'; did you mean")


def test_flag_completed_not_before_start() -> None:
    result = plan_flags("--completed", "10-701@F30")
    error_line(result, COMMAND_LINE, "completed[0]:", "before the start term F26")


def test_flag_start_malformed() -> None:
    error_line(plan_flags("--start", "Fall 26"), COMMAND_LINE, "start:", "malformed term 'Fall 26'")


@pytest.mark.parametrize("flag", ["--max-units", "--min-units"])
@pytest.mark.parametrize("value", ["abc", "", "12.5", "@S27", "x@S27"])
def test_flag_units_not_a_number(flag: str, value: str) -> None:
    result = plan_flags(flag, value)
    error_line(result, COMMAND_LINE, f"{flag}:", f"'{value}' is not N or N@TERM")


@pytest.mark.parametrize(
    ("value", "fragment"),
    [("-1", "greater than or equal to 0"), ("5000", "less than or equal to 1000")],
)
def test_flag_units_out_of_range(value: str, fragment: str) -> None:
    error_line(plan_flags("--max-units", value), COMMAND_LINE, "units.max:", fragment)


def test_flag_units_malformed_term() -> None:
    result = plan_flags("--max-units", "30@XYZ")
    error_line(result, COMMAND_LINE, "term_units.XYZ:", "malformed term 'XYZ'")


@pytest.mark.parametrize(
    ("flags", "place"),
    [(("40", "30"), "units:"), (("40@S27", "30@S27"), "term_units.S27:")],
    ids=["every-term", "one-term"],
)
def test_flag_min_units_above_max_units(flags: tuple[str, str], place: str) -> None:
    result = plan_flags("--min-units", flags[0], "--max-units", flags[1])
    error_line(result, COMMAND_LINE, place, "min 40 exceeds max 30")


def test_flag_waive_misspelled_suggests_a_real_rule() -> None:
    line = error_line(plan_flags("--waive", "msml.nope"), COMMAND_LINE, "waive[0]:", "msml.nope")
    match = re.search(r"did you mean '([^']+)'\?", line)
    assert match, line
    program = next(p for p in load_curriculum().programs if p.program.id == "msml")
    assert match.group(1) in {r.id for r in program.rules}, line


def test_flag_waive_near_miss() -> None:
    result = plan_flags("--waive", "msml.units.mni")
    error_line(result, COMMAND_LINE, "waive[0]:", "did you mean 'msml.units.min'?")


def test_flag_substitute_without_equals() -> None:
    result = plan_flags("--substitute", "36-700")
    error_line(result, COMMAND_LINE, "substitute[0]:", "'36-700' is not OLD=NEW")


def test_flag_substitute_unknown_course() -> None:
    result = plan_flags("--substitute", "36-700=36-799")
    error_line(result, COMMAND_LINE, "substitute[0]:", "unknown course '36-799'")


def test_flag_format_xml() -> None:
    error_line(plan_flags("--format", "xml"), COMMAND_LINE, "--format:", "unknown format 'xml'")


def test_flag_format_xml_audit(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"program": {"id": "msml"}, "start": "F26"}))
    result = invoke("audit", path, "--format", "xml")
    error_line(result, COMMAND_LINE, "--format:", "unknown format 'xml'")


@pytest.mark.parametrize(
    ("flags", "place", "fragment"),
    [
        (("--time-limit", "-1"), "time_limit:", "greater than 0"),
        (("--time-limit", "nan"), "time_limit:", ""),
        (("--time-limit", "inf"), "time_limit:", ""),
        (("--semesters", "0"), "semesters:", "greater than or equal to 1"),
        (("--semesters", "100000"), "semesters:", "less than or equal to 1000"),
        (("--graduate-by", "S20"), "graduate_by:", "before the start term"),
        (("--graduate-by", "F27", "--semesters", "3"), "", "not both"),
        (("--require", "10-123"), "require[0]:", "unknown course '10-123'"),
        (("--avoid", "10-123"), "avoid[0]:", "unknown course '10-123'"),
        (("--prefer", "10-123"), "prefer[0]:", "unknown course '10-123'"),
        (("--offered", "10-717"), "offered[0]:", "is not COURSE@TERM"),
        (("--not-offered", "10-717@X1"), "not_offered[0]:", "malformed term 'X1'"),
        (("--start", "F26", "--pin", "10-701@F40"), "pin[0]:", "outside the planned terms"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else None,
)
def test_flag_bad_values(flags: tuple[str, ...], place: str, fragment: str) -> None:
    result = invoke("plan", *flags)
    error_line(result, COMMAND_LINE, place, fragment)


def test_flag_errors_name_the_file_too(tmp_path: Path) -> None:
    """With a scenario file, flag errors found on resolving name both."""
    scenario = tmp_path / "s.toml"
    scenario.write_text('start = "F26"\n')
    result = invoke("plan", scenario, "--waive", "msml.nope")
    error_line(result, f"{scenario} + {COMMAND_LINE}", "waive[0]:", "unknown rule")


@pytest.mark.parametrize("spelling", ["same", "dotted"])
def test_output_refuses_to_overwrite_the_input(spelling: str, tmp_path: Path) -> None:
    scenario = tmp_path / "default.toml"
    shutil.copy(REPO / "scenarios" / "default.toml", scenario)
    before = scenario.read_bytes()
    (tmp_path / "sub").mkdir()
    target = scenario if spelling == "same" else tmp_path / "sub" / ".." / "default.toml"
    result = invoke("plan", scenario, "--output", target, "--time-limit", "5")
    error_line(result, target, "--output:", "refusing to overwrite an input file")
    assert scenario.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["default.toml", "sub"]


def test_output_into_a_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "plan.txt"
    result = invoke("plan", "--output", target, "--time-limit", "5")
    error_line(result, target, "cannot write")


def test_output_is_a_directory(tmp_path: Path) -> None:
    result = invoke("plan", "--output", tmp_path, "--time-limit", "5")
    error_line(result, tmp_path, "--output:", "is a directory")


@pytest.mark.parametrize(
    "args",
    [
        ("plan", "--semesters", "abc"),
        ("plan", "--time-limit", "soon"),
        ("plan", "--bogus"),
        ("audit",),
        ("frobnicate",),
    ],
    ids=" ".join,
)
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    """Exit 2 is click's: unknown options, values of the wrong type, missing arguments."""
    result = invoke(*args)
    no_crash(result)
    assert result.exit_code == 2, result.output


# --- The same contract in a real process -----------------------------------------------------


@pytest.mark.parametrize(
    ("command", "name", "content"),
    [
        ("plan", "garbage.toml", GARBAGE),
        ("audit", "garbage.json", GARBAGE),
        ("plan", "syntax.toml", (CORPUS / "scenario-syntax-error.toml").read_bytes()),
        ("audit", "trailing-comma.json", (CORPUS / "plan-trailing-comma.json").read_bytes()),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_subprocess(command: str, name: str, content: bytes, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    proc = subprocess.run(
        [sys.executable, "-m", "planner", command, str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}: "), proc.stderr


def test_a_broken_program_blocks_only_what_reads_it(tmp_path: Path) -> None:
    """Programs are read when asked for: a broken file of another program leaves the
    plan of this one alone, while `planner check` (which reads every file) names it.
    A file whose `[program]` table does not come first is still found."""
    root = copy_control(tmp_path)
    programs = root / "programs"
    (programs / "broken.toml").write_text(
        '[program]\nid = "other"\ntitle = "Other"\nfirst_entry_year = 2025\n'
        'default_start = "F26"\n\n[[rules]]\nid = "other.x"\nkind = "no_such_kind"\n'
    )
    moved = (programs / "x.toml").read_text().replace("# A minimal VALID program", "#")
    head, rest = moved.split("\n[[rules]]", 1)
    (programs / "x.toml").write_text("[[rules]]" + rest + "\n" + head + "\n")
    assert invoke("plan", "--curriculum", root, "--program", "mini").exit_code == 0
    error_line(invoke("check", "--curriculum", root), programs / "broken.toml", "rules[0]", "")
    result = invoke("plan", "--curriculum", root, "--program", "other")
    error_line(result, programs / "broken.toml", "rules[0]", "")
