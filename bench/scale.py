"""A seeded synthetic curriculum generator, for measuring how solving time grows.

``synthetic(n, terms, seed)`` writes a catalog of `n` courses and a program in the
planner's own TOML: one core slot per term (each a choice of two courses), elective
credits from a pool of a quarter of the catalog with half-credit courses and "or" lines,
random prerequisites on lower-numbered courses, offerings by season, per-term unit caps,
and a scenario that must finish within the given number of terms.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from planner.terms import Term, parse_term


def _list(values: list[str]) -> str:
    return json.dumps(values)


def synthetic(
    n: int,
    terms: int,
    seed: int,
    root: Path,
    *,
    prereq_density: float = 0.2,
    half_share: float = 0.15,
) -> tuple[Path, Path]:
    """Write ``root/curriculum/...`` and ``root/scenario.toml``; return (curriculum, scenario)."""
    rng = random.Random(seed)
    codes = [f"91-{i + 1:03d}" for i in range(n)]
    catalog = [
        "# Synthetic catalog (bench/scale.py).",
        "[catalog]",
        f'title = "Synthetic catalog of {n} courses (seed {seed})"',
    ]
    for i, code in enumerate(codes):
        units = 6 if rng.random() < half_share else 12
        seasons = rng.choice(
            [["fall"], ["spring"], ["fall", "spring"], ["fall", "spring", "summer"]]
        )
        lines = [
            "",
            "[[courses]]",
            f'code = "{code}"',
            f'title = "Course {i + 1}"',
            f"units = {units}",
        ]
        lines.append(f"seasons = {_list(seasons)}")
        if i > 5 and rng.random() < prereq_density:
            clause = rng.sample(codes[: max(1, i // 2)], k=min(2, max(1, i // 2)))
            lines.append(f"prereqs = [{_list(sorted(clause))}]")
        catalog += lines
    curriculum = root / "curriculum"
    (curriculum / "programs").mkdir(parents=True, exist_ok=True)
    (curriculum / "catalog.toml").write_text("\n".join(catalog) + "\n", encoding="utf-8")

    slots = terms
    pool = codes[2 * slots : 2 * slots + max(4, n // 4)]
    rules = []
    for k in range(slots):
        pair = codes[2 * k : 2 * k + 2]
        rules.append(
            f'[[rules]]\nid = "syn.core.{k + 1}"\nkind = "choose"\ntitle = "Core {k + 1}"\n'
            f"courses = {_list(pair)}\n"
        )
    rules.append(
        f'[[rules]]\nid = "syn.electives"\nkind = "credit_pool"\ntitle = "Electives"\n'
        f"credits = {max(1, terms // 2)}\ncourses = {_list(pool)}\n"
    )
    for k in range(0, min(len(pool) - 1, 6), 2):
        rules.append(
            f'[[rules]]\nid = "syn.electives.or.{k // 2 + 1}"\nkind = "count_limit"\n'
            f'title = "Or line {k // 2 + 1}"\nrule = "syn.electives"\n'
            f"courses = {_list(pool[k : k + 2])}\n"
        )
    rules.append(
        '[[rules]]\nid = "syn.one-requirement-per-course"\nkind = "no_double_count"\n'
        'title = "Each course fills one requirement"\n'
    )
    rules.append(
        '[[rules]]\nid = "syn.units"\nkind = "term_units"\ntitle = "Unit cap"\nmax_units = 36\n'
    )
    program = (
        "# Synthetic program (bench/scale.py).\n[program]\n"
        'id = "syn"\ntitle = "Synthetic program"\nfirst_entry_year = 2000\n'
        'default_start = "F26"\nhorizon_semesters = 1\n\n' + "\n".join(rules)
    )
    (curriculum / "programs" / "syn.toml").write_text(program, encoding="utf-8")
    last = Term(parse_term("F26").index + terms - 1)
    scenario = root / "scenario.toml"
    scenario.write_text(
        f'title = "Synthetic student"\nprogram = "syn"\nstart = "F26"\ngraduate_by = "{last}"\n',
        encoding="utf-8",
    )
    return curriculum, scenario
