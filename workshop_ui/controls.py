"""Widgets bound to the working scenario.

The working scenario is the single source of truth. A control shows the scenario's value: on
every run, just before the widget is drawn, its key is set to the value read from the scenario
if the two differ (after a load, a reset, or a change made on another page). On change, the
widget's callback writes the new value back through :func:`workshop_ui.state.set_working`.

Nothing ever deletes another widget's key. Streamlit runs the callbacks of every widget that
changed since the last run one after another, before the script; when a hurried person moves
two sliders within one round trip, the second callback must still find its value, and a
widget nobody touched must keep the value it shows.

Two widgets may show one field (:func:`slider_with_entry`): moving one sends the new value to
the other, and until the browser has drawn it, its messages still carry the other's old value,
which Streamlit reports as a change. Such a stale echo, arriving with the person's real change
to another widget, is recognised and ignored (:class:`_Echoes`), so it never undoes the move.

A value the scenario refuses, or a typed number outside the control's range, shows an error
that names the field, the allowed range and why, and leaves the scenario as it was.

Most controls name one field by its path (see :mod:`alignment.levers`); ``scale`` shows a
fraction as a percentage (``scale=100``). :func:`toggle` takes a read and a write function for
levers that are not one number, such as "no cap".

Keys are the handles tests and the browser use (``.st-key-<key>``): keep them descriptive and
stable, e.g. ``price_nova``, ``kicker_nova``, ``margin_rate``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import streamlit as st

from alignment import Scenario, ScenarioError
from alignment.levers import value_at, with_value
from workshop_ui import layout, state

Read = Callable[[Scenario], Any]
Write = Callable[[Scenario, Any], Scenario]
LabelVisibility = Literal["visible", "hidden", "collapsed"]

_ECHOES = "bound_widget_echoes"
_STALE_KEPT = 8  # values a widget may still report; older ones the browser has long replaced


@dataclass(frozen=True)
class Range:
    """The values a number control accepts, as shown, and why (for the error message)."""

    low: float
    high: float
    format: str
    why: str

    def refusal(self, label: str, shown: float) -> str | None:
        """Why ``shown`` is refused, naming the allowed range; None when it is inside."""
        if not math.isfinite(shown):
            return f"{label}: enter a number between {self._text(self.low)} and " \
                f"{self._text(self.high)}."  # fmt: skip
        if self.low <= shown <= self.high:
            return None
        return (
            f"{label}: {self._text(shown)} is outside the allowed range "
            f"{self._text(self.low)} to {self._text(self.high)} ({self.why}). Enter a value "
            "in that range."
        )

    def _text(self, value: float) -> str:
        try:
            return self.format % value
        except (TypeError, ValueError):
            return f"{value:g}"


def number(
    key: str, path: str, label: str, *, min_value: float, max_value: float, step: float,
    format: str = "%.0f", scale: float = 1.0, help: str | None = None, disabled: bool = False,
    why: str = "the range this control allows", label_visibility: LabelVisibility = "visible",
) -> None:  # fmt: skip
    """A number input for the field at ``path``; the bounds widen to hold the current value.

    The input itself takes any number, so a typed value outside ``[min_value, max_value]`` is
    not silently held back by the browser: it is refused with a message that gives the range
    and ``why`` it is the range. A hidden label still names the field to a screen reader and
    in that message.
    """
    _number_input(
        key, path, label, min_value=min_value, max_value=max_value, step=step, format=format,
        scale=scale, help=help, disabled=disabled, why=why, label_visibility=label_visibility,
    )  # fmt: skip
    _show_error(key)


def _number_input(
    key: str, path: str, label: str, *, min_value: float, max_value: float, step: float,
    format: str, scale: float, help: str | None, disabled: bool, why: str,
    label_visibility: LabelVisibility,
) -> None:  # fmt: skip
    read, write = _field(path, scale)
    value = float(_prepare(key, read))
    allowed = Range(min(float(min_value), value), max(float(max_value), value), format, why)
    st.number_input(
        label, key=key, step=float(step), format=format, help=help, disabled=disabled,
        label_visibility=label_visibility,
        on_change=_write, args=(key, read, write, allowed, layout.plain(label)),
    )  # fmt: skip


def slider(
    key: str, path: str, label: str, *, min_value: float, max_value: float, step: float,
    format: str = "%.0f", scale: float = 1.0, help: str | None = None, disabled: bool = False,
) -> None:  # fmt: skip
    """A slider for the field at ``path``; the bounds widen to hold the current value."""
    read, write = _field(path, scale)
    value = float(_prepare(key, read))
    st.slider(
        label, key=key, min_value=min(float(min_value), value), step=float(step),
        max_value=max(float(max_value), value), format=format, help=help, disabled=disabled,
        on_change=_write, args=(key, read, write),
    )  # fmt: skip
    _show_error(key)


def slider_with_entry(
    key: str, path: str, label: str, entry_label: str, *, min_value: float, max_value: float,
    step: float, format: str = "%.0f", entry_format: str = "%.0f", scale: float = 1.0,
    help: str | None = None, why: str = "the slider's range",
) -> None:  # fmt: skip
    """A slider for the field at ``path`` with a number input beside it (under it on a phone,
    where columns stack), for a value the slider's steps cannot reach or a thumb cannot hit.

    Both are bound to the same field, so each shows what the other set. The slider keeps
    ``key``; the input is ``<key>_entry``. Its ``entry_label``, plain text with its unit (e.g.
    "Nova price (€)"), is hidden beside the slider's own label but read by screen readers, and
    names the field in the error that refuses a typed value outside the slider's range.
    """
    slide, entry = st.columns([5, 2], gap="small", vertical_alignment="bottom")
    with slide:
        slider(
            key, path, label, min_value=min_value, max_value=max_value, step=step,
            format=format, scale=scale, help=help,
        )  # fmt: skip
    with entry:
        # Nobody sees a hidden label, so it carries no Markdown escapes: the screen reader and
        # the error message read it exactly as written.
        _number_input(
            f"{key}_entry", path, layout.plain(entry_label), min_value=min_value,
            max_value=max_value, step=step, format=entry_format, scale=scale, help=None,
            disabled=False, why=why, label_visibility="collapsed",
        )  # fmt: skip
    _show_error(f"{key}_entry")  # under both, not squeezed into the input's narrow column


def choice(
    key: str, path: str, label: str, options: Sequence[Any],
    format_func: Callable[[Any], str] = str, help: str | None = None,
) -> None:  # fmt: skip
    """One of ``options`` for the field at ``path``, as a row of buttons."""
    read, write = _field(path, 1.0)
    _prepare(key, read)
    st.segmented_control(
        label, options, key=key, format_func=format_func, help=help,
        selection_mode="single", on_change=_write, args=(key, read, write),
    )  # fmt: skip
    _show_error(key)


def toggle(key: str, label: str, read: Read, write: Write, help: str | None = None) -> bool:
    """An on/off switch: ``read(scenario) -> bool``, ``write(scenario, bool) -> Scenario``."""
    _prepare(key, read)
    on = st.toggle(label, key=key, help=help, on_change=_write, args=(key, read, write))
    _show_error(key)
    return on


def text_area(
    key: str, path: str, label: str, *, max_chars: int = 5000, height: int = 100,
    placeholder: str | None = None, help: str | None = None,
) -> None:  # fmt: skip
    """A text area for the text field at ``path``: it writes when the person leaves it, and a
    refused text (a hidden control character, say) names the field and why."""
    read, write = _field(path, 1.0)
    _prepare(key, read)
    st.text_area(
        label, key=key, max_chars=max_chars, height=height, placeholder=placeholder, help=help,
        on_change=_write, args=(key, read, write),
    )  # fmt: skip
    _show_error(key)


def _field(path: str, scale: float) -> tuple[Read, Write]:
    def read(scenario: Scenario) -> Any:
        value = value_at(scenario, path)
        # Rounding hides float noise such as 8.000000000000002 % for a rate of 0.08.
        return round(float(value) * scale, 9) if scale != 1.0 else value

    def write(scenario: Scenario, shown: Any) -> Scenario:
        return with_value(scenario, path, shown / scale if scale != 1.0 else shown)

    return read, write


def _prepare(key: str, read: Read) -> Any:
    """Show the working scenario's value in widget ``key``, drawn next in this run.

    Setting a widget's key before the widget is drawn is how Streamlit lets a script change
    what a widget shows; it is done only when the two differ, so a widget the person is moving
    is not sent a value it already has.
    """
    value = read(state.working())
    echoes = _echoes()
    if key not in echoes.fired:  # the browser reported what the widget was last sent
        echoes.stale.pop(key, None)
    echoes.fired.discard(key)
    echoes.show(key, value)
    return value


@dataclass
class _Echoes:
    """What the browser may still report for each bound widget after the page sent it a value.

    When a field changes through one widget, the page sends the new value to every other widget
    bound to it (a slider and the number input beside it). Until the browser has drawn it,
    every message it sends still carries the old value of those widgets, and Streamlit runs
    their callbacks as if the person had set them back: a stale echo that would undo the move.
    A callback whose value is one the page put in the widget or sent over since the browser
    last caught up (``stale``, ``sent``), arriving with another widget's change (a value other
    than the one it was ``sent``), is such an echo, or the browser catching up, and is ignored.
    ``fired`` holds the widgets whose callbacks ran since they were last drawn: one that did
    not fire has reported the value it was sent, so nothing stale remains for it.
    """

    stale: dict[str, list[Any]] = field(default_factory=dict)
    sent: dict[str, Any] = field(default_factory=dict)
    fired: set[str] = field(default_factory=set)

    def show(self, key: str, value: Any) -> None:
        """Send ``value`` to widget ``key`` (its own key, set before it is drawn) unless it has
        it; until the browser draws it, the widget may still report what it had or was sent."""
        if key in st.session_state and st.session_state[key] != value:
            stale = self.stale.setdefault(key, [])
            for old in (st.session_state[key], *([self.sent[key]] if key in self.sent else [])):
                if old not in stale:
                    stale.append(old)
            del stale[:-_STALE_KEPT]
            st.session_state[key] = value
        elif key not in st.session_state:
            st.session_state[key] = value
        self.sent[key] = value

    def is_echo(self, key: str, shown: Any) -> bool:
        if key not in self.stale or (shown not in self.stale[key] and shown != self.sent.get(key)):
            return False
        return any(
            other != key and other in st.session_state and st.session_state[other] != value
            for other, value in self.sent.items()
        )


def _echoes() -> _Echoes:
    return st.session_state.setdefault(_ECHOES, _Echoes())


def _write(
    key: str, read: Read, write: Write, allowed: Range | None = None, label: str = ""
) -> None:
    scenario = state.working()
    shown = st.session_state.get(key)
    echoes = _echoes()
    echoes.fired.add(key)
    if echoes.is_echo(key, shown):
        echoes.show(key, read(scenario))
        return
    echoes.stale.pop(key, None)
    if shown is None:  # an emptied input or a button clicked off: keep the field as it is
        st.session_state[key] = read(scenario)
        return
    refusal = allowed.refusal(label, float(shown)) if allowed is not None else None
    if refusal is not None:
        state.record_problems(key, [refusal])
        st.session_state[key] = read(scenario)
        return
    try:
        changed = write(scenario, shown)
    except ScenarioError as error:
        state.record_problems(key, error.problems)
        st.session_state[key] = read(scenario)
        return
    state.set_working(changed)


def _show_error(key: str) -> None:
    problems = state.problems(key)
    if problems:
        layout.show_problems("That value was not applied; the scenario is unchanged.", problems)
