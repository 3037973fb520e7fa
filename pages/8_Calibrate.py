import streamlit as st

from workshop_ui import calibrate_data, calibrate_view, charts, layout, state

st.set_page_config(layout="wide", page_title="Calibrate · Alignment workshop")
state.ensure_state()
layout.sidebar()

st.title("Calibrate")
st.caption(
    "Fit each product's price elasticity from the company's own won and lost deals, see how "
    "sure the fit is and what may bias it, and choose per product: the fit, the scenario's "
    "stated value (the prior), or a blend of the two."
)

found = calibrate_view.upload_step()
if found is None:
    calibrate_view.empty_state()
    st.stop()

scenario = state.working()
with st.spinner(f"Reading {layout.plain(found.name)}…", show_time=True):
    deals = calibrate_data.read(found)
if isinstance(deals, list):
    layout.show_problems("The file was not read; fix these and upload it again:", deals)
    st.stop()

mapping = calibrate_view.mapping_step(deals, scenario)
with st.spinner(f"Fitting {len(deals.frame):,} deals…", show_time=True):
    calibration = calibrate_data.fit(found, deals, scenario, mapping)
if isinstance(calibration, list):
    layout.show_problems("Nothing could be fitted:", calibration)
    st.stop()

calibrate_view.summary(calibration, deals)
colours = charts.product_colours([p.name for p in scenario.products])
choices = {}
columns = st.columns(min(3, len(calibration.products)), gap="medium")
for index, fit in enumerate(calibration.products):
    with columns[index % len(columns)]:
        choices[fit.product] = calibrate_view.product_card(calibration, fit, colours[fit.name])

st.subheader("Realised prices against the prices each side prefers")
calibrate_view.evidence_table(scenario, calibration)
calibrate_view.apply_button(calibration, choices)
