"""A protocol-level Streamlit client: one real session over the app's websocket.

It speaks the same protobuf messages as the browser (BackMsg up, ForwardMsg down), so a load
test can open dozens of genuine sessions without dozens of browsers. Widgets are found by the
user key embedded in their element id.
"""

from __future__ import annotations

import asyncio
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
    _socket: Any = None

    async def __aenter__(self) -> StreamlitSession:
        url = self.base_url.replace("http", "ws", 1).rstrip("/") + "/_stcore/stream"
        self._socket = await websockets.connect(
            url, subprotocols=["streamlit"], max_size=64 * 1024 * 1024
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._socket.close()

    async def run(self, changes: dict[str, WidgetState] | None = None) -> RunResult:
        """Rerun the script with ``changes`` applied to the current widget values."""
        for widget_id, state in (changes or {}).items():
            self.widget_values[widget_id] = state
        message = BackMsg(
            rerun_script=ClientState(
                query_string=self.query_string,
                widget_states=WidgetStates(widgets=list(self.widget_values.values())),
                page_script_hash=self.page_script_hash,
            )
        )
        started = time.perf_counter()
        await self._socket.send(message.SerializeToString())
        widgets: dict[str, Widget] = {}
        texts: list[str] = []
        exceptions: list[str] = []
        errors: list[str] = []
        while True:
            raw = await asyncio.wait_for(self._socket.recv(), self.timeout)
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "new_session":
                if not self.page_script_hash:
                    self.page_script_hash = forward.new_session.page_script_hash
            elif kind == "navigation":
                self.pages = {p.page_name: p.page_script_hash for p in forward.navigation.app_pages}
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                element_kind = element.WhichOneof("type")
                inner = getattr(element, element_kind)
                if element_kind == "exception":
                    exceptions.append(f"{inner.type}: {inner.message}")
                elif element_kind == "alert" and inner.format == 1:  # ERROR
                    errors.append(inner.body)
                elif element_kind in {"markdown", "text"}:
                    texts.append(inner.body)
                elif element_kind == "metric":
                    texts.append(f"{inner.label}={inner.body}")
                if getattr(inner, "id", "") and element_kind in _VALUE_FIELDS:
                    widgets[inner.id] = Widget(inner.id, element_kind, inner)
            elif (
                kind == "script_finished"
                and forward.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
            ):
                return RunResult(
                    seconds=time.perf_counter() - started,
                    status=forward.script_finished,
                    widgets=widgets,
                    texts=texts,
                    exceptions=exceptions,
                    errors=errors,
                )

    async def switch_page(self, page_name: str) -> RunResult:
        self.page_script_hash = self.pages[page_name]
        self.widget_values.clear()
        return await self.run()


def find_widget(result: RunResult, key: str) -> Widget:
    """The widget whose user key is ``key`` (Streamlit embeds it at the end of the id)."""
    for widget_id, widget in result.widgets.items():
        if widget_id.endswith(f"-{key}"):
            return widget
    raise KeyError(f"no widget with key {key!r}; keys seen: {sorted(result.widgets)}")


def number_state(widget: Widget, value: float) -> dict[str, WidgetState]:
    return {widget.id: WidgetState(id=widget.id, double_value=value)}
