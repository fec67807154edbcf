"""The base of every data model the planner reads or writes."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    """Base for every data model: unknown keys are errors and values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True)
