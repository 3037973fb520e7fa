"""Moves faster than a browser can make them, over the websocket: nothing breaks or drifts.

Two sliders are moved within 0–50 ms of each other, again and again, on one real session: each
request reaches the server while the run for the last one is still going. Afterwards no run
has raised, both sliders show the last value sent, the saved working scenario holds exactly
those values, and the products nobody touched keep their prices.
"""

from __future__ import annotations

import random
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from load_harness import free_port, run_in_own_loop, start_server
from streamlit.proto.Common_pb2 import DoubleArray
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit_ws_client import StreamlitSession, Widget, find_widget

from alignment.storage import LocalFolderStore
from workshop_ui import library

DOUBLE_MOVES = 25


def slider_state(widget: Widget, value: float) -> dict[str, WidgetState]:
    return {widget.id: WidgetState(id=widget.id, double_array_value=DoubleArray(data=[value]))}


def shown(widget: Widget, sent: float) -> float:
    """What the browser would show: the server's value if it set one, else what was sent."""
    return widget.element.value[0] if widget.element.set_value else sent


def test_double_moves_0_to_50_ms_apart_never_crash_or_desynchronise(tmp_path: Path) -> None:
    status_quo = library.default_scenario()
    seen: dict[str, object] = {}

    async def hurried_person() -> None:
        async with StreamlitSession(f"http://127.0.0.1:{port}") as session:
            await session.run()
            page = await session.switch_page("Pricing")
            nova, pro = find_widget(page, "price_nova"), find_widget(page, "price_pro")
            pace = random.Random(7)
            runs, last = [], {}
            for move in range(DOUBLE_MOVES):
                last = {"nova": 460.0 + 10 * (move % 30), "pro": 1000.0 + 10 * ((move * 7) % 30)}
                runs += await session.burst(
                    [slider_state(nova, last["nova"]), slider_state(pro, last["pro"])],
                    [pace.uniform(0.0, 0.05), pace.uniform(0.0, 0.05)],
                )
            seen.update(runs=runs, last=last, query=session.query_string)

    port = free_port()
    server = start_server(tmp_path, port)
    try:
        run_in_own_loop(hurried_person())
    finally:
        server.terminate()
        server.wait(timeout=20)

    runs, last = seen["runs"], seen["last"]
    assert runs, "no run finished"
    problems = [p for run in runs for p in run.exceptions + run.errors]
    assert problems == []
    final = runs[-1]
    assert shown(find_widget(final, "price_nova"), last["nova"]) == last["nova"]
    assert shown(find_widget(final, "price_pro"), last["pro"]) == last["pro"]
    assert shown(find_widget(final, "price_standard"), -1.0) in (-1.0, 600.0)

    draft_id = urllib.parse.parse_qs(seen["query"])["session"][0]
    working, baseline = LocalFolderStore(tmp_path).load_draft(draft_id)
    assert working.product("nova").price == last["nova"]
    assert working.product("pro").price == last["pro"]
    assert working.product("standard").price == status_quo.product("standard").price
    assert baseline == status_quo
