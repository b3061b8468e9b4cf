"""Cordon's deployment planner: scenario in, plan out, on OR-Tools CP-SAT. No Django here.

Public API:
- `load_scenario(source) -> Scenario`: validate and load a `cordon.scenario/1` (dict, JSON text
  or path); raises `ScenarioError` whose `.problems` are `(json_path, message)` tuples.
- `solve(scenario, *, time_limit=60, workers=2, log=None) -> dict`: a `cordon.plan/1` dict.
- `check(scenario: dict, plan: dict) -> CheckReport`: the independent validator (validate.py).
"""

from .errors import ScenarioError
from .model import Scenario
from .scenario import load_scenario
from .solve import solve

__all__ = ["Scenario", "ScenarioError", "check", "load_scenario", "solve"]


def __getattr__(name: str):
    # The validator shares no code with the solver; import it only when it is asked for.
    if name == "check":
        from .validate import check

        return check
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
