"""Benchmarks: the planner against the floor, a cohort, BACP with MiniZinc, scale, serve.

    python bench/run.py [--only latency|cohort|bacp|scale|serve] [--bacp-dir PATH] [--runs N]

Each section prints a table and writes its figures to ``bench/results/<section>.json``.
Times are measured side by side in one run and reported as ratios; nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
DEFAULT_BACP = ROOT.parent / "shared" / "benchdata" / "bacp" / "csplib-prob030"
sys.path.insert(0, str(HERE))

import bacp  # noqa: E402
import scale  # noqa: E402

PY = sys.executable


def planner_cmd() -> list[str]:
    found = shutil.which("planner")
    return [found] if found else [PY, "-m", "planner"]


def timed(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    return time.perf_counter() - start, done


def alternate(commands: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    """Run the commands in turn, `runs` rounds, so that drift hits all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for cmd in commands.values():  # warm the file cache once
        timed(cmd)
    for _ in range(runs):
        for name, cmd in commands.items():
            seconds, done = timed(cmd)
            if done.returncode not in (0, 3):
                raise SystemExit(f"{name} failed ({done.returncode}): {done.stderr.strip()}")
            times[name].append(seconds)
    return times


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True))  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def save(section: str, data: dict[str, Any]) -> None:
    RESULTS.mkdir(exist_ok=True)
    data = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), **data}
    (RESULTS / f"{section}.json").write_text(json.dumps(data, indent=2) + "\n")


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
    }


# --- 1. Latency against the floor -----------------------------------------------------------


def largest_scenario() -> Path:
    from planner.catalog import load_curriculum
    from planner.problem import resolve
    from planner.scenario import load_scenario

    cur = load_curriculum()
    sizes = []
    for path in sorted((ROOT / "scenarios").glob("*.toml")):
        if path.name.startswith("impossible"):
            continue
        problem = resolve(cur, load_scenario(path), str(path))
        sizes.append((len(problem.terms) * len(problem.courses), len(problem.rules), path.name))
    return ROOT / "scenarios" / max(sizes)[2]


def latency(runs: int) -> None:
    planner = planner_cmd()
    big = largest_scenario()
    commands = {
        "floor: import cp_model": [PY, "-c", "from ortools.sat.python import cp_model"],
        "planner --help": [*planner, "--help"],
        "planner plan": [*planner, "plan"],
        f"planner plan {big.name}": [*planner, "plan", str(big)],
        "planner plan impossible-718-dropped.toml": [
            *planner,
            "plan",
            str(ROOT / "scenarios" / "impossible-718-dropped.toml"),
        ],
        "planner plan --program statistics-ml --program ml-minor": [
            *planner,
            "plan",
            "--program",
            "statistics-ml",
            "--program",
            "ml-minor",
        ],
    }
    times = alternate(commands, runs)
    floor = statistics.median(times["floor: import cp_model"])
    targets = {
        "planner --help": 0.5,
        "planner plan": 1.3,
        "planner plan impossible-718-dropped.toml": 2.0,
        "planner plan --program statistics-ml --program ml-minor": 2.0,
    }
    rows, data = [], {}
    for name, values in times.items():
        median = statistics.median(values)
        ratio = median / floor
        target = targets.get(name)
        verdict = "" if target is None else ("ok" if ratio <= target else "over")
        rows.append(
            [name, f"{median:.3f}", f"{ratio:.2f}x", f"<= {target}x" if target else "", verdict]
        )
        data[name] = {"median_s": median, "ratio": ratio, "runs": values, "target": target}
    print(f"\nLatency: median of {runs} alternating runs; ratio to the floor")
    print(table(rows, ["command", "median s", "ratio", "target", ""]))
    save("latency", {"runs": runs, "commands": data})


# --- 2. Cohort throughput -------------------------------------------------------------------


