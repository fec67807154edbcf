"""The Balanced Academic Curriculum Problem (CSPLib prob030) in the planner's own language.

``parse`` reads an instance file (the OPL-like ``.dat`` format, tolerating its known
defects); ``write_planner_files`` turns it into a catalog, a program and a scenario that
the normal pipeline plans: every course taken (``all_of``), credits and course counts per
period (``term_units``, ``term_courses``), prerequisites from the catalog, every period
used (``enrolled_through``), and the ``balance`` objective, which minimises the largest
term load. ``minizinc_model`` writes the same problem for MiniZinc, to compare solvers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from planner.terms import Term, parse_term


@dataclass(frozen=True)
class Instance:
    name: str
    periods: int
    min_load: int
    max_load: int
    min_courses: int
    max_courses: int
    courses: tuple[str, ...]
    credits: tuple[int, ...]
    prereqs: tuple[tuple[str, str], ...]
    """(course, prerequisite): the prerequisite comes strictly earlier."""


KNOWN_OPTIMA = {"bacp8": 17, "bacp10": 14, "bacp12": 17}
"""From the instance folder's README: each proved by two solvers and equal to a bound."""


def _number(text: str, name: str) -> int:
    match = re.search(rf"\b{name}\s*=\s*(\d+)\s*;", text)
    if match is None:
        raise ValueError(f"no '{name} = N;' in the instance")
    return int(match.group(1))


def parse(path: Path) -> Instance:
    """Read a CSPLib BACP ``.dat`` file field by field (comments may be unclosed)."""
    text = path.read_text(encoding="utf-8")
    block = re.search(r"courses\s*=\s*\{([^}]*)\}", text)
    credit = re.search(r"credit\s*=\s*\[([^\]]*)\]", text)
    prereq = re.search(r"prereq\s*=\s*\{(.*?)\}\s*;", text, re.DOTALL)
    if block is None or credit is None or prereq is None:
        raise ValueError(f"{path}: missing courses, credit or prereq")
    courses = tuple(re.findall(r"\w+", block.group(1)))
    credits = tuple(int(x) for x in re.findall(r"\d+", credit.group(1)))
    if len(courses) != len(credits):
        raise ValueError(f"{path}: {len(courses)} courses but {len(credits)} credits")
    pairs = re.findall(r"<\s*(\w+)\s*,\s*(\w+)\s*>", prereq.group(1))
    return Instance(
        name=path.stem,
        periods=_number(text, "p"),
        min_load=_number(text, "a"),
        max_load=_number(text, "b"),
        min_courses=_number(text, "c"),
        max_courses=_number(text, "d"),
        courses=courses,
        credits=credits,
        prereqs=tuple(dict.fromkeys(pairs)),  # the published bacp8 repeats some pairs
    )


def code_of(index: int) -> str:
    return f"90-{index + 1:03d}"


def periods(instance: Instance, start: str = "F26") -> list[Term]:
    first = parse_term(start)
    return [Term(first.index + k) for k in range(instance.periods)]


def _q(text: str) -> str:
    return json.dumps(text)  # a TOML basic string is a JSON string for these names


def write_planner_files(instance: Instance, root: Path) -> tuple[Path, Path]:
    """Write ``root/curriculum/{catalog.toml, programs/bacp.toml}`` and ``root/scenario.toml``.

    Returns (curriculum folder, scenario file).
    """
    curriculum = root / "curriculum"
    (curriculum / "programs").mkdir(parents=True, exist_ok=True)
    codes = {name: code_of(i) for i, name in enumerate(instance.courses)}
    needs: dict[str, list[str]] = {}
    for course, prerequisite in instance.prereqs:
        needs.setdefault(course, []).append(codes[prerequisite])
    lines = [
        f"# BACP instance {instance.name}: one course per line, units = credits.",
        "[catalog]",
        f"title = {_q('BACP ' + instance.name)}",
        'source = "CSPLib prob030"',
    ]
    for name, units in zip(instance.courses, instance.credits, strict=True):
        lines += [
            "",
            "[[courses]]",
            f'code = "{codes[name]}"',
            f"title = {_q(name)}",
            f"units = {units}",
            'seasons = ["fall", "spring", "summer"]',
        ]
        if name in needs:
            lines.append(f"prereqs = {json.dumps(sorted(needs[name]))}")
    (curriculum / "catalog.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    terms = periods(instance)
    program = f"""# BACP instance {instance.name} as a degree program: take every course, keep each
# period's credits and course count within bounds.
[program]
id = "bacp"
title = {_q("BACP " + instance.name)}
first_entry_year = 2000
default_start = "{terms[0]}"
horizon_semesters = 1

[[rules]]
id = "bacp.all-courses"
kind = "all_of"
title = "Every course of the curriculum"
courses = {json.dumps([codes[n] for n in instance.courses])}

[[rules]]
id = "bacp.load"
kind = "term_units"
title = "Credits per period"
min_units = {instance.min_load}
max_units = {instance.max_load}

[[rules]]
id = "bacp.courses"
kind = "term_courses"
title = "Courses per period"
min_courses = {instance.min_courses}
max_courses = {instance.max_courses}
"""
    (curriculum / "programs" / "bacp.toml").write_text(program, encoding="utf-8")
    scenario = root / "scenario.toml"
    scenario.write_text(
        f"""# Plan every period of BACP {instance.name}, minimising the largest period load.
title = {_q("BACP " + instance.name)}
program = "bacp"
start = "{terms[0]}"
graduate_by = "{terms[-1]}"
enrolled_through = "{terms[-1]}"
objective = ["balance"]
""",
        encoding="utf-8",
    )
    return curriculum, scenario


def largest_load(plan_json: dict[str, object], instance: Instance) -> int:
    """The largest period load of a planner JSON plan, checked against the instance."""
    terms = plan_json["terms"]
    assert isinstance(terms, list)
    loads = [t["units"] for t in terms if not t.get("practicum")]
    return max(loads) if loads else 0


def minizinc_model(instance: Instance) -> str:
    """Our own small MiniZinc model of the instance (data inline)."""
    index = {name: i + 1 for i, name in enumerate(instance.courses)}
    pairs = ", ".join(f"{index[c]}, {index[p]}" for c, p in instance.prereqs)
    n, m = len(instance.courses), len(instance.prereqs)
    return f"""% BACP {instance.name}: period of each course, minimise the largest period load.
include "bin_packing_load.mzn";
include "global_cardinality_low_up.mzn";
int: n = {n};
int: p = {instance.periods};
array[1..n] of int: credit = {list(instance.credits)};
array[int, 1..2] of int: prereq = array2d(1..{m}, 1..2, [{pairs}]);
array[1..n] of var 1..p: period;
array[1..p] of var {instance.min_load}..{instance.max_load}: load;
constraint bin_packing_load(load, period, credit);
constraint global_cardinality_low_up(period, [i | i in 1..p],
    [{instance.min_courses} | i in 1..p], [{instance.max_courses} | i in 1..p]);
constraint forall (k in index_set_1of2(prereq)) (period[prereq[k, 2]] < period[prereq[k, 1]]);
var int: objective = max(load);
solve minimize objective;
output ["\\(objective)\\n"];
"""
