"""SourceCheck's app: `streamlit run app.py`. Page setup and navigation only; pages do the rest."""

import streamlit as st

from sourcecheck.ui import reconnect, site

st.set_page_config(page_title="SourceCheck", page_icon=":material/fact_check:", layout="centered")
page = st.navigation(site.pages(), position="hidden")
with reconnect.guard():  # the database away for longer than the store's retries: a message, then carry on
    page.run()
