"""The alignment model: pricing, commission and rep motivation for a sales–marketing workshop.

Pure Python over numpy; no user-interface code. Start with :func:`load_scenario` and
:func:`evaluate`.
"""

from alignment.evaluate import Outcomes, Plans, apply_plan, evaluate
from alignment.scenario import SCHEMA_VERSION, Scenario
from alignment.scenario_io import ScenarioError, dump_scenario, load_scenario

__all__ = [
    "SCHEMA_VERSION",
    "Outcomes",
    "Plans",
    "Scenario",
    "ScenarioError",
    "apply_plan",
    "dump_scenario",
    "evaluate",
    "load_scenario",
]
