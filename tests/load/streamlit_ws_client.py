"""A protocol-level Streamlit client: one real session over the app's websocket.

It speaks the same protobuf messages as the browser (BackMsg up, ForwardMsg down), so a load
test can open dozens of genuine sessions without dozens of browsers. Widgets are found by the
user key embedded in their element id.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from dataclasses import dataclass, field
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates

# Element types whose proto carries the widget's current value, and the WidgetState field for it.
_VALUE_FIELDS = {
    "number_input": "double_value",
    "slider": "double_array_value",
    "checkbox": "bool_value",
    "text_input": "string_value",
    "text_area": "string_value",
    "selectbox": "int_value",
    "radio": "int_value",
    "toggle": "bool_value",
}


@dataclass
class Widget:
    id: str
    kind: str
    element: Any


@dataclass
class RunResult:
    seconds: float
    status: int
    widgets: dict[str, Widget]
    texts: list[str]
    exceptions: list[str]
    errors: list[str]


@dataclass
class StreamlitSession:
    """One session: ``async with StreamlitSession(url) as s: await s.run()``."""

    base_url: str
    query_string: str = ""
    page_script_hash: str = ""
    timeout: float = 60.0
    widget_values: dict[str, WidgetState] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)  # page name → script hash
    tls: ssl.SSLContext | None = None  # for an https:// address (the hosted proxy)
    _socket: Any = None

    async def __aenter__(self) -> StreamlitSession:
        url = self.base_url.replace("http", "ws", 1).rstrip("/") + "/_stcore/stream"
        secure = {"ssl": self.tls} if url.startswith("wss://") else {}
        self._socket = await websockets.connect(
            url, subprotocols=["streamlit"], max_size=64 * 1024 * 1024, **secure
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._socket.close()

    async def _request_rerun(self, changes: dict[str, WidgetState]) -> None:
        """Send a rerun request with ``changes`` applied to the current widget values."""
        for widget_id, state in changes.items():
            self.widget_values[widget_id] = state
        message = BackMsg(
            rerun_script=ClientState(
                query_string=self.query_string,
                widget_states=WidgetStates(widgets=list(self.widget_values.values())),
                page_script_hash=self.page_script_hash,
            )
        )
        await self._socket.send(message.SerializeToString())

    async def run(self, changes: dict[str, WidgetState] | None = None) -> RunResult:
        """Rerun the script with ``changes`` applied to the current widget values."""
        started = time.perf_counter()
        await self._request_rerun(changes or {})
        result = RunResult(0.0, 0, {}, [], [], [])
        while True:
            raw = await asyncio.wait_for(self._socket.recv(), self.timeout)
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "new_session":
                if not self.page_script_hash:
                    self.page_script_hash = forward.new_session.page_script_hash
            elif kind == "page_info_changed":  # the browser's address bar follows the app
                self.query_string = forward.page_info_changed.query_string
            elif kind == "navigation":
                self.pages = {p.page_name: p.page_script_hash for p in forward.navigation.app_pages}
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                _collect(result, forward.delta.new_element)
            elif kind == "script_finished":
                if forward.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    result = RunResult(0.0, 0, {}, [], [], [])
                    continue
                result.seconds = time.perf_counter() - started
                result.status = forward.script_finished
                return result

    async def burst(
        self, changes: list[dict[str, WidgetState]], gap_seconds: list[float], quiet: float = 1.5
    ) -> list[RunResult]:
        """Send each change as its own rerun request, ``gap_seconds`` apart, without waiting.

        This is a hurried person (or a flaky network delivering queued messages at once):
        requests arrive while earlier runs are still going. Returns every run that finished
        (runs cut short for a newer request are not returned), once the server has sent
        nothing for ``quiet`` seconds after a finished run.
        """
        messages: list[tuple[str, Any]] = []
        reader = asyncio.create_task(self._read_until_quiet(messages, quiet))
        for index, change in enumerate(changes):
            await self._request_rerun(change)
            if index < len(gap_seconds) and gap_seconds[index] > 0:
                await asyncio.sleep(gap_seconds[index])
        await reader
        runs: list[RunResult] = []
        current = RunResult(0.0, 0, {}, [], [], [])
        for kind, payload in messages:
            if kind == "element":
                _collect(current, payload)
            elif kind == "finished":
                if payload != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    current.status = payload
                    runs.append(current)
                current = RunResult(0.0, 0, {}, [], [], [])
        return runs

    async def _read_until_quiet(self, messages: list[tuple[str, Any]], quiet: float) -> None:
        deadline = time.monotonic() + self.timeout
        finished = False
        while time.monotonic() < deadline:
            try:
                raw = await asyncio.wait_for(self._socket.recv(), quiet if finished else 5.0)
            except TimeoutError:
                if finished:
                    return
                continue
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "page_info_changed":
                self.query_string = forward.page_info_changed.query_string
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                messages.append(("element", forward.delta.new_element))
            elif kind == "script_finished":
                messages.append(("finished", forward.script_finished))
                finished = forward.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
        raise TimeoutError(f"the server did not settle within {self.timeout:.0f} s")

    async def switch_page(self, page_name: str) -> RunResult:
        self.page_script_hash = self.pages[page_name]
        self.widget_values.clear()
        return await self.run()


def _collect(result: RunResult, element: Any) -> None:
    element_kind = element.WhichOneof("type")
    inner = getattr(element, element_kind)
    if element_kind == "exception":
        result.exceptions.append(f"{inner.type}: {inner.message}")
    elif element_kind == "alert" and inner.format == 1:  # ERROR
        result.errors.append(inner.body)
    elif element_kind in {"markdown", "text"}:
        result.texts.append(inner.body)
    elif element_kind == "metric":
        result.texts.append(f"{inner.label}={inner.body}")
    elif element_kind in {"selectbox", "multiselect", "radio"}:
        result.texts.extend(inner.options)
    if getattr(inner, "id", "") and element_kind in _VALUE_FIELDS:
        result.widgets[inner.id] = Widget(inner.id, element_kind, inner)


def find_widget(result: RunResult, key: str) -> Widget:
    """The widget whose user key is ``key`` (Streamlit embeds it at the end of the id)."""
    for widget_id, widget in result.widgets.items():
        if widget_id.endswith(f"-{key}"):
            return widget
    raise KeyError(f"no widget with key {key!r}; keys seen: {sorted(result.widgets)}")


def number_state(widget: Widget, value: float) -> dict[str, WidgetState]:
    return {widget.id: WidgetState(id=widget.id, double_value=value)}