def cohort(size: int) -> None:
    from planner.cohort import generate

    work = Path(tempfile.mkdtemp(prefix="planner-cohort-"))
    generate(size, 2026, work / "students")
    planner = planner_cmd()
    results = {}
    outputs = {}
    for jobs in (1, 2):
        cmd = [*planner, "batch", str(work / "students"), "--jobs", str(jobs), "--format", "jsonl"]
        seconds, done = timed(cmd)
        if done.returncode not in (0, 3):
            raise SystemExit(f"batch failed: {done.stderr.strip()}")
        outputs[jobs] = done.stdout
        rows = [json.loads(line) for line in done.stdout.splitlines()]
        results[jobs] = {
            "seconds": seconds,
            "plans_per_second": len(rows) / seconds,
            "statuses": {
                s: sum(r["status"] == s for r in rows) for s in {r["status"] for r in rows}
            },
        }
    # Demand is the batch plus adding up its plans: measured against the batch, in turns.
    students = str(work / "students")
    pair = alternate(
        {
            "batch": [*planner, "batch", students, "--jobs", "2", "--format", "jsonl"],
            "demand": [*planner, "demand", students, "--jobs", "2", "--format", "csv"],
        },
        runs=2,
    )
    batch_s, demand_s = (statistics.median(pair[k]) for k in ("batch", "demand"))
    shutil.rmtree(work, ignore_errors=True)
    speedup = results[1]["seconds"] / results[2]["seconds"]
    same = outputs[1] == outputs[2]
    print(f"\nCohort: {size} generated students (seed 2026) with planner batch")
    print(
        table(
            [
                [
                    f"--jobs {j}",
                    f"{r['seconds']:.1f}",
                    f"{r['plans_per_second']:.1f}",
                    str(r["statuses"]),
                ]
                for j, r in results.items()
            ],
            ["run", "seconds", "plans/s", "statuses"],
        )
    )
    print(f"speed-up of --jobs 2 over --jobs 1: {speedup:.2f}x; identical output: {same};"
          f" target: {size} plans in under 15 s on 2 cores")  # fmt: skip
    print(f"planner demand {demand_s:.1f} s against planner batch {batch_s:.1f} s (--jobs 2):"
          f" {demand_s / batch_s:.2f}x; target: at most 1.1x")  # fmt: skip
    save(
        "cohort",
        {
            "size": size,
            "runs": {str(j): r for j, r in results.items()},
            "speedup": speedup,
            "identical": same,
            "demand": {"batch_s": batch_s, "demand_s": demand_s, "ratio": demand_s / batch_s},
        },
    )


# --- 3. BACP against MiniZinc + Gecode ------------------------------------------------------


def ensure_minizinc() -> str | None:
    """Path of ``minizinc`` with Gecode, installing Debian's packages when we can."""
    if shutil.which("minizinc") is None and shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "minizinc", "flatzinc"],
            capture_output=True,
            check=False,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
    return shutil.which("minizinc")


def in_process(curriculum: Path, scenario: Path, runs: int) -> tuple[float, int, str]:
    """Median model-build-plus-solve time, with the value and status of the last run."""
    from planner.catalog import load_curriculum
    from planner.problem import resolve
    from planner.scenario import load_scenario
    from planner.solve import solve

    cur, sc = load_curriculum(curriculum), load_scenario(scenario)
    samples, value, status = [], 0, ""
    for _ in range(runs):
        start = time.perf_counter()
        outcome = solve(resolve(cur, sc, str(scenario)), time_limit=60)
        samples.append(time.perf_counter() - start)
        status = outcome.status
        value = outcome.solution.objective["balance"] if outcome.solution else -1
    return statistics.median(samples), value, status


def minizinc_times(model: Path, runs: int) -> tuple[float, float, int | None]:
    """Median whole-process time, median flatten+solve time, and the optimum found."""
    whole, inner, value = [], [], None
    for _ in range(runs):
        seconds, done = timed(["minizinc", "--solver", "gecode", "-s", str(model)])
        whole.append(seconds)
        stats = dict(re.findall(r"%%%mzn-stat: (\w+)=([\d.e+-]+)", done.stdout + done.stderr))
        inner.append(float(stats.get("flatTime", "nan")) + float(stats.get("solveTime", "nan")))
        numbers = re.findall(r"^(\d+)$", done.stdout, re.MULTILINE)
        proven = "==========" in done.stdout
        value = int(numbers[-1]) if numbers and proven else None
    return statistics.median(whole), statistics.median(inner), value


