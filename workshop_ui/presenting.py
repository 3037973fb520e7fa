"""Presenting mode: the app as it reads on a projector from the back of the room.

Anyone can turn on **Big-screen mode** in the sidebar; the address keeps it as ``?present=1``,
so a refresh or a bookmarked projector address comes back presenting. When it is on, every
text on the page is at least :data:`TEXT_PX` pixels, headline figures :data:`HEADLINE_PX`,
and every text (captions, help and chart axes included) is dark enough for a contrast of at
least 4.5 : 1 on the white page (WCAG AA). The sidebar starts folded away and each page's key
chart moves up, so that it shows above the fold of a 1280 × 720 projector.

Charts are restyled by :func:`styled`, which every chart passes through on its way to the
page: bigger axis, legend and text marks in dark ink. Off the big screen it changes nothing.
"""

from __future__ import annotations

from typing import Any, TypeVar

import altair as alt
import streamlit as st
from altair.utils.schemapi import SchemaBase, Undefined

PARAM = "present"
ON, OFF = "1", "0"
TEXT_PX = 20
HEADLINE_PX = 48
TITLE_PX = 24
TEXT_MARGIN_PX = 60
LABEL_MARGIN_PX = 24
ROW_GROWTH = TEXT_PX / 13  # the charts' own labels are 13 px
_CATEGORIES = ("nominal", "ordinal")
TABLE_PX = 14  # the canvas tables' type (Streamlit's small font size)
TABLE_ZOOM = round(TEXT_PX / TABLE_PX + 0.005, 2)
INK = "#1a1a1a"  # 17.4 : 1 on white
MIN_CONTRAST = 4.5
_STATE = "presenting"
_TOGGLE = "present_toggle"
_CONCATS = ("layer", "hconcat", "vconcat", "concat")
Chart = TypeVar("Chart", bound=SchemaBase)


def follow_address() -> None:
    """Take ``?present=`` from the address when it is ``1`` or ``0``; ignore any other value.

    The session remembers the choice, and the address is kept in step with it (moving between
    pages drops the parameter; a refresh of the page brings it back).
    """
    requested = _requested()
    if requested is not None:
        st.session_state[_STATE] = requested
    _write_address(is_on())


def _requested() -> bool | None:
    values = st.query_params.get_all(PARAM)
    if len(values) != 1 or values[0] not in (ON, OFF):
        return None
    return values[0] == ON


def _write_address(on: bool) -> None:
    if on and st.query_params.get_all(PARAM) != [ON]:
        st.query_params[PARAM] = ON
    elif not on and PARAM in st.query_params:
        del st.query_params[PARAM]


def is_on() -> bool:
    """Whether this screen presents."""
    return bool(st.session_state.get(_STATE, False))


def toggle() -> None:
    """The sidebar switch, for everyone."""
    st.session_state[_TOGGLE] = is_on()
    st.toggle(
        "Big-screen mode", key=_TOGGLE, on_change=_toggled,
        help="Large type and strong contrast for a projector; the address keeps it "
        "(?present=1), so bookmark it for the projector.",
    )  # fmt: skip


def _toggled() -> None:
    st.session_state[_STATE] = bool(st.session_state.get(_TOGGLE))
    _write_address(is_on())


def style_page() -> None:
    """Restyle the page for the big screen when this screen presents."""
    if is_on():
        st.set_page_config(initial_sidebar_state="collapsed")
        st.html(CSS)


def styled(chart: Chart) -> Chart:
    """``chart`` restyled for the big screen when this screen presents, else ``chart`` itself."""
    return presented(chart) if is_on() else chart


