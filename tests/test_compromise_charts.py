"""The Compromise page's chart and view helpers, read through ``chart.to_dict()``."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import altair as alt
import numpy as np
import pandas as pd
import pytest
from altair.utils.schemapi import SchemaValidationError

from alignment import Plans, evaluate
from alignment.compromise import Constraints, Lock, bargain, lever_matrix, search
from alignment.levers import with_values
from tests.chart_data import arrow_rows
from workshop_ui import compromise_charts
from workshop_ui import compromise_view as view
from workshop_ui.charts import PARTY_COLOURS


@pytest.fixture(scope="module")
def result(launch):
    return search(launch, launch, count=1500, seed=3)


@pytest.fixture(scope="module")
def request_(launch):
    return view.SearchRequest.of(launch, launch, [], 3)


@pytest.fixture(scope="module")
def markers(result, launch, request_):
    proposal = with_values(launch, {"products.nova.price": 700.0, "metadata.role": "sales",
                                    "metadata.name": "Sales: Nova at 700"})  # fmt: skip
    measure = result.rep_utility
    return [
        view.marker_for_scenario(request_, launch, measure, view.STATUS_QUO, "Status quo"),
        view.marker_for_scenario(request_, proposal, measure, view.proposal_kind(proposal),
                                 "Sales: Nova at 700"),
        view.marker_for_candidate(result, result.leadership_ideal.index, view.LEADERSHIP_IDEAL,
                                  view.LEADERSHIP_IDEAL),
        view.marker_for_candidate(result, result.nash.index, view.DEAL, "Nash bargaining deal"),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def spec(result, markers):
    return view.frontier_chart(result, markers, currency="USD").to_dict()


def readable_text(node, key: str = "") -> list[str]:
    """Every string in a spec a person could read; not d3 format specifiers or label
    expressions, where "$" stands for the chart locale's currency."""
    if isinstance(node, dict):
        return [text for k, value in node.items() for text in readable_text(value, k)]
    if isinstance(node, list):
        return [text for value in node for text in readable_text(value, key)]
    return [node] if isinstance(node, str) and key not in {"format", "labelExpr"} else []


def layer(spec, mark: str, number: int = 0) -> dict:
    layers = [lay for lay in spec["layer"] if _mark(lay) == mark]
    return layers[number]


def _mark(lay: dict) -> str:
    return lay["mark"] if isinstance(lay["mark"], str) else lay["mark"]["type"]


def data_of(spec, lay) -> list[dict]:
    """The rows a layer draws: its own data, or the chart's, through a plain field filter."""
    rows = spec["datasets"][lay.get("data", spec["data"])["name"]]
    for step in lay.get("transform", []):
        if isinstance(step.get("filter"), str) and step["filter"].startswith("datum."):
            rows = [row for row in rows if row[step["filter"].removeprefix("datum.")]]
    return rows


def test_every_candidate_is_drawn_faint_with_failing_ones_fainter(spec, result):
    cloud = layer(spec, "circle", 0)

    assert len(data_of(spec, cloud)) == len(result.plans)
    opacity = cloud["encoding"]["opacity"]
    assert opacity["condition"]["test"] == "datum.eligible"  # meets the limits and settled
    assert opacity["value"] < opacity["condition"]["value"] <= 0.5


def test_the_frontier_is_a_line_through_the_frontier_plans_in_leadership_order(spec, result):
    line = layer(spec, "line")
    rows = data_of(spec, line)

    assert sorted(row["index"] for row in rows) == sorted(int(i) for i in result.frontier)
    assert line["encoding"]["order"]["field"] == "leadership"
    assert line["mark"]["point"]["size"] > 0  # each frontier plan is a dot to hover


def test_axes_name_each_party_and_its_unit_in_money(spec):
    encoding = layer(spec, "circle", 0)["encoding"]

    assert encoding["x"]["field"] == "leadership"
    assert encoding["x"]["title"] == "Leadership's value (per period)"
    assert encoding["y"]["field"] == "reps"
    assert encoding["y"]["title"] == (
        "Reps' utility (per rep per period: earnings less the cost of effort)"
    )
    # the labels carry the money: millions on x read "$5.8M", the reps' money "$25k"
    assert "datum.value * 1e+06" in encoding["x"]["axis"]["labelExpr"]
    assert "'M'" in encoding["y"]["axis"]["labelExpr"]
    assert spec["config"]["locale"]["number"]["currency"] == ["$", ""]


