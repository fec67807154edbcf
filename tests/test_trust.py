"""What users read is right: regressions from the issue "Trust every answer", part 4.

Each test failed before its fix.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.batch import run_batch
from planner.catalog import Curriculum, shipped_curriculum
from planner.cli import app
from planner.cohort import MARKER
from planner.rules import CountLimit

from helpers import counts, plan_of, problem_of

runner = CliRunner()


def invoke(*args: object) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


# --- Terms and codes are read exactly -------------------------------------------------------


def test_the_same_term_twice_in_term_units_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[term_units]\nF26 = {max = 24}\n"Fall 2026" = {max = 60}\n')
    code, _, err = invoke("plan", path)
    assert code == 1
    line = one_error_line(err)
    assert "term_units" in line and "are the same term" in line


ARABIC_INDIC = str.maketrans("0123456789", "".join(chr(0x660 + d) for d in range(10)))


def arabic(text: str) -> str:
    """`text` with its digits written as Arabic-Indic digits (F26 -> F\u0662\u0666)."""
    return text.translate(ARABIC_INDIC)


@pytest.mark.parametrize(
    "flags",
    [
        ["--pin", "10-708@F" + arabic("26")],
        ["--completed", arabic("10-701") + "@S26"],
        ["--max-units", "24@S" + arabic("27")],
    ],
)
def test_non_ascii_digits_are_not_read_as_ascii(flags: list[str]) -> None:
    code, _, err = invoke("plan", *flags)
    assert code == 1, err
    one_error_line(err)


def test_a_course_code_with_a_trailing_newline_is_no_course_code() -> None:
    code, _, err = invoke("plan", "--require", "10-701\n")
    assert code == 1
    assert "is not a course number" in one_error_line(err)


# --- A flag that contradicts the scenario file is bad input, in a batch too -----------------


def test_a_flag_contradicting_the_file_is_one_line_not_an_internal_error(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text("[units]\nmax = 40\n")
    code, _, err = invoke("plan", path, "--min-units", "50")
    assert code == 1
    line = one_error_line(err)
    assert "internal error" not in line
    assert f"{path} + command line" in line and "units" in line


def test_in_a_batch_the_contradiction_is_that_students_row(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text("[units]\nmax = 40\n")
    (tmp_path / "b.toml").write_text('start = "F26"\n')
    rows = run_batch(sorted(tmp_path.glob("*.toml")), {"units": {"min": 50}}, None, jobs=1)
    assert [r.status for r in rows] == ["error", "infeasible"]
    assert "min 50 exceeds max 40" in rows[0].error


# --- The batch plans with the curriculum it is asked for ------------------------------------


def test_the_batch_cache_keeps_curricula_apart(tmp_path: Path) -> None:
    other = tmp_path / "cur"
    shutil.copytree(shipped_curriculum(), other)
    catalog = other / "catalog.toml"
    text = catalog.read_text()
    marker = (
        'code = "10-718"\ntitle = "Machine Learning in Practice"\nunits = 12\nseasons = ["fall"]'
    )
    assert marker in text
    catalog.write_text(text.replace(marker, marker.replace('["fall"]', "[]")))
    scenario = tmp_path / "s.toml"
    scenario.write_text('start = "F26"\n')
    shipped = run_batch([scenario], {}, None, jobs=1)
    changed = run_batch([scenario], {}, other, jobs=1)
    assert shipped[0].status == "optimal"
    assert changed[0].status == "infeasible"  # 10-718 never runs in this curriculum


# --- --compare-to matches students, not path strings ----------------------------------------


def test_compare_to_matches_a_copied_cohort_by_student(tmp_path: Path) -> None:
    cohort = tmp_path / "cohort"
    assert invoke("cohort", "generate", "6", "--out", cohort, "--seed", "3")[0] == 0
    baseline = tmp_path / "baseline.jsonl"
    code, _, err = invoke("batch", cohort, "--jobs", "1", "--format", "jsonl", "--output", baseline)
    assert code == 0, err
    copied = tmp_path / "elsewhere" / "copy"
    shutil.copytree(cohort, copied)
    code, out, _ = invoke(
        "batch", copied, "--jobs", "1", "--not-offered", "10-718@F27", "--compare-to", baseline
    )
    assert "Matched to the baseline by student: 6 of 6" in out
    hurt = int(out.split("Hurt by this change: ")[1].split()[0])
    statuses = [json.loads(line)["status"] for line in baseline.read_text().splitlines()]
    assert hurt > 0 and statuses.count("optimal") >= hurt


# --- Small things ---------------------------------------------------------------------------


def test_format_names_are_case_insensitive() -> None:
    code, out, _ = invoke("plan", "--format", "JSON")
    assert code == 0
    assert json.loads(out)["status"] == "optimal"


def test_version() -> None:
    from planner import __version__

    code, out, _ = invoke("--version")
    assert code == 0 and out.strip() == f"planner {__version__}"


def test_a_smaller_cohort_leaves_no_older_students_behind(tmp_path: Path) -> None:
    assert invoke("cohort", "generate", "5", "--out", tmp_path)[0] == 0
    code, out, _ = invoke("cohort", "generate", "2", "--out", tmp_path)
    assert code == 0 and "removed 3 older generated students" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["student-0001.toml", "student-0002.toml"]


def test_cohort_generate_never_replaces_a_file_it_did_not_write(tmp_path: Path) -> None:
    mine = tmp_path / "student-0001.toml"
    mine.write_text("# my own student\n")
    code, _, err = invoke("cohort", "generate", "2", "--out", tmp_path)
    assert code == 1 and "was not written by" in one_error_line(err)
    assert mine.read_text() == "# my own student\n"
    assert MARKER.startswith("# Generated by")


# --- Substitute and also-allow: the two meanings advisors know ------------------------------


def test_substitute_puts_new_in_old_s_place(curriculum: Curriculum) -> None:
    fields = {"substitute": ["10-725=10-744"], "offered": ["10-744@F27"], "require": ["10-725"]}
    _, outcome, plan = plan_of(curriculum, **fields)
    assert outcome.status == "optimal"
    filled = counts(plan)
    assert filled["10-744"] == ["msml.core.optimization"]
    assert filled["10-725"] != ["msml.core.optimization"]  # OLD no longer fills it


def test_also_allow_adds_new_beside_old(curriculum: Curriculum) -> None:
    allowed = {"also_allow": ["10-725=10-744"], "offered": ["10-744@F27"]}
    _, _, plan = plan_of(curriculum, **allowed, avoid=["10-725"])
    assert counts(plan)["10-744"] == ["msml.core.optimization"]
    _, _, plan = plan_of(curriculum, **allowed, avoid=["10-744"])
    assert counts(plan)["10-725"] == ["msml.core.optimization"]  # OLD still fills it


def test_also_allow_keeps_the_or_line_of_old(curriculum: Curriculum) -> None:
    """NEW joins OLD's "or" line: 10-605 and 10-805 count once between them, and so does
    a course allowed beside 10-605."""
    problem = problem_of(curriculum, also_allow=["10-605=10-744"])
    line = problem.rule_by_id["msml.electives.or.large-datasets"]
    assert isinstance(line, CountLimit)
    assert line.courses == ["10-605", "10-744", "10-805"]
