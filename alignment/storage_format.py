"""What the store's files hold: the stored values, their errors, and the checks on reading.

An item's file is a YAML mapping ``{revision, saved_at, scenario}``; a draft's is JSON
``{saved_at, scenario, baseline}``. Both are read back through the same gate as an uploaded
file (:mod:`alignment.scenario_io`), and anything that does not pass is an
:class:`UnreadableError` naming the file and the fix.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from alignment.scenario import Scenario
from alignment.scenario_io import (
    MAX_FILE_BYTES,
    MAX_NODES,
    ScenarioError,
    dump_data,
    parse_yaml,
    scenario_from_data,
)

# A stored file holds up to two scenarios plus a small header.
MAX_STORED_BYTES = 2 * MAX_FILE_BYTES + 4096
MAX_STORED_NODES = 2 * MAX_NODES + 100


class StorageError(Exception):
    """Saving or loading failed; the message says what went wrong and what to do."""


class ConflictError(StorageError):
    """Someone saved this item since you read it."""


class NotFoundError(StorageError):
    """No item with this key (it was never saved, or it has been deleted)."""


class UnreadableError(StorageError):
    """A saved file is there but cannot be read, parsed or validated.

    ``file`` is its path inside the data folder, ``reason`` what is wrong, ``fix`` what to do.
    """

    def __init__(self, file: str, reason: str, fix: str, *, what: str = "the saved file") -> None:
        super().__init__(f"{what} {file} cannot be read: {reason}; {fix}")
        self.file, self.reason, self.fix = file, reason, fix


class DraftUnreadableError(UnreadableError):
    """A session's autosave exists but cannot be read; the file is left as it was."""

    def __init__(self, file: str, reason: str) -> None:
        fix = f"the file is kept, untouched, as {file} in the data folder"
        super().__init__(file, reason, fix, what="the autosaved draft")


@dataclass(frozen=True)
class StoredScenario:
    """A saved scenario with the bookkeeping the store needs to detect conflicting saves."""

    key: str
    scenario: Scenario
    revision: int
    saved_at: datetime


@dataclass(frozen=True)
class UnreadableItem:
    """A file in a kind's folder that cannot be read: which, why, and what to do about it.

    ``key`` is None for a file whose name is not one the store gives an item.
    """

    key: str | None
    file: str  # relative to the data folder: ``proposals/20261126-142501-3f9a2c.yaml``
    reason: str
    fix: str


@dataclass(frozen=True)
class Listing:
    """Everything in a kind's folder: the readable items newest first, and the unreadable."""

    items: tuple[StoredScenario, ...] = ()
    unreadable: tuple[UnreadableItem, ...] = ()


def item_bytes(stored: StoredScenario, data: dict[str, Any]) -> bytes:
    """An item's file: its revision, when it was saved, and the scenario as plain data."""
    document = {
        "revision": stored.revision,
        "saved_at": stored.saved_at.isoformat(),
        "scenario": data,
    }
    return dump_data(document).encode("utf-8")


def item_from_bytes(key: str, raw: bytes, file: str) -> StoredScenario:
    """The item in a file's bytes, or UnreadableError saying what is damaged."""
    try:
        data = parse_yaml(raw, file, max_bytes=MAX_STORED_BYTES, max_nodes=MAX_STORED_NODES)
    except ScenarioError as error:
        raise damaged(file, "; ".join(error.problems)) from None
    return _stored_from_data(key, data, file)


def draft_bytes(scenario: Scenario, baseline: Scenario) -> bytes:
    """A draft's file, JSON straight from the validated models (about a millisecond)."""
    saved_at = json.dumps(datetime.now(UTC).isoformat())
    return (
        f'{{"saved_at": {saved_at}, "scenario": {scenario.model_dump_json()}, '
        f'"baseline": {baseline.model_dump_json()}}}'
    ).encode()


def checked_scenario_data(scenario: Scenario) -> tuple[dict[str, Any], Scenario]:
    """The scenario as plain data and as it will read back, refused now if it could not.

    The check is the round trip itself: the YAML that will be written goes through the same
    gate as an uploaded file.
    """
    data = scenario.model_dump(mode="json")
    try:
        read_back = scenario_from_data(
            parse_yaml(dump_data(data).encode("utf-8"), "scenario to save")
        )
    except ScenarioError as error:
        raise StorageError(
            f"the scenario cannot be saved: {'; '.join(error.problems)[:300]}; "
            "fix it and save again"
        ) from None
    return data, read_back


def _stored_from_data(key: str, data: dict[str, Any], file: str) -> StoredScenario:
    if set(data) != {"revision", "saved_at", "scenario"}:
        raise damaged(file, "expected revision, saved_at and scenario at the top")
    revision = data["revision"]
    if type(revision) is not int or revision < 1:
        raise damaged(file, "revision must be a whole number from 1")
    try:
        saved_at = datetime.fromisoformat(data["saved_at"])
    except (TypeError, ValueError):
        raise damaged(file, "saved_at is not an ISO date and time") from None
    if saved_at.tzinfo is None:
        raise damaged(file, "saved_at has no time zone")
    try:
        scenario = scenario_from_data(data["scenario"], file)
    except ScenarioError as error:
        raise damaged(file, "; ".join(error.problems)) from None
    return StoredScenario(key, scenario, revision, saved_at.astimezone(UTC))


def draft_from_bytes(raw: bytes, file: str) -> tuple[Scenario, Scenario]:
    """``(working, baseline)`` from a draft's bytes, or DraftUnreadableError saying why not."""
    if len(raw) > MAX_STORED_BYTES:
        raise DraftUnreadableError(file, f"it is larger than {MAX_STORED_BYTES:,} bytes")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise DraftUnreadableError(file, "it is not complete, valid JSON") from None
    if not isinstance(data, dict) or set(data) != {"saved_at", "scenario", "baseline"}:
        raise DraftUnreadableError(file, "expected saved_at, scenario and baseline at the top")
    try:
        return (
            scenario_from_data(data["scenario"], "draft"),
            scenario_from_data(data["baseline"], "draft baseline"),
        )
    except ScenarioError as error:
        raise DraftUnreadableError(file, "; ".join(error.problems)[:300]) from None


def damaged(file: str, problem: str) -> UnreadableError:
    return UnreadableError(
        file, f"it is damaged ({problem[:300]})",
        f"restore it from a backup or delete the file {file} in the data folder",
    )  # fmt: skip
