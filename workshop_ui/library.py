"""The scenarios that ship with the app (``scenarios/*.yaml``), by their metadata name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from alignment import Scenario, ScenarioError, load_scenario

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
DEFAULT_SCENARIO = SCENARIO_DIR / "launch_conflict.yaml"


@dataclass(frozen=True)
class ShippedScenario:
    name: str
    path: Path
    scenario: Scenario


@st.cache_data(max_entries=4, ttl=300, show_spinner=False)
def shipped_scenarios() -> list[ShippedScenario]:
    """Every loadable file in ``scenarios/``, sorted by name; the default example first.

    A broken file is left out rather than breaking the app: the scenario tests catch it.
    """
    found = []
    for path in sorted(SCENARIO_DIR.glob("*.yaml")):
        try:
            scenario = load_scenario(path)
        except ScenarioError:
            continue
        found.append(ShippedScenario(scenario.metadata.name, path, scenario))
    found.sort(key=lambda item: (item.path != DEFAULT_SCENARIO, item.name.lower()))
    return found


def default_scenario() -> Scenario:
    """The article's case: the scenario a new session starts from."""
    return load_scenario(DEFAULT_SCENARIO)
