"""Shared fixtures: the shipped scenarios, and the default one as editable data."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from alignment import Scenario, kernel_cache, load_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIO_DIR = ROOT / "scenarios"
DEFAULT_SCENARIO = SCENARIO_DIR / "launch_conflict.yaml"


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile the model's solvers once, before any worker starts: every test process and app
    server then loads them from the cache instead of compiling at once on a busy machine."""
    if not hasattr(session.config, "workerinput"):
        kernel_cache.warm()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that start a server (browser and load tests) run in one worker, one after
    another: each starts the app and times a real browser or websocket against it. The other
    tests spread over the remaining workers (``-n auto``)."""
    for item in items:
        if item.nodeid.startswith(("tests/browser/", "tests/load/")):
            item.add_marker(pytest.mark.xdist_group("servers"))


@pytest.fixture(autouse=True)
def _own_workshop_folder(tmp_path_factory, monkeypatch):
    """Nothing a test saves or autosaves lands in the project's own workshop_data folder."""
    monkeypatch.setenv("ALIGNMENT_DATA_DIR", str(tmp_path_factory.mktemp("workshop_data")))


@pytest.fixture(scope="session")
def launch() -> Scenario:
    """The default scenario: Nova priced for share while reps are paid on margin."""
    return load_scenario(DEFAULT_SCENARIO)


@pytest.fixture
def launch_data() -> dict[str, Any]:
    """The default scenario as plain data, a fresh copy per test to edit freely."""
    return copy.deepcopy(yaml.safe_load(DEFAULT_SCENARIO.read_text(encoding="utf-8")))


@pytest.fixture
def build() -> Callable[[dict[str, Any]], Scenario]:
    """Validate edited scenario data into a Scenario."""
    return Scenario.model_validate
