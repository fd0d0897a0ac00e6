"""SourceCheck's app: `streamlit run app.py`. Page setup and navigation only; pages do the rest."""

import streamlit as st

from sourcecheck.ui import site

# An emoji icon is drawn in the browser; a :material/ icon would be fetched from fonts.gstatic.com on every
# page load (a request outside the school's network, and a broken icon without internet access).
st.set_page_config(page_title="SourceCheck", page_icon="🔎", layout="centered")
st.navigation(site.pages(), position="hidden").run()
