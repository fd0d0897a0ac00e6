"""SourceCheck core: lessons, documents, scoring. Plain Python; never imports streamlit."""

__version__ = "0.1.0"
