"""Widgets bound to the working scenario.

A control reads its value from the working scenario and, on change, writes the new value back
through :func:`workshop_ui.state.set_working`. A value the scenario refuses shows an error that
names the field, and leaves the scenario as it was.

Most controls name one field by its path (see :mod:`alignment.levers`); ``scale`` shows a
fraction as a percentage (``scale=100``). :func:`toggle` takes a read and a write function for
levers that are not one number, such as "no cap".

Keys are the handles tests and the browser use (``.st-key-<key>``): keep them descriptive and
stable, e.g. ``price_nova``, ``kicker_nova``, ``margin_rate``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from alignment import Scenario, ScenarioError
from alignment.levers import value_at, with_value
from workshop_ui import layout, state

Read = Callable[[Scenario], Any]
Write = Callable[[Scenario, Any], Scenario]


def number(
    key: str, path: str, label: str, *, min_value: float, max_value: float, step: float,
    format: str = "%.0f", scale: float = 1.0, help: str | None = None, disabled: bool = False,
) -> None:  # fmt: skip
    """A number input for the field at ``path``; the bounds widen to hold the current value."""
    _numeric(st.number_input, key, path, label, min_value, max_value, step, format, scale, help,
             disabled)  # fmt: skip


def slider(
    key: str, path: str, label: str, *, min_value: float, max_value: float, step: float,
    format: str = "%.0f", scale: float = 1.0, help: str | None = None, disabled: bool = False,
) -> None:  # fmt: skip
    """A slider for the field at ``path``; the bounds widen to hold the current value."""
    _numeric(st.slider, key, path, label, min_value, max_value, step, format, scale, help,
             disabled)  # fmt: skip


def _numeric(
    widget: Callable[..., Any], key: str, path: str, label: str, min_value: float,
    max_value: float, step: float, format: str, scale: float, help: str | None, disabled: bool,
) -> None:  # fmt: skip
    read, write = _field(path, scale)
    value = float(_prepare(key, read))
    widget(
        label, key=key, min_value=min(float(min_value), value), step=float(step),
        max_value=max(float(max_value), value), format=format, help=help, disabled=disabled,
        on_change=_write, args=(key, read, write),
    )  # fmt: skip
    _show_error(key)


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


def _field(path: str, scale: float) -> tuple[Read, Write]:
    def read(scenario: Scenario) -> Any:
        value = value_at(scenario, path)
        # Rounding hides float noise such as 8.000000000000002 % for a rate of 0.08.
        return round(float(value) * scale, 9) if scale != 1.0 else value

    def write(scenario: Scenario, shown: Any) -> Scenario:
        return with_value(scenario, path, shown / scale if scale != 1.0 else shown)

    return read, write


def _prepare(key: str, read: Read) -> Any:
    """Initialise the widget from the working scenario unless it already holds a value."""
    if key not in st.session_state:
        st.session_state[key] = read(state.working())
    state.bind_widget(key)
    return st.session_state[key]


def _write(key: str, read: Read, write: Write) -> None:
    scenario = state.working()
    shown = st.session_state[key]
    if shown is None:  # an emptied input or a button clicked off: keep the field as it is
        st.session_state[key] = read(scenario)
        return
    try:
        changed = write(scenario, shown)
    except ScenarioError as error:
        state.record_problems(key, error.problems)
        st.session_state[key] = read(scenario)
        return
    state.set_working(changed, keep_widget=key)


def _show_error(key: str) -> None:
    problems = state.problems(key)
    if problems:
        layout.show_problems("That value was not applied; the scenario is unchanged.", problems)