def test_leadership_is_plotted_in_millions_and_shown_in_money_on_hover(spec, result):
    rows = data_of(spec, layer(spec, "circle", 0))
    first = rows[0]

    assert first["leadership"] == pytest.approx(result.leadership[0] / 1e6, rel=1e-6)
    assert first["leadership_value"] == pytest.approx(result.leadership[0], rel=1e-6)
    tips = {t["field"]: t for t in layer(spec, "circle", 0)["encoding"]["tooltip"]}
    assert tips["leadership_value"]["format"].startswith("$")


def test_when_the_room_counts_motivation_the_reps_axis_says_so(result, markers):
    on_motivation = bargain(result, rep_utility="motivation")
    chart = view.frontier_chart(on_motivation, markers, currency="USD")
    encoding = layer(chart.to_dict(), "circle", 0)["encoding"]

    assert encoding["y"]["title"] == "Reps' utility: motivation (points, 0–100)"
    tips = [t["title"] for t in encoding["tooltip"]]
    assert "Rep motivation" in tips


def test_named_points_have_pinned_colours_and_shapes_by_kind(spec):
    encoding = layer(spec, "point", 0)["encoding"]
    colour, shape = encoding["color"]["scale"], encoding["shape"]["scale"]
    colours = dict(zip(colour["domain"], colour["range"], strict=True))
    shapes = dict(zip(shape["domain"], shape["range"], strict=True))

    assert colours["Status quo"] == PARTY_COLOURS["Status quo"]
    assert colours["Leadership's ideal"] == PARTY_COLOURS["Leadership"]
    assert colours["Sales proposal"] == PARTY_COLOURS["Sales"]
    assert colours[view.DEAL] == view.POINT_COLOURS[view.DEAL]
    assert shapes[view.FRONTIER] == "stroke" and shapes["Sales proposal"] == "diamond"
    # The cloud and the frontier are in the legend too, even though they are other layers.
    assert colour["domain"][:2] == [view.CANDIDATE, view.FRONTIER]


def test_kinds_absent_from_the_chart_stay_out_of_the_legend(spec):
    domain = layer(spec, "point", 0)["encoding"]["color"]["scale"]["domain"]

    assert "Working" not in domain and "Reps' ideal" not in domain
    assert "Leadership proposal" not in domain


def test_hovering_a_point_shows_its_plan_and_numbers(spec, result):
    titles = [t["title"] for t in layer(spec, "circle", 0)["encoding"]["tooltip"]]
    named = [t["title"] for t in layer(spec, "point", 0)["encoding"]["tooltip"]]

    moving = [b.label for b in result.levers if not b.is_fixed]
    assert {"Nova (new) price", "Nova (new) kicker", "Margin rate"} <= set(moving)
    assert set(moving) <= set(titles)
    assert {
        "Leadership's value", "Earnings less the cost of effort, per rep", "Contribution",
        "Gross margin %",
    } <= set(titles)  # fmt: skip
    assert named[:2] == ["Point", "Kind"] and set(moving) <= set(named)


def test_tooltips_format_money_and_percentages(spec):
    tips = {t["title"]: t for t in layer(spec, "circle", 0)["encoding"]["tooltip"]}

    assert tips["Nova (new) price"]["format"].startswith("$")
    assert tips["Margin rate"]["format"].endswith("%")
    assert tips["New-product share"]["format"].endswith("%")


def test_clicking_picks_a_candidate_by_its_index(spec):
    (param,) = spec["params"]

    assert param["name"] == view.PICK
    assert param["select"] == {"type": "point", "fields": ["index"], "on": "click"}
    ring = layer(spec, "point", 1)
    assert ring["transform"] == [{"filter": {"param": view.PICK, "empty": False}}]


def test_named_points_carry_their_candidate_index_or_none(spec, result):
    rows = {row["label"]: row for row in data_of(spec, layer(spec, "point", 0))}

    assert rows["Nash bargaining deal"]["index"] == result.nash.index
    assert rows["Sales: Nova at 700"]["index"] == -1
    assert rows["Sales: Nova at 700"]["lever_2"] == 700.0  # Nova's price column


