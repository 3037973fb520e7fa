"""The Calibrate page's parts: the upload step, the mapping, one card per product, applying."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from alignment import Scenario, ScenarioError
from alignment.calibration import (
    CHOICES,
    Calibration,
    Choice,
    Deals,
    ProductFit,
    available_choices,
    calibrated_scenario,
    chosen_value,
    price_evidence,
    suggested_choice,
    suggested_mapping,
)
from alignment.calibration.applying import CHOICE_LABELS
from alignment.calibration.columns import DESCRIPTIONS
from workshop_ui import calibrate_data, charts, layout, model, state
from workshop_ui.calibrate_charts import win_rate_chart
from workshop_ui.formatting import money, percent

LEAVE_OUT = ""
MAX_MAPPED_NAMES = 60
CHOICE_HELP = (
    "Fitted: the estimate from your deals. Prior: keep the scenario's stated value. Blend: the "
    "two weighted by how sure each is (the narrower range counts more)."
)


def upload_step() -> calibrate_data.DealSource | None:
    """The uploader and the example; the deal file in use, or None."""
    limit = calibrate_data.upload_limit_mb()
    st.file_uploader(
        "Deal history (CSV or Excel .xlsx)", type=["csv", "txt", "xlsx"], key="calibrate_upload",
        on_change=calibrate_data.take_upload, args=("calibrate_upload",),
        max_upload_size=limit,
        help=f"One row per quote or opportunity line, won and lost, up to {limit} MB here "
        "(500,000 rows); larger files: use `python -m alignment calibrate` on the command line.",
    )  # fmt: skip
    problems = calibrate_data.upload_problems()
    if problems:
        layout.show_problems("The file was not read:", problems)
    found = calibrate_data.source()
    if found is not None:
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.caption(f"Using **{layout.literal(found.name)}** ({len(found.data) / 1024:,.0f} KB).")
        right.button(
            "Clear", key="calibrate_clear", on_click=calibrate_data.set_source, args=(None,),
            icon=":material/close:", width="stretch",
        )  # fmt: skip
    return found


def empty_state() -> None:
    """What file to bring, and the example to try first."""
    st.info(
        "Bring a CRM export of quotes or opportunities, **won and lost**, one row per product "
        "line. The columns are recognised by name (Salesforce names such as `Product2.Name`, "
        "`UnitPrice`, `ListPrice`, `IsWon`, `StageName` and `CloseDate` work as they are).",
        icon=":material/upload_file:",
    )
    rows = [(name, text) for name, text in DESCRIPTIONS.items()]
    st.dataframe(
        pd.DataFrame(rows, columns=["Column", "What it holds"]), hide_index=True, width="stretch"
    )
    st.caption(
        "Needed: product, won (or stage), and two of list price, price and discount. No file "
        "at hand? Try the example: two years of deals for the launch scenario's three products."
    )
    left, right = st.columns(2)
    left.button(
        "Use the example", key="calibrate_use_example", on_click=calibrate_data.use_example,
        icon=":material/science:", type="primary", width="stretch",
    )  # fmt: skip
    right.download_button(
        "Download the example (CSV)", data=calibrate_data.EXAMPLE.read_bytes(),
        file_name=calibrate_data.EXAMPLE.name, mime="text/csv", key="calibrate_download_example",
        icon=":material/download:", width="stretch",
    )  # fmt: skip


def mapping_step(deals: Deals, scenario: Scenario) -> dict[str, str | None]:
    """A select box per product name in the file, suggested from the names; the mapping."""
    names = deals.product_names
    suggestion = suggested_mapping(names, scenario)
    options = [LEAVE_OUT, *scenario.product_ids]
    labels = {LEAVE_OUT: "(leave out)", **{p.id: layout.plain(p.name) for p in scenario.products}}
    counts = deals.frame["product"].value_counts()
    mapping: dict[str, str | None] = dict.fromkeys(names)
    with st.expander(
        "Products in the file", expanded=not all(suggestion.values()), icon=":material/link:"
    ):
        st.caption("Which scenario product each name in the file is; deals left out are not used.")
        columns = st.columns(3)
        for index, name in enumerate(names[:MAX_MAPPED_NAMES]):
            key = f"calibrate_map_{index}"
            if key not in st.session_state:
                st.session_state[key] = suggestion[name] or LEAVE_OUT
            chosen = columns[index % 3].selectbox(
                layout.label(f"{name} ({counts[name]:,} deals)"), options, key=key,
                format_func=labels.__getitem__,
            )  # fmt: skip
            mapping[name] = chosen or None
        if len(names) > MAX_MAPPED_NAMES:
            st.caption(f"{len(names) - MAX_MAPPED_NAMES:,} rarer names are left out.")
    return mapping


def summary(calibration: Calibration, deals: Deals) -> None:
    dates = ""
    if calibration.first_date is not None:
        dates = f", closed {calibration.first_date:%d %b %Y} to {calibration.last_date:%d %b %Y}"
    skipped = []
    if calibration.open_skipped:
        skipped.append(f"{calibration.open_skipped:,} open deals skipped")
    if calibration.unmapped:
        skipped.append(f"{calibration.unmapped:,} deals of products left out")
    more = f" ({'; '.join(skipped)})" if skipped else ""
    st.markdown(
        f"**{calibration.rows_used:,}** of {calibration.rows_read:,} deals used{dates}{more}. "
        f"Periods: {len(calibration.periods)}. McFadden R²: "
        f"{calibration.pseudo_r2:.3f}." if calibration.pseudo_r2 is not None else
        f"**{calibration.rows_used:,}** of {calibration.rows_read:,} deals used{dates}{more}."
    )  # fmt: skip
    st.caption(
        layout.literal(
            f"Method: {calibration.method}. " + " · ".join(n.capitalize() for n in deals.notes)
        )
    )


def product_card(calibration: Calibration, fit: ProductFit, colour: str) -> Choice:
    """One product: fitted against prior, warnings, the curve and the room's choice."""
    with st.container(border=True):
        st.subheader(layout.literal(fit.name))
        fitted, prior = st.columns(2)
        fitted.metric(
            "Fitted", "—" if fit.elasticity is None else f"{fit.elasticity:.2f}",
            help="How much share falls, in %, for a 1 % price rise, at today's price.",
        )  # fmt: skip
        if fit.elasticity is not None:
            fitted.caption(f"90 %: {fit.low:.2f} to {fit.high:.2f}")
        prior.metric("Prior", f"{fit.prior:g}", help="The scenario's stated elasticity.")
        prior.caption(f"Range {fit.prior_low:.2f} to {fit.prior_high:.2f}")
        rate = "" if fit.win_rate is None else f", win rate {percent(fit.win_rate, 0)}"
        st.caption(f"{fit.deals:,} deals{rate}")
        for caveat in fit.caveats:
            st.warning(layout.literal(caveat.text), icon=":material/warning:")
        if fit.deals:
            charts.show(
                win_rate_chart(
                    calibration.win_curve(fit.product),
                    calibration.binned(fit.product),
                    colour,
                    fit.today,
                )
            )
        return _choice(fit)


