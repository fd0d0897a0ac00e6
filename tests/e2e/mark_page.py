"""A page with only the marking component, given hostile data straight (words, text between them and category
names full of markup), for the browser test that checks the component writes every string as text.
Real lessons cannot carry such category names (labels are a fixed list), so this is the one way to try them."""

import streamlit as st

from sourcecheck.ui.mark_view import marking

HOSTILE = '<img src=x onerror="window.__xss=1">'
DATA = {
    "words": ["Officials", HOSTILE, "said", "<script>window.__xss=2</script>"],
    "gaps": ["<b>", " ", " ", " ", "</b><iframe src=javascript:window.__xss=3>"],
    "categories": [
        {"id": "hedge", "title": f"{HOSTILE}Hedge", "colour": "red;background:url(javascript:1)",
         "background": "#fcecc9", "pattern": "wavy"},
        {"id": "claim", "title": "<svg onload=window.__xss=4>Claim", "colour": "#000", "background": "#e8e8e8",
         "pattern": "solid"},
    ],
    "label": "<i>passage</i>",
}

with st.form("hostile"):
    marking(DATA, key="hostile")
    st.form_submit_button("Submit answer")
st.write("Marks sent:", st.session_state.get("hostile"))