def test_a_picked_point_is_read_from_the_selection_event():
    event = SimpleNamespace(selection={view.PICK: [{"index": 17}]})

    assert view.picked_index(event, candidates=100) == 17
    assert view.picked_index(SimpleNamespace(selection={view.PICK: []}), 100) is None
    assert view.picked_index(SimpleNamespace(selection={}), 100) is None
    assert view.picked_index(SimpleNamespace(selection={view.PICK: [{"index": 500}]}), 100) is None


def test_the_plan_table_lists_the_moving_levers_beside_the_status_quo(result, launch):
    table = view.plan_table(result, result.nash.index, launch)

    assert list(table.columns) == ["Lever", "This plan", "Status quo"]
    nova = table.set_index("Lever").loc["Nova (new) price"]
    assert nova["Status quo"] == "$600"
    shown = float(nova["This plan"].replace(",", "").removeprefix("$"))
    assert shown == pytest.approx(result.plans.price[result.nash.index, 2], abs=0.5)  # to $1
    assert "Analyser Pro kicker" not in set(table["Lever"])  # held, not negotiable


def test_the_numbers_table_shows_each_figure_against_the_status_quo(result):
    table = view.numbers_table(result, result.status_quo_index).set_index("Figure")

    assert table.loc["Leadership's value", "vs status quo"] == "no change"
    assert table.loc["Earnings less cost of effort, per rep", "vs status quo"] == "no change"
    assert table.loc["Rep motivation", "vs status quo"] == "no change"
    assert table.loc["Contribution", "This plan"].startswith("$")
    assert table.loc["Rep motivation", "This plan"].endswith("/ 100")


def test_the_search_summary_counts_the_plans_left_out_because_their_hours_did_not_settle(result):
    settled = result.outcomes.converged.copy()
    settled[[5, 6]] = False
    flagged = bargain(replace(result, outcomes=replace(result.outcomes, converged=settled)))

    assert "2 plans whose selling hours did not settle are left out" in (
        view.search_summary(flagged)
    )
    spec = view.frontier_chart(flagged, [], currency="USD").to_dict()
    rows = {row["index"]: row for row in data_of(spec, layer(spec, "circle", 0))}
    assert not rows[5]["eligible"] and not rows[6]["eligible"]


def test_a_euro_scenarios_frontier_shows_euros_and_never_a_dollar(result, markers):
    spec = view.frontier_chart(result, markers, currency="EUR").to_dict()

    assert spec["config"]["locale"]["number"]["currency"] == ["€", ""]
    assert spec["config"]["axis"]["labelFontSize"] >= 13  # the shared look kept beside it
    shown = [text for text in readable_text(spec) if "$" in text]
    assert shown == []
    tips = {t["field"]: t for t in layer(spec, "circle", 0)["encoding"]["tooltip"]}
    assert tips["leadership_value"]["format"] == "$,.0f"  # d3's "$": the locale's euro


def test_the_cached_frontier_takes_the_currency_of_the_searchs_working_scenario(
    launch, result, monkeypatch
):
    in_euros = with_values(launch, {"metadata.currency": "EUR"})
    request = view.SearchRequest.of(in_euros, in_euros, [], 3)
    monkeypatch.setattr(compromise_charts, "bargained", lambda *args: result)
    monkeypatch.setattr(compromise_charts, "run_search", lambda request: result)

    compromise_charts.cached_spec.clear()
    spec = compromise_charts.cached_spec(request, Constraints(), 0.5, "rep_utility", (), False)

    assert spec["config"]["locale"]["number"]["currency"] == ["€", ""]


def test_the_cached_frontier_spec_keeps_every_candidate_and_the_click_selection(
    launch, result, monkeypatch
):
    request = view.SearchRequest.of(launch, launch, [], 3)
    monkeypatch.setattr(compromise_charts, "bargained", lambda *args: result)
    monkeypatch.setattr(compromise_charts, "run_search", lambda request: result)

    spec = compromise_charts.cached_spec(request, Constraints(), 0.5, "rep_utility", (), False)
    big = compromise_charts.cached_spec(request, Constraints(), 0.5, "rep_utility", (), True)

    frames = [arrow_rows(data) for data in spec["datasets"].values()]
    assert max(len(frame) for frame in frames) == len(result.plans)
    assert compromise_charts.PICK in {param["name"] for param in spec.get("params", [])}
    assert big["usermeta"]["embedOptions"]["renderer"] == "hybrid"
    assert "usermeta" not in spec or "renderer" not in spec["usermeta"].get("embedOptions", {})


