"""The marking component's static HTML names its widgets before any JavaScript runs.

Streamlit inserts ui/marking/mark.html first and runs mark.js after; an accessibility scan (or a screen reader)
that reads the page in between must already find every listbox and radio group named. Under load that gap is
long enough for axe to see it (issue 15: the one failure of a 924-test run).
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import sourcecheck.ui

MARK_HTML = Path(sourcecheck.ui.__file__).parent / "marking" / "mark.html"
# Roles that axe (aria-input-field-name, aria-toggle-field-name and friends) and ARIA itself require to be named.
NAMED_ROLES = {"listbox", "radiogroup", "combobox", "slider", "textbox", "tree", "grid"}


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[dict[str, str]] = []
        self.text_by_id: dict[str, str] = {}
        self._open: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        self.elements.append(found)
        self._open.append(found.get("id"))
        if found.get("id"):
            self.text_by_id[found["id"]] = ""

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for element_id in filter(None, self._open):
            self.text_by_id[element_id] += data


def _parsed() -> _Elements:
    parser = _Elements()
    parser.feed(MARK_HTML.read_text(encoding="utf-8"))
    return parser


def _static_name(element: dict[str, str], text_by_id: dict[str, str]) -> str:
    """The accessible name from the markup alone: aria-labelledby's text, else aria-label."""
    if element.get("aria-labelledby"):
        return " ".join(text_by_id.get(i, "") for i in element["aria-labelledby"].split()).strip()
    return element.get("aria-label", "").strip()


def test_the_passage_listbox_is_named_in_the_html() -> None:
    parsed = _parsed()
    listboxes = [e for e in parsed.elements if e.get("role") == "listbox"]
    assert len(listboxes) == 1
    assert _static_name(listboxes[0], parsed.text_by_id) == "Passage to mark"


def test_every_widget_role_in_the_html_has_a_name_before_the_script_runs() -> None:
    parsed = _parsed()
    widgets = [e for e in parsed.elements if e.get("role") in NAMED_ROLES]
    assert widgets, "mark.html has no widgets to check"
    unnamed = [e for e in widgets if not _static_name(e, parsed.text_by_id)]
    assert not unnamed, f"named only by JavaScript, if at all: {unnamed}"
