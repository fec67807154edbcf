"""The base of every data model the planner reads or writes."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    """Base for every data model: unknown keys are errors and values never change.

    Validators are built on first use (``defer_build``), not when the class is defined: a
    command pays only for the models it touches. Splitting the rule kinds into a module
    each cost about 40 ms of start-up as eager builds; deferred, `planner plan` starts as
    fast as before the split (bench: alternating runs, docs/performance.md).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def json_schema(name: str) -> str:
    """The JSON Schema of one file format, as indented JSON: "scenario", "plan", "catalog",
    "program", or "curriculum" (either curriculum file)."""
    import json

    from pydantic import TypeAdapter

    from planner.catalog import Catalog, Program
    from planner.plan import Plan
    from planner.scenario import Scenario

    models: dict[str, type[BaseModel]] = {
        "scenario": Scenario,
        "plan": Plan,
        "catalog": Catalog,
        "program": Program,
    }
    if name == "curriculum":
        schema = TypeAdapter(Catalog | Program).json_schema()
        schema["title"] = "planner curriculum file (the catalog or a program)"
    else:
        schema = models[name].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"
