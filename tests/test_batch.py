"""Cohorts: the generator, `planner batch` with what-ifs, bad files, baselines, --jobs."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from planner.batch import BatchRow, hurt
from planner.cli import app
from planner.cohort import generate

runner = CliRunner()


def test_generator_is_seeded(tmp_path: Path) -> None:
    a = [p.read_text() for p in generate(12, 7, tmp_path / "a")[0]]
    b = [p.read_text() for p in generate(12, 7, tmp_path / "b")[0]]
    c = [p.read_text() for p in generate(12, 8, tmp_path / "c")[0]]
    assert a == b
    assert a != c
    assert len(set(a)) > 6  # varied histories and wishes


def test_cohort_generate_command_writes_checkable_scenarios(tmp_path: Path) -> None:
    out = tmp_path / "cohort"
    result = runner.invoke(app, ["cohort", "generate", "15", "--out", str(out), "--seed", "3"])
    assert result.exit_code == 0, result.stderr
    files = sorted(out.glob("*.toml"))
    assert len(files) == 15
    check = runner.invoke(app, ["check", *map(str, files)])
    assert check.exit_code == 0, check.stderr


def test_batch_reports_a_bad_file_in_its_row_and_plans_the_rest(tmp_path: Path) -> None:
    generate(4, 1, tmp_path)
    (tmp_path / "broken.toml").write_text("start = [unclosed\n")
    result = runner.invoke(app, ["batch", str(tmp_path), "--jobs", "1", "--format", "jsonl"])
    assert result.exit_code == 1
    rows = [BatchRow.model_validate_json(line) for line in result.stdout.splitlines()]
    assert len(rows) == 5
    broken = next(r for r in rows if r.file.endswith("broken.toml"))
    assert broken.status == "error" and "TOML syntax error" in broken.error
    assert sum(r.status in ("optimal", "infeasible") for r in rows) == 4
    assert "Traceback" not in result.stdout + result.stderr


def test_batch_output_is_the_same_for_any_number_of_jobs(tmp_path: Path) -> None:
    generate(6, 2, tmp_path / "c")
    outputs = set()
    for jobs in ("1", "2"):
        result = runner.invoke(
            app, ["batch", str(tmp_path / "c"), "--jobs", jobs, "--format", "jsonl"]
        )
        assert result.exit_code in (0, 3), result.stderr
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_batch_what_if_and_compare_to_lists_who_is_hurt(tmp_path: Path) -> None:
    generate(6, 5, tmp_path / "c")
    base = tmp_path / "base.jsonl"
    first = runner.invoke(
        app,
        ["batch", str(tmp_path / "c"), "--jobs", "1", "--format", "jsonl", "--output", str(base)],
    )
    assert first.exit_code in (0, 3)
    result = runner.invoke(
        app,
        ["batch", str(tmp_path / "c"), "--jobs", "1", "--not-offered", "10-725@F26",
         "--not-offered", "10-725@F27", "--compare-to", str(base)],
    )  # fmt: skip
    assert "Hurt by this change:" in result.stdout
    hurt_count = int(result.stdout.split("Hurt by this change:")[1].split()[0])
    baseline = [json.loads(line) for line in base.read_text().splitlines()]
    planned = sum(1 for row in baseline if row["status"] == "optimal")
    assert 0 < hurt_count <= planned


def test_hurt_counts_later_graduation_and_lost_plans() -> None:
    before = [
        BatchRow(file="a", status="optimal", graduation="F27"),
        BatchRow(file="b", status="optimal", graduation="F27"),
        BatchRow(file="c", status="optimal", graduation="F27"),
    ]
    after = [
        BatchRow(file="a", status="optimal", graduation="F27"),
        BatchRow(file="b", status="optimal", graduation="S28"),
        BatchRow(file="c", status="infeasible"),
    ]
    matching = hurt(before, after)
    assert [new.file for _, new in matching.hurt] == ["b", "c"]
    assert matching.matched == 3 and not (matching.new or matching.missing)


def test_hurt_matches_students_not_paths_and_reports_the_unmatched() -> None:
    before = [
        BatchRow(file="old/a.toml", status="optimal", graduation="F27"),
        BatchRow(file="old/b.toml", student="s-b", status="optimal", graduation="F27"),
        BatchRow(file="old/gone.toml", status="optimal", graduation="F27"),
    ]
    after = [
        BatchRow(file="new/place/a.toml", status="infeasible"),
        BatchRow(file="new/b-renamed.toml", student="s-b", status="optimal", graduation="S28"),
        BatchRow(file="new/fresh.toml", status="optimal", graduation="F27"),
    ]
    matching = hurt(before, after)
    assert matching.matched == 2
    assert [new.file for _, new in matching.hurt] == ["new/place/a.toml", "new/b-renamed.toml"]
    assert matching.new == ["fresh.toml"] and matching.missing == ["gone.toml"]


def test_batch_with_no_files_is_bad_input(tmp_path: Path) -> None:
    result = runner.invoke(app, ["batch", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: command line")
