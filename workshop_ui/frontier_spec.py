"""The Compromise page's frontier chart as a spec filled from a template kept per shape.

A move of the bargaining weight changes the frontier, the deal and perhaps the axis ranges,
never the chart's shape (the kinds of point, the levers in the tooltips, the reps' measure, the
currency, big-screen styling or not). Building the Altair chart and turning it into a spec cost
about 50 ms a weight on a 2-core machine, and a room moving the weight together waited on it,
so each shape is built once and later weights fill its rows and ranges in.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from alignment.compromise import SearchResult
from workshop_ui.charts import arrow_bytes, spec_of
from workshop_ui.compromise_charts import FrontierFrames, Marker, frontier_chart, frontier_frames
from workshop_ui.presenting import presented
from workshop_ui.spec_templates import KeptSpecs

__all__ = ["frontier_spec"]

_CLOUD, _FRONTIER, _POINTS = "cloud", "frontier", "points"
_TEMPLATES = KeptSpecs(32)
HEIGHT = 560


def frontier_spec(
    result: SearchResult,
    markers: Sequence[Marker],
    *,
    currency: str,
    cloud_rows: int | None = None,
    presents: bool = False,
) -> dict:
    """:func:`~workshop_ui.compromise_charts.frontier_chart`'s Vega-Lite spec (``presents``:
    styled for the big screen), its rows as Arrow bytes."""
    frames = frontier_frames(result, markers, cloud_rows)
    shape = (*frames.shape(result, HEIGHT, currency), presents)
    template = _TEMPLATES.get(shape)
    if template is None:
        chart = frontier_chart(result, markers, currency=currency, height=HEIGHT,
                               cloud_rows=cloud_rows)  # fmt: skip
        template = _template(spec_of(presented(chart) if presents else chart), frames, shape)
    spec = _TEMPLATES.filled(template, {
        _CLOUD: arrow_bytes(frames.cloud),
        _FRONTIER: arrow_bytes(frames.frontier),
        _POINTS: arrow_bytes(frames.points),
    })  # fmt: skip
    for layer in spec["layer"]:
        encoding = layer["encoding"]
        encoding["x"]["scale"]["domain"] = list(frames.x_domain)
        encoding["y"]["scale"]["domain"] = list(frames.y_domain)
    return spec


def _template(spec: dict, frames: FrontierFrames, shape: tuple) -> dict:
    """``spec`` without its rows, its datasets renamed after what they hold."""
    datasets = spec.pop("datasets")
    # The big-screen styling copies the chart, its frames perhaps too: match them by content.
    names = {
        name: _CLOUD if _same(data, frames.cloud)
        else _FRONTIER if _same(data, frames.frontier)
        else _POINTS
        for name, data in datasets.items()
    }  # fmt: skip
    if "data" in spec:
        spec["data"] = {"name": names[spec["data"]["name"]]}
    for layer in spec["layer"]:
        if "data" in layer:
            layer["data"] = {"name": names[layer["data"]["name"]]}
    return _TEMPLATES.keep(shape, spec)


def _same(data: object, frame: pd.DataFrame) -> bool:
    if not isinstance(data, pd.DataFrame):
        return False
    return data is frame or (data.shape == frame.shape and data.equals(frame))
