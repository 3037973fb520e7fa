"""A protocol-level Streamlit client: one real session over the app's websocket.

It speaks the same protobuf messages as the browser (BackMsg up, ForwardMsg down), so a load
test can open dozens of genuine sessions without dozens of browsers. Widgets are found by the
user key embedded in their element id.
"""

from __future__ import annotations

import asyncio
import http.client
import secrets
import ssl
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Common_pb2 import FileUploaderState, UploadedFileInfo
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
    "file_uploader": "file_uploader_state_value",
}


@dataclass
class Widget:
    id: str
    kind: str
    element: Any
    fragment_id: str = ""  # the fragment it is drawn in: a change reruns only that, as in a browser


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
    headers: dict[str, str] = field(default_factory=dict)  # sent with the websocket handshake
    session_id: str = ""  # the server's id for this session (uploads name it), after run()
    resume: str = ""  # a session id to reconnect to, as a browser does after a dropped link
    _socket: Any = None

    async def __aenter__(self) -> StreamlitSession:
        url = self.base_url.replace("http", "ws", 1).rstrip("/") + "/_stcore/stream"
        secure = {"ssl": self.tls} if url.startswith("wss://") else {}
        # The browser's subprotocols: "streamlit", its XSRF token, the session to resume.
        subprotocols = ["streamlit", "no-xsrf-token", self.resume] if self.resume else ["streamlit"]
        self._socket = await websockets.connect(
            url, subprotocols=subprotocols, max_size=64 * 1024 * 1024,  # type: ignore[arg-type]
            additional_headers=self.headers, **secure,
        )  # fmt: skip
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._socket.close()

    async def _request_rerun(self, changes: dict[str, WidgetState], fragment_id: str = "") -> None:
        """Send a rerun request with ``changes`` applied to the current widget values (of
        the fragment ``fragment_id`` only, if given, as a browser asks for a widget in one)."""
        for widget_id, state in changes.items():
            self.widget_values[widget_id] = state
        message = BackMsg(
            rerun_script=ClientState(
                query_string=self.query_string,
                widget_states=WidgetStates(widgets=list(self.widget_values.values())),
                page_script_hash=self.page_script_hash,
                fragment_id=fragment_id,
            )
        )
        await self._socket.send(message.SerializeToString())

    async def run(
        self, changes: dict[str, WidgetState] | None = None, fragment_id: str = ""
    ) -> RunResult:
        """Rerun the script (or the fragment ``fragment_id``) with ``changes`` applied to the
        current widget values."""
        started = time.perf_counter()
        await self._request_rerun(changes or {}, fragment_id)
        result = RunResult(0.0, 0, {}, [], [], [])
        while True:
            raw = await asyncio.wait_for(self._socket.recv(), self.timeout)
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "new_session":
                self.session_id = forward.new_session.initialize.session_id
                if not self.page_script_hash:
                    self.page_script_hash = forward.new_session.page_script_hash
            elif kind == "page_info_changed":  # the browser's address bar follows the app
                self.query_string = forward.page_info_changed.query_string
            elif kind == "navigation":
                self.pages = {p.page_name: p.page_script_hash for p in forward.navigation.app_pages}
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                _collect(result, forward.delta.new_element, forward.delta.fragment_id)
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


def _collect(result: RunResult, element: Any, fragment_id: str = "") -> None:
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
        result.widgets[inner.id] = Widget(inner.id, element_kind, inner, fragment_id)


def find_widget(result: RunResult, key: str) -> Widget:
    """The widget whose user key is ``key`` (Streamlit embeds it at the end of the id)."""
    for widget_id, widget in result.widgets.items():
        if widget_id.endswith(f"-{key}"):
            return widget
    raise KeyError(f"no widget with key {key!r}; keys seen: {sorted(result.widgets)}")


def number_state(widget: Widget, value: float) -> dict[str, WidgetState]:
    return {widget.id: WidgetState(id=widget.id, double_value=value)}


def uploader_state(widget: Widget, file_id: str, name: str, size: int) -> dict[str, WidgetState]:
    """The file uploader ``widget`` holding the uploaded file ``file_id``, as after a drop."""
    held = FileUploaderState(uploaded_file_info=[UploadedFileInfo(file_id=file_id, name=name,
                                                                  size=size)])  # fmt: skip
    return {widget.id: WidgetState(id=widget.id, file_uploader_state_value=held)}


def upload_file(
    base_url: str,
    session_id: str,
    data: bytes,
    *,
    name: str = "upload.csv",
    file_id: str | None = None,
    tls: ssl.SSLContext | None = None,
    headers: dict[str, str] | None = None,
    source_address: str | None = None,
) -> tuple[int, bytes]:
    """PUT ``data`` as a new file of session ``session_id``, as a browser's file uploader does.

    The browser sends a multipart form with one ``file`` field to
    ``/_stcore/upload_file/<session id>/<file id>`` (a new file id unless ``file_id`` names
    one; a widget then refers to the file by it), with the XSRF token both
    in the ``_streamlit_xsrf`` cookie and the ``X-Xsrftoken`` header (the server compares the
    two). ``source_address`` sends it from another local address (``127.0.0.2``), as another
    machine would. Returns the status and the body of the answer.
    """
    if any(character in name for character in '"\r\n'):
        raise ValueError(f"a file name without quotes or line breaks, not {name!r}")
    address = urlsplit(base_url)
    token = secrets.token_hex(16)
    boundary = secrets.token_hex(12)
    part = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    )
    body = part.encode() + data + f"\r\n--{boundary}--\r\n".encode()
    cookies = "; ".join(filter(None, [f"_streamlit_xsrf={token}", (headers or {}).get("Cookie")]))
    sent = {
        **(headers or {}),
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "X-Xsrftoken": token,
        "Cookie": cookies,
    }
    source = (source_address, 0) if source_address else None
    if address.scheme == "https":
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            address.hostname or "", address.port, context=tls, timeout=30,
            source_address=source,
        )  # fmt: skip
    else:
        connection = http.client.HTTPConnection(
            address.hostname or "", address.port, timeout=30, source_address=source
        )
    try:
        connection.request(
            "PUT", f"/_stcore/upload_file/{session_id}/{file_id or uuid.uuid4()}", body=body,
            headers=sent,
        )  # fmt: skip
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()
