"""The marking component's static HTML names its widgets before any JavaScript runs.

Streamlit inserts ui/marking/mark.html first and runs mark.js after; an accessibility scan (or a screen reader)
that reads the page in between must already find every listbox and radio group named. Under load that gap is
long enough for axe to see it (issue 15: the one failure of a 924-test run).
"""

from __future__ import annotations

from pathlib import Path

from component_html import Elements, parsed

import sourcecheck.ui

MARK_HTML = Path(sourcecheck.ui.__file__).parent / "marking" / "mark.html"
# Roles that axe (aria-input-field-name, aria-toggle-field-name and friends) and ARIA itself require to be named.
NAMED_ROLES = {"listbox", "radiogroup", "combobox", "slider", "textbox", "tree", "grid"}


def _parsed() -> Elements:
    return parsed(MARK_HTML)


def _static_name(element: dict[str, str], text_by_id: dict[str, str]) -> str:
    """The accessible name from the markup alone: aria-labelledby's text, else aria-label."""
    if element.get("aria-labelledby"):
        return " ".join(text_by_id.get(i, "") for i in element["aria-labelledby"].split()).strip()
    return element.get("aria-label", "").strip()


def test_the_passage_listbox_is_named_in_the_html() -> None:
    parsed = _parsed()
    listboxes = [e for _, e in parsed.elements if e.get("role") == "listbox"]
    assert len(listboxes) == 1
    assert _static_name(listboxes[0], parsed.text_by_id) == "Passage to mark"


def test_every_widget_role_in_the_html_has_a_name_before_the_script_runs() -> None:
    parsed = _parsed()
    widgets = [e for _, e in parsed.elements if e.get("role") in NAMED_ROLES]
    assert widgets, "mark.html has no widgets to check"
    unnamed = [e for e in widgets if not _static_name(e, parsed.text_by_id)]
    assert not unnamed, f"named only by JavaScript, if at all: {unnamed}"
