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
