import streamlit as st

st.set_page_config(page_title="Alignment workshop", layout="wide")
st.title("Pricing & commission alignment workshop")
