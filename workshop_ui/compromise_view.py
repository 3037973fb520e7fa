"""The Compromise page's parts, one module per concept; this module gathers them for the page.

The page (``pages/7_Compromise.py``) reads top to bottom and calls one function per section
through ``from workshop_ui import compromise_view as view``; the model work is
:mod:`alignment.compromise` (search, bargain, explain, compare) and :mod:`alignment.report`.

- :mod:`workshop_ui.compromise_search` — locks and constraints as values, the search request
  and its caches (the search, the bargain, plans valued and explained in its scenario).
- :mod:`workshop_ui.compromise_controls` — how each side counts, locks, limits, the bargaining
  rule and the search button.
- :mod:`workshop_ui.compromise_proposals` — the proposal form, the table and the comparison.
- :mod:`workshop_ui.compromise_charts` — the frontier chart: frames, named points, the builder.
- :mod:`workshop_ui.compromise_deal` — the closer look at a plan, the deal in words, adoption.
- :mod:`workshop_ui.compromise_report` — the workshop report's downloads.

Leadership's utility is its value in money per period; the reps' is, by default, their expected
earnings less the cost of effort, money per rep per period (the room may count motivation or
expected earnings instead). Every plan on the page — the status quo, proposals, candidates — is
valued in the working scenario of the search, so all sit on the same axes.
"""

from __future__ import annotations

from workshop_ui import (
    compromise_charts,
    compromise_controls,
    compromise_deal,
    compromise_proposals,
    compromise_report,
    compromise_search,
)
from workshop_ui.compromise_charts import *  # noqa: F403
from workshop_ui.compromise_controls import *  # noqa: F403
from workshop_ui.compromise_deal import *  # noqa: F403
from workshop_ui.compromise_proposals import *  # noqa: F403
from workshop_ui.compromise_report import *  # noqa: F403
from workshop_ui.compromise_search import *  # noqa: F403

__all__ = [
    *compromise_search.__all__,
    *compromise_controls.__all__,
    *compromise_proposals.__all__,
    *compromise_charts.__all__,
    *compromise_deal.__all__,
    *compromise_report.__all__,
]
