"""The keyboard scoring desk's static HTML (ui/scoring_keys/keys.html) names its controls and regions before any
JavaScript runs, as the marking component's does: an accessibility scan, or a screen reader, that reads the page in
between must already find every control labelled and the progress announced."""

from __future__ import annotations

from pathlib import Path

from component_html import Elements, parsed

import sourcecheck.ui

KEYS = Path(sourcecheck.ui.__file__).parent / "scoring_keys"


def _parsed() -> Elements:
    return parsed(KEYS / "keys.html")


def test_the_comment_field_has_a_label_and_the_answer_region_a_name() -> None:
    parsed = _parsed()
    labels = {attrs.get("for") for tag, attrs in parsed.elements if tag == "label"}
    fields = [attrs for tag, attrs in parsed.elements if tag in ("textarea", "input", "select")]
    assert fields and all(f.get("id") in labels for f in fields)
    groups = [attrs for _, attrs in parsed.elements if attrs.get("role") == "group"]
    assert len(groups) == 1 and groups[0].get("tabindex") == "0"  # the answer takes the keyboard focus
    assert all(parsed.text_by_id.get(i, "").strip() for i in groups[0]["aria-labelledby"].split())


def test_progress_and_what_happened_are_live_status_regions_and_the_keys_are_told() -> None:
    parsed = _parsed()
    statuses = [attrs for _, attrs in parsed.elements if attrs.get("role") == "status"]
    assert {s.get("class") for s in statuses} == {"sk-progress", "sk-status"}
    help_line = parsed.text_by_id["sk-help"]
    for key in ("Number keys", "arrows", "C ", "Enter", "Esc"):
        assert key in help_line


def test_answer_text_goes_in_as_text_never_as_markup() -> None:
    script = (KEYS / "keys.js").read_text(encoding="utf-8")
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script
    assert "DOMParser" in script  # the highlighted answer is parsed inert and only text and hint marks kept
