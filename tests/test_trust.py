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
from planner.kinds import CountLimit

from helpers import audited, counts, courses_in, plan_of, problem_of

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
    marker = 'code = "10-718"\ntitle = "Machine Learning in Practice"\nunits = 12\nran = ['
    assert marker in text
    # No run on record: by its history 10-718 runs in no season.
    start = text.index(marker) + len(marker) - 1
    catalog.write_text(text[:start] + "[]" + text[text.index("]", start) + 1 :])
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
        "batch",
        copied,
        "--jobs",
        "1",
        "--not-offered",
        "10-725@F26",
        "--not-offered",
        "10-725@F27",
        "--compare-to",
        baseline,
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


def test_also_allow_on_a_list_of_courses_to_take_offers_new_in_old_s_slot(
    curriculum: Curriculum,
) -> None:
    """On "take all of 36-401 and 36-402", allowing 36-700 beside 36-402 lets 36-700
    take 36-402's place; it does not add a third course to take (it did)."""
    allowed = {"program": "statistics-ml", "also_allow": ["36-402=36-700"]}
    rule = problem_of(curriculum, **allowed).rule_by_id["statistics-ml.modeling"]
    assert "36-401 and 36-402 (or 36-700)" in rule.describe()
    _, outcome, plan = plan_of(curriculum, **allowed)
    assert outcome.status == "optimal"
    assert "36-700" not in courses_in(plan)  # not one more course to take
    assert audited(curriculum, plan).passed
    _, outcome, plan = plan_of(curriculum, **allowed, avoid=["36-402"])
    assert outcome.status == "optimal"
    assert counts(plan)["36-700"] == ["statistics-ml.modeling"]
    assert audited(curriculum, plan).passed


# --- A course the student asked for counts where some assignment lets it --------------------


def test_a_requested_course_counts_when_an_equally_good_plan_lets_it(
    curriculum: Curriculum,
) -> None:
    _, outcome, plan = plan_of(
        curriculum,
        start="S27",
        completed=["10-701@F26", "36-705@F26"],
        require=["10-707", "10-623"],
        offered=["10-623@S27"],
        units={"max": 36},
    )
    assert outcome.status == "optimal"
    filled = counts(plan)
    assert filled["10-707"] and filled["10-623"]  # both count toward something
    assert outcome.solution is not None
    assert outcome.solution.objective["requested-count"] == 0


# --- Surplus courses say why they are there; prerequisites come first -----------------------


def test_surplus_courses_from_a_later_graduation_are_explained(curriculum: Curriculum) -> None:
    _, _, plan = plan_of(curriculum, enrolled_through="F29")
    [note] = [n for n in plan.notes if "beyond what the requirements need" in n]
    assert "at the 36-unit minimum load" in note
    assert "you stay enrolled through F29" in note
    _, _, usual = plan_of(curriculum)
    assert not usual.notes


def test_intro_ml_and_statistics_come_first_however_long_the_plan(curriculum: Curriculum) -> None:
    for fields in ({}, {"enrolled_through": "F29"}, {"enrolled_through": "F29", "semesters": 7}):
        _, _, plan = plan_of(curriculum, **fields)
        first = {c.code for c in plan.terms[0].courses}
        assert first & {"10-701", "10-715"} and first & {"36-700", "36-705"}, (fields, first)


# --- An unmet preference says why, with a remedy checked by solving --------------------------


def test_an_unmet_preference_says_why_and_what_would_allow_it(curriculum: Curriculum) -> None:
    from planner.api import plan_scenario
    from planner.scenario import Scenario

    scenario = Scenario.model_validate({"prefer": ["10-735"]})
    plan = plan_scenario(curriculum, scenario, "test")
    [note] = plan.notes
    assert note.startswith("Preference not met: 10-735, not offered in any planned term")
    flag = note.split("; ")[1].split(" would")[0]  # --offered 10-623@F26
    code, term = flag.removeprefix("--offered ").split("@")
    fixed = plan_scenario(
        curriculum,
        Scenario.model_validate({"prefer": [code], "offered": [f"{code}@{term}"]}),
        "test",
    )
    assert code in {c.code for t in fixed.terms for c in t.courses}
    assert not [n for n in fixed.notes if n.startswith("Preference not met")]


