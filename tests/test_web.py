"""``planner serve`` by real requests to a real server, and the HTML reports.

The server runs as `planner serve` in its own process (the one a student starts), on a
free port of 127.0.0.1; the tests speak HTTP to it with the standard library. The
timeout test runs the app in a uvicorn thread, with a guard short enough to fire.
"""

from __future__ import annotations

import http.client
import json
import random
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serving import free_port, post, request, serving, wait_until_up

from helpers import ROOT, to_toml

pytest.importorskip("fastapi", reason="planner[web] is not installed")


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    """`planner serve` in its own process, as a student starts it."""
    with serving() as port:
        yield port


def cli_plan_json(tmp_path: Path, scenario: dict[str, Any]) -> str:
    args = []
    if scenario:  # an empty scenario file is an error: no file is the default scenario
        path = tmp_path / "scenario.toml"
        path.write_text(to_toml(scenario))
        args.append(str(path))
    run = subprocess.run(
        [sys.executable, "-m", "planner", "plan", *args, "--format", "json"],
        capture_output=True,
        text=True,
    )
    assert run.returncode in (0, 3), run.stderr
    return run.stdout


# --- POST /api/plan answers what planner plan answers -------------------------------------


@pytest.mark.parametrize(
    "scenario",
    [
        {},
        {"avoid": ["10-725"], "require": ["10-707"]},
        {"completed": ["10-701@F25"], "start": "S26", "units": {"max": 36}},
        {"graduate_by": "S27"},  # no plan: the conflict and its repairs
        {"program": ["statistics-ml", "ml-minor"]},
    ],
)
def test_api_plan_answers_exactly_what_the_cli_prints(
    server: int, tmp_path: Path, scenario: dict[str, Any]
) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server, timeout=60)
    conn.request("POST", "/api/plan", json.dumps(scenario), {"Content-Type": "application/json"})
    response = conn.getresponse()
    text = response.read().decode()
    conn.close()
    assert response.status == 200
    assert text == cli_plan_json(tmp_path, scenario)


def test_the_page_is_served_and_self_contained(server: int) -> None:
    status, page = request(server, "GET", "/")
    assert status == 200
    assert "<script>" in page and "/api/view" in page
    assert "http://" not in page and "https://" not in page  # nothing from the network


def test_a_repair_applies_with_one_request_and_then_there_is_a_plan(server: int) -> None:
    status, answer = post(server, "/api/plan", {"graduate_by": "S27"})
    assert status == 200 and answer["status"] == "infeasible"
    assert answer["repairs"]
    for repair in answer["repairs"]:
        status, applied = post(
            server, "/api/apply", {"scenario": {"graduate_by": "S27"}, "flags": repair["flags"]}
        )
        assert status == 200, applied
        status, after = post(server, "/api/plan", applied["scenario"])
        assert status == 200
        assert after["status"] in ("optimal", "feasible"), repair


def test_view_returns_the_plan_fragment(server: int) -> None:
    status, view = post(server, "/api/view", {"scenario": {"avoid": ["10-617"]}})
    assert status == 200
    assert view["scenario"] == {"avoid": ["10-617"]}
    assert view["status"] == "optimal"
    assert 'data-code="10-701"' in view["html"] and 'data-code="10-617"' not in view["html"]


# --- Bad input: 422 with the field named; nothing takes the server down -------------------


@pytest.mark.parametrize(
    ("body", "place"),
    [
        ('{"avoid": [1]}', "avoid[0]"),
        ('{"avoid": ["10-725"], "colour": "red"}', "colour"),
        ('{"units": {"max": "many"}}', "units.max"),
        ('{"avoid": ', "body"),
        ("[1, 2]", ""),
    ],
)
def test_malformed_input_is_a_422_naming_the_field(server: int, body: str, place: str) -> None:
    status, answer = request(server, "POST", "/api/plan", body)
    assert status == 422, answer
    assert answer["status"] == "error"
    assert answer["place"] == place
    assert answer["error"].startswith("request")


def hostile_bodies(count: int) -> list[tuple[str, str, bytes | None]]:
    """Requests a careless or hostile client sends: broken JSON, wrong types, deep
    nesting, huge bodies, unknown paths and methods, bad flags. Seeded: the same each run."""
    rng = random.Random(2026)
    fixed: list[tuple[str, str, bytes | None]] = [
        ("POST", "/api/plan", b"\xff\xfe\x00garbage"),
        ("POST", "/api/plan", b"[" * 100_000),
        ("POST", "/api/plan", b'{"avoid": ["' + b"9" * 300_000 + b'"]}'),
        ("POST", "/api/plan", b'{"semesters": 1e309}'),
        ("POST", "/api/plan", b'{"semesters": 100000000000000000000000}'),
        ("POST", "/api/plan", b'{"start": "F99999999"}'),
        ("POST", "/api/plan", b'{"completed": ["10-701@"]}'),
        ("POST", "/api/plan", b'{"program": "no-such-program"}'),
        ("POST", "/api/plan", b"null"),
        ("POST", "/api/plan", b'"a string"'),
        ("POST", "/api/view", b'{"scenario": 5}'),
        ("POST", "/api/apply", b'{"scenario": {}, "flags": "--no-such-flag 1"}'),
        ("POST", "/api/apply", b'{"scenario": {}, "flags": "--graduate-by"}'),
        ("POST", "/api/apply", b'{"scenario": {}, "flags": "\\"unclosed"}'),
        ("POST", "/api/apply", b'{"scenario": {}, "flags": "--semesters many"}'),
        ("GET", "/api/plan", None),
        ("DELETE", "/", None),
        ("GET", "/../../etc/passwd", None),
    ]
    keys = ["avoid", "require", "pin", "completed", "units", "start", "graduate_by", "waive"]
    values: list[Any] = [None, 1, -1, 1.5, "", "x" * 50, [], [None], {}, {"max": -5}, [[[]]]]
    out = list(fixed)
    while len(out) < count:
        data = {rng.choice(keys): rng.choice(values) for _ in range(rng.randint(1, 3))}
        out.append(("POST", rng.choice(["/api/plan", "/api/view"]), json.dumps(data).encode()))
    return out[:count]


