"""The bench generators at a small size (BACP converter, synthetic curricula), so they
cannot rot, and the rule kinds BACP needs: all_of, term_courses, enrolled_through, with
the balance objective."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from typer.testing import CliRunner

from planner.cli import app

from helpers import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import bacp

runner = CliRunner()

TINY = """
%a small instance in the CSPLib format, with an unclosed comment as in bacp10
p=3;
a=2; /* minimum load */
b=9; /* maximum load */
c=1;
d=3; /* maximum courses, never closed
courses = { alg100, alg101, ana100 , ana101, pro100, pro101 };
credit = [ 3, 4, 2, 5, 3, 4 ];
prereq = { <alg101, alg100>, <ana101,ana100> <pro101, pro100>, <alg101, alg100> };
"""


def tiny(tmp_path: Path) -> tuple[bacp.Instance, Path, Path]:
    source = tmp_path / "tiny.dat"
    source.write_text(TINY)
    instance = bacp.parse(source)
    curriculum, scenario = bacp.write_planner_files(instance, tmp_path / "out")
    return instance, curriculum, scenario


def brute_force_optimum(instance: bacp.Instance) -> int:
    """The smallest largest load over every assignment of courses to periods."""
    from itertools import product

    index = {name: i for i, name in enumerate(instance.courses)}
    best = 10**9
    for periods in product(range(instance.periods), repeat=len(instance.courses)):
        if any(periods[index[p]] >= periods[index[c]] for c, p in instance.prereqs):
            continue
        loads = [0] * instance.periods
        counts = [0] * instance.periods
        for k, period in enumerate(periods):
            loads[period] += instance.credits[k]
            counts[period] += 1
        if all(instance.min_load <= x <= instance.max_load for x in loads) and all(
            instance.min_courses <= x <= instance.max_courses for x in counts
        ):
            best = min(best, max(loads))
    return best


def test_parse_tolerates_the_published_defects(tmp_path: Path) -> None:
    instance, _, _ = tiny(tmp_path)
    assert instance.periods == 3 and instance.max_courses == 3
    assert len(instance.courses) == 6 and instance.credits[3] == 5
    assert instance.prereqs == (("alg101", "alg100"), ("ana101", "ana100"), ("pro101", "pro100"))


def test_converted_instance_plans_to_the_brute_force_optimum(tmp_path: Path) -> None:
    instance, curriculum, scenario = tiny(tmp_path)
    result = runner.invoke(
        app, ["plan", str(scenario), "--curriculum", str(curriculum), "--format", "json"]
    )
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["status"] == "optimal"
    assert bacp.largest_load(plan, instance) == brute_force_optimum(instance)
    taken = [c["code"] for t in plan["terms"] for c in t["courses"]]
    assert sorted(taken) == [bacp.code_of(i) for i in range(6)]
    assert len(plan["terms"]) == 3  # every period used (enrolled_through)
    path = tmp_path / "plan.json"
    path.write_text(result.stdout)
    audit = runner.invoke(app, ["audit", str(path), "--curriculum", str(curriculum)])
    assert audit.exit_code == 0, audit.stdout


def test_term_courses_binds(tmp_path: Path) -> None:
    _, curriculum, scenario = tiny(tmp_path)
    program = curriculum / "programs" / "bacp.toml"
    program.write_text(program.read_text().replace("max_courses = 3", "max_courses = 1"))
    result = runner.invoke(app, ["plan", str(scenario), "--curriculum", str(curriculum)])
    assert result.exit_code == 3
    assert "bacp.courses" in result.stdout


def test_all_of_fails_the_audit_when_a_course_is_missing(tmp_path: Path) -> None:
    _, curriculum, scenario = tiny(tmp_path)
    result = runner.invoke(
        app, ["plan", str(scenario), "--curriculum", str(curriculum), "--format", "json"]
    )
    plan = json.loads(result.stdout)
    dropped = plan["terms"][-1]["courses"].pop()
    plan["terms"][-1]["units"] -= dropped["units"]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    audit = runner.invoke(
        app, ["audit", str(path), "--curriculum", str(curriculum), "--format", "json"]
    )
    assert audit.exit_code == 3
    failed = {
        r["id"]: r["detail"] for r in json.loads(audit.stdout)["results"] if not r["satisfied"]
    }
    assert f"missing {dropped['code']}" in failed["bacp.all-courses"]


def test_enrolled_through_keeps_an_msml_student_longer() -> None:
    result = runner.invoke(app, ["plan", "--enrolled-through", "S28", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["graduation"] == "S28"
    both = runner.invoke(app, ["plan", "--enrolled-through", "S28", "--semesters", "3"])
    assert both.exit_code == 3
    assert "scenario.enrolled-through" in both.stdout


def test_minizinc_model_names_every_course(tmp_path: Path) -> None:
    instance, _, _ = tiny(tmp_path)
    model = bacp.minizinc_model(instance)
    assert "int: n = 6;" in model
    assert "solve minimize objective;" in model


def test_scale_generator_makes_a_plannable_audited_curriculum(tmp_path: Path) -> None:
    import scale

    curriculum, scenario = scale.synthetic(30, 4, seed=3, root=tmp_path)
    result = runner.invoke(
        app, ["plan", str(scenario), "--curriculum", str(curriculum), "--format", "json"]
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["status"] == "optimal"
    path = tmp_path / "plan.json"
    path.write_text(result.stdout)
    audit = runner.invoke(app, ["audit", str(path), "--curriculum", str(curriculum)])
    assert audit.exit_code == 0, audit.stdout
    again, _ = scale.synthetic(30, 4, seed=3, root=tmp_path / "again")
    assert (again / "catalog.toml").read_text() == (curriculum / "catalog.toml").read_text()
