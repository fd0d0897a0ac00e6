"""SourceCheck's app: `streamlit run app.py`. Page setup, navigation and the web app's routes only; pages do the rest.

This one file is both things `streamlit run` needs. It finds `app = st.App(...)` below (by reading the file) and
serves it: uvicorn imports this file as the module `app`, and the web layer (sourcecheck/ui/web.py) adds the cookie
routes and middleware. That st.App names this same file as its page script, which Streamlit (and AppTest) runs for
each session as `__main__`: that run sets up the page and the navigation.
"""

import streamlit as st

if __name__ == "__main__":
    from sourcecheck.ui import reconnect, site, teacher_nav

    # An emoji icon is drawn in the browser; a :material/ icon would be fetched from fonts.gstatic.com on every
    # page load (a request outside the school's network, and a broken icon without internet access).
    st.set_page_config(page_title="SourceCheck", page_icon="🔎", layout="centered")
    teacher_nav.keep_sign_in()  # after a sign-in or sign-out: the browser asks for, or drops, the cookie
    page = st.navigation(site.pages(), position="hidden")
    with reconnect.guard():  # the database away for longer than the store's retries: a message, then carry on
        page.run()
else:
    from sourcecheck.ui import web

    app = st.App(__file__, routes=web.routes(), middleware=web.middleware())