def presented(chart: Chart) -> Chart:
    """A copy of ``chart`` with axis, legend, title and text marks readable on a projector.

    The chart itself is left as it was (it may be cached and shared between sessions).
    """
    copy = _bigger_marks(chart)
    copy.config = _config(chart._get("config"), chart._get("height"))
    height = chart._get("height")
    if isinstance(height, int | float) and _has_rows(chart):
        # Rows of bars take their height from the chart: taller rows for taller labels, or
        # Vega drops every other label where they would overlap.
        copy.height = round(height * ROW_GROWTH)
    if chart._get("padding") is Undefined:
        # Larger type sticks out further: the last tick label past the end of its axis, text
        # beside a bar past the bar. Room on the right keeps it inside the chart.
        right = TEXT_MARGIN_PX if _has_text_marks(chart) else LABEL_MARGIN_PX
        copy.padding = {"left": 5, "top": 5, "bottom": 5, "right": right}
    # Marks on a canvas, text in SVG: a chart of thousands of points stays quick to draw, and
    # its text stays text (Streamlit draws such a chart wholly on a canvas by default).
    usermeta = _as_dict(chart._get("usermeta"))
    embed = {**usermeta.get("embedOptions", {}), "renderer": "hybrid"}
    copy.usermeta = {**usermeta, "embedOptions": embed}
    return copy


def _config(existing: Any, height: Any) -> dict[str, Any]:
    config = _as_dict(existing)
    if isinstance(height, int | float):
        # A long title on a short axis ends in "…" rather than off the chart; the plot gets
        # about two thirds of a chart's height once its x axis and legend have theirs.
        limit = max(0.65 * float(height), 80.0)
        config["axisY"] = {**config.get("axisY", {}), "titleLimit": limit}
    ink = {"labelColor": INK, "titleColor": INK}
    config["axis"] = {**config.get("axis", {}), **ink,
                      "labelFontSize": TEXT_PX, "titleFontSize": TEXT_PX}  # fmt: skip
    config["legend"] = {**config.get("legend", {}), **ink,
                        "labelFontSize": TEXT_PX, "titleFontSize": TEXT_PX,
                        "labelLimit": 1000, "symbolSize": 220}  # fmt: skip
    config["header"] = {**config.get("header", {}), **ink,
                        "labelFontSize": TEXT_PX, "titleFontSize": TEXT_PX}  # fmt: skip
    config["title"] = {**config.get("title", {}), "fontSize": TITLE_PX, "color": INK,
                       "subtitleFontSize": TEXT_PX, "subtitleColor": INK}  # fmt: skip
    config["text"] = {**config.get("text", {}), "fontSize": TEXT_PX, "fill": INK}
    return config


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, SchemaBase):
        return dict(value.to_dict(validate=False))
    return dict(value) if isinstance(value, dict) else {}


def _bigger_marks(chart: Chart) -> Chart:
    copy = chart.copy(deep=False)
    for name in _CONCATS:
        parts = chart._get(name)
        if isinstance(parts, list):
            setattr(copy, name, [_bigger_marks(part) for part in parts])
    inner = chart._get("spec")
    if isinstance(inner, SchemaBase):
        copy.spec = _bigger_marks(inner)
    mark = chart._get("mark")
    if _is_text(mark):
        copy.mark = _bigger_text(mark)
    encoding = chart._get("encoding")
    if isinstance(encoding, SchemaBase):
        copy.encoding = _one_legend_column(encoding)
    title = chart._get("title")
    if isinstance(title, alt.TitleParams):
        copy.title = title.copy(deep=False)
        copy.title.fontSize = max(_number(title._get("fontSize")), TITLE_PX)
        copy.title.color = INK
    return copy


def _one_legend_column(encoding: Any) -> Any:
    """A legend laid out in columns fits its chart at 13 px; at 20 px a row of long labels
    runs off the chart's edge, so on the big screen the entries stand in one column beside it."""
    copy = encoding.copy(deep=True)
    for name in ("color", "fill", "shape", "stroke", "size", "opacity"):
        channel = copy._get(name)
        legend = channel._get("legend") if isinstance(channel, SchemaBase) else Undefined
        if isinstance(legend, SchemaBase) and legend._get("columns") is not Undefined:
            legend.columns, legend.orient, legend.direction = 1, "right", "vertical"
    return copy


def _has_text_marks(chart: Any) -> bool:
    if _is_text(chart._get("mark")):
        return True
    parts = [chart._get(name) for name in _CONCATS]
    children = [part for group in parts if isinstance(group, list) for part in group]
    inner = chart._get("spec")
    return any(_has_text_marks(c) for c in [*children, inner] if isinstance(c, SchemaBase))


