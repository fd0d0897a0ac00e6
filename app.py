"""SourceCheck's app: `streamlit run app.py`. Page setup and navigation only; pages do the rest."""

import streamlit as st

from sourcecheck.ui import site

st.set_page_config(page_title="SourceCheck", page_icon=":material/fact_check:", layout="centered")
st.navigation(site.pages(), position="hidden").run()
