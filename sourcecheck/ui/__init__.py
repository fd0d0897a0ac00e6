"""The student app's Streamlit views: thin layers that read widgets, call the core and draw its results.

Only this package imports streamlit. Pages live in `pages/` (one script per st.Page); the
modules beside them hold the drawing code the pages share.
"""