def test_a_cross_listed_preference_is_named_as_one_course(curriculum: Curriculum) -> None:
    from planner.api import plan_scenario
    from planner.scenario import Scenario

    plan = plan_scenario(curriculum, Scenario.model_validate({"prefer": ["10-605", "10-805"]}), "t")
    assert plan.notes == [
        "Preference not met: 10-805 is the same course as 10-605 (cross-listed), which the plan"
        " takes."
    ]


# --- Plan files are rechecked from their courses before compare and explain -----------------


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    path = tmp_path / "plan.json"
    assert invoke("plan", "--format", "json", "--output", path)[0] == 0
    return path


def edit(path: Path, out: Path, move: str, to: str) -> Path:
    data = json.loads(path.read_text())
    terms = {t["term"]: t for t in data["terms"]}
    for term in terms.values():
        for course in list(term["courses"]):
            if course["code"] == move:
                term["courses"].remove(course)
                terms[to]["courses"].append({"code": move})  # no title, units or counting
    out.write_text(json.dumps(data))
    return out


def test_an_edited_plan_is_not_called_optimal_and_its_units_are_recomputed(
    saved: Path, tmp_path: Path
) -> None:
    blanked = json.loads(saved.read_text())
    for term in blanked["terms"]:
        term["units"] = 0
        for course in term["courses"]:
            course.update(title="", units=0)
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(blanked))
    code, out, err = invoke("compare", saved, edited, "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    # The same courses with titles and units blanked: still the planner's optimum, and the
    # units are recomputed from the catalog (the file says 0), so no term's units change.
    assert result["before_status"] == result["after_status"] == "optimal"
    assert result["units"] == []
    # One course more: valid, but no longer the planner's optimum.
    extra = json.loads(edited.read_text())
    extra["terms"][-1]["courses"].append({"code": "11-711"})
    edited.write_text(json.dumps(extra))
    code, out, err = invoke("compare", saved, edited)
    assert code == 0, err
    said = " ".join(out.split())
    assert "Status: optimal -> feasible" in said
    assert "its objective is no longer the planner's optimum" in said
    assert "Units: F27 36 -> 48" in out


def first_course(plan: Path) -> tuple[str, str]:
    """The first course of the plan's first term, and the term after that one."""
    terms = json.loads(plan.read_text())["terms"]
    return terms[0]["courses"][0]["code"], terms[1]["term"]


def test_an_edited_plan_that_breaks_a_rule_is_invalid(saved: Path, tmp_path: Path) -> None:
    code, later = first_course(saved)
    edited = edit(saved, tmp_path / "edited.json", code, later)  # F26 drops to 24 units
    result = invoke("compare", saved, edited)
    out = result[1]
    assert result[0] == 0
    said = " ".join(out.split())
    assert "Status: optimal -> invalid" in said
    assert "it breaks rules: At least 36 units in each fall and spring term" in said
    assert max(len(line) for line in out.splitlines()) <= 80


def test_explain_names_a_placement_the_planner_did_not_make(saved: Path, tmp_path: Path) -> None:
    from planner.catalog import load_curriculum

    moved, later = first_course(saved)
    edited = edit(saved, tmp_path / "edited.json", moved, later)
    code, out, _ = invoke("explain", edited, moved)
    said = " ".join(out.split())
    assert code == 0
    assert load_curriculum().catalog.by_code[moved].title in said  # from the catalog
    assert f"The plan, not the planner, put {moved} in {later}" in said
    assert "tie-break" not in said


# --- The audit reports what concerns the plan, failures first, with what counted ------------


def test_the_audit_of_a_typical_plan_is_short_and_about_the_plan(saved: Path) -> None:
    code, out, _ = invoke("audit", saved)
    assert code == 0
    held = {c["code"] for t in json.loads(saved.read_text())["terms"] for c in t["courses"]}
    assert len(out.splitlines()) < 40
    for line in out.splitlines():
        if "Offerings of " in line:
            assert line.split("Offerings of ")[1][:6] in held
    code, everything, _ = invoke("audit", saved, "--all", "--format", "json")
    report = json.loads(everything)
    assert report["not_shown"] == 0
    shown = json.loads(invoke("audit", saved, "--format", "json")[1])
    assert shown["not_shown"] > 40
    assert len(shown["results"]) + shown["not_shown"] == len(report["results"])


def test_a_failure_comes_first_and_says_what_counted(curriculum: Curriculum) -> None:
    from planner.render import audit_table

    from helpers import TYPICAL, audited, hand_plan

    terms = {
        **TYPICAL,
        "S27": ["10-708", "10-716", "10-717"],
        "F26": ["10-701", "36-700", "10-725"],
    }
    report = audited(curriculum, hand_plan(terms, offered=["10-717@S27"], waive=["msml.units.min"]))
    text = audit_table(report)
    assert text.index("Not met") < text.index("Met\n")
    [failure] = report.failures
    assert failure.detail == (
        "has 2.5 of 3 credits from 10-716@S27, 10-717@S27 (6 units), 10-703@F27"
    )


def test_cross_listed_numbers_are_named_as_one_course(curriculum: Curriculum) -> None:
    from helpers import TYPICAL, audited, hand_plan

    terms = {
        **TYPICAL,
        "S27": ["10-708", "10-716", "10-605"],
        "F27": ["10-617", "10-805", "10-718"],
    }
    report = audited(curriculum, hand_plan(terms))
    [repeat] = [r for r in report.failures if r.id == "catalog.no-repeat"]
    assert "10-605@S27 and 10-805@F27 (one course under cross-listed numbers)" in repeat.detail


# --- Tables speak in words and fit 80 columns -----------------------------------------------


@pytest.mark.parametrize("name", ["default", "impossible", "two-half-electives", "part-time"])
def test_tables_fit_eighty_columns_and_name_rules_in_words(name: str) -> None:
    from helpers import ROOT

    code, out, _ = invoke("plan", ROOT / "scenarios" / f"{name}.toml")
    assert code in (0, 3)
    assert max(len(line) for line in out.splitlines()) <= 80
    # Ids appear only where the user typed them: pasteable flags, and the waivers echoed.
    said = [line for line in out.splitlines() if "--waive" not in line and "Waived:" not in line]
    assert "msml." not in "\n".join(said)


# --- Conflicts: rules a person controls, grouped offerings, the arithmetic ------------------


def test_a_conflict_prefers_rules_a_person_controls_over_offerings() -> None:
    args = ["plan", "--start", "S27", "--max-units", "12", "--waive", "msml.units.min"]
    args += ["--require", "36-709", "--require", "36-705", "--not-offered", "16-720@F27"]
    code, out, _ = invoke(*args, "--format", "json")
    assert code == 3
    conflict = [c["id"] for c in json.loads(out)["conflicts"]]
    assert conflict and not [c for c in conflict if c.startswith("catalog.offered.")]


def test_the_arithmetic_is_stated_when_it_is_the_story() -> None:
    code, out, _ = invoke("plan", "--max-units", "12", "--waive", "msml.units.min")
    assert code == 3
    text = " ".join(out.split())
    assert "these requirements need at least 8 more courses (96 units), and the 7 terms" in text
    assert "hold at most 84 units (12 a term)" in text
    code, out, _ = invoke("plan", "--avoid", "10-701", "--avoid", "10-715")
    assert "arithmetic" not in out  # not a question of units


def test_offerings_in_no_planned_term_are_grouped() -> None:
    from planner.plan import Conflict
    from planner.render import _conflict_lines

    never = [
        Conflict(
            id=f"catalog.offered.{c}",
            kind="offering",
            message=f"{c} is not offered in any planned term.",
        )
        for c in ("10-717", "10-719", "10-721")
    ]
    lines = _conflict_lines(never, "  - ", show_ids=False)
    assert lines == ["  - Not offered in any planned term: 10-717, 10-719, 10-721."]


def test_a_stale_counting_in_an_edited_plan_is_recomputed_not_fatal(
    saved: Path, tmp_path: Path
) -> None:
    """Editing 36-700 into 36-705 but leaving the counting as it was: the rules hold under
    the best counting, so the plan is feasible, and the note says the counting was redone."""
    data = json.loads(saved.read_text())
    for term in data["terms"]:
        for course in term["courses"]:
            if course["code"] == "36-700":
                course.update(code="36-705", counts_toward=[])
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data))
    code, out, _ = invoke("compare", saved, edited)
    said = " ".join(out.split())
    assert code == 0
    assert "Status: optimal -> feasible" in said
    assert "its own counting was wrong and is recomputed" in said
