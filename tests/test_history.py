"""Planning on what really ran: offering history, course search, robust plans, demand.

The record itself is read from ``../shared/offerings/offering-history.csv`` (never copied
into the repository); the catalog's ``ran`` lists must agree with it.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.catalog import Curriculum, shipped_curriculum
from planner.cli import app
from planner.history import HistoryRule, ran_in_words
from planner.problem import resolve
from planner.robust import repair_scenario
from planner.scenario import Scenario
from planner.solve import solve
from planner.terms import parse_term

from helpers import ROOT, plan_of, problem_of

runner = CliRunner()
RECORD = ROOT.parent / "shared" / "offerings" / "offering-history.csv"


def invoke(*args: object) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


# --- The derivation, with the thresholds as data --------------------------------------------

RULE = HistoryRule(source="test", first="F21", through="F25", complete=["10-", "36-7"])


@pytest.mark.parametrize(
    ("ran", "seasons"),
    [
        ("F21 S22 F22 S23 F23 S24 F24 S25 F25", ["spring", "fall"]),  # 10-708: every term
        ("F21 S22 F22 F23 F24 S25 F25", ["fall"]),  # 10-725: S22 and S25 only, not a spring course
        ("F21 F22 S23 S24 F24 S25 F25", ["spring", "fall"]),  # 10-718: F23 missing, still fall
        ("F21 F22 F23 F24", ["fall"]),  # 36-710: stopped after F24, 2 of the last 3 falls
        ("S24 F24", []),  # 10-735: once each, irregular
        ("", []),
    ],
)
def test_seasons_follow_from_the_recent_runs(ran: str, seasons: list[str]) -> None:
    assert RULE.seasons(ran.split()) == seasons


def test_the_thresholds_are_data() -> None:
    strict = RULE.model_copy(update={"regular": 3})
    assert strict.seasons(["F21", "F22", "S23", "S24", "F24", "S25", "F25"]) == ["spring"]  # 10-718
    wider = RULE.model_copy(update={"recent": 5, "regular": 4, "reliable": 5})
    assert wider.seasons(["F21", "F22", "F23", "F24"]) == ["fall"]  # 4 of the last 5 falls


def test_likelihood_and_evidence() -> None:
    assert RULE.likelihood(["F21", "F22", "F23", "F24"], "fall") == pytest.approx(2 / 3)
    assert RULE.evidence(["F21", "F22", "F23", "F24"], "fall") == (
        "ran in 2 of the last 3 falls (F23, F24)"
    )
    every = ["F21", "S22", "F22", "S23", "F23", "S24", "F24", "S25", "F25"]
    assert ran_in_words(every, RULE) == "ran in every fall and spring F21 to F25"


def test_a_rule_out_of_order_is_refused() -> None:
    with pytest.raises(ValueError, match="regular <= reliable <= recent"):
        HistoryRule(source="x", first="F21", through="F25", regular=3, reliable=2)


# --- The catalog cites the record -----------------------------------------------------------


@pytest.mark.skipif(not RECORD.exists(), reason="the shared offering record is not beside the repo")
def test_every_course_ran_where_the_record_says(curriculum: Curriculum) -> None:
    record: dict[str, list[str]] = defaultdict(list)
    with RECORD.open() as handle:
        for row in csv.DictReader(handle):
            record[row["code"]].append(row["term"])
    history = curriculum.catalog.catalog.history
    assert history is not None
    for course in curriculum.catalog.courses:
        if course.code in record or history.covers(course.code):
            expected = sorted(record.get(course.code, []), key=lambda t: parse_term(t).index)
            got = sorted(course.ran, key=lambda t: parse_term(t).index)
            assert got == expected, f"{course.code}: ran = {json.dumps(expected)}"


def test_history_wins_where_the_record_is_complete(curriculum: Curriculum) -> None:
    seasons = curriculum.catalog.offered_seasons
    assert seasons("10-708") == ["spring", "fall"]  # the catalog said spring only
    assert seasons("10-718") == ["spring", "fall"]  # the catalog said fall only
    assert seasons("10-725") == ["fall"]  # the catalog said fall and spring
    assert seasons("16-720") == ["spring", "fall"]  # record incomplete: as written
    assert seasons("36-711") == ["fall"]  # kept with a source (A15)


def test_seasons_written_where_history_decides_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "cur"
    import shutil

    shutil.copytree(shipped_curriculum(), root)
    catalog = root / "catalog.toml"
    head = 'code = "10-708"\ntitle = "Probabilistic Graphical Models"\nunits = 12\n'
    text = catalog.read_text().replace(head, head + 'seasons = ["spring"]\n')
    catalog.write_text(text)
    code, _, err = invoke("check", "--curriculum", root)
    assert code == 1
    assert "seasons come from its history here" in err and "(10-708)" in err


def test_10_708_can_be_taken_in_the_fall_now() -> None:
    code, out, err = invoke("plan", "--pin", "10-708@F27")
    assert code == 0, err
    assert "optimal plan" in out


def test_explanations_cite_the_history(curriculum: Curriculum) -> None:
    _, _, plan = plan_of(curriculum, pin=["10-708@F27"])
    from planner.explain import why_this

    lines = why_this(curriculum, plan, "10-708", 30)
    assert any(
        "10-708 runs in fall and spring (ran in every fall and spring F21 to F25)" in line
        for line in lines
    )


def test_a_rarely_offered_course_gets_a_note(curriculum: Curriculum) -> None:
    _, _, plan = plan_of(curriculum, require=["10-735"], offered=["10-735@S27"])
    assert any(
        n.startswith("10-735 in S27 is rarely offered then: it ran in 1 of the last 3 springs")
        for n in plan.notes
    )


# --- planner courses ------------------------------------------------------------------------


def test_courses_finds_by_words_by_number_and_by_tag() -> None:
    code, out, _ = invoke("courses", "generative", "--format", "json")
    assert code == 0
    found = {c["code"]: c for c in json.loads(out)}
    assert {"10-623", "10-723"} <= set(found)
    assert found["10-623"]["history"] == "ran S24 F24 S25 F25"
    fills = [f["rule"] for f in found["10-623"]["fills"]]
    assert "msml.electives" in fills and "ml-minor.electives" in fills, fills
    code, out, _ = invoke("courses", "10-7", "--format", "json")
    assert all(c["code"].startswith("10-7") for c in json.loads(out))
    code, out, _ = invoke("courses", "special-topic", "--format", "json")
    assert len(json.loads(out)) >= 20
    code, out, _ = invoke("courses", "10-716")
    assert "needs first: (10-701 or 10-715) and (36-700 or 36-705)" in out


def test_courses_notes_each_limit_as_it_is() -> None:
    """A limit of one course says "one counts"; a line says so with "(one per line)"; a
    wider limit (the minor's "at least one principal course") is named, not called
    "one counts" (it was); each version of a program is told apart."""
    code, out, _ = invoke("courses", "10-605", "--format", "json")
    assert code == 0
    notes = {(f["program"], f["rule"]): f["note"] for f in json.loads(out)[0]["fills"]}
    assert notes["msml 2021-", "msml.electives"] == "with 10-805: one counts"
    minor = notes["ml-minor 2019-", "ml-minor.electives"]
    assert minor.startswith("with 10-405 or 10-745: one counts (one per line)")
    assert "principal" in minor and "principal course: one counts" not in minor
    assert ("ml-minor -2018", "ml-minor.electives") in notes
    assert "[ml-minor.electives, -2018]" in invoke("courses", "10-605")[1]


# --- planner demand -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cohort")
    assert invoke("cohort", "generate", "12", "--out", folder, "--seed", "4")[0] == 0
    return folder


def test_demand_adds_up_to_the_cohorts_planned_courses(cohort: Path, tmp_path: Path) -> None:
    batch = tmp_path / "rows.jsonl"
    assert invoke("batch", cohort, "--jobs", "1", "--format", "jsonl", "--output", batch)[0] in (
        0,
        3,
    )
    rows = [json.loads(line) for line in batch.read_text().splitlines()]
    planned = [r for r in rows if r["status"] in ("optimal", "feasible")]
    code, out, _ = invoke("demand", cohort, "--jobs", "1", "--format", "json")
    assert code == 0
    result = json.loads(out)
    assert result["planned"] == len(planned)
    assert sum(c["students"] for c in result["cells"]) == sum(len(r["takes"]) for r in planned)
    code, out, _ = invoke("demand", cohort, "--jobs", "1", "--format", "csv")
    lines = out.splitlines()
    assert lines[0] == "term,course,students"
    assert sum(int(line.split(",")[2]) for line in lines[1:]) == sum(
        len(r["takes"]) for r in planned
    )


def test_demand_says_what_a_change_does(cohort: Path, tmp_path: Path) -> None:
    base = tmp_path / "base.csv"
    assert invoke("demand", cohort, "--jobs", "1", "--format", "csv", "--output", base)[0] == 0
    before = {tuple(r[:2]): int(r[2]) for r in csv.reader(base.read_text().splitlines()[1:])}
    code, out, _ = invoke(
        "demand", cohort, "--jobs", "1", "--not-offered", "10-725@F26", "--compare-to", base
    )
    assert code == 0
    assert f"F26 10-725: {before[('F26', '10-725')]} -> 0" in out


def test_demand_as_a_page_holds_the_same_counts(cohort: Path, tmp_path: Path) -> None:
    """The page's table holds every (term, course) count of the JSON, and its totals."""
    import re

    code, out, _ = invoke("demand", cohort, "--jobs", "1", "--format", "json")
    cells = json.loads(out)["cells"]
    code, page, _ = invoke("demand", cohort, "--jobs", "1", "--format", "html")
    assert code == 0 and page.startswith("<!DOCTYPE html>")
    header = re.search(r"<tr><th>course</th>(.*?)<th>total</th></tr>", page)
    assert header
    terms = re.findall(r"<th>([^<]+)</th>", header.group(1))
    shown: dict[tuple[str, str], int] = {}
    for course, row in re.findall(r"<tr><td>([0-9]{2}-[0-9]{3})</td>(.*?)</tr>", page):
        values = re.findall(r"<td[^>]*>([^<]+)</td>", row)
        assert int(values[-1]) == sum(int(v) for v in values[:-1] if v != "-")
        for term, value in zip(terms, values[:-1], strict=True):
            if value != "-":
                shown[term, course] = int(value)
    assert shown == {(c["term"], c["course"]): c["students"] for c in cells}


# --- planner plan --robust ------------------------------------------------------------------


def robust(*flags: str) -> dict:  # type: ignore[type-arg]
    code, out, err = invoke("plan", "--robust", *flags, "--format", "json")
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "flags",
    [
        (),
        ("--require", "10-623", "--graduate-by", "F27"),
        ("--prefer", "10-735", "--offered", "10-735@S27"),
    ],
)
def test_every_risky_course_cancelled_in_turn_still_graduates_on_time(
    curriculum: Curriculum, flags: tuple[str, ...]
) -> None:
    """Cancel each course the robust plan flags, one at a time, and solve again from that
    term with everything before it done: a plan graduating no later exists."""
    from planner.plan import Plan

    data = robust(*flags)
    plan = Plan.model_validate(data)
    assert plan.contingencies, "the plan relies on no course that may be cancelled"
    scenario = Scenario.model_validate(data["scenario"])
    problem = resolve(curriculum, scenario, "test")
    for entry in plan.contingencies:
        assert entry.repaired, entry
        cancelled = repair_scenario(problem, plan, entry.course, parse_term(entry.term))
        outcome = solve(resolve(curriculum, cancelled, "test"), 30)
        assert outcome.solution is not None, entry
        assert outcome.solution.graduation is not None and plan.graduation is not None
        assert outcome.solution.graduation <= parse_term(plan.graduation)
        assert (entry.course, parse_term(entry.term)) not in outcome.solution.takes


