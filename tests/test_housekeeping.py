"""The server's schedule: old autosaves go, recent ones stay, and a bad setting is only logged."""

from __future__ import annotations

import os
import time

from workshop_ui import housekeeping
from workshop_ui.library import default_scenario


def test_autosaves_untouched_past_the_retention_go_and_recent_ones_stay(tmp_path, monkeypatch):
    from alignment.storage import LocalFolderStore

    monkeypatch.setenv("ALIGNMENT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ALIGNMENT_DRAFT_RETENTION_DAYS", "30")
    store = LocalFolderStore(tmp_path)
    old, recent = "a" * 40, "b" * 40
    for draft in (old, recent):
        store.save_draft(draft, default_scenario(), default_scenario())
    month_ago = time.time() - 31 * 86400
    os.utime(tmp_path / "drafts" / f"{old}.json", (month_ago, month_ago))
    assert housekeeping.purge_old_drafts() == 1
    assert not store.has_draft(old)
    assert store.has_draft(recent)


def test_zero_days_keeps_every_autosave(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGNMENT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ALIGNMENT_DRAFT_RETENTION_DAYS", "0")
    assert housekeeping.purge_old_drafts() is None


def test_a_bad_retention_setting_is_logged_not_raised(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("ALIGNMENT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ALIGNMENT_DRAFT_RETENTION_DAYS", "soon")
    assert housekeeping.purge_old_drafts() is None
    assert "not cleaned up" in caplog.text