def _has_rows(chart: Any) -> bool:
    """Whether any layer puts a category on the y axis (one row per category)."""
    encoding = chart._get("encoding")
    y = encoding._get("y") if isinstance(encoding, SchemaBase) else Undefined
    if isinstance(y, SchemaBase) and y.to_dict(validate=False).get("type") in _CATEGORIES:
        return True
    parts = [chart._get(name) for name in _CONCATS]
    children = [part for group in parts if isinstance(group, list) for part in group]
    return any(_has_rows(child) for child in children if isinstance(child, SchemaBase))


def _is_text(mark: Any) -> bool:
    return mark == "text" or (isinstance(mark, alt.MarkDef) and mark._get("type") == "text")


def _bigger_text(mark: Any) -> alt.MarkDef:
    text = mark.copy(deep=False) if isinstance(mark, alt.MarkDef) else alt.MarkDef(type="text")
    text.fontSize = max(_number(text._get("fontSize")), TEXT_PX)
    colour = text._get("color")
    if isinstance(colour, str) and contrast(colour, "#ffffff") < MIN_CONTRAST:
        text.color = INK
    return text


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours, from 1 (none) to 21."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


_MAIN = '[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"]'
_CARD = (
    '[data-testid="stColumn"] [data-testid="stLayoutWrapper"] > [data-testid="stVerticalBlock"]'
    ':has(> * [data-testid="stHeading"]):has(> * [data-testid="stVegaLiteChart"])'
)
# Every text at least TEXT_PX and never smaller than its parent (headings and headline figures
# keep their own, larger sizes; Vega draws chart text itself, see ``styled``). Captions, help
# and muted text in full ink. The sidebar starts folded away (``style_page``), so five headline
# tiles of 48 px figures fit across a 1280 px screen.
CSS = f"""
<style>
body :not(svg, svg *, h1, h2, h3, h4, h5, h6, [data-testid="stMetricValue"],
            .keeps-size) {{
  font-size: max({TEXT_PX}px, 1em) !important;
}}
[data-testid="stMetricValue"] {{
  font-size: {HEADLINE_PX}px !important; line-height: 1.15 !important;
}}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] *,
[data-testid="stWidgetLabel"], [data-testid="stWidgetLabel"] *,
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *,
[data-testid="stSliderThumbValue"], [data-testid="stSliderThumbValue"] *,
[data-testid="stSliderTickBarMin"], [data-testid="stSliderTickBarMax"],
[data-testid="stTooltipIcon"] {{
  color: {INK} !important; opacity: 1 !important;
}}
button:disabled, button:disabled * {{
  color: #595959 !important; opacity: 1 !important;
}}
[data-testid="stMetricLabel"] *, [data-testid="stMetricValue"] * {{
  white-space: normal !important; overflow-wrap: anywhere; text-overflow: clip !important;
}}
/* A slider's value sits above its thumb: room for it under the larger label. */
[data-testid="stSlider"] > div:not([data-testid="stWidgetLabel"]) {{
  margin-top: 1.1rem; margin-bottom: 0.5rem;
}}
/* Tables are drawn on a canvas in 14 px type: scale them up as a whole. */
[data-testid="stElementContainer"]:has([data-testid="stDataFrame"]) {{
  zoom: {TABLE_ZOOM}; width: calc(100% / {TABLE_ZOOM}) !important;
}}
header button, header button * {{
  color: {INK} !important;
}}
[data-testid="stMainBlockContainer"] {{
  padding-top: 4rem !important;
}}
[data-testid="stHeading"] h1 {{
  padding-top: 0 !important; padding-bottom: 0.25rem !important;
}}
/* The key chart above the fold: the page's first chart right after its headline figures,
   and in a card that has a heading and a chart (a product on the Pricing page), the chart
   right under the heading, with the card's controls below it. */
{_MAIN} > :has([data-testid="stMetric"]) ~ * {{ order: 1; }}
{_MAIN} > :nth-child(1 of :has([data-testid="stVegaLiteChart"])) {{ order: 0; }}
{_CARD} > :has([data-testid="stHeading"]) {{ order: -2; }}
{_CARD} > :has([data-testid="stVegaLiteChart"]) {{ order: -1; }}
</style>
"""
