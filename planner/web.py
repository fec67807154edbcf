"""``planner serve``: a local what-if page and a JSON API, on FastAPI (``planner[web]``).

The server keeps a warm `Engine`: the curriculum is read once, OR-Tools is imported once,
and answers are kept by scenario, so a what-if costs a model build and a solve, never a
process start, and asking again costs nothing. Every answer is bounded: the solver gets
the scenario's time limit, at most `max_time_limit`, and a request that is still running
`guard_seconds` later is answered with status "timeout" (the solver stops on its own limit
in the background). Bad input is a 422 that names the field; nothing a request sends
takes the server down.

Endpoints (documented in docs/user-guide.md, "A page to look at"):

- ``GET /``: the page.
- ``POST /api/plan``: a scenario (the scenario file's fields, as JSON) in; exactly what
  ``planner plan --format json`` prints out.
- ``POST /api/view``: ``{"scenario": {...}}`` in; the plan as an HTML fragment, with the
  scenario as the server read it.
- ``POST /api/apply``: ``{"scenario": {...}, "flags": "--graduate-by F29"}`` in; the
  scenario with a repair's flags applied.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from planner.api import DEFAULT_TIME_LIMIT, assumptions_of, plan_scenario
from planner.catalog import Assumption, Curriculum, load_curriculum
from planner.errors import PlannerError
from planner.flags import parse_flags
from planner.html import page, plan_section
from planner.loading import validate
from planner.plan import Plan
from planner.scenario import Scenario

REQUEST = "request"
"""How errors name the file a request's scenario came from."""

MAX_BODY = 256 * 1024
"""Largest request body read, in bytes (a scenario is a few hundred)."""

CACHE_SIZE = 256
"""Answers kept, by scenario."""


class TooLarge(Exception):
    """A request body over MAX_BODY bytes (answered 413)."""


class Engine:
    """The curriculum, loaded once, and the last answers, by scenario (thread-safe)."""

    def __init__(self, curriculum: Path | None, max_time_limit: float) -> None:
        self.curriculum: Curriculum = load_curriculum(curriculum)
        self.curriculum_path = curriculum
        self.max_time_limit = max_time_limit
        self._answers: OrderedDict[str, Plan] = OrderedDict()
        self._lock = threading.Lock()
        # Import the solver now, not in the first request; then move everything loaded so
        # far out of the collector's sight (gc.freeze), so that the garbage a model build
        # makes is collected without walking the framework's and the curriculum's objects.
        import gc

        import planner.solve  # noqa: F401

        gc.collect()
        gc.freeze()

    def scenario(self, data: Any) -> Scenario:
        if not isinstance(data, dict):
            raise PlannerError(
                "a scenario is a JSON object of the scenario file's fields", file=REQUEST
            )
        return validate(Scenario, data, REQUEST)

    def plan(self, scenario: Scenario) -> Plan:
        limit = min(scenario.time_limit or DEFAULT_TIME_LIMIT, self.max_time_limit)
        key = scenario.model_dump_json()
        with self._lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]
        answer = plan_scenario(self.curriculum, scenario, REQUEST, time_limit=limit)
        if answer.status != "unknown":  # an answer the time cut short may come out otherwise
            with self._lock:
                self._answers[key] = answer
                while len(self._answers) > CACHE_SIZE:
                    self._answers.popitem(last=False)
        return answer

    def assumptions(self, plan: Plan) -> list[Assumption]:
        return assumptions_of(plan, self.curriculum)


def scenario_fields(scenario: Scenario) -> dict[str, Any]:
    """A scenario as the JSON the page keeps: the fields given, as a scenario file has them."""
    data: dict[str, Any] = json.loads(scenario.model_dump_json(exclude_defaults=True))
    return data