def test_a_weight_move_keeps_the_spec_and_the_cloud_so_the_browser_only_swaps_the_deal(
    launch, result, monkeypatch
):
    request = view.SearchRequest.of(launch, launch, [], 5)
    monkeypatch.setattr(compromise_charts, "run_search", lambda request: result)
    monkeypatch.setattr(
        compromise_charts, "bargained",
        lambda request, constraints, weight, measure: bargain(result, bargaining_weight=weight),
    )  # fmt: skip
    compromise_charts.cached_spec.clear()
    specs = {}
    for weight in (0.5, 0.8):
        moved = bargain(result, bargaining_weight=weight)
        deal = view.marker_for_candidate(moved, moved.weighted_nash.index, view.DEAL, "Deal")
        specs[weight] = compromise_charts.cached_spec(
            request, Constraints(), weight, "rep_utility", (deal,), False
        )
    assert len(moved.plans) > len(result.plans)  # the bargain at 0.8 optimised new plans
    before, after = ({**s, "datasets": None} for s in specs.values())
    assert before == after  # same spec: the browser updates data instead of drawing anew
    cloud_layer = layer(specs[0.8], "circle", 0)
    cloud = cloud_layer.get("data", specs[0.8]["data"])["name"]
    assert specs[0.5]["datasets"][cloud] == specs[0.8]["datasets"][cloud]  # byte for byte
    assert len(arrow_rows(specs[0.8]["datasets"][cloud])) == len(result.plans)
    assert specs[0.5]["datasets"] != specs[0.8]["datasets"]  # the deal moved


def test_hard_goals_read_as_limits_with_their_units():
    limits = Constraints(min_contribution=5_500_000.0, min_new_product_share=0.12)

    assert view.limit_lines(limits) == ["New-product share ≥ 12.0 %", "Contribution ≥ $5.5M"]


def test_a_deals_gains_read_in_money_for_each_side(result):
    text = view.gains_text(result.nash, "rep_utility")

    assert text.startswith("leadership +$") and text.endswith(" per rep")
    assert " per period, reps +$" in text


def test_lock_choices_become_the_engines_locks():
    locks = view.engine_locks(
        [
            view.LockChoice("price.nova", "floor", 650.0),
            view.LockChoice("price.pro", "ceiling", 1300.0),
            view.LockChoice("margin_rate", "fixed", 0.06),
        ]
    )

    assert locks == {
        "price.nova": Lock.within(low=650.0),
        "price.pro": Lock.within(high=1300.0),
        "margin_rate": Lock.at(0.06),
    }


def test_percent_constraints_are_read_as_typed():
    constraints = view.constraints_from(40.0, 12.0, 5_000_000.0, None)

    assert constraints == Constraints(0.40, 0.12, 5_000_000.0, None)


def test_the_negotiable_levers_are_named_with_their_products(launch):
    levers = view.negotiable_levers(launch)

    assert levers["price.nova"] == "Nova (new) price"
    assert levers["kicker.nova"] == "Nova (new) kicker"
    assert "kicker.pro" not in levers  # no negotiation range: the search holds it
    assert "Analyser Pro kicker" in view.held_levers(launch)


def test_the_comparison_puts_each_partys_utility_first(launch):
    dear = with_values(launch, {"products.nova.price": 720.0, "metadata.name": "Dear Nova"})
    frame = view.comparison_frame(view.comparison(launch, launch, [dear]))

    assert list(frame.columns) == ["", "Status quo", "Dear Nova"]
    assert frame[""].iloc[0] == "Leadership's value (per period)"
    assert frame[""].iloc[1] == "Reps' utility (earnings less the cost of effort, per rep)"
    # said once, as the reps' utility
    assert list(frame[""]).count("Earnings less the cost of effort, per rep") == 0
    assert list(frame[""]).count("Rep motivation") == 1


def test_the_working_scenario_is_marked_only_when_it_differs_from_the_status_quo(
    result, launch, request_
):
    same = view.markers(result, result.nash, request_, launch, [])
    moved = with_values(launch, {"products.nova.price": 640.0})
    differs = view.markers(result, result.nash, request_, moved, [])

    assert [m.kind for m in same].count("Working") == 0
    assert [m.kind for m in differs].count("Working") == 1


def test_download_names_are_safe_file_names():
    assert view.download_name("Nova launch: Q3/Q4 ../../etc", "html") == (
        "nova-launch-q3-q4-etc.html"
    )


