"""One real app process: a session keeps only its newest uploads however many it sends, and a
session whose browser has gone is closed once the grace period is over."""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from load_harness import free_port, run_in_own_loop, start_server
from streamlit_ws_client import StreamlitSession, find_widget, upload_file, uploader_state

from alignment import dump_scenario
from alignment.levers import with_values
from workshop_ui import session_reaper, upload_quota
from workshop_ui.library import default_scenario

GRACE_SECONDS = 2
# The reaper looks every EVERY_SECONDS: a session is closed between the grace period and one
# look later; a few seconds more for a busy machine.
CLOSED_AFTER_SECONDS = GRACE_SECONDS + 2 * session_reaper.EVERY_SECONDS + 3
UPLOADER = "scenario_upload"  # on Overview, the first page


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(session_reaper.GRACE_ENV, str(GRACE_SECONDS))
        server = start_server(
            tmp_path_factory.mktemp("bounded") / "workshop_data", port := free_port()
        )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_flood_of_uploads_leaves_the_session_only_its_newest_files(app):
    sent = upload_quota.MAX_FILES + 2
    files = [
        (str(uuid.uuid4()), dump_scenario(
            with_values(default_scenario(), {"metadata.description": f"Flood file {n}"})
        ).encode())
        for n in range(sent)
    ]  # fmt: skip

    async def flood() -> tuple[list[int], list[str], list[str]]:
        async with StreamlitSession(app) as session:
            uploader = find_widget(await session.run(), UPLOADER)
            statuses = [
                (await asyncio.to_thread(upload_file, app, session.session_id, data,
                                         name=f"flood-{file_id}.yaml", file_id=file_id))[0]
                for file_id, data in files
            ]  # fmt: skip
            first, last = files[0], files[-1]
            oldest = await session.run(uploader_state(uploader, first[0], "a.yaml", len(first[1])))
            newest = await session.run(uploader_state(uploader, last[0], "b.yaml", len(last[1])))
            return statuses, oldest.texts, newest.texts

    statuses, after_oldest, after_newest = run_in_own_loop(flood())
    assert statuses == [204] * sent  # every upload was taken in
    shown = " ".join(after_oldest)
    assert "Flood file" not in shown  # the oldest file was dropped: nothing to load
    assert f"Flood file {sent - 1}" in " ".join(after_newest)  # the newest is there, and loads


def test_a_session_whose_browser_has_gone_is_kept_for_the_grace_period_then_closed(app):
    async def resumed(session_id: str) -> bool:
        async with StreamlitSession(app, resume=session_id) as session:
            await session.run()
            return session.session_id == session_id

    async def leave_and_return() -> tuple[bool, bool]:
        async with StreamlitSession(app) as session:
            await session.run()
            first = session.session_id
        at_once = await resumed(first)  # a dropped connection, back within the grace period
        await asyncio.sleep(CLOSED_AFTER_SECONDS)
        return at_once, await resumed(first)

    at_once, much_later = run_in_own_loop(leave_and_return())
    assert at_once
    assert not much_later  # closed: the browser starts a new session