def test_robust_plans_around_a_placement_with_no_repair() -> None:
    # A plan tight enough that its best placement of 10-718 (F27) has no repair.
    flags = ("--require", "10-623", "--prefer", "10-716", "--graduate-by", "F27")
    code, plain, _ = invoke("plan", *flags, "--format", "json")
    assert code == 0
    data = robust(*flags)
    around = [n for n in data["notes"] if n.startswith("Planned around ")]
    assert around, data["notes"]
    moved = around[0].split()[2].rstrip(":")  # e.g. 10-718@F27
    course, term = moved.split("@")
    assert any(
        t["term"] == term and course in {c["code"] for c in t["courses"]}
        for t in json.loads(plain)["terms"]
    )
    assert not any(
        t["term"] == term and course in {c["code"] for c in t["courses"]} for t in data["terms"]
    )


def test_the_table_states_each_contingency() -> None:
    data = robust()
    code, out, _ = invoke("plan", "--robust")
    assert code == 0
    said = " ".join(out.split())
    assert "If a course is cancelled (each repair checked by solving)" in said
    for entry in data["contingencies"]:
        assert f"{entry['course']} in {entry['term']} ({entry['evidence']})" in said
        assert f"graduating {entry['graduation']}" in said


@pytest.mark.parametrize(
    ("unplanned", "words"),
    [(1, "1 without a plan is not counted"), (2, "2 without a plan are not counted")],
)
def test_demand_says_how_many_students_have_no_plan(unplanned: int, words: str) -> None:
    from planner.demand import Demand, demand_table

    table = demand_table(Demand(planned=3, unplanned=[f"s{k}" for k in range(unplanned)]))
    assert f"({words})" in table.splitlines()[0]


def test_an_offering_says_which_terms_the_scenario_took_away(curriculum: Curriculum) -> None:
    """ "in the planned terms, F26, S28 or F28" left out S27 and F27 without a word when
    the scenario dropped them; the sentence now says so."""
    problem = problem_of(curriculum, not_offered=["10-718@S27", "10-718@F27"])
    rule = problem.rule_by_id["catalog.offered.10-718"]
    sentence = rule.describe()
    assert "in the planned terms, F26, S28 or F28" in sentence
    assert "(not S27 or F27: not offered then, as asked)" in sentence
    undone = problem_of(curriculum, not_offered=["10-718@S27"], offered=["10-718@S27"]).rule_by_id[
        "catalog.offered.10-718"
    ]
    assert "not offered then" not in undone.describe()  # offered beats not offered