def test_the_report_files_hold_the_agreed_plan_and_each_proposal(launch):
    agreed = with_values(launch, {"products.nova.price": 640.0, "metadata.name": "Agreed plan"})
    dear = with_values(launch, {"products.nova.price": 720.0, "metadata.name": "Dear <Nova>"})

    files = view.report_files(agreed, launch, [dear])
    html, markdown, yaml_text = files.html, files.markdown, files.yaml

    assert "Agreed plan" in html and "Dear &lt;Nova&gt;" in html and "<script" not in html
    assert "Agreed plan" in markdown
    assert "price: 640.0" in yaml_text


def test_the_status_quo_sits_at_the_disagreement_point(result, markers):
    status_quo = next(m for m in markers if m.kind == view.STATUS_QUO)

    assert status_quo.leadership == pytest.approx(result.status_quo.leadership)
    assert status_quo.reps == pytest.approx(result.status_quo.reps)


def test_proposal_plans_sit_where_the_working_scenario_values_them(launch, request_):
    proposal = with_values(
        launch, {"products.nova.price": 700.0, "goals.strategic_value.nova": 9_000.0}
    )
    marker = view.marker_for_scenario(request_, proposal, "rep_utility", "Sales proposal", "p")

    assert marker.index == -1
    assert np.allclose(marker.levers, lever_matrix(Plans.from_scenario(proposal))[0])
    in_working = with_values(launch, {"products.nova.price": 700.0})  # the working goals
    outcomes = evaluate(in_working, status_quo=launch)
    assert marker.leadership == pytest.approx(outcomes.leadership_value[0])
    assert marker.reps == pytest.approx(outcomes.rep_utility[0])


def test_the_frontier_chart_is_checked_against_the_schema_when_built():
    chart = view.CheckedLayerChart(
        layer=[alt.Chart().mark_point().encode(x="a:Q")],
        data=pd.DataFrame({"a": [1.0]}),
        height="as tall as it likes",
    )
    assert isinstance(chart.to_dict(), dict)  # later conversions trust the first check

    with pytest.raises(SchemaValidationError):
        chart.checked()


def test_a_chart_shaped_like_a_checked_one_is_not_checked_again(monkeypatch):
    def chart(height):
        return view.CheckedLayerChart(
            layer=[alt.Chart().mark_point().encode(x="a:Q")], data=pd.DataFrame({"a": [1.0]}),
            height=height,
        )  # fmt: skip

    chart(300).checked(("test shape", 300))
    checks = []
    monkeypatch.setattr(alt.LayerChart, "to_dict", lambda self, **kw: checks.append(kw) or {})

    chart(300).checked(("test shape", 300))
    assert checks == []
    chart(300).checked(("another shape", 300))
    assert checks == [{"validate": True}]


@pytest.mark.parametrize("presents", [False, True])
def test_a_frontier_spec_from_its_template_is_the_chart_built_afresh(result, presents):
    # A weight move fills a spec kept per shape: it must draw what the chart built afresh
    # draws, at the second weight as at the first (the template made from the first).
    from workshop_ui.charts import arrow_datasets, spec_of
    from workshop_ui.frontier_spec import frontier_spec
    from workshop_ui.presenting import presented

    def rows(spec: dict, data: dict | None) -> list[dict]:
        return arrow_rows(spec["datasets"][(data or spec["data"])["name"]])

    for weight in (0.5, 0.8):
        moved = bargain(result, bargaining_weight=weight)
        deal = view.marker_for_candidate(moved, moved.weighted_nash.index, view.DEAL, "Deal")
        chart = view.frontier_chart(moved, [deal], currency="EUR", cloud_rows=len(result.plans))
        fresh = arrow_datasets(spec_of(presented(chart) if presents else chart))
        kept = frontier_spec(
            moved, [deal], currency="EUR", cloud_rows=len(result.plans), presents=presents
        )
        assert len(kept["layer"]) == len(fresh["layer"])
        for fresh_layer, kept_layer in zip(fresh["layer"], kept["layer"], strict=True):
            assert rows(kept, kept_layer.get("data")) == rows(fresh, fresh_layer.get("data"))
            assert kept_layer["encoding"] == fresh_layer["encoding"]
            assert kept_layer["mark"] == fresh_layer["mark"]
        others = ("layer", "datasets", "data")
        assert {k: v for k, v in kept.items() if k not in others} == {
            k: v for k, v in fresh.items() if k not in others
        }