def create_app(
    curriculum: Path | None = None,
    *,
    guard_seconds: float = 30.0,
    max_time_limit: float = 20.0,
    workers: int = 2,
) -> FastAPI:
    """The app. `guard_seconds` bounds every answer; `max_time_limit` the solver's time."""
    engine = Engine(curriculum, max_time_limit)
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="planner-solve")
    app = FastAPI(
        title="planner",
        description="Plans for the CMU Machine Learning Department's programs.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.engine = engine

    def bounded(scenario: Scenario) -> Plan | None:
        """The plan, or None when it is not ready within `guard_seconds`."""
        future = pool.submit(engine.plan, scenario)
        try:
            return future.result(timeout=guard_seconds)
        except FutureTimeout:
            return None

    def timeout() -> JSONResponse:
        message = f"no answer within {guard_seconds:g} s; try a smaller what-if or a time limit"
        return JSONResponse({"status": "timeout", "message": message})

    async def body_json(request: Request) -> Any:
        """The body as JSON, read no further than MAX_BODY bytes (a larger one is a 413,
        refused before it is all read)."""
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY:
            raise TooLarge()
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY:
                raise TooLarge()
            chunks.append(chunk)
        raw = b"".join(chunks)
        try:
            return json.loads(raw)
        except (ValueError, RecursionError) as exc:
            raise PlannerError(f"not JSON: {exc}", file=REQUEST, place="body") from None

    @app.exception_handler(TooLarge)
    async def too_large(request: Request, exc: TooLarge) -> JSONResponse:
        error = f"{REQUEST}: body: over {MAX_BODY // 1024} KB"
        return JSONResponse({"status": "error", "error": error, "place": "body"}, status_code=413)

    @app.exception_handler(PlannerError)
    async def bad_input(request: Request, exc: PlannerError) -> JSONResponse:
        return JSONResponse(
            {"status": "error", "error": exc.render(), "place": exc.place}, status_code=422
        )

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> JSONResponse:
        message = " ".join(str(exc).split())
        return JSONResponse(
            {"status": "error", "error": f"internal error: {type(exc).__name__}: {message}"},
            status_code=500,
        )

    @app.get("/", response_class=HTMLResponse)
    def index() -> HTMLResponse:
        return HTMLResponse(what_if_page())

    @app.get("/api/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/api/plan")
    async def api_plan(request: Request) -> Response:
        scenario = engine.scenario(await body_json(request))
        answer = await _in_thread(bounded, scenario)
        if answer is None:
            return timeout()
        return Response(answer.model_dump_json(indent=2) + "\n", media_type="application/json")

    @app.post("/api/view")
    async def api_view(request: Request) -> Response:
        data = await body_json(request)
        if not isinstance(data, dict):
            raise PlannerError('send {"scenario": {...}}', file=REQUEST, place="body")
        scenario = engine.scenario(data.get("scenario", {}))
        answer = await _in_thread(bounded, scenario)
        if answer is None:
            return timeout()
        return JSONResponse(
            {
                "status": answer.status,
                "scenario": scenario_fields(scenario),
                "html": plan_section(answer, engine.assumptions(answer)),
            }
        )

    @app.post("/api/apply")
    async def api_apply(request: Request) -> JSONResponse:
        data = await body_json(request)
        if not isinstance(data, dict) or not isinstance(data.get("flags"), str):
            raise PlannerError(
                'send {"scenario": {...}, "flags": "..."}', file=REQUEST, place="body"
            )
        scenario = engine.scenario(data.get("scenario", {}))
        flags = validate(Scenario, parse_flags(data["flags"], REQUEST), REQUEST)
        return JSONResponse({"scenario": scenario_fields(scenario.with_overrides(flags))})

    return app


async def _in_thread(function: Any, *args: Any) -> Any:
    """Run a blocking call off the event loop, so one slow plan never stalls the others."""
    import anyio.to_thread

    return await anyio.to_thread.run_sync(function, *args)


def serve(curriculum: Path | None, host: str, port: int) -> None:
    import uvicorn

    uvicorn.run(create_app(curriculum), host=host, port=port, log_level="warning")


SCRIPT = r"""
const state = { scenario: {} };
const $ = (sel) => document.querySelector(sel);
function list(name) { return state.scenario[name] || (state.scenario[name] = []); }
function chips() {
  const out = [];
  for (const name of ["completed", "require", "avoid", "pin", "waive", "offered",
                      "not_offered", "substitute", "also_allow"]) {
    (state.scenario[name] || []).forEach((value, i) => out.push({name, value, i}));
  }
  for (const name of ["start", "graduate_by", "semesters", "entry_year"]) {
    if (state.scenario[name] !== undefined) out.push({name, value: state.scenario[name]});
  }
  if (state.scenario.units) {
    for (const side of ["max", "min"]) {
      if (state.scenario.units[side] !== undefined)
        out.push({name: "units", side, value: side + " " + state.scenario.units[side]});
    }
  }
  const box = $("#whatifs");
  box.innerHTML = "";
  if (!out.length) box.textContent = "none yet: a new student starting Fall 2026";
  for (const c of out) {
    const b = document.createElement("button");
    b.className = "chip";
    b.textContent = c.name.replace("_", " ") + ": " + c.value + "  \u00d7";
    b.title = "remove";
    b.onclick = () => {
      if (c.i !== undefined) state.scenario[c.name].splice(c.i, 1);
      else if (c.side) delete state.scenario.units[c.side];
      else delete state.scenario[c.name];
      replan();
    };
    box.appendChild(b);
  }
}
async function post(url, body) {
  const r = await fetch(url, {method: "POST", headers: {"Content-Type": "application/json"},
                              body: JSON.stringify(body)});
  const data = await r.json();
  if (!r.ok) throw new Error(data.error || r.statusText);
  return data;
}
async function replan() {
  $("#busy").textContent = "planning\u2026";
  document.body.dataset.busy = "1";
  try {
    const data = await post("/api/view", {scenario: state.scenario});
    if (data.status === "timeout") { $("#error").textContent = data.message; return; }
    state.scenario = data.scenario;
    $("#plan").innerHTML = data.html;
    $("#error").textContent = "";
    decorate();
  } catch (e) {
    $("#error").textContent = e.message;
  } finally {
    chips();
    $("#busy").textContent = "";
    delete document.body.dataset.busy;
  }
}
function decorate() {
  document.querySelectorAll("#plan li.course[data-status=planned]").forEach((li) => {
    const bar = document.createElement("span");
    bar.className = "actions no-print";
    const avoid = document.createElement("button");
    avoid.textContent = "avoid";
    avoid.className = "avoid";
    avoid.title = "plan without " + li.dataset.code;
    avoid.onclick = () => { list("avoid").push(li.dataset.code); replan(); };
    const pin = document.createElement("button");
    pin.textContent = "pin";
    pin.title = "keep " + li.dataset.code + " in " + li.dataset.term;
    pin.onclick = () => { list("pin").push(li.dataset.code + "@" + li.dataset.term); replan(); };
    bar.append(avoid, pin);
    li.appendChild(bar);
  });
  document.querySelectorAll("#plan .repair").forEach((div) => {
    const b = document.createElement("button");
    b.textContent = "apply";
    b.className = "apply no-print";
    b.onclick = async () => {
      try {
        const data = await post("/api/apply", {scenario: state.scenario, flags: div.dataset.flags});
        state.scenario = data.scenario;
        replan();
      } catch (e) { $("#error").textContent = e.message; }
    };
    div.prepend(b);
  });
}
function add(name, input, parse) {
  const raw = $(input).value.trim();
  if (!raw) return;
  const value = parse ? parse(raw) : raw;
  if (Array.isArray(state.scenario[name]) || ["completed", "require", "avoid", "pin",
      "waive"].includes(name)) list(name).push(value);
  else state.scenario[name] = value;
  $(input).value = "";
  replan();
}
$("#add-completed").onclick = () => add("completed", "#completed");
$("#add-require").onclick = () => add("require", "#require");
$("#add-avoid").onclick = () => add("avoid", "#avoid");
$("#set-deadline").onclick = () => add("graduate_by", "#deadline");
$("#set-units").onclick = () => {
  const raw = $("#units").value.trim();
  if (!raw) return;
  state.scenario.units = Object.assign(state.scenario.units || {}, {max: parseInt(raw, 10)});
  $("#units").value = "";
  replan();
};
$("#reset").onclick = () => { state.scenario = {}; replan(); };
replan();
"""

CONTROLS = """
<style>
.panel { border: 1px solid var(--line); border-radius: 8px; padding: .7rem .9rem;
  margin-bottom: 1rem; display: grid; gap: .5rem; }
.panel form, .row { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; }
.panel input { font: inherit; padding: .2rem .4rem; width: 9rem; }
button { font: inherit; cursor: pointer; border: 1px solid var(--line); border-radius: 5px;
  background: #fff; padding: .1rem .5rem; }
button:hover { border-color: var(--accent); color: var(--accent); }
.chip { background: var(--fill); }
.actions { display: block; margin-top: .2rem; }
.actions button { font-size: .8rem; padding: 0 .4rem; margin-right: .2rem; }
#error { color: var(--no); }
#busy { color: var(--muted); }
</style>
"""

BODY = """
<div class="panel no-print">
  <div class="row"><strong>What if</strong> <span id="busy"></span> <span id="error"></span></div>
  <div class="row">
    <input id="completed" placeholder="10-701@F25" aria-label="completed course">
    <button id="add-completed">completed</button>
    <input id="require" placeholder="10-703" aria-label="course to require">
    <button id="add-require">require</button>
    <input id="avoid" placeholder="10-725" aria-label="course to avoid">
    <button id="add-avoid">avoid</button>
    <input id="units" placeholder="36" aria-label="most units a term">
    <button id="set-units">max units</button>
    <input id="deadline" placeholder="F27" aria-label="graduate by">
    <button id="set-deadline">graduate by</button>
    <button id="reset">start over</button>
  </div>
  <div class="row">Now: <span id="whatifs"></span></div>
  <div class="row muted">Click <em>avoid</em> or <em>pin</em> on a planned course,
  <em>apply</em> on a repair, a what-if above to remove it.</div>
</div>
<div id="plan">planning&hellip;</div>
"""


def what_if_page() -> str:
    return page("planner: what if", BODY, extra_head=CONTROLS, script=SCRIPT)