def test_a_body_too_large_is_refused_with_413(server: int) -> None:
    status, answer = request(server, "POST", "/api/plan", b'{"avoid": ["' + b"1" * 300_000 + b'"]}')
    assert status == 413 and answer["place"] == "body"
    assert post(server, "/api/plan", {})[0] == 200


def test_two_hundred_bad_requests_then_a_good_one_succeeds(server: int) -> None:
    answered = 0
    for method, path, body in hostile_bodies(200):
        status, answer = request(server, method, path, body)
        assert status < 500, (method, path, body and body[:80], answer)
        assert status >= 400 or (isinstance(answer, dict) and "status" in answer)
        answered += 1
    assert answered == 200
    status, plan = post(server, "/api/plan", {})
    assert status == 200 and plan["status"] == "optimal"


def test_an_answer_past_its_time_is_a_200_timeout_not_a_hung_request() -> None:
    import uvicorn

    from planner.web import create_app

    port = free_port()
    app = create_app(guard_seconds=0.01, max_time_limit=5)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        wait_until_up(port)
        started = time.monotonic()
        status, answer = post(port, "/api/plan", {"program": ["statistics-ml", "ml-minor"]})
        assert status == 200
        assert answer["status"] == "timeout"
        assert time.monotonic() - started < 5
        assert request(port, "GET", "/api/health")[0] == 200
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def test_serve_binds_this_machine_only_by_default() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "planner", "serve", "--help"], capture_output=True, text=True
    )
    assert "127.0.0.1" in run.stdout


# --- The HTML reports ---------------------------------------------------------------------


def planner(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planner", *args], capture_output=True, text=True, cwd=cwd
    )


def test_plan_audit_and_compare_as_html(tmp_path: Path) -> None:
    plan_json = tmp_path / "plan.json"
    assert planner("plan", "--format", "json", "--output", str(plan_json)).returncode == 0
    plan = json.loads(plan_json.read_text())
    first = planner("plan", "--format", "html").stdout
    assert first == planner("plan", "--format", "html").stdout  # byte for byte
    assert first.startswith("<!DOCTYPE html>")
    for term in plan["terms"]:
        for course in term["courses"]:
            assert f'data-code="{course["code"]}"' in first
    assert "<script" not in first and "http://" not in first and "https://" not in first
    assert "@media print" in first
    assert "Assumptions this plan rests on" in first

    impossible = planner(
        "plan", str(ROOT / "scenarios" / "impossible-718-dropped.toml"), "--format", "html"
    )
    assert impossible.returncode == 3
    assert "Why there is no plan" in impossible.stdout and "data-flags=" in impossible.stdout

    audit = planner("audit", str(plan_json), "--format", "html")
    assert audit.returncode == 0 and "passed" in audit.stdout

    compare = planner(
        "compare", str(plan_json), str(ROOT / "scenarios" / "impossible-718-dropped.toml"),
        "--format", "html",
    )  # fmt: skip
    assert compare.returncode == 0 and "What changes between two plans" in compare.stdout


def shipped(name: str) -> list[tuple[str, Any]]:
    """(file, data) of every file of a format the planner ships or writes."""
    import tomllib

    curriculum = ROOT / "planner" / "curriculum"
    if name == "scenario":
        paths = sorted((ROOT / "scenarios").glob("*.toml"))
    elif name == "catalog":
        paths = [curriculum / "catalog.toml"]
    elif name == "program":
        paths = sorted((curriculum / "programs").glob("*.toml"))
    elif name == "curriculum":
        paths = [curriculum / "catalog.toml", *sorted((curriculum / "programs").glob("*.toml"))]
    else:
        plans = [planner("plan", "--format", "json").stdout]
        plans.append(planner("plan", "--program", "ml-minor", "--format", "json").stdout)
        return [("plan", json.loads(p)) for p in plans]
    return [(p.name, tomllib.loads(p.read_text())) for p in paths]


@pytest.mark.parametrize("name", ["scenario", "plan", "curriculum", "catalog", "program"])
def test_schemas_validate_the_shipped_files(name: str) -> None:
    """Each printed schema, read by a JSON Schema validator (not pydantic), accepts every
    file of its format that the planner ships or writes, and rejects a broken one."""
    jsonschema = pytest.importorskip("jsonschema")
    run = planner("schema", name)
    assert run.returncode == 0
    schema = json.loads(run.stdout)
    validator = jsonschema.Draft202012Validator(schema)
    files = shipped(name)
    assert files
    for file, data in files:
        errors = [e.message for e in validator.iter_errors(data)]
        assert not errors, (file, errors[:3])
    broken = {**files[0][1], "no_such_key": 1}
    assert not validator.is_valid(broken)
