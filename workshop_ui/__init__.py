"""The workshop app's user-interface helpers, shared by ``app.py`` and every page in ``pages/``.

A page reads top to bottom — controls, one call into the model, charts:

```python
import streamlit as st
from workshop_ui import charts, controls, layout, model, state

st.set_page_config(layout="wide", page_title="My page · Alignment workshop")
state.ensure_state()          # first: the working scenario and the status quo exist
layout.sidebar()              # scenario name and "Back to status quo"
controls.slider("price_nova", "products.nova.price", "Price", min_value=400, max_value=900, step=5)
outcomes = model.outcomes(state.working())        # cached evaluation
charts.show(charts.grouped_bars(...))
```

- :mod:`workshop_ui.state` — the working scenario, the status quo, ``set_working``.
- :mod:`workshop_ui.controls` — widgets bound to one field of the working scenario.
- :mod:`workshop_ui.model` — cached calls into ``alignment`` (keyed by the scenario's JSON).
- :mod:`workshop_ui.charts` — Altair builders with pinned product and party colours.
- :mod:`workshop_ui.layout` — sidebar, headline metrics, user text shown literally.
- :mod:`workshop_ui.formatting`, :mod:`workshop_ui.tables`, :mod:`workshop_ui.explain` —
  numbers, styled tables and the explanation of every figure.
- :mod:`workshop_ui.library` — the scenarios shipped in ``scenarios/``.
"""
