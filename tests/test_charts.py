"""Chart builders (workshop_ui.charts), checked through the Vega-Lite spec they produce."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from alignment import evaluate
from alignment.levers import with_value
from alignment.tables import product_table, scorecard
from tests.chart_data import arrow_rows
from workshop_ui import charts, presenting, price_charts
from workshop_ui.charts import LEADERSHIP, PARTY_COLOURS, SALES, STATUS_QUO, WORKING

NAMES = ["Analyser Pro", "Analyser Standard", "Nova (new)"]


def layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every single-view part of a spec (the spec itself, or each layer)."""
    return spec.get("layer", [spec])


def rows(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every data row the chart draws, from all its layers."""
    found = [row for values in spec.get("datasets", {}).values() for row in values]
    for part in [spec, *spec.get("layer", [])]:
        found.extend(part.get("data", {}).get("values", []))
    return found


def encodings(spec: dict[str, Any], channel: str) -> list[dict[str, Any]]:
    return [part["encoding"][channel] for part in layers(spec) if channel in part["encoding"]]


def colour_of(scale: dict[str, Any], value: str) -> str:
    return scale["range"][scale["domain"].index(value)]


@pytest.fixture(scope="module")
def tables(launch):
    """The launch's product table and scorecard, with leadership valuing a Nova unit at 640
    beyond its margin (one point of Nova's share: 0.32M per period)."""
    valued = with_value(launch, "goals.strategic_value.nova", 640.0)
    outcomes = evaluate(valued, status_quo=launch)
    return product_table(valued, outcomes), scorecard(valued, outcomes)


def test_each_product_keeps_its_colour_whatever_the_chart():
    scale = charts.product_scale(NAMES).to_dict()

    assert scale["domain"] == NAMES
    assert scale["range"] == list(charts.PRODUCT_PALETTE[:3])
    assert charts.product_colours(NAMES[:2]) == {
        name: charts.product_colours(NAMES)[name] for name in NAMES[:2]
    }


def test_more_products_than_colours_still_get_a_colour_each():
    names = [f"Product {i}" for i in range(len(charts.PRODUCT_PALETTE) + 3)]

    assert len(charts.product_colours(names)) == len(names)


def test_the_price_curve_has_price_and_share_axes_with_units_and_tooltips(launch):
    curve = pd.DataFrame(
        {
            "name": "Nova (new)",
            "price": np.linspace(450, 800, 5),
            "share": np.linspace(0.07, 0.01, 5),
        }
    )
    markers = pd.DataFrame(
        [
            ("Current price", 600.0, WORKING, "full"),
            ("Reps' pick", 800.0, SALES, "lower"),
            ("Max contribution", 800.0, LEADERSHIP, "upper"),
        ],
        columns=["label", "price", "party", "span"],
    )

    spec = price_charts.price_curve_chart(curve, NAMES, markers, currency="USD").to_dict()

    line = next(part for part in layers(spec) if part["mark"]["type"] == "line")
    assert line["encoding"]["x"]["title"] == "Price (per unit)"
    assert line["encoding"]["y"]["axis"]["format"].endswith("%")
    assert colour_of(line["encoding"]["color"]["scale"], "Nova (new)") == charts.PRODUCT_PALETTE[2]
    assert {t["field"] for t in line["encoding"]["tooltip"]} == {"name", "price", "share"}
    rules = next(part for part in layers(spec) if part["mark"]["type"] == "rule")
    scale = rules["encoding"]["color"]["scale"]
    assert colour_of(scale, "Reps' pick") == PARTY_COLOURS[SALES]
    assert colour_of(scale, "Max contribution") == PARTY_COLOURS[LEADERSHIP]


def test_two_markers_at_one_price_take_a_half_of_the_chart_each():
    curve = pd.DataFrame({"name": "Nova (new)", "price": [500.0, 800.0], "share": [0.1, 0.02]})
    markers = pd.DataFrame(
        [("Reps' pick", 800.0, SALES, "lower"), ("Max contribution", 800.0, LEADERSHIP, "upper")],
        columns=["label", "price", "party", "span"],
    )

    spec = price_charts.price_curve_chart(curve, NAMES, markers, currency="USD").to_dict()

    marks = [row for row in rows(spec) if "label" in row]
    lower, upper = sorted(marks, key=lambda row: row["y0"])
    assert lower["y0"] == 0.0
    assert lower["y1"] == pytest.approx(upper["y0"])
    assert upper["y1"] > upper["y0"]


@pytest.mark.parametrize("presents", [False, True])
def test_a_price_curve_spec_from_its_template_is_the_chart_built_afresh(presents):
    # The Pricing page fills a spec kept per shape; it must draw what the chart built afresh
    # draws, on the second price as on the first (the template made from the first).
    markers = pd.DataFrame(
        [("Current price", 600.0, WORKING, "full"), ("Reps' pick", 800.0, SALES, "lower")],
        columns=["label", "price", "party", "span"],
    )
    for top_share, price in ((0.07, 600.0), (0.12, 640.0)):
        curve = pd.DataFrame(
            {"name": "Nova (new)", "price": np.linspace(450, 800, 5),
             "share": np.linspace(top_share, 0.01, 5)}
        )  # fmt: skip
        moved = markers.assign(price=[price, 800.0])
        chart = price_charts.price_curve_chart(curve, NAMES, moved, currency="EUR")
        fresh = charts.spec_of(presenting.presented(chart) if presents else chart)
        kept = price_charts.price_curve_spec(curve, NAMES, moved, currency="EUR", presents=presents)
        for fresh_layer, kept_layer in zip(fresh["layer"], kept["layer"], strict=True):
            fresh_rows = fresh["datasets"][fresh_layer["data"]["name"]].to_dict("records")
            assert arrow_rows(kept["datasets"][kept_layer["data"]["name"]]) == fresh_rows
            assert kept_layer["encoding"] == fresh_layer["encoding"]
            assert kept_layer["mark"] == fresh_layer["mark"]
        assert kept_layer["encoding"]["y"]["scale"]["domain"] == [0, top_share * 1.08]
        assert {k: v for k, v in kept.items() if k not in ("layer", "datasets")} == {
            k: v for k, v in fresh.items() if k not in ("layer", "datasets")
        }


def test_the_payout_curve_marks_quota_cap_and_target_pay():
    curve = pd.DataFrame({"attainment": [0.0, 1.0, 2.0], "pay": [0.0, 20000.0, 50000.0]})

    capped = charts.payout_curve_chart(
        curve, cap=60000.0, target_variable_pay=25000.0, currency="USD"
    ).to_dict()
    uncapped = charts.payout_curve_chart(
        curve, cap=None, target_variable_pay=25000.0, currency="USD"
    ).to_dict()

    def labels(spec):
        return {row.get("label") for row in rows(spec)}

    assert {"Quota", "Cap", "Target variable pay (OTE − base)"} <= labels(capped)
    assert "Cap" not in labels(uncapped)
    line = layers(capped)[0]["encoding"]
    assert line["x"]["axis"]["format"].endswith("%")
    assert line["y"]["axis"]["format"].startswith("$")  # d3's "$": the locale's currency
    assert capped["config"]["locale"]["number"]["currency"] == ["$", ""]


def test_status_quo_and_working_bars_use_the_party_colours(tables):
    products, _ = tables

    spec = charts.comparison_chart(
        products, products, "share", "Market share per period", "fraction"
    ).to_dict()

    (colour,) = encodings(spec, "color")
    assert colour_of(colour["scale"], STATUS_QUO) == PARTY_COLOURS[STATUS_QUO]
    assert colour_of(colour["scale"], WORKING) == PARTY_COLOURS[WORKING]
    (y,) = encodings(spec, "y")
    assert y["title"] == "Market share per period"
    assert y["axis"]["format"].endswith("%")
    assert len(rows(spec)) == 2 * len(products)


def test_the_hours_mix_puts_what_pay_buys_beside_what_leadership_asks(tables):
    products, _ = tables

    spec = charts.hours_mix_chart(products).to_dict()

    nova = {r["group"]: r["value"] for r in rows(spec) if r["name"] == "Nova (new)"}
    nova_pay, nova_ask = nova[SALES], nova[LEADERSHIP]
    assert nova_ask > 10 * nova_pay  # the article's conflict, visible in the data
    (colour,) = encodings(spec, "color")
    assert colour_of(colour["scale"], SALES) == PARTY_COLOURS[SALES]
    assert colour_of(colour["scale"], LEADERSHIP) == PARTY_COLOURS[LEADERSHIP]


def test_the_scorecard_colours_each_goal_by_status_and_shows_value_against_target(tables):
    _, card = tables

    spec = charts.scorecard_chart(card, currency="USD").to_dict()

    goals = {r["label"]: r for r in rows(spec) if "label" in r}
    share = goals["New-product share"]
    assert share["status"] == "missed"
    assert "vs target 12.0 %" in share["value_text"]
    assert share["value_text"].endswith("missed")  # the status in words, not colour alone
    assert goals["Contribution"]["value_text"].startswith("$")
    colour = next(iter(encodings(spec, "color")))
    assert colour_of(colour["scale"], "met") == charts.STATUS_COLOURS["met"]
    assert colour_of(colour["scale"], "missed") == charts.STATUS_COLOURS["missed"]


def test_every_goal_status_has_a_colour_a_badge_and_an_icon():
    assert set(charts.STATUS_COLOURS) == set(charts.STATUS_BADGES) == set(charts.STATUS_ICONS)
    assert len(set(charts.STATUS_ICONS.values())) == len(charts.STATUS_ICONS)


def test_the_budget_chart_shows_funded_uses_in_their_own_colours():
    data = pd.DataFrame(
        [(STATUS_QUO, "Nova (new)", 300000.0), (STATUS_QUO, charts.PUSH_CONTENT, 100000.0)],
        columns=["group", "use", "spend"],
    )

    spec = charts.budget_chart(data, NAMES, currency="USD").to_dict()

    (colour,) = encodings(spec, "color")
    assert colour["scale"]["domain"] == ["Nova (new)", charts.PUSH_CONTENT]  # only funded uses
    assert colour_of(colour["scale"], "Nova (new)") == charts.product_colours(NAMES)["Nova (new)"]
    assert colour_of(colour["scale"], charts.PUSH_CONTENT) == charts.PUSH_CONTENT_COLOUR
    (x,) = encodings(spec, "x")
    assert x["axis"]["format"].startswith("$")


def test_motivation_factors_are_drawn_on_a_zero_to_one_scale():
    data = pd.DataFrame(
        [
            {"factor": "Valence", "group": STATUS_QUO, "value": 0.95},
            {"factor": "Valence", "group": WORKING, "value": 0.6},
        ]
    )

    spec = charts.factor_chart(data).to_dict()

    (y,) = encodings(spec, "y")
    assert y["scale"]["domain"] == [0, 1]
    assert y["axis"]["format"].endswith("%")


def test_charts_use_large_type_for_the_back_of_the_room(tables):
    products, _ = tables

    spec = charts.hours_mix_chart(products).to_dict()

    assert spec["config"]["axis"]["labelFontSize"] >= 13
    assert spec["config"]["legend"]["labelFontSize"] >= 13


def test_every_product_keeps_its_label_under_the_bars_when_there_are_many():
    names = [f"Product {i}" for i in range(6)]
    data = pd.DataFrame({"name": names * 2, "group": [STATUS_QUO] * 6 + [WORKING] * 6})
    data["value"] = 1.0

    spec = charts.grouped_bars(data, "Units", "units", (STATUS_QUO, WORKING)).to_dict()

    (x,) = encodings(spec, "x")
    assert x["axis"]["labelOverlap"] is False
    assert x["axis"]["labelAngle"] != 0


# --- the scenario's currency on every chart ---------------------------------------------------

# In d3-format "$" stands for the chart locale's currency, so it may appear in a format
# specifier (and in a label expression's format calls); anywhere else it would be a dollar.
_SPECIFIERS = {"format", "labelExpr"}


def readable_text(node: Any, key: str = "") -> list[str]:
    """Every string in a spec a person could read: titles, labels, data; not d3 specifiers."""
    if isinstance(node, dict):
        return [text for k, value in node.items() for text in readable_text(value, k)]
    if isinstance(node, list):
        return [text for value in node for text in readable_text(value, key)]
    return [node] if isinstance(node, str) and key not in _SPECIFIERS else []


def euro_charts(tables) -> dict[str, dict[str, Any]]:
    """Every chart of money, built for a scenario in euros."""
    products, card = tables
    curve = pd.DataFrame({"name": "Nova (new)", "price": [450.0, 800.0], "share": [0.07, 0.01]})
    markers = pd.DataFrame(
        [("Current price", 600.0, WORKING, "full")], columns=["label", "price", "party", "span"]
    )
    payout = pd.DataFrame({"attainment": [0.0, 1.0, 2.0], "pay": [0.0, 20000.0, 50000.0]})
    budget = pd.DataFrame([(STATUS_QUO, "Nova (new)", 3e5)], columns=["group", "use", "spend"])
    built = {
        "price curve": price_charts.price_curve_chart(curve, NAMES, markers, currency="EUR"),
        "payout": charts.payout_curve_chart(payout, 6e4, 2.5e4, currency="EUR"),
        "margin bars": charts.comparison_chart(
            products, products, "gross_margin", "Gross margin", "money", currency="EUR"
        ),
        "scorecard": charts.scorecard_chart(card, currency="EUR"),
        "budget": charts.budget_chart(budget, NAMES, currency="EUR"),
    }
    return {name: chart.to_dict() for name, chart in built.items()}


def money_axes(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        part["encoding"][channel]["axis"]
        for part in layers(spec)
        for channel in ("x", "y")
        if part["encoding"].get(channel, {}).get("axis", {}).get("format", "").startswith("$")
    ]


def test_a_euro_scenarios_charts_show_euros_and_never_a_dollar(tables):
    for name, spec in euro_charts(tables).items():
        assert spec["config"]["locale"]["number"]["currency"] == ["€", ""], name
        assert not [text for text in readable_text(spec) if "$" in text], name
        if name == "scorecard":  # its axis is the share of each target; money is in words
            continue
        assert money_axes(spec), f"{name} has no money axis"
        tips = [t for part in layers(spec) for t in part["encoding"].get("tooltip", [])]
        assert any(t.get("format") == "$,.0f" for t in tips), name


def test_the_scorecard_writes_contribution_in_the_scenarios_currency(tables):
    spec = euro_charts(tables)["scorecard"]

    goals = {r["label"]: r for r in rows(spec) if "label" in r}
    assert goals["Contribution"]["value_text"].startswith("€")
    assert "vs target €" in goals["Contribution"]["value_text"]


def test_a_currency_without_a_symbol_is_written_with_its_code_and_a_space():
    curve = pd.DataFrame({"name": "Nova (new)", "price": [450.0, 800.0], "share": [0.07, 0.01]})
    markers = pd.DataFrame(
        [("Current price", 600.0, WORKING, "full")], columns=["label", "price", "party", "span"]
    )

    spec = price_charts.price_curve_chart(curve, NAMES, markers, currency="CHF").to_dict()

    assert spec["config"]["locale"]["number"]["currency"] == ["CHF ", ""]


def test_money_axes_name_thousands_to_billions_and_never_use_si_prefixes(tables):
    for name, spec in euro_charts(tables).items():
        for axis in money_axes(spec):
            expression = axis["labelExpr"]
            assert "~s" not in expression, name  # d3's SI: "G" for billions, "m" and "µ" below 1
            for suffix in ("'k'", "'M'", "'B'", "'T'"):
                assert suffix in expression, name
            # below a thousand: whole units, or the decimals they need, never a prefix
            assert expression.endswith("format(datum.value, '$,~f')"), name


def test_percentages_on_charts_have_a_space_before_the_sign_as_on_the_pages(tables):
    products, _ = tables

    spec = charts.comparison_chart(products, products, "share", "Share", "fraction").to_dict()

    assert spec["config"]["locale"]["number"]["percent"] == " %"
    assert spec["config"]["locale"]["number"]["minus"] == "\u2212"


def test_money_bars_without_a_currency_are_refused(tables):
    products, _ = tables

    with pytest.raises(ValueError, match="currency"):
        charts.comparison_chart(products, products, "revenue", "Revenue", "money")


def test_the_elasticity_table_colours_own_price_and_cannibalisation_and_escapes_names():
    from workshop_ui.tables import CANNIBALISATION, OWN_PRICE, cross_elasticity_html

    names = ["Classic", "<b>Nova</b> & co"]
    table = pd.DataFrame([[-2.5, 0.4], [0.0, -1.75]], index=names, columns=names)

    html = cross_elasticity_html(table, "Cannibalisation")

    assert f"<td style='{OWN_PRICE}'>-2.50</td>" in html
    assert f"<td style='{OWN_PRICE}'>-1.75</td>" in html
    assert f"<td style='{CANNIBALISATION}'>+0.40</td>" in html
    assert "<td>+0.00</td>" in html  # across segments: no colour
    assert "<b>Nova</b>" not in html and "&lt;b&gt;Nova&lt;/b&gt; &amp; co" in html