def bacp_section(folder: Path, runs: int) -> None:
    files = sorted(folder.glob("bacp*.dat")) if folder.is_dir() else []
    if not files:
        print(f"\nBACP: no instances in {folder}; skipped (give --bacp-dir)")
        return
    mzn = ensure_minizinc()
    if mzn is None:
        print("\nBACP: minizinc not found and not installable here; MiniZinc columns skipped"
              " (apt-get install minizinc flatzinc)")  # fmt: skip
    planner = planner_cmd()
    rows, data = [], {}
    for path in files:
        instance = bacp.parse(path)
        work = Path(tempfile.mkdtemp(prefix="planner-bacp-"))
        curriculum, scenario = bacp.write_planner_files(instance, work)
        cmd = [*planner, "plan", str(scenario), "--curriculum", str(curriculum), "--format", "json"]
        whole = []
        for _ in range(runs):
            seconds, done = timed(cmd)
            whole.append(seconds)
        plan = json.loads(done.stdout)
        value = bacp.largest_load(plan, instance)
        build_solve, inner_value, inner_status = in_process(curriculum, scenario, runs)
        known = bacp.KNOWN_OPTIMA.get(instance.name)
        entry: dict[str, Any] = {
            "status": plan["status"],
            "in_process": {"status": inner_status, "value": inner_value},
            "value": value,
            "known_optimum": known,
            "planner_whole_s": statistics.median(whole),
            "planner_build_solve_s": build_solve,
        }
        row = [
            instance.name,
            plan["status"],
            str(value),
            str(known),
            f"{statistics.median(whole):.3f}",
            f"{build_solve:.3f}",
        ]
        if mzn:
            model = work / "bacp.mzn"
            model.write_text(bacp.minizinc_model(instance))
            mz_whole, mz_inner, mz_value = minizinc_times(model, runs)
            entry |= {
                "minizinc_whole_s": mz_whole,
                "minizinc_flatten_solve_s": mz_inner,
                "minizinc_value": mz_value,
            }
            whole_ratio = statistics.median(whole) / mz_whole
            row += [str(mz_value), f"{mz_whole:.3f}", f"{mz_inner:.3f}"]
            row += [f"{whole_ratio:.2f}x", f"{build_solve / mz_inner:.2f}x"]
        rows.append(row)
        data[instance.name] = entry
        shutil.rmtree(work, ignore_errors=True)
    header = ["instance", "status", "max load", "known", "planner s", "build+solve s"]
    if mzn:
        header += ["mzn value", "mzn s", "flat+solve s", "(a) whole", "(b) inner"]
    print(f"\nBACP (CSPLib prob030) through the planner's pipeline; median of {runs}")
    print(table(rows, header))
    print("(a) whole process, planner / MiniZinc; (b) model build + solve / flatten + solve;")
    print("target: all proven optimal at the known optimum, (b) <= 1.0x")
    save("bacp", {"runs": runs, "instances": data})


# --- 4. Scale -------------------------------------------------------------------------------

SIZES = [(n, t) for t in (4, 8, 12) for n in (50, 100, 200, 400)]


def scale_section(limit: float) -> None:
    from planner.catalog import load_curriculum
    from planner.problem import resolve
    from planner.scenario import load_scenario
    from planner.solve import solve

    rows, data = [], []
    for n, terms in SIZES:
        work = Path(tempfile.mkdtemp(prefix="planner-scale-"))
        curriculum, scenario = scale.synthetic(n, terms, 1, work)
        problem = resolve(load_curriculum(curriculum), load_scenario(scenario), str(scenario))
        start = time.perf_counter()
        outcome = solve(problem, time_limit=limit)
        seconds = time.perf_counter() - start
        shutil.rmtree(work, ignore_errors=True)
        proven = outcome.status == "optimal"
        gap = outcome.gap if outcome.gap is not None else float("nan")
        rows.append(
            [
                str(n),
                str(terms),
                outcome.status,
                f"{seconds:.2f}",
                "" if proven else f"gap {gap:.3%}",
            ]
        )
        data.append(
            {"courses": n, "terms": terms, "status": outcome.status, "seconds": seconds, "gap": gap}
        )
    print(f"\nScale: synthetic curricula (seed 1), time to a proven optimum (limit {limit:g} s)")
    print(table(rows, ["courses", "terms", "status", "seconds", "note"]))
    two = two_programs(limit)
    save("scale", {"limit_s": limit, "sizes": data, "two_programs": two})
    plot_scale(data)


TWO_PROGRAM_SEMESTERS = (8, 12, 16, 24, 32)


def two_programs(limit: float) -> list[dict[str, Any]]:
    """The real two-program model (B.S. in Statistics & ML with the ML minor, a first-year
    student) over longer and longer windows: the curve of an undergraduate plan."""
    from planner.catalog import load_curriculum
    from planner.problem import resolve
    from planner.scenario import Scenario
    from planner.solve import solve

    cur = load_curriculum()
    rows, data = [], []
    for semesters in TWO_PROGRAM_SEMESTERS:
        scenario = Scenario(program=["statistics-ml", "ml-minor"], semesters=semesters)
        start = time.perf_counter()
        problem = resolve(cur, scenario, "bench")
        outcome = solve(problem, time_limit=limit)
        seconds = time.perf_counter() - start
        rows.append(
            [str(len(problem.courses)), str(len(problem.terms)), outcome.status, f"{seconds:.2f}"]
        )
        data.append(
            {
                "courses": len(problem.courses),
                "terms": len(problem.terms),
                "status": outcome.status,
                "seconds": seconds,
            }
        )
    print("\nScale: statistics-ml + ml-minor, one schedule, by window (resolve + solve)")
    print(table(rows, ["courses", "terms", "status", "seconds"]))
    return data