def _choice(fit: ProductFit) -> Choice:
    options = available_choices(fit)
    key = f"calibrate_choice_{fit.product}"
    if key not in st.session_state:
        st.session_state[key] = suggested_choice(fit)
    elif st.session_state[key] not in options:  # clicked off: nothing chosen keeps the prior
        st.session_state[key] = "prior"
    picked = st.segmented_control(
        "Use", options, key=key, format_func=CHOICE_LABELS.__getitem__, help=CHOICE_HELP,
        selection_mode="single",
    )  # fmt: skip
    choice: Choice = picked if picked in CHOICES else "prior"
    shown = chosen_value(fit, choice)
    interval = "" if shown.low is None else f" (90 % {shown.low:g} to {shown.high:g})"
    st.caption(f"Writes **{shown.value:g}**{interval} into the scenario.")
    return choice


def evidence_table(scenario: Scenario, calibration: Calibration) -> None:
    """Realised prices against the prices the model says reps and leadership prefer."""
    preferences = model.price_preferences(scenario, state.status_quo())
    rows = []
    for item in price_evidence(scenario, calibration, list(preferences.values())):
        rows.append({
            "Product": layout.plain(item.name),
            "List price": _money(item.list_price),
            "Realised price (won)": _money(item.realised_price),
            "Average discount": "—" if item.realised_discount is None
            else percent(item.realised_discount),
            "Scenario's reference price": money(item.reference_price),
            "Price reps' pay favours": _money(item.rep_preferred_price),
            "Leadership's best price": money(item.best_price),
        })  # fmt: skip
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(
        "What the company actually charged, beside the price the commission plan makes reps "
        "prefer: where reps already discount towards it, pricing is being set by the pay plan. "
        "Involving reps in pricing makes that visible instead of leaving it to each deal."
    )


def apply_button(calibration: Calibration, choices: dict[str, Choice]) -> None:
    changes = sum(1 for fit in calibration.products if choices.get(fit.product, "prior") != "prior")
    st.button(
        f"Apply to the working scenario ({changes} product{'s' if changes != 1 else ''})",
        key="calibrate_apply", type="primary", icon=":material/check:",
        on_click=_apply, args=(calibration, dict(choices)), disabled=changes == 0,
        help="Writes the chosen elasticities, their 90 % ranges and where they came from into "
        "the working scenario; every page then uses them. Back to status quo undoes it.",
    )  # fmt: skip
    outcome = calibrate_data.applied()
    if outcome is None:
        return
    ok, message = outcome
    if ok:
        st.success(layout.literal(str(message)), icon=":material/check_circle:")
    else:
        layout.show_problems("Not applied; the working scenario is unchanged:", list(message))


def _apply(calibration: Calibration, choices: dict[str, Choice]) -> None:
    try:
        result = calibrated_scenario(state.working(), calibration, choices)
    except ScenarioError as error:
        calibrate_data.record_applied(list(error.problems), ok=False)
        return
    state.set_working(result)
    written = [
        f"{fit.name} {chosen_value(fit, choices[fit.product]).value:g}"
        for fit in calibration.products if choices.get(fit.product, "prior") != "prior"
    ]  # fmt: skip
    calibrate_data.record_applied(
        "Applied: " + ", ".join(written) + ". Every page now uses these elasticities.", ok=True
    )


def _money(value: float | None) -> str:
    return "—" if value is None else money(value)
