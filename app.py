"""SourceCheck's app: `streamlit run app.py`. Page setup and navigation only; pages do the rest."""

import streamlit as st

from sourcecheck.ui import reconnect, site

# An emoji icon is drawn in the browser; a :material/ icon would be fetched from fonts.gstatic.com on every
# page load (a request outside the school's network, and a broken icon without internet access).
st.set_page_config(page_title="SourceCheck", page_icon="🔎", layout="centered")
page = st.navigation(site.pages(), position="hidden")
with reconnect.guard():  # the database away for longer than the store's retries: a message, then carry on
    page.run()