def plot_scale(data: list[dict[str, Any]]) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("(no matplotlib: pip install matplotlib to draw docs/performance-scale.png)")
        return
    fig, ax = plt.subplots(figsize=(6, 4))
    for terms in sorted({d["terms"] for d in data}):
        points = [(d["courses"], d["seconds"]) for d in data if d["terms"] == terms]
        ax.plot(*zip(*points, strict=True), marker="o", label=f"{terms} terms")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("courses in the catalog")
    ax.set_ylabel("seconds to a proven optimum")
    ax.set_title("Planner scale on synthetic curricula")
    ax.legend()
    fig.tight_layout()
    target = ROOT / "docs" / "performance-scale.png"
    fig.savefig(target, dpi=100, metadata={"Software": None})
    print(f"plot: {target.relative_to(ROOT)}")


# --- 5. The warm engine: what-ifs through planner serve ------------------------------------

SERVE_WHAT_IFS = [
    {"avoid": ["10-617"]},
    {"avoid": ["10-703"]},
    {"avoid": ["10-605"]},
    {"avoid": ["10-623"]},
    {"require": ["10-707"]},
    {"require": ["10-715"]},
    {"completed": ["10-701@F25"], "start": "S26"},
    {"units": {"max": 36}, "avoid": ["10-718"]},
    {"pin": ["10-708@F26"]},
    {"prefer": ["10-725"], "avoid": ["10-605"]},
    {"graduate_by": "S28", "require": ["10-703"]},
]


def what_if_flags(what_if: dict[str, Any]) -> list[str]:
    """The same what-if as planner plan flags."""
    flags: list[str] = []
    for name, value in what_if.items():
        if name == "units":
            flags += ["--max-units", str(value["max"])]
        elif isinstance(value, list):
            for item in value:
                flags += [f"--{name.replace('_', '-')}", item]
        else:
            flags += [f"--{name.replace('_', '-')}", str(value)]
    return flags


def serve_section(runs: int) -> None:
    """Each what-if through POST /api/plan of a running server (no cache hit: each is new
    to the server the first time, and only first times are counted) against a cold
    `planner plan` process with the same flags, in turns."""
    import http.client
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [*planner_cmd(), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        deadline = time.monotonic() + 60
        while True:
            try:
                conn.request("GET", "/api/health")
                conn.getresponse().read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("planner serve did not start") from None
                time.sleep(0.1)
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        warm: list[float] = []
        cold: list[float] = []
        statuses = []
        for round_ in range(runs):
            for what_if in SERVE_WHAT_IFS:
                # A fresh what-if each round: a time limit the server has not seen keys it
                # anew (the limit is far above what a plan needs, so answers do not change).
                body = json.dumps({**what_if, "time_limit": 60 + round_})
                start = time.perf_counter()
                conn.request("POST", "/api/plan", body, {"Content-Type": "application/json"})
                answer = json.loads(conn.getresponse().read())
                warm.append(time.perf_counter() - start)
                statuses.append(answer["status"])
                seconds, _ = timed([*planner_cmd(), "plan", *what_if_flags(what_if)])
                cold.append(seconds)
    finally:
        server.terminate()
        server.wait(timeout=10)
    warm_median, cold_median = statistics.median(warm), statistics.median(cold)
    ratio = warm_median / cold_median
    rows = [
        ["what-if via POST /api/plan (warm)", f"{warm_median * 1000:.1f}", f"{ratio:.3f}x"],
        ["planner plan process (cold)", f"{cold_median * 1000:.1f}", "1x"],
    ]
    print(f"\nServe: {len(SERVE_WHAT_IFS)} what-ifs x {runs} rounds, in turns; median ms")
    print(table(rows, ["", "median ms", "ratio"]))
    verdict = "ok" if ratio <= 0.1 and warm_median < 0.05 else "over"
    print(f"target: <= 0.1x and < 50 ms: {verdict}; answers: {sorted(set(statuses))}")
    save(
        "serve",
        {
            "runs": runs,
            "what_ifs": SERVE_WHAT_IFS,
            "warm_s": warm,
            "cold_s": cold,
            "warm_median_s": warm_median,
            "cold_median_s": cold_median,
            "ratio": ratio,
        },
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["latency", "cohort", "bacp", "scale", "serve"])
    parser.add_argument("--bacp-dir", type=Path, default=DEFAULT_BACP)
    parser.add_argument("--runs", type=int, default=7, help="runs per command (median)")
    parser.add_argument("--cohort", type=int, default=1000, help="students in the cohort")
    parser.add_argument("--scale-limit", type=float, default=60.0)
    args = parser.parse_args()
    sections: dict[str, Callable[[], None]] = {
        "latency": lambda: latency(args.runs),
        "cohort": lambda: cohort(args.cohort),
        "bacp": lambda: bacp_section(args.bacp_dir, max(3, args.runs // 2)),
        "scale": lambda: scale_section(args.scale_limit),
        "serve": lambda: serve_section(args.runs),
    }
    started = time.perf_counter()
    for name, run in sections.items():
        if args.only in (None, name):
            run()
    print(f"\nbench finished in {time.perf_counter() - started:.0f} s; figures in bench/results/")


if __name__ == "__main__":
    main()
