"""The one place OR-Tools' CP-SAT is imported, so that the CLI can import it lean.

``cp_model`` imports pandas (about 0.18 s, nearly half of its own import) only for its
Series helpers, which the planner never calls; it reads ``pd.Index`` and ``pd.Series``
once, at import time. When the console script asks for a lean start (`lean_start`), a
stand-in module stands in for pandas *only while cp_model is imported*, then is taken out
of ``sys.modules`` again: cp_model keeps its reference, and every other ``import pandas``
in the process gets the real one (``importlib.util.find_spec`` and ``hasattr`` work as
usual). Library users never get the stand-in; ``PLANNER_PANDAS=1`` turns it off.
"""

from __future__ import annotations

import importlib.machinery
import os
import sys
import types
from typing import TYPE_CHECKING, Any

_lean = False


def lean_start() -> None:
    """Import CP-SAT without pandas from now on (the console script calls this first)."""
    global _lean
    _lean = os.environ.get("PLANNER_PANDAS") != "1"


class _PandasStandIn(types.ModuleType):
    """What cp_model's ``pd`` is after a lean start: its two names, read at import time,
    are placeholder classes; any other name raises AttributeError saying why."""

    class Index:  # placeholders: no pandas object ever reaches cp_model here
        pass

    class Series:
        pass

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(
            f"pandas.{name}: the planner CLI imported OR-Tools without pandas;"
            " set PLANNER_PANDAS=1 to use its pandas helpers"
        )


def _import_cp_model() -> types.ModuleType:
    if not _lean or "pandas" in sys.modules or "ortools.sat.python.cp_model" in sys.modules:
        from ortools.sat.python import cp_model as module

        return module
    stand_in = _PandasStandIn("pandas")
    stand_in.__spec__ = importlib.machinery.ModuleSpec("pandas", None)
    sys.modules["pandas"] = stand_in
    try:
        from ortools.sat.python import cp_model as module
    finally:
        if sys.modules.get("pandas") is stand_in:
            del sys.modules["pandas"]
    return module


if TYPE_CHECKING:
    from ortools.sat.python import cp_model as cp_model
else:

    def __getattr__(name: str) -> Any:
        """``cp_model`` is imported on first use, so that importing this module (for
        `lean_start`) loads nothing."""
        if name == "cp_model":
            module = _import_cp_model()
            globals()["cp_model"] = module
            return module
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
