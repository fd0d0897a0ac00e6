"""The workshop's quote finder: a few remembered words in, the document's exact sentences out, ready to paste.

The search is the authoring tools' `find_passages` (case, spacing, quote marks and dashes do not
matter; hits widen to whole sentences), and the line shown is what `python -m sourcecheck quote`
prints, so a quote copied here always matches when the lesson is checked.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from sourcecheck.authoring.quotes import Passage, closest, find_passages, yaml_scalar
from sourcecheck.lessons.catalog import Catalog, Document
from sourcecheck.ui.text import md

__all__ = ["MAX_SHOWN", "quote_line", "show_quote_finder"]

MAX_SHOWN = 30
_PREVIEW_CHARS = 90


def quote_line(passage: Passage, document: Document) -> str:
    return f"quote: {yaml_scalar(passage.text(document))}"


def show_quote_finder(catalog: Catalog) -> None:
    if not catalog.entries:
        st.info("The document catalog is empty.")
        return
    doc_id = st.selectbox("Document", list(catalog.entries), key="ws-doc",
                          format_func=lambda d: f"{catalog.entries[d].display_title} ({d})")
    words = st.text_input("Words from the passage", key="ws-words", placeholder="for example: officials said")
    if not words.strip():
        st.caption("Type a few words you remember. Case, spacing, quote marks and dashes do not matter.")
        return
    document = catalog.get(doc_id)
    found = find_passages(document, words)
    if not found:
        near = closest(document, words)
        st.warning(f"No passage contains “{md(' '.join(words.split()))}”. The closest is on line {near.line}:",
                   icon=":material/search_off:")
        st.code(quote_line(near, document), language=None, wrap_lines=True)
        return
    shown = found[:MAX_SHOWN]
    more = f" (the first {MAX_SHOWN}; add words to narrow it down)" if len(found) > MAX_SHOWN else ""
    pick = st.radio(f"{len(found)} passage{'s' if len(found) != 1 else ''}{more}", range(len(shown)), index=0,
                    key=f"ws-pick:{_digest(doc_id, words)}",
                    format_func=lambda i: _label(shown[i], document))
    st.caption("Copy this line into an excerpt (the copy button is at its top right):")
    st.code(quote_line(shown[pick], document), language=None, wrap_lines=True)  # no faint commas


def _label(passage: Passage, document: Document) -> str:
    text = passage.text(document)
    short = text if len(text) <= _PREVIEW_CHARS else text[:_PREVIEW_CHARS].rsplit(" ", 1)[0] + " …"
    return f"Line {passage.line}: {md(short)}"


def _digest(doc_id: str, words: str) -> str:
    """A fresh choice for each search, without the teacher's words in a widget key (keys become CSS classes)."""
    return hashlib.sha256(f"{doc_id}\n{' '.join(words.split()).casefold()}".encode()).hexdigest()[:16]
